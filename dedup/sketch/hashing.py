"""Stable hashes of tokens and shingles, computed in bulk with numpy.

Tokens are hashed from their UTF-8 bytes (stable across processes and machines, unlike
Python's salted ``hash()``), many texts at once from one prefix sum; shingle hashes are
combined from token hashes, so the words of the scan and the byte runs of the batch path
hash alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup.text.layout import ascii_view

__all__ = ["MIX_MULTIPLIER", "TokenHasher", "fmix64", "hash_byte_runs", "shingle_hashes"]

MIX_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


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
        return fmix64(sums ^ (lengths.astype(np.uint64) * _LENGTH_MIX))


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


def fmix64(values: np.ndarray) -> np.ndarray:
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
            combined = combined * MIX_MULTIPLIER + token_hashes[offset : offset + width]
        return fmix64(combined)
