"""A text as the matcher reads it, a message or a claim alike: its words, numbers, names, and what it negates,
prevents or causes. Built once per claim when the index is built, and once per message."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from nlp import entities
from nlp.negation import asserted, effects, governed, poles
from nlp.normalise import normalise, years
from nlp.thai_numbers import spoken_numbers
from nlp.tokenise import THAI_GAP, char_ngrams, meaningful, strip_boilerplate, words


@dataclass(frozen=True)
class Prepared:
    """A message or a claim as the matcher compares them: its words, numbers, names and what it negates."""

    body: str
    tokens: frozenset[str]
    numbers: frozenset[str]
    entities: dict[str, frozenset[int]]
    negated: frozenset[str]
    """The content words a negation governs (`nlp.negation`): what the text says is not so."""
    waived: frozenset[str]
    """The content words after "ไม่ต้อง": what the text says need not be done."""
    asides: frozenset[str]
    """The negated or waived words the text had already said plainly before negating them: an aside about
    them, not a denial ("ยังไม่ได้รับเงินคืน" after "เร่งคืนทรัพย์")."""
    poles: frozenset[tuple[int, int]]
    """The opposite words it uses (`nlp.negation.POLES`)."""
    prevented: frozenset[str]
    """The content words it says something prevents ("ป้องกันฟันผุ")."""
    caused: frozenset[str]
    """The content words it says something causes ("ทำให้ฟันผุ")."""

    @cached_property
    def squeezed(self) -> str:
        """The body without spaces: another text's word found in it counts whatever the tokeniser did (read
        for messages only, so not kept for every claim)."""
        return "".join(self.body.split())

    @property
    def features(self) -> list[str]:
        """Built on demand rather than stored: at 100k claims the strings alone would cost hundreds of MB."""
        # sorted: a set's order changes with the process's hash seed, and with it the last bits of the TF-IDF
        # cosine (one training message in 1,951 rounded the other way, and `make model` was not reproducible)
        return [f"w:{token}" for token in sorted(self.tokens)] + [f"c:{gram}" for gram in char_ngrams(self.body)]


def prepare(text: str) -> tuple[Prepared, tuple[str, ...]]:
    """The text as the matcher reads it (a message or a claim), and the links it holds.

    Numbers stay among the word tokens as well as in `numbers`: leaving them out of the tokens ("3,000" against
    "3000" no longer differing) was tried on 2026-12-04, out of fold, words only: more answers at every threshold
    and fewer wrong ones above 0.96, but more look-alikes answered below it (1.01% at 0.95 against 0.79%), so the
    chosen threshold rose and recall there fell (0.671 to 0.651)."""
    normalised = normalise(text)
    body = strip_boilerplate(normalised.text)
    tokens = words(body)
    said = asserted(body)
    unbounded = words(said) if said != body else tokens
    named = entities.mentioned(body)
    if named_years := years(normalised.text):
        named["year"] = frozenset(named_years)
    negated, waived, asides = governed(unbounded)
    prevented, caused = effects(unbounded)
    prepared = Prepared(body=body, tokens=frozenset(meaningful(words(THAI_GAP.sub("", body)))),
                         numbers=normalised.numbers | spoken_numbers(tokens), entities=named,
                         negated=negated, waived=waived, asides=asides, poles=poles(body), prevented=prevented,
                         caused=caused)
    return prepared, normalised.urls
