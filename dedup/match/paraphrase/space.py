"""Sentence vectors: TF-IDF rows of every document's sentence units, and the two-document
matrices that aligning a pair needs.

Each sentence is a sparse TF-IDF vector over its Snowball stems (scikit-learn), with
inverse sentence frequencies from the whole corpus and a weight that discounts words found
in more than two documents, so that what every report of an event says weighs little.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from dedup.match.paraphrase.statistics import TermStatistics
from dedup.match.paraphrase.units import SentenceUnits

__all__ = ["PairMatrices", "SentenceSpace"]

# Pairs of documents with at most this many cells (units x terms used) are aligned on
# dense arrays, larger ones on sparse matrices.
_DENSE_CELLS = 200_000


class SentenceSpace:
    """TF-IDF vectors of sentence units, with inverse frequencies from a corpus.

    Parameters
    ----------
    units : list of SentenceUnits
        Every document's units.
    statistics : TermStatistics, optional
        The corpus's stem statistics; learned from ``units`` when not given (the Dask
        engine gives the statistics of the whole corpus with the units of a few documents).

    Attributes
    ----------
    statistics : TermStatistics
    vectors_ : list of scipy.sparse.csr_matrix
        One L2-normalised matrix (units x terms) per document: sublinear term frequency
        times inverse sentence frequency times the topic weight.
    topic_weight_ : numpy.ndarray
        Per term: 1 for terms in at most two documents, less for terms in more.
    content_ : list of scipy.sparse.csr_matrix
        One binary matrix (units x terms) of content stems per document.
    sizes_ : list of numpy.ndarray
        The number of distinct content stems of each unit, per document.

    Examples
    --------
    >>> from dedup.text.layout import analyze
    >>> docs = [SentenceUnits.from_layout(analyze(t), t) for t in (
    ...     "The storm closed every school in the county on Monday.",
    ...     "On Monday the storm shut all of the county's schools.",
    ...     "Prices of wheat rose again at the market this week.")]
    >>> space = SentenceSpace(docs)
    >>> bool(space.similarity(0, 1)[0, 0] > space.similarity(0, 2)[0, 0])
    True
    """

    def __init__(self, units: list[SentenceUnits], statistics: TermStatistics | None = None) -> None:
        self.statistics = statistics if statistics is not None else TermStatistics.of(units)
        self.topic_weight_ = self.statistics.topic_weight
        self.vectors_, self.content_, self.sizes_ = [], [], []
        for vectors, content, sizes in self.statistics.vectorise(units):
            self.vectors_.append(vectors)
            self.content_.append(content)
            self.sizes_.append(sizes)

    def similarity(self, a: int, b: int) -> np.ndarray:
        """Cosine similarity of every unit of document ``a`` with every unit of ``b``."""
        return PairMatrices(self, a, b).similarity

    def overlap(self, a: int, b: int) -> np.ndarray:
        """Dice overlap of the content stems of every unit pair of documents ``a`` and ``b``."""
        return PairMatrices(self, a, b).overlap()


class PairMatrices:
    """Two documents' unit vectors restricted to the terms either uses (a few hundred
    columns, where the corpus vocabulary may hold a million), for the products and running
    sums that aligning the pair needs."""

    def __init__(self, space: SentenceSpace, a: int, b: int) -> None:
        self.space, self.a, self.b = space, a, b
        va, vb = space.vectors_[a], space.vectors_[b]
        self.columns = np.union1d(va.indices, vb.indices)
        # Small pairs (news articles) go faster as dense arrays, long ones stay sparse.
        self.dense = len(self.columns) * (va.shape[0] + vb.shape[0]) <= _DENSE_CELLS
        self.local_a, self.local_b = self._local(va), self._local(vb)
        self.similarity = _as_array(self.local_a @ self.local_b.T)
        self._prefix_a = self._prefix_b = None

    def _local(self, matrix: sp.csr_matrix):
        local = matrix[:, self.columns]
        return local.toarray() if self.dense else local

    @property
    def sizes(self) -> tuple[int, int]:
        return self.local_a.shape[0], self.local_b.shape[0]

    def overlap(self) -> np.ndarray:
        """Dice overlap of the content stems of every unit pair."""
        ca = self._local(self.space.content_[self.a])
        cb = self._local(self.space.content_[self.b])
        sizes = self.space.sizes_[self.a].reshape(-1, 1) + self.space.sizes_[self.b].reshape(1, -1)
        shared = _as_array(ca @ cb.T)
        return np.divide(2 * shared, sizes, out=np.zeros_like(shared), where=sizes > 0)

    def span_similarity(self, span: tuple[int, int, int, int]) -> float:
        """Cosine similarity of units ``a0..a1`` of ``a`` and ``b0..b1`` of ``b`` (inclusive),
        each run taken as a whole (the sum of its vectors)."""
        if self._prefix_a is None:
            zero = np.zeros((1, len(self.columns)))
            self._prefix_a = np.vstack([zero, np.cumsum(_as_array(self.local_a), axis=0)])
            self._prefix_b = np.vstack([zero, np.cumsum(_as_array(self.local_b), axis=0)])
        a0, a1, b0, b1 = span
        x, y = self._prefix_a[a1 + 1] - self._prefix_a[a0], self._prefix_b[b1 + 1] - self._prefix_b[b0]
        norm = float(np.linalg.norm(x) * np.linalg.norm(y))
        return float(x @ y) / norm if norm else 0.0


def _as_array(matrix) -> np.ndarray:
    return matrix.toarray() if sp.issparse(matrix) else matrix
