"""Train the same-claim decision models and choose their thresholds on out-of-fold predictions.

Every training message is ranked by the matcher itself, so the model learns on exactly the candidates and
signals it will see in production. Folds are grouped by story: no story's wordings are both trained and
predicted in one fold. The auto threshold is the lowest at which the out-of-fold automatic answers of
citizen-worded messages keep a precision of at least the kind's floor, there and at every stricter threshold;
the 95% lower confidence bound on that precision is reported beside it (Clopper-Pearson: with n answers and
no error it is about 1 - 3/n).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import lightgbm
import numpy as np
import numpy.typing as npt
from scipy.stats import beta

from nlp.decision import FEATURES, Band
from nlp.match import Candidate, ClaimMatcher, MatchStatus, _Prepared, feature_rows, scored_ranking

PRECISION_FLOOR = 0.98
"""A wrong verdict is the worst failure."""
CONFIDENCE = 0.95
FOLDS = 5
MONOTONE = {
    "lexical": 1, "lexical_rank": -1, "lexical_gap": -1, "lexical_lead": 1,
    "semantic": 1, "semantic_rank": -1, "semantic_gap": -1, "semantic_lead": 1,
    "coverage": 1, "query_coverage": 1, "query_extra": -1, "claim_missing": -1, "overlap": 1, "partial": 1,
    "numbers_query_only": -1, "numbers_claim_only": -1, "numbers_shared": 1,
    "entity_conflict": -1, "entities_shared": 1, "negation_mismatch": -1,
    "length_ratio": 0, "query_tokens": 0, "rival_lexical_gap": 1, "rival_semantic_gap": 1,
}
"""Directions the probability may move in as a signal grows: with a few hundred stories, a model free to
bend each way fits its training claims; these keep it to what must hold on claims it never saw."""
PARAMETERS = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 20,
    "feature_fraction": 0.9, "lambda_l2": 1.0, "monotone_constraints": [MONOTONE[name] for name in FEATURES],
    "monotone_constraints_method": "advanced", "deterministic": True, "force_row_wise": True, "num_threads": 1,
    "seed": 7, "verbose": -1,
}
ROUNDS = 250


@dataclass(frozen=True)
class LabelledText:
    text: str
    acceptable: frozenset[str]
    """The claims that count as right; empty for a message that matches none."""
    group: str
    """The story: folds never split one."""
    kind: str
    """positive, hard_negative or unrelated."""
    citizen: bool
    """Written as a citizen would send it (thresholds are chosen on these only)."""
    exclude: str | None = None
    """A claim hidden from the candidates: the query's own text, for AFNC's re-published twins."""


@dataclass(frozen=True)
class Example:
    item: LabelledText
    query: _Prepared
    candidates: list[Candidate]
    rows: npt.NDArray[np.float64]
    labels: npt.NDArray[np.int8]


@dataclass(frozen=True)
class Choice:
    band: Band
    autos: int
    errors: int
    precision: float
    precision_bound: float
    recall: float
    top3: float


def examples(matcher: ClaimMatcher, items: Sequence[LabelledText], embed: bool,
             progress: Callable[[Sequence[LabelledText]], Sequence[LabelledText]] = lambda items: items
             ) -> list[Example]:
    found = []
    for item in progress(items):
        query, candidates = matcher.signals(item.text, embed=embed)
        candidates = [c for c in candidates if c.claim_id != item.exclude]
        if not candidates:
            continue
        found.append(Example(item=item, query=query, candidates=candidates,
                             rows=feature_rows(candidates, len(query.tokens)),
                             labels=np.array([c.claim_id in item.acceptable for c in candidates], dtype=np.int8)))
    return found


def fit(train: Sequence[Example]) -> lightgbm.Booster:
    rows = np.vstack([example.rows for example in train])
    labels = np.concatenate([example.labels for example in train])
    dataset = lightgbm.Dataset(rows, labels, feature_name=list(FEATURES), free_raw_data=False)
    return lightgbm.train(PARAMETERS, dataset, num_boost_round=ROUNDS)


def fold_of(group: str) -> int:
    return int(hashlib.sha1(group.encode("utf-8")).hexdigest(), 16) % FOLDS


def out_of_fold(found: Sequence[Example]) -> list[npt.NDArray[np.float64]]:
    """Each example's candidate probabilities from a model that never saw its story."""
    predictions: list[npt.NDArray[np.float64]] = [np.zeros(0)] * len(found)
    for fold in range(FOLDS):
        booster = fit([e for e in found if fold_of(e.item.group) != fold])
        for index, example in enumerate(found):
            if fold_of(example.item.group) == fold:
                predictions[index] = np.asarray(booster.predict(example.rows, num_threads=1))
    return predictions


