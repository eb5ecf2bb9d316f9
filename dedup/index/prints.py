"""What the index keeps of a document to find it again: shingle set, signature, band keys, anchors.

- The shingle set is the scan's (same words, same site-chrome rule, same shingle hashes), so
  the Jaccard similarities the index reports are the scan's.
- The MinHash signature is banded as the scan's document LSH bands it; each band becomes one
  integer key.
- Anchors are chosen by winnowing (Schleimer, Wilkerson and Aiken 2003) among grams of
  ``2 * shingle`` words: the smallest gram hash of every window of ``anchor_window``
  consecutive grams. Two texts that share a run of at least ``anchor_window + 2 * shingle
  - 1`` words share at least one anchor, so a passage copied into an otherwise new
  document is found without storing every shingle, while a common phrase of a few words
  that unrelated texts share by chance (which shingle anchors met ever more often as the
  index grew) almost never makes one.

Keys are cut to 47 bits, which SQLite stores in 6 bytes; a collision only makes a false
candidate, and every candidate is verified on its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..fingerprint import MinHasher, _fmix64, hash_byte_runs, shingle_hashes, sorted_unique
from ..text import matching_word_runs
from .settings import IndexSettings
from .store import pack_text

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
    packed_text : bytes or None
        The text in its stored form, when asked for.
    """

    shingles: np.ndarray
    signature: np.ndarray
    band_keys: np.ndarray
    anchors: np.ndarray
    packed_text: bytes | None = None


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

    def shingles(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per text, all its shingle hashes in order, with False where a shingle touches chrome."""
        runs = matching_word_runs(list(texts))
        token_hashes = hash_byte_runs(runs.data, runs.starts, runs.ends)
        bounds = np.concatenate(([0], np.cumsum(runs.counts)))
        sequences = []
        for k in range(len(texts)):
            hashes = shingle_hashes(token_hashes[bounds[k] : bounds[k + 1]], self.settings.shingle)
            chrome = runs.chrome[bounds[k] : bounds[k + 1]]
            if len(hashes) == 0:
                sequences.append((hashes, np.zeros(0, dtype=bool)))
                continue
            size = min(self.settings.shingle, len(chrome))
            valid = np.convolve(chrome.astype(np.int64), np.ones(size, dtype=np.int64), mode="valid") == 0
            sequences.append((hashes, valid))
        return sequences

    def shingle_sets(self, texts: Sequence[str]) -> list[np.ndarray]:
        """The distinct valid shingle hashes of each text."""
        return [sorted_unique(hashes[valid]) for hashes, valid in self.shingles(texts)]

    def prints(self, texts: Sequence[str], *, pack: bool = False) -> list[IndexPrint]:
        """Fingerprint many texts at once (words, hashes and signatures are computed in blocks).

        ``pack``: also give each text in its stored form (work a helper process can do).
        """
        sequences = self.shingles(texts)
        sets = [sorted_unique(hashes[valid]) for hashes, valid in sequences]
        signatures = self.minhasher.signatures(sets)
        band_keys = self.band_keys(signatures)
        return [
            IndexPrint(
                shingles=sets[k],
                signature=signatures[k],
                band_keys=band_keys[k] if len(sets[k]) else np.empty(0, dtype=np.int64),
                anchors=winnow(*anchor_grams(hashes, valid, self.settings.shingle), self.settings.anchor_window),
                packed_text=pack_text(texts[k]) if pack else None,
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


def anchor_grams(hashes: np.ndarray, valid: np.ndarray, shingle: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the word runs that anchors are chosen from: two consecutive shingles, end to end.

    Gram ``i`` covers shingles ``i`` and ``i + shingle`` (``2 * shingle`` words) and is valid
    when both are. Words that two unrelated texts share by chance (a common 5-word phrase)
    rarely run on for twice as long, so anchors of these grams find copies and little else.
    """
    if len(hashes) <= shingle:
        return hashes, valid
    with np.errstate(over="ignore"):
        grams = _fmix64(hashes[:-shingle] * _BAND_MIX + hashes[shingle:])
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
    return sorted_unique((chosen >> _KEY_SHIFT).astype(np.int64))
