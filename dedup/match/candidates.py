"""Passage candidates: document pairs that may share a passage, found cheaply and verified
by the aligners.

Three sources, the same in every driver: documents sharing an LSH band key (near-duplicates),
sentence units sharing one (a short passage copied into a long document collides with its
source unit whatever the length of the documents around it), and documents sharing enough
rare shingles (a passage shorter than a sentence, such as a phrase quoted inside two
different sentences; shingles held by many documents are left to LSH, which keeps the join
linear in the corpus). :func:`corpus_keys` computes the band keys of documents and units,
:func:`shared_shingle_counts` is the rare-shingle join; the local scan runs both on the
whole corpus, the Dask engine on each partition's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from dedup.arrays import distinct_pairs, equal_runs, group_pairs
from dedup.helpers import Helpers
from dedup.sketch.fingerprinter import Fingerprinter
from dedup.sketch.shingles import ShingledDocument

__all__ = ["CorpusKeys", "corpus_keys", "joined_keys", "passage_units", "sentence_units", "shared_shingle_counts",
           "shared_shingle_pairs"]


class CorpusKeys(NamedTuple):
    """The candidate keys of some documents.

    Attributes
    ----------
    shingle_sets : list of numpy.ndarray
        Each document's distinct valid shingle hashes.
    filled : numpy.ndarray of int64
        The positions of the documents with at least one shingle (the others have no keys).
    document_keys : numpy.ndarray of int64, shape (len(filled), bands)
        The document LSH band keys of the filled documents.
    unit_keys : numpy.ndarray of int64, shape (units, unit bands)
        The sentence-unit LSH band keys, units of every document in order.
    unit_owners : numpy.ndarray of int64
        The position of the document of each unit.
    """

    shingle_sets: list[np.ndarray]
    filled: np.ndarray
    document_keys: np.ndarray
    unit_keys: np.ndarray
    unit_owners: np.ndarray


def corpus_keys(prints: Sequence[ShingledDocument], fingerprinter: Fingerprinter,
                unit_bands: tuple[int, int]) -> CorpusKeys:
    """The shingle sets, document band keys and sentence-unit band keys of prepared documents
    (``unit_bands``: the sentence units' LSH, tuned for ``passage_threshold``)."""
    shingle_sets = [p.shingle_set() for p in prints]
    filled = np.array([k for k, s in enumerate(shingle_sets) if len(s)], dtype=np.int64)
    document_keys = fingerprinter.band_keys([shingle_sets[k] for k in filled])
    units, owners = [], []
    for position, fingerprint in enumerate(prints):
        found = passage_units(fingerprint)
        units += found
        owners += [position] * len(found)
    return CorpusKeys(shingle_sets, filled, document_keys, fingerprinter.band_keys(units, unit_bands),
                      np.array(owners, dtype=np.int64))


def joined_keys(parts: Sequence[CorpusKeys], sizes: Sequence[int]) -> CorpusKeys:
    """The keys of consecutive groups of documents (``sizes[k]`` documents in ``parts[k]``)
    as those of one corpus: what :func:`corpus_keys` gives for all the documents at once."""
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return CorpusKeys(
        [shingles for part in parts for shingles in part.shingle_sets],
        np.concatenate([part.filled + offset for part, offset in zip(parts, offsets)]),
        np.concatenate([part.document_keys for part in parts]),
        np.concatenate([part.unit_keys for part in parts]),
        np.concatenate([part.unit_owners + offset for part, offset in zip(parts, offsets)]),
    )


def sentence_units(sentences: np.ndarray, valid: np.ndarray, size: int, min_shingles: int = 4) -> list[np.ndarray]:
    """Split a document's shingle positions into sentence units for passage candidates.

    Short sentences are joined to the next until a unit holds ``min_shingles`` valid
    shingles. Returns the shingle index arrays of the units.
    """
    units: list[np.ndarray] = []
    pending_start = None
    limit = len(valid)
    for first, last in sentences:
        if pending_start is None:
            pending_start = first
        # Shingles that start inside the sentence (the last ones run into the next sentence).
        stop = min(max(last - size + 1, first + 1), limit)
        positions = np.arange(pending_start, stop)
        positions = positions[valid[positions]] if len(positions) else positions
        if len(positions) >= min_shingles:
            units.append(positions)
            pending_start = None
    return units


def passage_units(fingerprint: ShingledDocument) -> list[np.ndarray]:
    """The shingle hashes of each sentence unit of a document (see :func:`sentence_units`),
    whose signatures make passage candidates."""
    return [fingerprint.shingles[unit] for unit in sentence_units(fingerprint.layout.sentences, fingerprint.valid,
                                                                   fingerprint.size)]


def shared_shingle_counts(hashes: np.ndarray, owners: np.ndarray,
                          max_documents: int) -> tuple[np.ndarray, np.ndarray]:
    """The document pairs ``(a, b)``, ``a < b``, sharing a shingle held by at most
    ``max_documents`` documents, and how many such shingles each shares.

    Parameters
    ----------
    hashes : numpy.ndarray
        Shingle hashes, each document's distinct.
    owners : numpy.ndarray of int64
        The document of each hash (a document's hashes are never paired with each other).
    max_documents : int
        Shingles in more documents than this are ignored here.

    Returns
    -------
    pairs : numpy.ndarray of int64, shape (m, 2), sorted
    counts : numpy.ndarray of int64

    Examples
    --------
    >>> pairs, counts = shared_shingle_counts(np.array([7, 7, 8, 8]), np.array([0, 1, 0, 1]), 5)
    >>> pairs.tolist(), counts.tolist()
    ([[0, 1]], [2])
    """
    hashes, owners = np.asarray(hashes), np.asarray(owners, dtype=np.int64)
    order = np.lexsort((owners, hashes))
    starts, sizes = equal_runs(hashes[order])
    rare = sizes <= max_documents
    return distinct_pairs(*group_pairs(owners[order], starts[rare], sizes[rare]), counts=True)


def shared_shingle_pairs(
    shingle_sets: Sequence[np.ndarray], min_shared: int, max_documents: int, *, helpers: Helpers | None = None,
    parts: int = 16,
) -> set[tuple[int, int]]:
    """Return document pairs ``(i, j)``, ``i < j``, sharing ``min_shared`` or more shingles
    held by at most ``max_documents`` documents (:func:`shared_shingle_counts` over the
    whole corpus).

    The hashes are split by value into ``parts`` classes, joined class by class (on
    ``helpers`` when given) and the pairs' counts added up: the same pairs, without holding
    every pair of every shingle at once.

    Parameters
    ----------
    shingle_sets : sequence of numpy.ndarray
        Distinct shingle hashes of each document.
    min_shared : int
        Fewest shared shingles that make a candidate.
    max_documents : int
        Shingles in more documents than this are ignored here.
    helpers : Helpers, optional
        Join the ranges on other cores.
    parts : int
        Classes of hash values (by residue) joined one at a time.
    """
    lengths = [len(s) for s in shingle_sets]
    if sum(lengths) == 0:
        return set()
    hashes = np.concatenate(shingle_sets).astype(np.uint64, copy=False)
    owners = np.repeat(np.arange(len(shingle_sets), dtype=np.int64), lengths)
    found = list((helpers or Helpers(1)).map(_range_counts, (hashes, owners, max_documents, parts), range(parts)))
    width = np.int64(len(shingle_sets))
    codes = np.concatenate([pairs[:, 0] * width + pairs[:, 1] for pairs, _ in found])
    counts = np.concatenate([counts for _, counts in found])
    distinct, inverse = np.unique(codes, return_inverse=True)
    totals = np.bincount(inverse, weights=counts, minlength=len(distinct))
    kept = distinct[totals >= min_shared]
    return set(zip((kept // width).tolist(), (kept % width).tolist()))


def _range_counts(shared: tuple[np.ndarray, np.ndarray, int, int], part: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`shared_shingle_counts` of the hashes equal to ``part`` modulo ``parts``."""
    hashes, owners, max_documents, parts = shared
    inside = (hashes % np.uint64(parts)) == np.uint64(part)
    return shared_shingle_counts(hashes[inside], owners[inside], max_documents)
