"""What the index keeps of a document to find it again: shingle set, signature, band keys, anchors.

- The shingle set is the scan's (same words, same site-chrome rule, same shingle hashes), so
  the Jaccard similarities the index reports are the scan's.
- The MinHash signature is banded as the scan's document LSH bands it; each band becomes one
  integer key.
- Anchors are shingles chosen by winnowing (Schleimer, Wilkerson and Aiken 2003): the
  smallest shingle hash of every window of ``anchor_window`` consecutive shingles. Two texts
  that share a run of at least ``anchor_window`` shingles share at least one anchor, so a
  passage copied into an otherwise new document is found without storing every shingle.

Keys are cut to 47 bits, which SQLite stores in 6 bytes; a collision only makes a false
candidate, and every candidate is verified on its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..fingerprint import MinHasher, TokenHasher, _fmix64, shingle_hashes
from ..text import matching_words
from .settings import IndexSettings

__all__ = ["IndexPrint", "Printer"]

_KEY_SHIFT = np.uint64(17)  # 64 - 17 = 47-bit keys
_NO_HASH = np.uint64(0xFFFFFFFFFFFFFFFF)
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class IndexPrint:
    """The index's view of one text.

    Attributes
    ----------
    shingles : numpy.ndarray of uint64
        The distinct valid shingle hashes (the set whose Jaccard similarity is reported).
    signature : numpy.ndarray of uint32
        MinHash signature of ``shingles`` (all maximal when the set is empty).
    band_keys : numpy.ndarray of int64
        One key per LSH band; empty when the text has no shingle.
    anchors : numpy.ndarray of int64
        Distinct winnowed anchor keys.
    """

    shingles: np.ndarray
    signature: np.ndarray
    band_keys: np.ndarray
    anchors: np.ndarray


class Printer:
    """Fingerprint texts for an index with given settings.

    Examples
    --------
    >>> printer = Printer(IndexSettings())
    >>> [p] = printer.prints(["The strikes lasted thirty minutes and were called a success by officials."])
    >>> len(p.shingles), p.signature.shape, len(p.band_keys), len(p.anchors) >= 1
    (8, (128,), 16, True)
    """

    def __init__(self, settings: IndexSettings) -> None:
        self.settings = settings
        self.minhasher = MinHasher(num_perm=settings.num_perm, seed=settings.seed)
        self.bands, self.rows = settings.bands
        self._tokens = TokenHasher()

    def shingles(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """All shingle hashes of ``text`` in order, with False where a shingle touches chrome."""
        words, chrome = matching_words(text)
        hashes = shingle_hashes(self._tokens.hash(words), self.settings.shingle)
        if len(hashes) == 0:
            return hashes, np.zeros(0, dtype=bool)
        size = min(self.settings.shingle, len(words))
        valid = np.convolve(chrome.astype(np.int64), np.ones(size, dtype=np.int64), mode="valid") == 0
        return hashes, valid

    def shingle_set(self, text: str) -> np.ndarray:
        """The distinct valid shingle hashes of ``text``."""
        hashes, valid = self.shingles(text)
        return np.unique(hashes[valid])

    def prints(self, texts: Sequence[str]) -> list[IndexPrint]:
        """Fingerprint many texts at once (signatures are computed as one block)."""
        sequences = [self.shingles(text) for text in texts]
        sets = [np.unique(hashes[valid]) for hashes, valid in sequences]
        signatures = self.minhasher.signatures(sets)
        band_keys = self.band_keys(signatures)
        return [
            IndexPrint(
                shingles=sets[k],
                signature=signatures[k],
                band_keys=band_keys[k] if len(sets[k]) else np.empty(0, dtype=np.int64),
                anchors=winnow(hashes, valid, self.settings.anchor_window),
            )
            for k, (hashes, valid) in enumerate(sequences)
        ]

    def band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """``(n, bands)`` int64 keys: the rows of each band hashed together with the band number."""
        n = len(signatures)
        rows = signatures[:, : self.bands * self.rows].reshape(n, self.bands, self.rows).astype(np.uint64)
        with np.errstate(over="ignore"):
            combined = np.broadcast_to(np.arange(1, self.bands + 1, dtype=np.uint64), (n, self.bands)).copy()
            for r in range(self.rows):
                combined = combined * _BAND_MIX + rows[:, :, r]
            combined = _fmix64(combined)
        return (combined >> _KEY_SHIFT).astype(np.int64)


def winnow(hashes: np.ndarray, valid: np.ndarray, window: int) -> np.ndarray:
    """The distinct anchor keys of a shingle sequence: the minimum of each window of valid shingles."""
    if not valid.any():
        return np.empty(0, dtype=np.int64)
    masked = np.where(valid, hashes, _NO_HASH)
    if len(masked) <= window:
        chosen = masked[[int(np.argmin(masked))]]
    else:
        # The rightmost minimum of each window, as robust winnowing picks it.
        views = sliding_window_view(masked[::-1], window)
        positions = len(masked) - 1 - (np.arange(len(views)) + np.argmin(views, axis=1))
        chosen = masked[np.unique(positions)]
    chosen = chosen[chosen != _NO_HASH]
    return np.unique((chosen >> _KEY_SHIFT).astype(np.int64))

