"""A coordinator's day: how many cases the dev set's tips become once duplicates join open cases."""
from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

import numpy as np

from bench.corpus import Query, dev_queries
from nlp.embed import Embedder, load_embedder
from nlp.match import ClaimMatcher, ClaimText, MatchStatus
from nlp.normalise import clean


@dataclass
class OpenCase:
    text: str
    claims: frozenset[str]
    vector: np.ndarray | None
    requesters: int = 1


def same_case(cases: list[OpenCase], text: str, embedder: Embedder | None) -> int | None:
    """The index of the open case the matcher would join this tip to (as data.cases.related_open_cases)."""
    if not cases:
        return None
    matcher = ClaimMatcher([ClaimText(id=str(i), text=c.text, verdict="open", embedding=c.vector)
                            for i, c in enumerate(cases)], embedder)
    match = matcher.match(text)
    return int(match.claim_id) if match.status is MatchStatus.MATCH and match.claim_id else None


def run() -> str:
    embedder = load_embedder()
    tips: list[Query] = [q for q in dev_queries() if q.kind == "positive"]
    random.Random(11).shuffle(tips)  # tips arrive interleaved, not grouped by rumour
    cases: list[OpenCase] = []
    wrong_joins = right_joins = 0
    timings = []
    for tip in tips:
        started = time.perf_counter()
        index = same_case(cases, tip.text, embedder)
        timings.append((time.perf_counter() - started) * 1000)
        if index is None:
            vector = embedder.embed([clean(tip.text)])[0] if embedder else None
            cases.append(OpenCase(tip.text, tip.acceptable, vector))
        else:
            cases[index].requesters += 1
            right = bool(cases[index].claims & tip.acceptable)
            right_joins += right
            wrong_joins += not right
    distinct = len({min(q.acceptable) for q in tips})
    per_hundred = 100 * len(cases) / len(tips)
    return "\n".join([
        "## Tips into cases (a coordinator's day)",
        "",
        f"The {len(tips)} dev positives sent as tips about rumours nobody has verified yet (the matcher only sees "
        "open cases), in shuffled order. Duplicates are the dev set's: several wordings of one claim, and AFNC's "
        "own near-identical re-publications.",
        "",
        "| tips | cases opened | cases per 100 tips | ideal (distinct rumours) per 100 | tips joined to the right case | "
        "wrong joins | median time to place a tip |",
        "|---|---|---|---|---|---|---|",
        f"| {len(tips)} | {len(cases)} | {per_hundred:.1f} | {100 * distinct / len(tips):.1f} | {right_joins} | "
        f"{wrong_joins} | {statistics.median(timings):.1f} ms |",
        "",
        f"A coordinator reads {per_hundred:.0f} cards per 100 tips instead of 100; the largest case has "
        f"{max(c.requesters for c in cases)} requesters. The five-wordings test in tests/test_tips.py shows the "
        "chain-message case: five citizens, one card.",
    ])
