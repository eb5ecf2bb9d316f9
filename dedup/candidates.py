"""Candidate pairs from MinHash LSH: cheap, and verified later.

The bands and rows are datasketch's (``MinHashLSH``'s choice for a threshold); the buckets
are band keys (:func:`dedup.shingling.band_keys`) grouped with numpy, which finds the pairs
``MinHashLSH`` insert and query find (up to a collision of 47-bit keys, which makes one more
candidate) at a small fraction of the cost.

Two levels: whole documents (near-duplicates, Jaccard over the document's shingles) and
passages (sentence units, so that a short passage copied into a long document collides with
its source unit whatever the length of the documents around it). Passages shorter than a
sentence, such as a phrase quoted inside two different sentences, are found by an exact
join on shared shingles, for shingles held by few documents (text held by many is found
by LSH).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

import numpy as np

from .fingerprint import DocumentPrint, MinHasher
from .shingling import band_keys

__all__ = ["candidate_pairs", "crowded_buckets", "lsh_bands", "lsh_pairs", "passage_units", "sentence_units",
           "shared_shingle_pairs", "verify_pairs"]


# LSH is tuned for recall: every candidate is verified exactly afterwards, so a false
# candidate costs a little time while a missed one is lost. With 128 permutations and a
# threshold of 0.8 this gives 16 bands of 8 rows: P(collision) = 0.95 at J = 0.8.
_LSH_WEIGHTS = (0.05, 0.95)  # (false positive, false negative)


@lru_cache(maxsize=16)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` of LSH for a Jaccard ``threshold``, as datasketch's ``MinHashLSH``
    picks them with weights tuned for recall.

    >>> lsh_bands(0.8, 128)
    (16, 8)
    """
    from datasketch.lsh import _optimal_param  # here: importing datasketch takes half a second

    return _optimal_param(threshold, num_perm, *_LSH_WEIGHTS)


def lsh_pairs(
    signatures: np.ndarray, owners: Sequence[int], hasher: MinHasher, threshold: float, cap: int | None = None
) -> set[tuple[int, int]]:
    """Return the owner pairs ``(i, j)``, ``i < j``, whose signatures collide in LSH.

    Parameters
    ----------
    signatures : numpy.ndarray, shape (n, num_perm)
        One signature per unit.
    owners : sequence of int
        The document index of each unit; pairs are reported between documents.
    hasher : MinHasher
        The hasher that made the signatures.
    threshold : float
        The Jaccard similarity that LSH is tuned for.
    cap : int, optional
        Most rows of one bucket paired with each other (see :func:`candidate_pairs`).
    """
    if len(owners) == 0:
        return set()
    bands, rows = lsh_bands(threshold, hasher.num_perm)
    keys = band_keys(np.asarray(signatures), bands, rows)
    pairs = candidate_pairs(keys, np.asarray(owners, dtype=np.int64), cap)
    return set(zip(pairs[:, 0].tolist(), pairs[:, 1].tolist()))


