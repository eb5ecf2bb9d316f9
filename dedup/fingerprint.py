"""Shingles and MinHash signatures, vectorised with numpy and compatible with datasketch.

Tokens are hashed in bulk from their UTF-8 bytes (stable across processes and machines,
unlike Python's salted ``hash()``); shingle hashes are combined from token hashes with numpy,
and signatures are computed for many sets at once with the permutation scheme of
datasketch's ``MinHash`` (``scheme="affine32"``), so a signature here equals the one
``datasketch.MinHash.update_batch`` gives for the same 32-bit shingle hashes and can be
turned into a ``datasketch.MinHash`` without loss.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .text import ascii_view

__all__ = ["MinHasher", "TokenHasher", "hash_byte_runs", "shingle_hashes", "sorted_unique"]

_MIX_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_SCHEME = "affine32"
_MAX_HASH = np.uint32(0xFFFFFFFF)
_CHUNK_COLUMNS = 1 << 13  # shingles of the (permutations x shingles) block computed at once: 4 MB, a dozen sets


class TokenHasher:
    """Hash normalised tokens to stable 64-bit integers.

    A token's hash is a function of its UTF-8 bytes alone (see :func:`hash_byte_runs`), so
    the words of the scan and the byte runs of the index's fast path hash alike.

    Examples
    --------
    >>> TokenHasher().hash(["the", "cat", "the"]).tolist()[0] == TokenHasher().hash(["the"]).tolist()[0]
    True
    """

    def hash(self, words: Sequence[str]) -> np.ndarray:
        """Return the uint64 hashes of ``words``."""
        if not words:
            return np.empty(0, dtype=np.uint64)
        joined = "".join(words)
        if joined.isascii():
            data = joined.encode("ascii")
            lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        else:
            encoded = [word.encode("utf-8") for word in words]
            data = b"".join(encoded)
            lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        ends = np.cumsum(lengths)
        return hash_byte_runs(np.frombuffer(data, dtype=np.uint8), ends - lengths, ends)

    def hash_layout(self, layout) -> np.ndarray:
        """Return the uint64 hashes of a :class:`~dedup.text.TextLayout`'s words.

        The same as ``hash(layout.words)``; an ASCII text is hashed from its lower-cased
        bytes at the tokens' offsets, without making a string per word.
        """
        view = ascii_view(layout.text)
        if view is not None:  # the words are ASCII: hashed from the bytes at their offsets
            data = np.frombuffer(view.lower(), dtype=np.uint8)
            return hash_byte_runs(data, layout.starts, layout.ends)
        return self.hash(layout.words)


# Token hashes: a polynomial over the bytes modulo 2**64, finished with MurmurHash3's fmix64.
# Computed for all tokens of many texts in a handful of numpy passes: hashing each token with
# a library call costs more than all the rest of fingerprinting together.
_BYTE_PRIME = 0xD6E8FEB86659FD93  # odd, so it has an inverse modulo 2**64
_BYTE_INVERSE = pow(_BYTE_PRIME, -1, 1 << 64)
_LENGTH_MIX = np.uint64(0xC2B2AE3D27D4EB4F)
_SPAN = 1 << 20  # bytes of starts hashed in one pass; the power tables grow to twice as many entries
_POWERS: dict[int, np.ndarray] = {}  # base -> base ** k modulo 2**64, k = 0, 1, ...


def _powers(base: int, count: int) -> np.ndarray:
    """``base ** k`` modulo 2**64 for ``k < count``, from a table kept between calls."""
    table = _POWERS.get(base)
    if table is None or len(table) < count:
        size = max(count, 2 * len(table) if table is not None else 1 << 16)
        with np.errstate(over="ignore"):
            table = np.cumprod(np.full(size, base, dtype=np.uint64))
        table = _POWERS[base] = np.concatenate(([np.uint64(1)], table[:-1]))
    return table[:count]


def hash_byte_runs(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Hash the byte runs ``data[starts[i]:ends[i]]`` to uint64, all at once.

    The hash of a run ``b_0 .. b_(L-1)`` is ``fmix64(sum((b_j + 1) * P ** (L-1-j)) ^ L * M)``
    modulo 2**64, for fixed odd constants ``P`` and ``M``: stable across processes and
    machines, and the same whichever text or batch the run is cut from.

    The sums come from one prefix sum over the bytes: with ``Q`` the inverse of ``P``,
    the sum of a run ``[s, e)`` is ``P ** (e-1) * (C[e] - C[s])`` where ``C[i]`` sums
    ``(b_j + 1) * Q ** j`` over ``j < i``.

    Parameters
    ----------
    data : numpy.ndarray of uint8
    starts, ends : numpy.ndarray of int
        Half-open bounds of the runs in ``data``.
    """
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(ends, dtype=np.int64) - starts
    sums = np.zeros(len(lengths), dtype=np.uint64)
    short = np.flatnonzero(lengths <= _SPAN)
    sums[short] = _run_sums(data, starts[short], lengths[short])
    for k in np.flatnonzero(lengths > _SPAN).tolist():  # rare: cut into pieces of _SPAN bytes
        pieces = np.arange(starts[k], starts[k] + lengths[k], _SPAN)
        sizes = np.minimum(_SPAN, starts[k] + lengths[k] - pieces)
        total = 0
        for piece, size in zip(_run_sums(data, pieces, sizes).tolist(), sizes.tolist()):
            total = (total * pow(_BYTE_PRIME, size, 1 << 64) + piece) % (1 << 64)  # h(AB) = h(A) P^|B| + h(B)
        sums[k] = total
    with np.errstate(over="ignore"):
        return _fmix64(sums ^ (lengths.astype(np.uint64) * _LENGTH_MIX))