def precision_lower_bound(autos: int, errors: int) -> float:
    if autos == 0:
        return 0.0
    return 1.0 - float(beta.ppf(CONFIDENCE, errors + 1, autos - errors)) if errors < autos else 0.0


def evaluate(matcher: ClaimMatcher, found: Sequence[Example], predictions: Sequence[npt.NDArray[np.float64]],
             band: Band) -> Choice:
    autos = errors = correct = top3 = positives = 0
    for example, probabilities in zip(found, predictions):
        ranking = scored_ranking(example.query, example.candidates, probabilities.tolist(), band)
        match = matcher.decide(ranking, band)
        positive = example.item.kind == "positive"
        positives += positive
        if match.status is MatchStatus.MATCH:
            autos += 1
            right = match.claim_id in example.item.acceptable
            errors += not right
            correct += right and positive
        offered = [match.claim_id] + [c.claim_id for c in match.candidates[:3]]
        top3 += positive and bool(set(offered) & example.item.acceptable)
    return Choice(band=band, autos=autos, errors=errors,
                  precision=round((autos - errors) / autos, 4) if autos else 1.0,
                  precision_bound=round(precision_lower_bound(autos, errors), 4),
                  recall=round(correct / positives, 4) if positives else 0.0,
                  top3=round(top3 / positives, 4) if positives else 0.0)


def choose_band(matcher: ClaimMatcher, found: Sequence[Example], predictions: Sequence[npt.NDArray[np.float64]],
                floor: float) -> tuple[Choice, list[Choice]]:
    """The lowest auto threshold whose citizen answers keep the precision bound `floor`; the suggest floor that
    keeps top-3 recall within a point of offering everything."""
    citizen = [(e, p) for e, p in zip(found, predictions) if e.item.citizen]
    chosen_examples, chosen_predictions = [e for e, _p in citizen], [p for _e, p in citizen]
    widest = evaluate(matcher, chosen_examples, chosen_predictions, Band(auto=1.01, suggest=0.01)).top3
    suggest = 0.01
    for candidate in (0.3, 0.2, 0.15, 0.1, 0.07, 0.05, 0.03, 0.02):
        if evaluate(matcher, chosen_examples, chosen_predictions, Band(1.01, candidate)).top3 >= widest - 0.01:
            suggest = candidate
            break
    sweep = [evaluate(matcher, chosen_examples, chosen_predictions, Band(auto=round(float(auto), 3), suggest=suggest))
             for auto in np.arange(0.50, 0.995, 0.01)]
    chosen = sweep[-1]
    for choice in reversed(sweep):
        if choice.precision < floor:
            break
        chosen = choice
    return chosen, sweep


def save(directory: Path, boosters: dict[tuple[str, str], lightgbm.Booster],
         choices: dict[tuple[str, str], Choice], metadata: dict[str, object]) -> None:
    """One text file per (kind, model) and the manifest with each one's thresholds and out-of-fold figures."""
    directory.mkdir(parents=True, exist_ok=True)
    entries: dict[str, dict[str, object]] = {}
    for (kind, name), booster in boosters.items():
        filename = f"{kind}_{name}.txt"
        booster.save_model(str(directory / filename))
        choice = choices[kind, name]
        entries.setdefault(kind, {})[name] = {
            "file": filename, "auto": float(choice.band.auto), "suggest": float(choice.band.suggest),
            "out_of_fold": {"autos": choice.autos, "errors": choice.errors, "precision": choice.precision,
                            "precision_lower_bound": choice.precision_bound, "auto_recall": choice.recall,
                            "top3_recall": choice.top3}}
    entries["training"] = metadata
    (directory / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
