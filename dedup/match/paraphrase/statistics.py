"""Corpus statistics of sentence stems, and the TF-IDF vectors made with them.

The paraphrase tier weighs each stem of a sentence by how rare it is in the corpus. The
statistics are counts that add up part by part (units holding a stem, documents holding
it, units holding it as a content word), so the local scan learns them in one pass and the
Dask engine sums them over its partitions; both then vectorise every document with the
same code, one document at a time, and get the same vectors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:  # pragma: no cover
    from dedup.match.paraphrase.units import SentenceUnits

__all__ = ["TermCounts", "TermStatistics"]


@dataclass
class TermCounts:
    """Counts of stems over some documents, to be added up with other parts' counts.

    Attributes
    ----------
    units : Counter
        Per stem: the sentence units holding it.
    documents : Counter
        Per stem: the documents holding it.
    content_units : Counter
        Per stem: the units holding it as a content word (stop words removed).
    total_units, total_documents : int
    """

    units: Counter
    documents: Counter
    content_units: Counter
    total_units: int = 0
    total_documents: int = 0

    @classmethod
    def of(cls, documents: Sequence[SentenceUnits]) -> TermCounts:
        """The counts of some documents' units."""
        units, docs, content = Counter(), Counter(), Counter()
        total = 0
        for doc in documents:
            seen: set[str] = set()
            for terms, stems in zip(doc.terms, doc.content):
                distinct = set(terms)
                units.update(distinct)
                seen |= distinct
                content.update(stems)
            docs.update(seen)
            total += len(doc)
        return cls(units, docs, content, total, len(documents))

    def add(self, other: TermCounts) -> TermCounts:
        """These counts and ``other``'s, added."""
        return TermCounts(self.units + other.units, self.documents + other.documents,
                          self.content_units + other.content_units, self.total_units + other.total_units,
                          self.total_documents + other.total_documents)


class TermStatistics:
    """Inverse frequencies and topic weights of every stem of a corpus.

    Parameters
    ----------
    terms : sequence of str
        The vocabulary; columns of the vectors are its stems in sorted order.
    unit_frequency, document_frequency, content_frequency : array-like of int
        Per stem (in the order of ``terms``): units holding it, documents holding it,
        units holding it as a content word.
    total_units, total_documents : int

    Attributes
    ----------
    vocabulary : dict of str to int
        Column of each stem.
    idf : numpy.ndarray
        Smoothed inverse unit frequency: ``ln((1 + units) / (1 + frequency)) + 1``.
    topic_weight : numpy.ndarray
        1 for stems in at most two documents, falling like an inverse document frequency
        beyond: a stem in two documents can be evidence that one took from the other, a
        stem in many is what they are about.
    content_frequency : numpy.ndarray
        Units holding each stem as a content word.
    """

    def __init__(self, terms: Sequence[str], unit_frequency, document_frequency, content_frequency,
                 total_units: int, total_documents: int) -> None:
        order = np.argsort(np.asarray(terms, dtype=object), kind="stable") if len(terms) else np.empty(0, int)
        terms = [terms[k] for k in order.tolist()]
        self.vocabulary = {term: column for column, term in enumerate(terms)}
        self.total_units, self.total_documents = int(total_units), int(total_documents)
        units = np.asarray(unit_frequency, dtype=np.float64).reshape(-1)[order]
        documents = np.asarray(document_frequency, dtype=np.float64).reshape(-1)[order]
        self.content_frequency = np.asarray(content_frequency, dtype=np.int64).reshape(-1)[order]
        self.idf = np.log((self.total_units + 1) / (units + 1)) + 1
        idf = np.log((self.total_documents + 1) / np.maximum(documents, 1)) + 1
        pair_idf = np.log((self.total_documents + 1) / 2) + 1
        self.topic_weight = np.minimum(1.0, idf / pair_idf) if self.total_units else np.ones(len(terms))
        if not terms:  # vectors keep one column (see width), which no stem uses
            self.idf, self.topic_weight, self.content_frequency = np.ones(1), np.ones(1), np.zeros(1, np.int64)

    @classmethod
    def from_counts(cls, counts: TermCounts) -> TermStatistics:
        """The statistics of added-up counts."""
        terms = list(counts.units)
        return cls(terms, [counts.units[t] for t in terms], [counts.documents[t] for t in terms],
                   [counts.content_units.get(t, 0) for t in terms], counts.total_units, counts.total_documents)

    @classmethod
    def of(cls, documents: Sequence[SentenceUnits]) -> TermStatistics:
        """The statistics of a whole corpus held in memory."""
        return cls.from_counts(TermCounts.of(documents))

    @property
    def width(self) -> int:
        """Columns of the vectors (at least 1)."""
        return max(len(self.vocabulary), 1)

    def vectorise(self, documents: Sequence[SentenceUnits]) -> list[tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]]:
        """Per document: its unit vectors, its binary content matrix and the number of
        distinct content stems of each unit.

        A unit's vector is its sublinear term frequency (``1 + ln(count)``) times the
        inverse unit frequency times the topic weight, L2-normalised; every stem must be in
        the vocabulary. Rows of one document do not depend on any other document, so any
        grouping of the documents gives the same vectors.
        """
        rows = [terms for doc in documents for terms in doc.terms]
        stems = [stems for doc in documents for stems in doc.content]
        vectors = _counts(rows, self.vocabulary, self.width)
        vectors.data = (np.log(vectors.data) + 1) * self.idf[vectors.indices] * self.topic_weight[vectors.indices]
        row_of = np.repeat(np.arange(vectors.shape[0]), np.diff(vectors.indptr))
        norms = np.sqrt(np.bincount(row_of, weights=vectors.data ** 2, minlength=vectors.shape[0]))
        vectors.data /= np.where(norms > 0, norms, 1.0)[row_of]
        content = _counts([sorted(s) for s in stems], self.vocabulary, self.width)
        content.data[:] = 1.0
        sizes = np.diff(content.indptr).astype(np.float64)
        found, offset = [], 0
        for doc in documents:
            end = offset + len(doc)
            found.append((vectors[offset:end], content[offset:end], sizes[offset:end]))
            offset = end
        return found


def _counts(rows: list[list[str]], vocabulary: dict[str, int], width: int) -> sp.csr_matrix:
    """Rows x vocabulary matrix of term counts, canonical (sorted indices, no duplicates)."""
    lengths = [len(r) for r in rows]
    columns = np.fromiter((vocabulary[t] for r in rows for t in r), dtype=np.int64, count=sum(lengths))
    owners = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    matrix = sp.csr_matrix((np.ones(len(columns)), (owners, columns)), shape=(len(rows), width))
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix
