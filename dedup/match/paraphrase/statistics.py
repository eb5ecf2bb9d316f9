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

from dedup.arrays import sorted_unique

if TYPE_CHECKING:  # pragma: no cover
    from dedup.match.paraphrase.units import SentenceUnits

__all__ = ["TOPIC_SHARE", "CodedUnits", "TermCounts", "TermStatistics"]

# Share of the corpus's documents up to which a stem is not the corpus's topic (its topic
# weight is 1). Measured on PAN 2013 in corpus mode (5,057 documents of many subjects):
# plagdet 0.824 with two documents whatever the corpus's size, 0.835 with 2%, 0.840 with 5%,
# 0.843 with 10%; kept low so that the details of one event, reported by a few outlets of
# many, still weigh less.
TOPIC_SHARE = 0.02


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
        """The counts of some documents' units (those :meth:`CodedUnits.of` makes)."""
        coded = CodedUnits.of(documents)
        return cls(*(Counter(dict(zip(coded.vocabulary, frequency.tolist())))
                     for frequency in (coded.unit_frequency, coded.document_frequency, coded.content_frequency)),
                   coded.total_units, len(documents))

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
        1 for stems in at most two documents or :data:`TOPIC_SHARE` of them, falling like
        an inverse document frequency beyond: a stem in two documents can be evidence that
        one took from the other, a stem in many is what they are about. "Many" is a share
        of the corpus: in an archive of many subjects a subject's words are in a few
        documents of every hundred, and weigh fully; in a corpus about one event its words
        are in most.
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
        pair_idf = np.log((self.total_documents + 1) / max(2.0, TOPIC_SHARE * self.total_documents)) + 1
        self.topic_weight = np.minimum(1.0, idf / pair_idf) if self.total_units else np.ones(len(terms))
        if not terms:  # vectors keep one column (see width), which no stem uses
            self.idf, self.topic_weight, self.content_frequency = np.ones(1), np.ones(1), np.zeros(1, np.int64)
        self._rarest = float(self.idf.max())

    @classmethod
    def from_counts(cls, counts: TermCounts) -> TermStatistics:
        """The statistics of added-up counts."""
        terms = list(counts.units)
        return cls(terms, [counts.units[t] for t in terms], [counts.documents[t] for t in terms],
                   [counts.content_units.get(t, 0) for t in terms], counts.total_units, counts.total_documents)

    @classmethod
    def merged(cls, parts: Sequence[CodedUnits]) -> TermStatistics:
        """The statistics of the documents of ``parts`` (their counts added up): those of
        :meth:`from_counts` of the same documents' :class:`TermCounts`."""
        terms = np.array([t for part in parts for t in part.vocabulary], dtype=object)
        vocabulary, inverse = np.unique(terms, return_inverse=True) if len(terms) else (terms, np.empty(0, int))

        def added(name: str) -> np.ndarray:
            values = np.concatenate([getattr(part, name) for part in parts]) if parts else np.empty(0, np.int64)
            return np.bincount(inverse, weights=values, minlength=len(vocabulary)).astype(np.int64)

        return cls(vocabulary.tolist(), added("unit_frequency"), added("document_frequency"),
                   added("content_frequency"), sum(part.total_units for part in parts),
                   sum(len(part.units_per_document) for part in parts))

    @classmethod
    def of(cls, documents: Sequence[SentenceUnits]) -> TermStatistics:
        """The statistics of a whole corpus held in memory."""
        return cls.merged([CodedUnits.of(documents)])

    def rarity(self, stem: str) -> float:
        """The inverse unit frequency of ``stem`` (of the rarest stem for one the corpus's
        units never hold, such as a word of site chrome)."""
        column = self.vocabulary.get(stem)
        return float(self.idf[column]) if column is not None else self._rarest

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
        return self.vectorise_coded(CodedUnits.of(documents))

    def vectorise_coded(self, coded: CodedUnits) -> list[tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]]:
        """:meth:`vectorise` of documents whose stems are codes (:class:`CodedUnits`)."""
        columns = np.fromiter((self.vocabulary[t] for t in coded.vocabulary), dtype=np.int64,
                              count=len(coded.vocabulary))
        vectors = _counts(columns[coded.term_codes], coded.term_lengths, self.width)
        vectors.data = (np.log(vectors.data) + 1) * self.idf[vectors.indices] * self.topic_weight[vectors.indices]
        row_of = np.repeat(np.arange(vectors.shape[0]), np.diff(vectors.indptr))
        norms = np.sqrt(np.bincount(row_of, weights=vectors.data ** 2, minlength=vectors.shape[0]))
        vectors.data /= np.where(norms > 0, norms, 1.0)[row_of]
        content = _counts(columns[coded.content_codes], coded.content_lengths, self.width)
        content.data[:] = 1.0
        sizes = np.diff(content.indptr).astype(np.float64)
        found, offset = [], 0
        for count in coded.units_per_document.tolist():
            end = offset + count
            found.append((vectors[offset:end], content[offset:end], sizes[offset:end]))
            offset = end
        return found


