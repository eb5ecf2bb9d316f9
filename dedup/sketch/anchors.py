"""Winnowed anchors: the few keys of a text that any long enough copy of it shares.

Anchors are chosen by winnowing (Schleimer, Wilkerson and Aiken 2003) among grams of
``2 * shingle`` words: the smallest gram hash of every window of ``anchor_window``
consecutive grams. Two texts that share a run of at least ``anchor_window + 2 * shingle
- 1`` words share at least one anchor, so a passage copied into an otherwise new document
is found without storing every shingle, while a common phrase of a few words that
unrelated texts share by chance almost never makes one. Keys are cut to 47 bits (SQLite
stores them in 6 bytes); a collision only makes a false candidate.
"""

from __future__ import annotations

import numpy as np

from dedup.arrays import sorted_unique
from dedup.sketch.hashing import fmix64
from dedup.sketch.lsh import BAND_MIX, KEY_SHIFT
from dedup.sketch.shingles import window_starts

__all__ = ["anchor_grams", "batch_anchors", "winnow"]

_NO_HASH = np.uint64(0xFFFFFFFFFFFFFFFF)


def batch_anchors(sequences: list[tuple[np.ndarray, np.ndarray]], shingle: int, window: int) -> list[np.ndarray]:
    """``winnow(*anchor_grams(hashes, valid, shingle), window)`` of many sequences at once."""
    grams = [anchor_grams(hashes, valid, shingle) for hashes, valid in sequences]
    counts = np.array([len(g) for g, _ in grams], dtype=np.int64)
    if not len(counts) or counts.sum() == 0:
        return [np.empty(0, dtype=np.int64) for _ in sequences]
    minimum = np.where(np.concatenate([v for _, v in grams]), np.concatenate([g for g, _ in grams]), _NO_HASH)
    starts, per = window_starts(counts, window)
    if len(starts):  # the minimum of every window, by doubling the span covered
        sliding, span = minimum, 1
        while span < window:
            step = min(span, window - span)
            sliding = np.minimum(sliding[:-step], sliding[step:])
            span += step
        chosen = sliding[starts]
    at, firsts = np.cumsum(per) - per, np.cumsum(counts) - counts
    anchors = []
    for k, count in enumerate(counts.tolist()):
        if per[k]:
            picked = chosen[at[k] : at[k] + per[k]]
        else:  # fewer grams than a window: the minimum of them all
            picked = minimum[firsts[k] : firsts[k] + count].min(keepdims=True) if count else minimum[:0]
        picked = picked[picked != _NO_HASH]
        anchors.append(sorted_unique((picked >> KEY_SHIFT).astype(np.int64)))
    return anchors


def anchor_grams(hashes: np.ndarray, valid: np.ndarray, shingle: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the word runs that anchors are chosen from: two consecutive shingles, end to end.

    Gram ``i`` covers shingles ``i`` and ``i + shingle`` (``2 * shingle`` words) and is valid
    when both are. Words that two unrelated texts share by chance (a common 5-word phrase)
    rarely run on for twice as long, so anchors of these grams find copies and little else.
    """
    if len(hashes) <= shingle:
        return hashes, valid
    with np.errstate(over="ignore"):
        grams = fmix64(hashes[:-shingle] * BAND_MIX + hashes[shingle:])
    return grams, valid[:-shingle] & valid[shingle:]


def winnow(hashes: np.ndarray, valid: np.ndarray, window: int) -> np.ndarray:
    """The distinct anchor keys of a hash sequence: the minimum of each window of valid hashes.

    Two sequences that share a run of at least ``window`` hashes share at least one anchor.
    """
    if not valid.any():
        return np.empty(0, dtype=np.int64)
    minimum = np.where(valid, hashes, _NO_HASH)
    # The minimum of every window of ``window`` hashes, by doubling the span covered.
    span = 1
    while span < window and len(minimum) > 1:
        step = min(span, window - span, len(minimum) - 1)
        minimum = np.minimum(minimum[:-step], minimum[step:])
        span += step
    chosen = minimum[minimum != _NO_HASH]
    return sorted_unique((chosen >> KEY_SHIFT).astype(np.int64))
