"""What the index keeps of a document to find it again: shingle set, signature, band keys and
anchors (:class:`~dedup.sketch.fingerprinter.Fingerprinter`'s, so the Jaccard similarities
the index reports are the scan's), with the text in its stored form and, for the rewrite
tier, its sentence stems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup.arrays import sorted_unique
from dedup.engines.index.rewrites import SentenceStems, sentence_stems
from dedup.engines.index.store import pack_text
from dedup.sketch.fingerprinter import Fingerprinter

__all__ = ["IndexFingerprint", "fingerprint_texts"]


@dataclass(frozen=True)
class IndexFingerprint:
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
    stems : SentenceStems or None
        Its sentence stems, when asked for (an index with the rewrite tier).
    """

    shingles: np.ndarray
    signature: np.ndarray
    band_keys: np.ndarray
    anchors: np.ndarray
    packed_text: bytes | None = None
    stems: SentenceStems | None = None


def fingerprint_texts(fingerprinter: Fingerprinter, texts: Sequence[str], *, pack: bool = False,
                      stems: bool = False) -> list[IndexFingerprint]:
    """Fingerprint many texts at once for the index (words, hashes and signatures are
    computed in blocks); ``pack``: also give each text in its stored form, ``stems``: its
    sentence stems (work a helper process can do).

    Examples
    --------
    >>> from dedup.engines.index.settings import IndexSettings
    >>> fingerprinter = Fingerprinter.of(IndexSettings())
    >>> [p] = fingerprint_texts(fingerprinter, ["The strikes lasted thirty minutes and were called a success by officials."])
    >>> len(p.shingles), p.signature.shape, len(p.band_keys), len(p.anchors) >= 1
    (8, (128,), 16, True)
    """
    sequences = fingerprinter.sequences(texts)
    sets = [sorted_unique(s.hashes[s.valid]) for s in sequences]
    signatures = fingerprinter.signatures(sets)
    band_keys = fingerprinter.keys_of(signatures)
    anchors = fingerprinter.anchors(sequences)
    found_stems = sentence_stems(texts) if stems else [None] * len(texts)
    return [
        IndexFingerprint(
            shingles=sets[k],
            signature=signatures[k],
            band_keys=band_keys[k] if len(sets[k]) else np.empty(0, dtype=np.int64),
            anchors=anchors[k],
            packed_text=pack_text(texts[k]) if pack else None,
            stems=found_stems[k],
        )
        for k in range(len(sequences))
    ]