@dataclass
class CodedUnits:
    """The sentence units of some documents with their stems as codes into a vocabulary of
    their own, and the counts of each stem: what a helper sends back instead of lists of
    strings (compact to send and to hold: :meth:`TermStatistics.merged` adds up the counts
    of many, :meth:`TermStatistics.vectorise_coded` makes their vectors).

    Attributes
    ----------
    vocabulary : list of str
        The distinct stems of these documents, sorted.
    bounds : list of numpy.ndarray
        Each document's unit bounds (:attr:`SentenceUnits.bounds`).
    units_per_document : numpy.ndarray of int64
    term_codes, term_lengths : numpy.ndarray
        The stems of every unit in order (codes), and how many each unit has.
    content_codes, content_lengths : numpy.ndarray
        The content stems of every unit (codes), and how many each unit has.
    unit_frequency, document_frequency, content_frequency : numpy.ndarray of int64
        Per stem of ``vocabulary``: the units holding it, the documents holding it, the
        units holding it as a content word (what :class:`TermCounts` counts).
    """

    vocabulary: list[str]
    bounds: list[np.ndarray]
    units_per_document: np.ndarray
    term_codes: np.ndarray
    term_lengths: np.ndarray
    content_codes: np.ndarray
    content_lengths: np.ndarray
    unit_frequency: np.ndarray
    document_frequency: np.ndarray
    content_frequency: np.ndarray

    @classmethod
    def of(cls, documents: Sequence[SentenceUnits]) -> CodedUnits:
        """The units of ``documents``, coded.

        >>> from dedup.match.paraphrase.units import SentenceUnits
        >>> from dedup.text.layout import analyze
        >>> text = "The storm closed every school in the county on Monday."
        >>> coded = CodedUnits.of([SentenceUnits.from_layout(analyze(text), text)])
        >>> [coded.vocabulary[c] for c in coded.content_codes][:3], coded.units_per_document.tolist()
        (['close', 'counti', 'monday'], [1])
        """
        rows = [terms for doc in documents for terms in doc.terms]
        stems = [sorted(s) for doc in documents for s in doc.content]
        vocabulary = sorted({t for r in rows for t in r})
        code = {t: k for k, t in enumerate(vocabulary)}
        units_per_document = np.array([len(doc) for doc in documents], dtype=np.int64)
        term_lengths, content_lengths = (np.array([len(r) for r in found], dtype=np.int64) for found in (rows, stems))
        term_codes, content_codes = _columns(rows, code), _columns(stems, code)
        width = max(len(vocabulary), 1)
        unit_of = np.repeat(np.arange(len(rows), dtype=np.int64), term_lengths)
        doc_of = np.repeat(np.arange(len(documents), dtype=np.int64), units_per_document)[unit_of]
        return cls(vocabulary, [doc.bounds for doc in documents], units_per_document, term_codes.astype(np.int32),
                   term_lengths, content_codes.astype(np.int32), content_lengths,
                   _distinct_counts(unit_of, term_codes, width, len(vocabulary)),
                   _distinct_counts(doc_of, term_codes, width, len(vocabulary)),
                   np.bincount(content_codes, minlength=len(vocabulary)).astype(np.int64))

    @property
    def total_units(self) -> int:
        return int(self.units_per_document.sum())


def _distinct_counts(owners: np.ndarray, codes: np.ndarray, width: int, size: int) -> np.ndarray:
    """Per code: the distinct owners holding it."""
    distinct = sorted_unique(owners * width + codes)
    return np.bincount(distinct % width, minlength=size).astype(np.int64)[:size]


def _columns(rows, vocabulary: dict[str, int]) -> np.ndarray:
    """The columns of the stems of ``rows`` (lists of stems), concatenated."""
    return np.fromiter((vocabulary[t] for r in rows for t in r), dtype=np.int64, count=sum(len(r) for r in rows))


def _counts(columns: np.ndarray, lengths, width: int) -> sp.csr_matrix:
    """Rows x vocabulary matrix of term counts, canonical (sorted indices, no duplicates),
    from the columns of every row's terms concatenated and the rows' lengths."""
    owners = np.repeat(np.arange(len(lengths), dtype=np.int64), np.asarray(lengths, dtype=np.int64))
    matrix = sp.csr_matrix((np.ones(len(columns)), (owners, columns)), shape=(len(lengths), width))
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix
