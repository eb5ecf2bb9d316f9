"""Shingle sequences and LSH band keys of many texts at once: the fast path.

The words, site-chrome flags and shingle hashes are those of :func:`dedup.text.analyze` and
:class:`dedup.fingerprint.DocumentPrint` (with no corpus-repeated lines), computed for a whole
batch of texts in a handful of numpy passes instead of text by text: tokens are cut from one
byte buffer, hashed with one prefix sum, and combined into shingles for the whole batch.
The document-level scan and the persistent index both fingerprint this way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .fingerprint import _MIX_MULTIPLIER, _fmix64, hash_byte_runs, shingle_hashes
from .text import matching_word_runs

__all__ = ["band_keys", "batch_shingles", "window_starts"]

_KEY_SHIFT = np.uint64(17)  # 64 - 17 = 47-bit keys (SQLite stores them in 6 bytes)
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)


def batch_shingles(texts: Sequence[str], size: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per text, all its shingle hashes in order, with False where a shingle touches chrome.

    Shingles of the whole batch's token sequence are computed at once, keeping those that
    lie inside one text (a text shorter than ``size`` words gets one shingle of all its
    words, as :func:`dedup.fingerprint.shingle_hashes` gives it).

    Examples
    --------
    >>> [(hashes, valid)] = batch_shingles(["Share this article\\nThe strikes lasted thirty minutes."], 3)
    >>> len(hashes), valid.tolist()
    (6, [False, False, False, True, True, True])
    """
    runs = matching_word_runs(list(texts))
    tokens = hash_byte_runs(runs.data, runs.starts, runs.ends)
    starts, per_text = window_starts(runs.counts, size)
    with np.errstate(over="ignore"):
        combined = np.zeros(len(starts), dtype=np.uint64)
        for offset in range(size):
            combined = combined * _MIX_MULTIPLIER + tokens[starts + offset]
        hashes = _fmix64(combined)
    chrome = np.concatenate(([0], np.cumsum(runs.chrome, dtype=np.int64)))
    valid = chrome[starts + size] == chrome[starts]
    firsts = np.cumsum(runs.counts) - runs.counts
    at = np.cumsum(per_text) - per_text
    sequences = []
    for k, count in enumerate(runs.counts.tolist()):
        if 0 < count < size:  # a short text: one shingle of all its words
            first = firsts[k]
            sequences.append((shingle_hashes(tokens[first : first + count], size),
                              np.array([not runs.chrome[first : first + count].any()])))
        else:
            sequences.append((hashes[at[k] : at[k] + per_text[k]], valid[at[k] : at[k] + per_text[k]]))
    return sequences


def window_starts(counts: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """For sequences of ``counts`` items laid end to end: where every run of ``width`` items
    inside one sequence starts, and how many start in each sequence.

    >>> [a.tolist() for a in window_starts(np.array([4, 1, 3]), 2)]
    [[0, 1, 2, 5, 6], [3, 0, 2]]
    """
    counts = np.asarray(counts, dtype=np.int64)
    firsts = np.cumsum(counts) - counts
    per = np.maximum(counts - width + 1, 0)
    offsets = np.arange(int(per.sum())) - np.repeat(np.cumsum(per) - per, per)
    return np.repeat(firsts, per) + offsets, per


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
            combined = combined * _BAND_MIX + grid[:, :, r]
        combined = _fmix64(combined)
    return (combined >> _KEY_SHIFT).astype(np.int64)
