"""Shingles: the word n-grams of a text as hashes, one document at a time or a batch at once.

:class:`ShingledDocument` holds one analysed document's tokens and shingles (what the copy
aligner needs); :func:`batch_shingles` computes the same shingle hashes and site-chrome
flags for a whole batch of texts in a handful of numpy passes (tokens cut from one byte
buffer, hashed with one prefix sum, combined into shingles for the whole batch), for the
document level and the persistent index, where no corpus-repeated lines are known.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from dedup.arrays import sorted_unique
from dedup.sketch.hashing import MIX_MULTIPLIER, fmix64, hash_byte_runs, shingle_hashes
from dedup.text.words import matching_word_runs

__all__ = ["ShingleSequence", "ShingledDocument", "batch_shingles", "window_starts"]


class ShingleSequence(NamedTuple):
    """All shingle hashes of one text in order, and whether each is valid (touches no chrome)."""

    hashes: np.ndarray
    valid: np.ndarray


class ShingledDocument:
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

    __slots__ = ("layout", "tokens", "shingles", "valid", "size", "_by_hash", "sentence_words")

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
        self._by_hash: np.ndarray | None = None
        self.sentence_words = None  # kept by dedup.match.sentences, made when first needed

    @classmethod
    def from_parts(cls, layout, tokens: np.ndarray, shingles: np.ndarray, valid: np.ndarray,
                   size: int, by_hash: np.ndarray | None = None) -> ShingledDocument:
        """A document from arrays already computed (what :class:`dedup.match.store.PrintStore`
        keeps), without hashing again (``by_hash``: :meth:`hash_order`, when known)."""
        made = cls.__new__(cls)
        made.layout, made.tokens, made.shingles, made.valid, made.size = layout, tokens, shingles, valid, size
        made._by_hash = by_hash
        made.sentence_words = None
        return made

    def hash_order(self) -> np.ndarray:
        """The positions (int32) of the valid shingles, ordered by hash and, for equal
        hashes, by position: what the aligners join two documents on. Computed once.

        >>> from dedup.sketch.hashing import TokenHasher
        >>> from dedup.text.layout import analyze
        >>> layout = analyze("a b a b a")
        >>> doc = ShingledDocument(layout, TokenHasher().hash_layout(layout), 2)
        >>> order = doc.hash_order()
        >>> ordered = doc.shingles[order]
        >>> bool((ordered[:-1] <= ordered[1:]).all()), sorted(order.tolist())
        (True, [0, 1, 2, 3])
        """
        if self._by_hash is None:
            positions = np.flatnonzero(self.valid)
            self._by_hash = positions[np.argsort(self.shingles[positions], kind="stable")].astype(np.int32)
        return self._by_hash

    def shingle_set(self) -> np.ndarray:
        """The distinct valid shingle hashes (the document's set for Jaccard)."""
        return sorted_unique(self.shingles[self.valid])


def batch_shingles(texts: Sequence[str], size: int) -> list[ShingleSequence]:
    """Per text, all its shingle hashes in order, with False where a shingle touches chrome.

    Shingles of the whole batch's token sequence are computed at once, keeping those that
    lie inside one text (a text shorter than ``size`` words gets one shingle of all its
    words, as :func:`dedup.sketch.hashing.shingle_hashes` gives it).

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
            combined = combined * MIX_MULTIPLIER + tokens[starts + offset]
        hashes = fmix64(combined)
    chrome = np.concatenate(([0], np.cumsum(runs.chrome, dtype=np.int64)))
    valid = chrome[starts + size] == chrome[starts]
    firsts = np.cumsum(runs.counts) - runs.counts
    at = np.cumsum(per_text) - per_text
    sequences = []
    for k, count in enumerate(runs.counts.tolist()):
        if 0 < count < size:  # a short text: one shingle of all its words
            first = firsts[k]
            sequences.append(ShingleSequence(shingle_hashes(tokens[first : first + count], size),
                                             np.array([not runs.chrome[first : first + count].any()])))
        else:
            sequences.append(ShingleSequence(hashes[at[k] : at[k] + per_text[k]], valid[at[k] : at[k] + per_text[k]]))
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
