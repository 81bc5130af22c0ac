"""Negation: which words a text says are not so, and whether a message and a claim disagree on them.

"ออมสินไม่ได้ปล่อยสินเชื่อ" against "ออมสินปล่อยสินเชื่อ" is another story, however many words they share; an
aside such as "ไม่ต้องมีคนค้ำ" in a chain message is not, when the claim never mentions a guarantor.
"""
from __future__ import annotations

from typing import Protocol

import regex

from nlp.tokenise import MIN_CONTAINED, meaningful

NEGATION = frozenset({"ไม่", "บ่", "มิ", "มิได้", "ไม่ต้อง", "ยกเลิก", "ปฏิเสธ", "not", "no"})
"""Word tokens that negate; the tokeniser keeps question tails ("หรือไม่") whole, so they are not among them."""
LIMIT = regex.compile(r"ไม่(?:เกิน|ถึง|ต่ำกว่า|น้อยกว่า|ต่ำ|น้อย)")
"""Bounds ("ไม่เกิน 7 ปี" is "at most 7 years"), not negations."""
DOUBT = regex.compile(r"ไม่(?:ทราบ|รู้|แน่ใจ)|บ่(?=\s*(?:ครับ|คับ|คะ|ค่ะ|จ้ะ|จ้า|จ๊ะ|เด้อ|น้อ|นอ)?\s*(?:[?!.…]|\s|$))")
"""The speaker's doubt ("ไม่แน่ใจว่า…") and the Isan question tail ("แม่นบ่ครับ", "จริงบ่ "), not negations of
what the message says: on the story set's train + dev, reading them so freed 16 of the 67 positives the
negation guard blocked, and let none of the 32 negation negatives it caught through."""
NEGATION_SCOPE = 2
"""A negation governs the next content words this many: "ไม่ต้องมีคนค้ำ" negates "คนค้ำ", not the whole message."""


class Said(Protocol):
    """A text as the matcher prepared it (`nlp.match`)."""

    @property
    def body(self) -> str: ...

    @property
    def tokens(self) -> frozenset[str]: ...

    @property
    def negated(self) -> frozenset[str]: ...

    @property
    def squeezed(self) -> str: ...


def asserted(body: str) -> str:
    """The text without its bounds and doubts, which say "ไม่" without denying anything."""
    return DOUBT.sub(" ", LIMIT.sub(" ", body))


def governed(tokens: list[str]) -> frozenset[str]:
    """The content words within NEGATION_SCOPE after each negation ("ไม่ได้ปล่อยสินเชื่อ": ปล่อย, สินเชื่อ)."""
    found: set[str] = set()
    for index, token in enumerate(tokens):
        if token in NEGATION:
            scope = [word for word in meaningful(tokens[index + 1:]) if word not in NEGATION]
            found.update(scope[:NEGATION_SCOPE])
    return frozenset(found)


def _negates(negated: frozenset[str], other_tokens: frozenset[str], other_squeezed: str) -> bool:
    """Whether a side negates something the other text says: a word it governs is one of the other's."""
    return any(word in other_tokens or (len(word) >= MIN_CONTAINED and word in other_squeezed) for word in negated)


def contradicts(query: Said, claim: Said) -> bool:
    """One side negates what the other says and the other does not: "ออมสินไม่ได้ปล่อยสินเชื่อ" against
    "ออมสินปล่อยสินเชื่อ".

    A negation counts only when a word it governs is in the other text: chains add negated asides the claim
    never mentions ("ไม่ต้องมีคนค้ำ", "ไม่ต้องเสียค่าจอด", "บ่ต้องไปนั่งรอ"), and reading every "ไม่" as a
    contradiction blocked 134 of the 1,020 positives whose claim ranked first on the story set's training
    splits. Out of fold (story set train + train2 + dev, same threshold rule), this scope raised the chained
    auto recall from 0.480 to 0.566 (586 answers, 9 wrong, lower bound 0.973); in a trial that let punctuation
    fill the scope, one word did no better than two, three worse. Earlier tries that read the scope without
    asking the other text let look-alikes through."""
    if not query.negated and not claim.negated:
        return False
    claim_squeezed = "".join(claim.body.split())  # not the cached property: kept for every claim, it costs memory
    return (_negates(query.negated, claim.tokens, claim_squeezed)
            != _negates(claim.negated, query.tokens, query.squeezed))
