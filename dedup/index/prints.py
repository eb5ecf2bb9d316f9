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

from ..fingerprint import MinHasher, _fmix64, sorted_unique
from ..shingling import _BAND_MIX, _KEY_SHIFT, band_keys, batch_shingles, window_starts
from .settings import IndexSettings
from .store import pack_text

__all__ = ["IndexPrint", "Printer", "anchor_grams", "batch_anchors", "winnow"]

_NO_HASH = np.uint64(0xFFFFFFFFFFFFFFFF)


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
        """Per text, all its shingle hashes in order, with False where a shingle touches chrome
        (:func:`dedup.shingling.batch_shingles`)."""
        return batch_shingles(texts, self.settings.shingle)

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
        anchors = batch_anchors(sequences, self.settings.shingle, self.settings.anchor_window)
        return [
            IndexPrint(
                shingles=sets[k],
                signature=signatures[k],
                band_keys=band_keys[k] if len(sets[k]) else np.empty(0, dtype=np.int64),
                anchors=anchors[k],
                packed_text=pack_text(texts[k]) if pack else None,
            )
            for k in range(len(sequences))
        ]

    def band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """``(n, bands)`` int64 keys: the rows of each band hashed together with the band number."""
        return band_keys(signatures, self.bands, self.rows)


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
        anchors.append(sorted_unique((picked >> _KEY_SHIFT).astype(np.int64)))
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
