"""Nearest claims by embedding cosine: exact for small catalogs, a cluster-probed (IVF) search for large ones.

At 100k claims an exact scan reads 150 MB per message (~15 ms on one core); probing the nearest clusters
reads a tenth of that.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]

EXACT_UP_TO = 20_000
"""Below this many claims a full scan is already cheap (~3 ms) and exact."""
PROBED_CLUSTERS = 32
KMEANS_SAMPLE = 10_000
KMEANS_ITERATIONS = 12


def _spherical_kmeans(vectors: Matrix, clusters: int, seed: int = 7) -> Matrix:
    """Unit-length centroids that maximise cosine to their members (k-means on the sphere)."""
    rng = np.random.default_rng(seed)
    sample = vectors[rng.choice(len(vectors), min(KMEANS_SAMPLE, len(vectors)), replace=False)]
    centroids = sample[rng.choice(len(sample), clusters, replace=False)].copy()
    for _ in range(KMEANS_ITERATIONS):
        assignment = np.argmax(sample @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, assignment, sample)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centroids = np.where(norms > 0, sums / np.maximum(norms, 1e-12), centroids).astype(np.float32)
    return centroids


@dataclass(frozen=True)
class SemanticIndex:
    ordered: Matrix
    """Embeddings sorted by cluster, so each cluster is one contiguous slice."""
    position: npt.NDArray[np.int64]
    """Claim row → index in `ordered`."""
    order: npt.NDArray[np.int64]
    """Index in `ordered` → claim row."""
    centroids: Matrix | None
    bounds: npt.NDArray[np.int64]
    """Cluster c occupies ordered[bounds[c]:bounds[c + 1]]."""

    @classmethod
    def build(cls, vectors: Matrix) -> SemanticIndex:
        count = len(vectors)
        if count <= EXACT_UP_TO:
            identity = np.arange(count, dtype=np.int64)
            return cls(ordered=vectors, position=identity, order=identity, centroids=None,
                       bounds=np.array([0, count], dtype=np.int64))
        centroids = _spherical_kmeans(vectors, int(np.sqrt(count)))
        assignment = np.concatenate([np.argmax(vectors[start:start + 20_000] @ centroids.T, axis=1)
                                     for start in range(0, count, 20_000)])
        order = np.argsort(assignment, kind="stable")
        position = np.empty(count, dtype=np.int64)
        position[order] = np.arange(count)
        bounds = np.searchsorted(assignment[order], np.arange(len(centroids) + 1))
        return cls(ordered=np.ascontiguousarray(vectors[order]), position=position, order=order,
                   centroids=centroids, bounds=bounds.astype(np.int64))

    def nearest(self, query: npt.NDArray[np.float32], k: int) -> set[int]:
        """Rows of the (about) k most similar claims."""
        if self.centroids is None:
            scores = self.ordered @ query
            spans = [(0, len(scores))]
        else:
            probe = np.argpartition(-(self.centroids @ query), PROBED_CLUSTERS)[:PROBED_CLUSTERS]
            spans = [(int(self.bounds[c]), int(self.bounds[c + 1])) for c in probe]
            scores = np.concatenate([self.ordered[start:end] @ query for start, end in spans])
        indices = np.concatenate([np.arange(start, end) for start, end in spans])
        if len(scores) > k:
            best = np.argpartition(-scores, k)[:k]
            indices = indices[best]
        return set(self.order[indices].tolist())

    def similarity(self, query: npt.NDArray[np.float32], rows: list[int]) -> dict[int, float]:
        """Exact cosine for the given claim rows."""
        scores = self.ordered[self.position[rows]] @ query
        return {row: float(score) for row, score in zip(rows, scores)}
