"""The matching benchmark tells a wrong verdict apart from a twin claim AFNC published twice."""
from __future__ import annotations

from dataclasses import dataclass

from bench.cases import measure
from bench.matching import score


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    acceptable: frozenset[str]


def test_a_twin_with_the_same_verdict_is_wrong_but_not_a_wrong_verdict() -> None:
    queries = [Query("positive", "พม. ให้เงิน 2,000 บาทเมื่อเสียชีวิต", frozenset({"long"})),
               Query("positive", "ดื่มน้ำมะนาวรักษามะเร็ง", frozenset({"lemon"})),
               Query("hard_negative", "พม. ให้เงิน 5,000 บาท", frozenset())]
    results = [("short", ["short", "long"]), ("lemon-true", ["lemon-true"]), ("short", ["short"])]
    verdicts = {"long": "true", "short": "true", "lemon": "fake", "lemon-true": "true"}
    accuracy = score(queries, results, verdicts)
    assert (accuracy.autos, accuracy.errors, accuracy.wrong_verdicts) == (3, 3, 1)
    assert score(queries, results).wrong_verdicts == 0  # without verdicts nothing is claimed


def test_an_afnc_twin_is_counted_apart_and_the_twin_aware_precision_beside_it() -> None:
    queries = [Query("positive", "พม. ให้เงิน 2,000 บาทเมื่อเสียชีวิต", frozenset({"long"})),
               Query("positive", "ดื่มน้ำมะนาวรักษามะเร็ง", frozenset({"lemon"}))]
    results = [("short", ["short"]), ("lemon", ["lemon"])]
    accuracy = score(queries, results, {"long": "true", "short": "true", "lemon": "fake"},
                     lambda one, other: {one, other} == {"long", "short"})
    assert (accuracy.errors, accuracy.twins, accuracy.twin_aware_precision) == (1, 1, 1.0)
    assert accuracy.precision == 0.5


def test_a_look_alike_joining_another_of_the_same_claim_is_wrong_and_counted_apart() -> None:
    stories = ["s1", "s1", "lookalike-2", "lookalike-3", "lookalike-4"]
    written_from = [None, None, "c1", "c1", "c2"]
    result = measure(stories, [0, 0, 0, 1, 1], written_from)
    assert (result.joins, result.wrong_joins, result.lookalike_joins) == (3, 2, 0)
    result = measure(stories, [0, 0, 1, 1, 2], written_from)
    assert (result.joins, result.wrong_joins, result.lookalike_joins) == (2, 1, 1)
