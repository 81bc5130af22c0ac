"""TF-IDF over word tokens and character n-grams, stored column-wise so a query touches only its own terms."""
from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse


@dataclass(frozen=True)
class LexicalIndex:
    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float32]
    matrix: sparse.csc_matrix
    """rows = documents (L2-normalised TF-IDF), columns = features."""

    @classmethod
    def build(cls, documents: Sequence[Sequence[str]]) -> LexicalIndex:
        vocabulary: dict[str, int] = {}
        document_frequency: Counter[int] = Counter()
        # Typed arrays, not lists: at 100k claims a list of 8M boxed numbers alone costs ~750 MB.
        rows, columns, values = array("i"), array("i"), array("f")
        for row, features in enumerate(documents):
            counts = Counter(vocabulary.setdefault(feature, len(vocabulary)) for feature in features)
            document_frequency.update(counts.keys())
            for column, count in counts.items():
                rows.append(row)
                columns.append(column)
                values.append(1.0 + math.log(count))  # sublinear tf: a repeated word is not twice the evidence
        total = len(documents)
        idf = np.ones(len(vocabulary), dtype=np.float32)
        for column, frequency in document_frequency.items():
            idf[column] = math.log((1 + total) / (1 + frequency)) + 1.0
        column_array = np.frombuffer(columns, dtype=np.int32) if columns else np.zeros(0, dtype=np.int32)
        weights = np.frombuffer(values, dtype=np.float32) * idf[column_array] if values else \
            np.zeros(0, dtype=np.float32)
        row_array = np.frombuffer(rows, dtype=np.int32) if rows else np.zeros(0, dtype=np.int32)
        matrix = sparse.csr_matrix((weights, (row_array, column_array)), shape=(total, len(vocabulary)),
                                   dtype=np.float32)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        matrix = sparse.diags(1.0 / norms).dot(matrix).tocsc()
        return cls(vocabulary=vocabulary, idf=idf, matrix=matrix)

    def _query_vector(self, features: Sequence[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        counts = Counter(self.vocabulary[feature] for feature in features if feature in self.vocabulary)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        columns = np.fromiter(counts.keys(), dtype=np.int64)
        term_weights = np.fromiter((1.0 + math.log(count) for count in counts.values()), dtype=np.float32)
        weights = term_weights * self.idf[columns]
        # Unknown features still count towards the query's length, so "few known words" scores low.
        unknown = sum(1 for feature in features if feature not in self.vocabulary)
        norm = math.sqrt(float(np.dot(weights, weights)) + unknown * float(self.idf.max(initial=1.0)) ** 2)
        return columns, weights / norm

    def scores(self, features: Sequence[str]) -> npt.NDArray[np.float32]:
        """Cosine similarity of the query to every document."""
        columns, weights = self._query_vector(features)
        if columns.size == 0:
            return np.zeros(self.matrix.shape[0], dtype=np.float32)
        return np.asarray(self.matrix[:, columns] @ weights, dtype=np.float32).ravel()

    def idf_of(self, feature: str) -> float:
        column = self.vocabulary.get(feature)
        return float(self.idf[column]) if column is not None else float(self.idf.max(initial=1.0))