def _run_sums(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The polynomial sums of runs of at most _SPAN bytes, a pass per _SPAN bytes of starts."""
    sums = np.zeros(len(starts), dtype=np.uint64)
    order = np.argsort(starts, kind="stable")
    sorted_starts = starts[order]
    first = 0
    while first < len(order):
        base = int(sorted_starts[first])
        last = int(np.searchsorted(sorted_starts, base + _SPAN, side="left"))
        runs = order[first:last]
        s = starts[runs] - base
        e = s + lengths[runs]
        span = int(e.max())  # at most 2 * _SPAN
        with np.errstate(over="ignore"):
            terms = (data[base : base + span].astype(np.uint64) + np.uint64(1)) * _powers(_BYTE_INVERSE, span)
            prefix = np.concatenate(([np.uint64(0)], np.cumsum(terms, dtype=np.uint64)))
            sums[runs] = (prefix[e] - prefix[s]) * _powers(_BYTE_PRIME, span)[np.maximum(e - 1, 0)]
        first = last
    return sums


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: ``np.unique`` without its fixed cost (5x faster on a
    document's few hundred shingles).

    >>> sorted_unique(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _fmix64(values: np.ndarray) -> np.ndarray:
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def shingle_hashes(token_hashes: np.ndarray, size: int) -> np.ndarray:
    """Return one uint64 hash per run of ``size`` consecutive tokens (word n-grams).

    Shingle ``i`` covers tokens ``i .. i + size - 1``. A text shorter than ``size``
    tokens gives one shingle of all its tokens; an empty text gives none.
    """
    count = len(token_hashes)
    if count == 0:
        return np.empty(0, dtype=np.uint64)
    size = min(size, count)
    width = count - size + 1
    combined = np.zeros(width, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            combined = combined * _MIX_MULTIPLIER + token_hashes[offset : offset + width]
        return _fmix64(combined)


def _fmix32(values: np.ndarray) -> np.ndarray:
    # MurmurHash3's 32-bit finalizer, as datasketch applies it before its permutations.
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


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
        from datasketch import MinHash  # here: importing datasketch takes half a second

        template = MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME)
        self.permutations_ = template.permutations.astype(np.uint32)

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


class DocumentPrint:
    """The matching material of one document: its token layout and shingle hashes.

    Attributes
    ----------
    layout : TextLayout
        Tokens with offsets and boilerplate/quotation flags.
    tokens : numpy.ndarray of uint64
        Hash of each word token (equal words, equal hashes).
    shingles : numpy.ndarray of uint64
        Hash of each word n-gram; shingle ``i`` starts at token ``i``.
    valid : numpy.ndarray of bool
        False for shingles that touch boilerplate; those are never reuse evidence.
    size : int
        The shingle size (tokens per shingle) actually used.
    """

    __slots__ = ("layout", "tokens", "shingles", "valid", "size")

    def __init__(self, layout, token_hashes: np.ndarray, size: int) -> None:
        self.layout = layout
        self.tokens = token_hashes
        self.shingles = shingle_hashes(token_hashes, size)
        self.size = min(size, len(token_hashes)) if len(token_hashes) else size
        boiler = layout.boilerplate.astype(np.int64)
        if len(self.shingles):
            # A shingle is valid when none of its tokens is boilerplate.
            window = np.convolve(boiler, np.ones(self.size, dtype=np.int64), mode="valid")
            self.valid = window == 0
        else:
            self.valid = np.zeros(0, dtype=bool)

    def shingle_set(self) -> np.ndarray:
        """The distinct valid shingle hashes (the document's set for Jaccard)."""
        return sorted_unique(self.shingles[self.valid])
