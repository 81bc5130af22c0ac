"""Which open cases a tip, or a verdict's claim, tells the same story as.

The claim decision over the open cases' texts, asked both ways: is the new text one of the cases, or, for the
few best candidates, is a case's text the new one (the new text put among the other cases)? The model was
trained on a citizen's message against a short claim; between two citizens' wordings either one may be the
message, and the one that leaves out the other's detail is the one it recognises. The new text is a case at the
model's join threshold; a case's text is the new one only at the verdict threshold, as is a verdict's claim a
case it closes. Tried on the fresh4 split with the models before it was trained on (both ways at their verdict
threshold), 68.3% of tips landed in their story's case against 55.4% one way, with the same 2 wrong joins: a
development figure (the design was chosen on it); the sealed splits' unseen figures (fresh5, fresh6) are in
bench/RESULTS.md.

A decision of its own, trained on tips against open cases, was tried twice (issue 10) and answered too little
at a useful precision. The second try (2026-12-03: LightGBM over 20 symmetric pair features, 25,464 pairs from
twelve voices, threshold by replaying clustering out of fold) put 41-45% of tips in their story's case at
<= 3% wrong joins, 60.5% at 15.8%: one voice leaves out the very detail another voice's look-alike changes.
Lowering the sure threshold instead traded joins for wrong ones at the same rate (fresh4: 67.1% at 6.0% wrong).
A case read as all its tips' texts, not its first one only (2026-12-04, the matcher over every member, a join
to the case of the best), tried on the two opened splits the models were not trained on: `test` 66.1% -> 66.7%
of tips in their story's case with 13 -> 16 wrong joins, fresh18 60.0% -> 61.7% with 11 -> 12; not worth a
stored embedding per tip.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from nlp.decision import Band
from nlp.embed import Embedder
from nlp.match import ClaimMatcher, ClaimText, MatchStatus, Ranking
from nlp.normalise import clean

REVERSE_CANDIDATES = 3
"""How many of the best candidates are asked the other way round (on fresh4, eight joined no more than three)."""
NEW_TEXT = "\0new"
"""The new text's id among the cases when a case's text is asked about it."""
MERGE_CHOICES = 5
"""How many open cases a coordinator picks a merge target from."""


def related(cases: Sequence[ClaimText], text: str, embedder: Embedder | None,
            vector: npt.NDArray[np.float32] | None = None, closing: bool = False) -> tuple[list[str], list[str]]:
    """(sure, similar) case ids, best first. `vector`: the text's embedding when it is already known (a case's
    stored one, a tip's that its new case will keep); else it is computed if the other way round is asked.
    `closing`: the text is a verdict's claim, whose sure cases are closed and their requesters told, so a case is
    sure only at the verdict threshold, the bar for telling a citizen a verdict at once.

    Sure: every case the model puts at or above its join threshold (the verdict threshold when `closing`) with
    no guard against it (a verdict closes them all; a tip joins the first); failing those, the first of the best
    candidates whose own text surely describes the new one. Similar: the suggestions that are not sure, for a
    coordinator to judge.
    """
    if not cases:
        return [], []
    matcher = ClaimMatcher(cases, embedder)
    ranking = matcher.rank(text)
    sure = surely(matcher, ranking, ranking.band.auto if closing else ranking.band.join_threshold)
    if not sure:
        sure = reverse_sure(matcher, cases, ranking, text, embedder, vector)
    return sure, [c.claim_id for c in matcher.decide(ranking).candidates if c.claim_id not in sure]


def alike(cases: Sequence[ClaimText], text: str, embedder: Embedder | None) -> list[str]:
    """The open cases that share words with the text, most alike first, whatever the suggestion threshold: a
    coordinator who asks to merge has judged the story already, and the threshold is the bar for suggesting a
    claim to a citizen (after a retrain, an elderly-grant case scored 0.04 against its MyMo sign-up twin, under
    the 0.05 bar, and the merge list came up empty)."""
    if not cases:
        return []
    return [c.claim_id for c in ClaimMatcher(cases, embedder).rank(text).candidates[:MERGE_CHOICES]]


def surely(matcher: ClaimMatcher, ranking: Ranking, threshold: float) -> list[str]:
    """The candidates at or above the threshold with no guard against them, if the best one is."""
    if matcher.decide(ranking, Band(auto=threshold, suggest=ranking.band.suggest)).status is not MatchStatus.MATCH:
        return []
    return [c.claim_id for c in ranking.candidates
            if c.compatible and not c.negation_mismatch and c.score >= threshold]


def reverse_sure(matcher: ClaimMatcher, cases: Sequence[ClaimText], ranking: Ranking, text: str,
                 embedder: Embedder | None, vector: npt.NDArray[np.float32] | None) -> list[str]:
    """The first of the best candidates whose own text, matched against the new text and the other cases, is
    surely the new text, at the verdict's threshold ([] if none): with few cases open, a long chain is asked
    among few rivals, and at the join threshold the chain about a LINE link took the MyMo sign-up for itself."""
    candidates = ranking.candidates[:REVERSE_CANDIDATES]
    if not candidates:
        return []
    if vector is None and embedder:
        vector = embedder.embed([clean(text)])[0]
    new = ClaimText(id=NEW_TEXT, text=text, verdict="open", embedding=vector)
    by_id = {case.id: case for case in cases}
    for candidate in candidates:
        others = [case for case in cases if case.id != candidate.claim_id] + [new]
        asked = ClaimMatcher(others, embedder, previous=matcher)
        reverse = asked.rank(by_id[candidate.claim_id].text)
        if NEW_TEXT in surely(asked, reverse, reverse.band.auto):
            return [candidate.claim_id]
    return []
