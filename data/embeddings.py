"""Claim embeddings shipped with the seed, so a fresh `make run` does not spend minutes embedding."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

SEED_EMBEDDINGS = Path(__file__).with_name("afnc_claims.embeddings.npz")


def text_digest(text: str) -> str:
    """Identifies the exact text a vector was computed from; a changed claim text needs a new vector."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ShippedEmbeddings:
    model: str
    vectors: dict[tuple[str, str], npt.NDArray[np.float32]]
    """(claim id, text digest) → vector."""


def load_shipped(path: Path = SEED_EMBEDDINGS) -> ShippedEmbeddings | None:
    if not path.exists():
        return None
    with np.load(path) as archive:
        ids, digests, matrix = archive["ids"], archive["digests"], archive["vectors"].astype(np.float32)
        model = str(archive["model"])
    return ShippedEmbeddings(model=model, vectors={(str(i), str(d)): row for i, d, row in zip(ids, digests, matrix)})


def save_shipped(path: Path, model: str, ids: list[str], digests: list[str],
                 vectors: npt.NDArray[np.float32]) -> None:
    # float16 halves the file; cosine scores move by less than 1e-3.
    np.savez_compressed(path, model=np.array(model), ids=np.array(ids), digests=np.array(digests),
                        vectors=vectors.astype(np.float16))
