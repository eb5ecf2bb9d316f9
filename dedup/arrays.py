"""Kernels on sorted numpy arrays that every stage and driver shares: distinct values, runs
of equal values, the pairs of members of groups, distinct pairs, and matches of sorted keys.

Each is written once here; candidates (LSH buckets, shared shingles), the index's postings
and the Dask partitions all call them on their own columns.
"""

from __future__ import annotations

import numpy as np

__all__ = ["distinct_pairs", "equal_runs", "expand", "group_pairs", "sorted_intersection", "sorted_unique"]


def sorted_unique(values) -> np.ndarray:
    """The distinct values, sorted and flattened: ``np.unique`` without its costs. A sort and
    a comparison: 5x faster than ``np.unique`` on a document's few hundred shingles, and
    15-40x on tens of thousands of integers, where numpy 2's plain ``np.unique`` takes a
    hash table's path.

    >>> sorted_unique(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(np.ravel(values))
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def sorted_intersection(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the values of two sorted, distinct arrays meet: the indices into ``a`` and into
    ``b`` of their common values (``np.intersect1d(..., return_indices=True)`` by binary
    search, without its concatenation and sort).

    >>> [x.tolist() for x in sorted_intersection(np.array([1, 4, 6, 9]), np.array([4, 5, 9]))]
    [[1, 3], [0, 2]]
    """
    if len(a) == 0 or len(b) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    in_a = np.flatnonzero(b[at] == a)
    return in_a, at[in_a]


def equal_runs(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and lengths of the runs of equal values of a sorted array.

    >>> [a.tolist() for a in equal_runs(np.array([4, 4, 5, 7, 7, 7]))]
    [[0, 2, 3], [2, 1, 3]]
    """
    if not len(sorted_values):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    return starts, np.diff(np.r_[starts, len(sorted_values)])


def group_pairs(members: np.ndarray, starts: np.ndarray, sizes: np.ndarray,
                cap: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``(low, high)``, ``low < high``, of members of one group.

    Group ``g`` is ``members[starts[g] : starts[g] + sizes[g]]``, in the order that decides
    the cap. A group of more than ``cap`` members (a template shared by thousands) pairs its
    first ``cap`` among themselves and every later one with its first, so it makes about
    ``cap ** 2 / 2 + n`` pairs instead of ``n ** 2 / 2``, and its members stay connected.
    Equal members make no pair. Pairs may repeat (see :func:`distinct_pairs`).

    >>> [a.tolist() for a in group_pairs(np.array([5, 2, 9, 9]), np.array([0, 2]), np.array([2, 2]))]
    [[2], [5]]
    >>> [a.tolist() for a in group_pairs(np.arange(4), np.array([0]), np.array([4]), cap=2)]
    [[0, 0, 0], [1, 2, 3]]
    """
    lows, highs = [], []
    for size in sorted_unique(sizes[sizes > 1]).tolist():
        groups = members[starts[sizes == size][:, None] + np.arange(size)]  # (groups, size), in order
        kept = size if cap is None else min(size, cap)
        left, right = np.triu_indices(kept, k=1)
        lows.append(np.minimum(groups[:, left], groups[:, right]).ravel())
        highs.append(np.maximum(groups[:, left], groups[:, right]).ravel())
        if kept < size:  # the rest of a crowded group, each with its first member
            rest = groups[:, kept:]
            first = np.broadcast_to(groups[:, :1], rest.shape)
            lows.append(np.minimum(first, rest).ravel())
            highs.append(np.maximum(first, rest).ravel())
    if not lows:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    low, high = np.concatenate(lows), np.concatenate(highs)
    differ = low != high
    return low[differ], high[differ]


def distinct_pairs(low: np.ndarray, high: np.ndarray, *, counts: bool = False):
    """The distinct pairs ``(low, high)`` as an ``(m, 2)`` int64 array sorted by ``low``
    then ``high``, and with ``counts`` how often each occurs.

    >>> distinct_pairs(np.array([3, 1, 3]), np.array([4, 2, 4]), counts=True)[1].tolist()
    [1, 2]
    """
    low, high = np.asarray(low, dtype=np.int64), np.asarray(high, dtype=np.int64)
    if not len(low):
        found = np.empty((0, 2), np.int64)
        return (found, np.empty(0, np.int64)) if counts else found
    width = int(high.max()) + 1
    if int(low.min()) >= 0 and int(high.min()) >= 0 and int(low.max()) < (2**62) // width:
        # One integer per pair (sorted as the pairs are): a 1-D sort is several times faster.
        codes, times = np.unique(low * width + high, return_counts=True)
        found = np.column_stack((codes // width, codes % width))
    else:
        order = np.lexsort((high, low))
        low, high = low[order], high[order]
        starts = np.flatnonzero(np.r_[True, (low[1:] != low[:-1]) | (high[1:] != high[:-1])])
        found = np.column_stack((low[starts], high[starts]))
        times = np.diff(np.r_[starts, len(low)])
    return (found, times) if counts else found


def expand(sorted_keys: np.ndarray, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every match of each query in ``sorted_keys``: ``(query index, position)`` pairs.

    >>> [a.tolist() for a in expand(np.array([1, 3, 3, 8]), np.array([3, 5, 8]))]
    [[0, 0, 2], [1, 2, 3]]
    """
    lo = np.searchsorted(sorted_keys, queries, side="left")
    found = np.searchsorted(sorted_keys, queries, side="right") - lo
    total = int(found.sum())
    positions = np.repeat(lo - (np.cumsum(found) - found), found) + np.arange(total)
    return np.repeat(np.arange(len(queries)), found), positions
