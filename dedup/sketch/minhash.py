"""MinHash signatures of many shingle sets at once, compatible with datasketch.

Signatures use the permutation scheme of datasketch's ``MinHash`` (``scheme="affine32"``),
so a signature here equals the one ``datasketch.MinHash.update_batch`` gives for the same
32-bit shingle hashes and can be turned into a ``datasketch.MinHash`` without loss.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["MinHasher", "affine_permutations"]

_SCHEME = "affine32"


_MAX_HASH = np.uint32(0xFFFFFFFF)


_CHUNK_COLUMNS = 1 << 13  # shingles of the (permutations x shingles) block computed at once: 4 MB, a dozen sets


def _fmix32(values: np.ndarray) -> np.ndarray:
    # MurmurHash3's 32-bit finalizer, as datasketch applies it before its permutations.
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def affine_permutations(num_perm: int, seed: int) -> np.ndarray:
    """The ``(2, num_perm)`` uint32 parameters ``a`` (odd) and ``b`` of datasketch's
    ``affine32`` permutations ``h -> a * h + b mod 2**32`` for ``seed``, drawn as datasketch
    draws them (``MinHash(num_perm, seed, scheme="affine32").permutations``), without
    importing it (half a second, with scipy and redis).

    >>> affine_permutations(4, 1)[0] % 2
    array([1, 1, 1, 1], dtype=uint32)
    """
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.array([a, b])


class MinHasher:
    """Compute MinHash signatures of many shingle sets at once.

    Parameters
    ----------
    num_perm : int
        Number of permutations (signature length).
    seed : int
        Seed of the permutations, as in ``datasketch.MinHash``.

    Examples
    --------
    >>> hasher = MinHasher(num_perm=64, seed=1)
    >>> sig = hasher.signatures([np.array([1, 2, 3], dtype=np.uint64)])
    >>> sig.shape
    (1, 64)
    """

    def __init__(self, *, num_perm: int = 128, seed: int = 1) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self.permutations_ = affine_permutations(num_perm, seed)

    @staticmethod
    def to_hash32(shingles: np.ndarray) -> np.ndarray:
        """Fold uint64 shingle hashes to the 32-bit values that MinHash permutes."""
        return (shingles >> np.uint64(32)).astype(np.uint32)

    def signatures(self, sets: Iterable[np.ndarray]) -> np.ndarray:
        """Return a ``(len(sets), num_perm)`` uint32 array of signatures.

        ``sets`` holds uint64 shingle hashes (duplicates allowed). An empty set gets the
        all-maximum signature, like an empty ``datasketch.MinHash``.
        """
        sets = list(sets)
        result = np.full((len(sets), self.num_perm), _MAX_HASH, dtype=np.uint32)
        lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        nonempty = np.flatnonzero(lengths)
        if len(nonempty) == 0:
            return result
        values = np.concatenate([sets[i] for i in nonempty])
        offsets = np.concatenate(([0], np.cumsum(lengths[nonempty])[:-1]))
        result[nonempty] = self._reduce(self.to_hash32(values), offsets)
        return result

    def _reduce(self, values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        a, b = self.permutations_
        a, b = a[:, None], b[:, None]
        mixed = _fmix32(values)
        out = np.empty((len(offsets), self.num_perm), dtype=np.uint32)
        bounds = np.append(offsets, len(values))
        group = 0
        while group < len(offsets):
            # Take whole sets until the block holds about _CHUNK_COLUMNS shingles. The block is
            # permutations x shingles, so each set's minimum runs along contiguous memory.
            stop = int(np.searchsorted(bounds, bounds[group] + _CHUNK_COLUMNS, side="right")) - 1
            if stop <= group:  # one set larger than a block (a long document): its minimum block by block
                lo, hi = bounds[group], bounds[group + 1]
                out[group] = _MAX_HASH
                for start in range(lo, hi, _CHUNK_COLUMNS):
                    block = np.multiply(a, mixed[start : min(hi, start + _CHUNK_COLUMNS)])
                    block += b
                    np.minimum(out[group], block.min(axis=1), out=out[group])
                group += 1
                continue
            stop = min(stop, len(offsets))
            lo, hi = bounds[group], bounds[stop]
            block = np.multiply(a, mixed[lo:hi])  # wraps modulo 2**32, as datasketch's scheme does
            block += b
            out[group:stop] = np.minimum.reduceat(block, bounds[group:stop] - lo, axis=1).T
            group = stop
        return out

    def to_minhash(self, signature: np.ndarray):
        """Wrap one signature in a ``datasketch.MinHash`` (for LSH and estimates)."""
        from datasketch import MinHash

        return MinHash(
            seed=self.seed, hashvalues=signature, permutations=self.permutations_, scheme=_SCHEME
        )
