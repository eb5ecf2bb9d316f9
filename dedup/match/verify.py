"""Exact verification of candidate pairs: the Jaccard similarity and containments of two
shingle sets, the one kernel that the scan, the document level, the index and the Dask
engine all verify with."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np

__all__ = ["SetOverlap", "VerifiedPair", "overlap", "verify_pairs"]


class SetOverlap(NamedTuple):
    """How two shingle sets overlap: ``shared`` hashes, the Jaccard ``similarity`` and the
    containments ``|A∩B|/|A|`` and ``|A∩B|/|B|`` (0 where a set or the union is empty)."""

    shared: int
    similarity: float
    containment_a: float
    containment_b: float


class VerifiedPair(NamedTuple):
    """A near-duplicate pair ``(a, b)`` of positions, with its rounded similarity and
    containments ``(a in b, b in a)``."""

    a: int
    b: int
    similarity: float
    containment: tuple[float, float]


def overlap(a: np.ndarray, b: np.ndarray) -> SetOverlap:
    """The overlap of two sorted arrays of distinct hashes (the smaller searched in the larger).

    >>> overlap(np.array([1, 2, 3]), np.array([2, 3, 4, 5]))
    SetOverlap(shared=2, similarity=0.4, containment_a=0.6666666666666666, containment_b=0.5)
    """
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) == 0:
        shared = 0
    else:
        at = np.minimum(np.searchsorted(large, small), len(large) - 1)
        shared = int(np.count_nonzero(large[at] == small))
    union = len(a) + len(b) - shared
    return SetOverlap(shared, shared / union if union else 0.0, shared / len(a) if len(a) else 0.0,
                      shared / len(b) if len(b) else 0.0)


def verify_pairs(pairs: np.ndarray, sets: Sequence[np.ndarray], threshold: float) -> Iterator[VerifiedPair]:
    """The candidate pairs ``(i, j)`` (an ``(m, 2)`` array) whose exact Jaccard similarity
    reaches ``threshold`` (above 0), with it and the containments, rounded to 4 places."""
    for i, j in pairs.tolist():
        found = overlap(sets[i], sets[j])
        if found.shared and found.similarity >= threshold:
            yield VerifiedPair(i, j, round(found.similarity, 4),
                               (round(found.containment_a, 4), round(found.containment_b, 4)))
