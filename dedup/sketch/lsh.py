"""MinHash LSH: band keys of signatures, and the candidate pairs of documents that share one.

The bands and rows are datasketch's (``MinHashLSH``'s choice for a threshold); a band of a
signature becomes one 47-bit key (:func:`band_keys`), and buckets are rows grouped by key
with numpy (:func:`bucket_pairs`), which finds the pairs that ``MinHashLSH`` insert and
query find (up to a collision of 47-bit keys, which makes one more candidate, verified
later) at a small fraction of the cost. Every driver pairs its buckets here: the local
scan on its whole key matrix, the document level on its stream, each Dask partition on the
rows of its buckets.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dedup.arrays import distinct_pairs, equal_runs, group_pairs
from dedup.sketch.hashing import fmix64

__all__ = ["BAND_MIX", "KEY_SHIFT", "band_keys", "bucket_pairs", "capped_bucket_records", "crowded_buckets",
           "lsh_bands"]

KEY_SHIFT = np.uint64(17)  # 64 - 17 = 47-bit keys (SQLite stores them in 6 bytes)
BAND_MIX = np.uint64(0x9E3779B97F4A7C15)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``(n, bands)`` int64 keys of 47 bits: the rows of each band hashed with the band number.

    Two signatures share the key of band ``b`` exactly when they agree on its ``rows``
    values (up to a hash collision, which makes only a false candidate).

    Examples
    --------
    >>> sig = np.arange(8, dtype=np.uint32).reshape(1, 8)
    >>> keys = band_keys(np.vstack([sig, sig]), 2, 4)
    >>> keys.shape, bool((keys[0] == keys[1]).all()), bool(keys[0, 0] != keys[0, 1])
    ((2, 2), True, True)
    """
    n = len(signatures)
    grid = signatures[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    with np.errstate(over="ignore"):
        combined = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64), (n, bands)).copy()
        for r in range(rows):
            combined = combined * BAND_MIX + grid[:, :, r]
        combined = fmix64(combined)
    return (combined >> KEY_SHIFT).astype(np.int64)


# LSH is tuned for recall: every candidate is verified exactly afterwards, so a false
# candidate costs a little time while a missed one is lost. With 128 permutations and a
# threshold of 0.8 this gives 16 bands of 8 rows: P(collision) = 0.95 at J = 0.8.
_LSH_WEIGHTS = (0.05, 0.95)  # (false positive, false negative)


@lru_cache(maxsize=16)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` of LSH for a Jaccard ``threshold``: the pair, of those with
    ``bands * rows <= num_perm``, that minimises the weighted areas of false positives
    (``P(candidate)`` over ``[0, threshold]``) and false negatives (``1 - P`` over
    ``[threshold, 1]``), with weights tuned for recall. This is datasketch's choice for
    ``MinHashLSH``, found without importing it (half a second): ``P`` is a polynomial of
    degree ``bands * rows``, so Gauss-Legendre quadrature with ``num_perm // 2 + 2`` nodes
    integrates it exactly, as ``scipy.integrate.quad`` does to its tolerance; the first pair
    in datasketch's order (bands, then rows, ascending) wins a tie.

    >>> lsh_bands(0.8, 128)
    (16, 8)
    """
    bands, rows = zip(*[(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)])
    bands, rows = np.array(bands, dtype=np.float64)[:, None], np.array(rows, dtype=np.float64)[:, None]
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 2)

    def area(low: float, high: float, missed: bool) -> np.ndarray:
        s = (high - low) / 2 * nodes + (high + low) / 2  # the nodes mapped onto [low, high]
        kept = (1 - s[None, :] ** rows) ** bands  # P(not a candidate) at each node
        return (kept if missed else 1 - kept) @ weights * (high - low) / 2

    error = area(0.0, threshold, False) * _LSH_WEIGHTS[0] + area(threshold, 1.0, True) * _LSH_WEIGHTS[1]
    best = int(np.argmin(error))  # the first of equal minima, as datasketch's strict "<"
    return int(bands[best, 0]), int(rows[best, 0])


def bucket_pairs(keys: np.ndarray, owners: np.ndarray, order: np.ndarray | None = None,
                 cap: int | None = None) -> np.ndarray:
    """The distinct pairs ``(a, b)``, ``a < b``, of owners of rows that share a band key.

    Parameters
    ----------
    keys : numpy.ndarray of int64
        Band keys: an ``(n, bands)`` matrix (row ``i`` owned by ``owners[i]``; a bucket is a
        key in one band), or a column of rows (a bucket is a key: band keys mix in their band).
    owners : numpy.ndarray of int64
        The document of each row; rows of one owner make no pair.
    order : numpy.ndarray, optional
        The rank of each row inside its bucket, which decides the cap (default: the rows'
        order).
    cap : int, optional
        Most rows of one bucket paired with each other (see :func:`dedup.arrays.group_pairs`).
        None: no cap.

    Returns
    -------
    numpy.ndarray of int64, shape (m, 2), sorted

    Examples
    --------
    >>> keys = np.array([[1, 5], [1, 6], [2, 6], [3, 7], [3, 8]])
    >>> bucket_pairs(keys, np.array([0, 1, 2, 3, 3])).tolist()
    [[0, 1], [1, 2]]
    >>> bucket_pairs(np.array([[9], [9], [9], [9]]), np.arange(4), cap=2).tolist()
    [[0, 1], [0, 2], [0, 3]]
    """
    keys, owners = np.asarray(keys, dtype=np.int64), np.asarray(owners, dtype=np.int64)
    columns = keys.T if keys.ndim == 2 else keys[None, :]  # a bucket is a key in one band
    lows, highs = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    for column in columns:
        # Rows stay in order (or in ``order``) inside a bucket: the stable sort keeps them.
        rank = np.argsort(column, kind="stable") if order is None else np.lexsort((np.asarray(order), column))
        starts, sizes = equal_runs(column[rank])
        low, high = group_pairs(owners[rank], starts, sizes, cap)
        lows.append(low)
        highs.append(high)
    return distinct_pairs(np.concatenate(lows), np.concatenate(highs))


def crowded_buckets(keys: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """The band keys of the buckets holding more than ``cap`` rows (a matrix's buckets are
    band by band), and how many rows each holds.

    >>> [a.tolist() for a in crowded_buckets(np.array([[4], [4], [4], [2]]), 2)]
    [[4], [3]]
    """
    keys = np.asarray(keys, dtype=np.int64)
    columns = keys.T if keys.ndim == 2 else keys[None, :]
    found, counts = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    for column in columns:
        values, sizes = np.unique(column, return_counts=True)
        found.append(values[sizes > cap])
        counts.append(sizes[sizes > cap])
    return np.concatenate(found), np.concatenate(counts)


def capped_bucket_records(keys: np.ndarray, sizes: np.ndarray) -> list[dict]:
    """The report's ``parameters["capped_buckets"]``: ``{"band_key", "documents"}`` per
    crowded bucket, largest first.

    >>> capped_bucket_records(np.array([7, 3]), np.array([1200, 5000]))
    [{'band_key': 3, 'documents': 5000}, {'band_key': 7, 'documents': 1200}]
    """
    found = [{"band_key": int(k), "documents": int(n)} for k, n in zip(keys.tolist(), sizes.tolist())]
    return sorted(found, key=lambda bucket: (-bucket["documents"], bucket["band_key"]))
