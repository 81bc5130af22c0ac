"""Strict twins: two AFNC claims that publish one rumour again in other words, which the story rule
(`bench.stories.SAME_STORY_RATIO`, titles alike) does not link: "ใบข่อยดำรักษาโรคมะเร็ง" and "ใบข่อยดำ มีสรรพคุณ
ช่วยรักษาโรคมะเร็ง". The benchmarks count an answer with a twin as wrong
and report, beside it, how many of the wrong answers were twins: the citizen got the rumour's verdict from
another of AFNC's pages about it.

Two claims are twins when they have the same verdict and the same numbers, negate and oppose the same words,
name no rival of each other's (`nlp.entities.conflict`), share most content words (containment of the shorter's
at least CONTAINMENT, Jaccard at least OVERLAP), and neither swaps a rare word for another rare word (a brand,
a plant, a place: "ตราโนนทรี" against "Prajuab Herbs", "พระประแดง" against "เพลินจิต").

Read on the seed catalog (2026-12-04), among each claim's lexical candidates: 126 pairs beyond the story rule.
In a sample of 35, none was another rumour and 3 were borderline (two scam pages of one kind; a list of risky
places against another). The rule without the swap test gave 177 pairs, with such swaps among them. The story
rule itself is left as it is: changing it would move the frozen splits.

The training labels stay strict. Out of fold (words only, fresh15 in training, 2026-12-04), fitting with twin
candidates as right answers, or left out of the fit, did not move the precision-recall curve: 3,105 automatic
answers, 48 wrong, recall 0.665 at 0.955 with strict labels; 3,096, 49, 0.662 and 3,099, 49, 0.663 at 0.96 with
twins left out and twins right. Which of two twins an answer names is a coin toss no label teaches.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from nlp.entities import conflict
from nlp.match import ClaimText
from nlp.prepared import prepare

CONTAINMENT = 0.8
OVERLAP = 0.5
RARE_CLAIMS = 20
"""A word in at most this many claims of the catalog is name-like: swapping one for another is another story."""


class Twins:
    """The twin relation over one catalog; claims are prepared when first asked about."""

    def __init__(self, claims: Sequence[ClaimText]) -> None:
        self._claims = {claim.id: claim for claim in claims}
        self._document_frequency = Counter(token for claim in claims for token in prepare(claim.text)[0].tokens)

    def __call__(self, first: str, second: str) -> bool:
        one, other = self._claims.get(first), self._claims.get(second)
        if one is None or other is None or first == second or one.verdict != other.verdict:
            return False
        a, b = prepare(one.text)[0], prepare(other.text)[0]
        if (a.numbers, a.negated, a.poles) != (b.numbers, b.negated, b.poles):
            return False
        if conflict(a.entities, b.entities) or conflict(b.entities, a.entities) or not a.tokens or not b.tokens:
            return False
        shared = len(a.tokens & b.tokens)
        if shared < CONTAINMENT * min(len(a.tokens), len(b.tokens)) or shared < OVERLAP * len(a.tokens | b.tokens):
            return False
        return not (self._rare(a.tokens - b.tokens) and self._rare(b.tokens - a.tokens))

    def _rare(self, words: frozenset[str]) -> bool:
        return any(self._document_frequency[word] <= RARE_CLAIMS for word in words)
