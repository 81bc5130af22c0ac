"""Which open cases a tip, or a verdict's claim, tells the same story as.

The claim decision over the open cases' texts, at its own thresholds. A decision of its own, trained on tips
against open cases, was tried twice (issue 10) and answered too little at a useful precision. The second try
(2026-12-03: LightGBM over 20 symmetric pair features, 25,464 pairs from twelve voices, threshold by replaying
clustering out of fold) put 41-45% of tips in their story's case at <= 3% wrong joins, 60.5% at 15.8%: one
voice leaves out the very detail another voice's look-alike changes. See the issue's note.
"""
from __future__ import annotations

from collections.abc import Sequence

from nlp.embed import Embedder
from nlp.match import ClaimMatcher, ClaimText, MatchStatus


def related(cases: Sequence[ClaimText], text: str, embedder: Embedder | None) -> tuple[list[str], list[str]]:
    """(sure, similar) case ids, best first.

    Sure: every case the model puts at or above its auto threshold with no guard against it (a verdict closes
    them all; a tip joins the first). Similar: the suggestions that are not sure, for a coordinator to judge.
    """
    if not cases:
        return [], []
    matcher = ClaimMatcher(cases, embedder)
    ranking = matcher.rank(text)
    match = matcher.decide(ranking)
    sure = [c.claim_id for c in ranking.candidates if c.compatible and not c.negation_mismatch
            and c.score >= ranking.band.auto] if match.status is MatchStatus.MATCH else []
    return sure, [c.claim_id for c in match.candidates if c.claim_id not in sure]
