"""One fingerprinter for every driver: shingle sets, MinHash signatures, LSH band keys and
winnowed anchors from one set of settings.

The local scan, the document level, the persistent index and both Dask jobs all build a
:class:`Fingerprinter` from their settings and ask it for what they need, so that a
document gets the same shingles, signature and keys whichever driver reads it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup.arrays import sorted_unique
from dedup.errors import ParameterError
from dedup.sketch.anchors import batch_anchors
from dedup.sketch.lsh import band_keys
from dedup.sketch.minhash import MinHasher
from dedup.sketch.shingles import ShingleSequence, batch_shingles

__all__ = ["Fingerprinter"]


class Fingerprinter:
    """Fingerprints of texts with given settings.

    Parameters
    ----------
    shingle : int
        Words per shingle.
    num_perm, seed : int
        MinHash permutations and their seed.
    bands : tuple of int
        ``(bands, rows)`` of the document LSH.
    anchor_window : int, optional
        Winnowing window of the anchors (the persistent index's); None: no anchors.

    Examples
    --------
    >>> from dedup.settings import ScanConfig
    >>> fingerprinter = Fingerprinter.of(ScanConfig())
    >>> [shingles] = fingerprinter.shingle_sets(["The strikes lasted thirty minutes, officials said."])
    >>> len(shingles), fingerprinter.band_keys([shingles]).shape
    (3, (1, 16))
    """

    def __init__(self, *, shingle: int, num_perm: int, seed: int, bands: tuple[int, int],
                 anchor_window: int | None = None) -> None:
        self.shingle = shingle
        self.bands = bands
        self.anchor_window = anchor_window
        self.minhasher = MinHasher(num_perm=num_perm, seed=seed)

    @classmethod
    def of(cls, settings) -> Fingerprinter:
        """The fingerprinter of a :class:`~dedup.settings.ScanConfig` or an index's settings."""
        return cls(shingle=settings.shingle, num_perm=settings.num_perm, seed=settings.seed, bands=settings.bands,
                   anchor_window=getattr(settings, "anchor_window", None))

    def sequences(self, texts: Sequence[str]) -> list[ShingleSequence]:
        """Per text, all its shingle hashes in order and which are valid (no site chrome),
        for a whole batch at once (:func:`dedup.sketch.shingles.batch_shingles`)."""
        return batch_shingles(texts, self.shingle)

    def shingle_sets(self, texts: Sequence[str]) -> list[np.ndarray]:
        """The distinct valid shingle hashes of each text (the sets whose Jaccard counts)."""
        return [sorted_unique(s.hashes[s.valid]) for s in self.sequences(texts)]

    def signatures(self, sets: Sequence[np.ndarray]) -> np.ndarray:
        """The ``(n, num_perm)`` MinHash signatures of shingle sets."""
        return self.minhasher.signatures(sets)

    def band_keys(self, sets: Sequence[np.ndarray], bands: tuple[int, int] | None = None) -> np.ndarray:
        """The ``(n, bands)`` LSH band keys of shingle sets (``bands``: another banding, such
        as the sentence units'; default the document LSH)."""
        return self.keys_of(self.signatures(sets), bands)

    def keys_of(self, signatures: np.ndarray, bands: tuple[int, int] | None = None) -> np.ndarray:
        """The band keys of signatures already made."""
        return band_keys(signatures, *(bands or self.bands))

    def anchors(self, sequences: Sequence[ShingleSequence]) -> list[np.ndarray]:
        """The distinct winnowed anchor keys of each shingle sequence."""
        if self.anchor_window is None:
            raise ParameterError("anchors need an anchor_window; this fingerprinter has none.", parameter="anchor_window")
        return batch_anchors(sequences, self.shingle, self.anchor_window)