def candidate_pairs(keys: np.ndarray, owners: np.ndarray, cap: int | None = None) -> np.ndarray:
    """The distinct pairs ``(i, j)``, ``i < j``, of owners that share a key in some band.

    Parameters
    ----------
    keys : numpy.ndarray, shape (n, bands)
        Band keys of each row.
    owners : numpy.ndarray, shape (n,)
        The document number of each row (rows of one owner make no pair together).
    cap : int, optional
        A bucket of more rows than this (a template shared by thousands of documents) pairs
        only its first ``cap`` rows with each other and every later row with its first, so
        that it makes about ``cap ** 2 / 2 + n`` pairs instead of ``n ** 2 / 2``; its
        documents still end up in one cluster. None: no cap.

    Returns
    -------
    numpy.ndarray of int64, shape (m, 2), sorted

    Examples
    --------
    >>> keys = np.array([[1, 5], [1, 6], [2, 6], [3, 7], [3, 8]])
    >>> candidate_pairs(keys, np.array([0, 1, 2, 3, 3])).tolist()
    [[0, 1], [1, 2]]
    >>> candidate_pairs(np.array([[9], [9], [9], [9]]), np.arange(4), cap=2).tolist()
    [[0, 1], [0, 2], [0, 3]]
    """
    count = int(owners.max()) + 1 if len(owners) else 0
    codes = []
    for band in range(keys.shape[1] if keys.ndim == 2 else 0):
        order = np.argsort(keys[:, band], kind="stable")
        column, members = keys[order, band], owners[order]
        starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
        sizes = np.diff(np.r_[starts, len(column)])
        for size in np.unique(sizes[sizes > 1]).tolist():
            groups = members[starts[sizes == size][:, None] + np.arange(size)]  # (groups, size)
            kept = size if cap is None else min(size, cap)
            left, right = np.triu_indices(kept, k=1)
            low = np.minimum(groups[:, left], groups[:, right]).ravel()
            high = np.maximum(groups[:, left], groups[:, right]).ravel()
            if kept < size:  # the rest of a crowded bucket, each with its first row
                rest = groups[:, kept:]
                first = np.broadcast_to(groups[:, :1], rest.shape)
                low = np.concatenate((low, np.minimum(first, rest).ravel()))
                high = np.concatenate((high, np.maximum(first, rest).ravel()))
            codes.append((low * count + high)[low != high])
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    unique = np.unique(np.concatenate(codes))
    return np.column_stack((unique // count, unique % count)).astype(np.int64)


def crowded_buckets(keys: np.ndarray, cap: int) -> list[dict]:
    """The band buckets holding more than ``cap`` rows, largest first: ``{"band_key",
    "documents"}`` (as the report's ``parameters["capped_buckets"]``)."""
    found = []
    for band in range(keys.shape[1] if keys.ndim == 2 else 0):
        values, sizes = np.unique(keys[:, band], return_counts=True)
        found += [{"band_key": int(k), "documents": int(n)} for k, n in zip(values[sizes > cap], sizes[sizes > cap])]
    return sorted(found, key=lambda bucket: (-bucket["documents"], bucket["band_key"]))


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


def passage_units(fingerprint: DocumentPrint) -> list[np.ndarray]:
    """The shingle hashes of each sentence unit of a document (see :func:`sentence_units`),
    whose signatures make passage candidates."""
    return [fingerprint.shingles[unit] for unit in sentence_units(fingerprint.layout.sentences, fingerprint.valid,
                                                                   fingerprint.size)]


def shared_shingle_pairs(
    shingle_sets: Sequence[np.ndarray], min_shared: int, max_documents: int
) -> set[tuple[int, int]]:
    """Return document pairs ``(i, j)``, ``i < j``, sharing ``min_shared`` or more shingles.

    Only shingles held by at most ``max_documents`` documents count, so that the join
    stays linear in the corpus; text shared more widely reaches LSH candidates instead.

    Parameters
    ----------
    shingle_sets : sequence of numpy.ndarray
        Distinct shingle hashes of each document.
    min_shared : int
        Fewest shared shingles that make a candidate.
    max_documents : int
        Shingles in more documents than this are ignored here.
    """
    lengths = [len(s) for s in shingle_sets]
    if sum(lengths) == 0:
        return set()
    hashes = np.concatenate(shingle_sets)
    owners = np.repeat(np.arange(len(shingle_sets), dtype=np.int64), lengths)
    order = np.argsort(hashes, kind="stable")
    hashes, owners = hashes[order], owners[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    sizes = np.diff(np.r_[starts, len(hashes)])
    codes = []
    count = len(shingle_sets)
    for size in np.unique(sizes):
        if size < 2 or size > max_documents:
            continue
        groups = owners[starts[sizes == size][:, None] + np.arange(size)]  # (groups, size)
        left, right = np.triu_indices(size, k=1)
        codes.append((groups[:, left] * count + groups[:, right]).ravel())
    if not codes:
        return set()
    pair_codes, shared = np.unique(np.concatenate(codes), return_counts=True)
    pair_codes = pair_codes[shared >= min_shared]
    return {(int(code // count), int(code % count)) for code in pair_codes}


def verify_pairs(
    pairs: np.ndarray, sets: Sequence[np.ndarray], threshold: float
) -> Iterator[tuple[int, int, float, tuple[float, float]]]:
    """The candidate pairs ``(i, j)`` (an ``(m, 2)`` array) whose exact Jaccard similarity
    reaches ``threshold``, with it and the containments ``(|A∩B|/|A|, |A∩B|/|B|)``, all
    rounded to 4 places.

    ``sets`` are sorted arrays of distinct hashes; the intersection of two is counted by
    binary search of the smaller in the larger.
    """
    for i, j in pairs.tolist():
        a, b = sets[i], sets[j]
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        if len(small) == 0:
            continue
        at = np.minimum(np.searchsorted(large, small), len(large) - 1)
        shared = int(np.count_nonzero(large[at] == small))
        union = len(a) + len(b) - shared
        similarity = shared / union
        if similarity >= threshold:
            yield i, j, round(similarity, 4), (round(shared / len(a), 4), round(shared / len(b), 4))
