"""A compact store of prepared documents: every layout and shingle array of a batch of
documents in a few arrays, each document read back as views.

A prepared document is a dozen small numpy arrays (token offsets and flags, token and
shingle hashes, sentence and line ranges). Held as objects, a corpus of them costs about
twice their bytes in object headers and in the heap fragmentation their making leaves; the
store keeps each kind of array concatenated over a batch, with offsets, and makes a
document's :class:`~dedup.sketch.shingles.ShingledDocument` on demand from views (no copy).
Helpers send a store per chunk of documents (a few large arrays pickle faster than many
small ones); the corpus is the sequence of the chunks' stores.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from dedup.sketch.shingles import ShingledDocument
from dedup.text.layout import TextLayout

__all__ = ["PrintStore", "StoredPrints"]


class PrintStore:
    """The layouts and shingles of consecutive documents, concatenated.

    Parameters
    ----------
    prints : sequence of ShingledDocument
        The documents, in order (their texts are not kept: :meth:`get` is given them).

    Examples
    --------
    >>> from dedup.sketch.hashing import TokenHasher
    >>> from dedup.text.layout import analyze
    >>> texts = ["One two three four five six.", "Seven eight nine."]
    >>> prints = [ShingledDocument(analyze(t), TokenHasher().hash_layout(analyze(t)), 5) for t in texts]
    >>> store = PrintStore(prints)
    >>> again = store.get(1, texts[1])
    >>> again.layout.starts.tolist(), bool((again.shingles == prints[1].shingles).all()), len(store)
    ([0, 6, 12], True, 2)
    """

    # Arrays per token, per shingle, and per range (sentences, lines and chrome lines: rows of two).
    TOKEN_FIELDS: ClassVar[tuple[str, ...]] = ("starts", "ends", "boilerplate", "quoted", "sentence_starts")
    RANGE_FIELDS: ClassVar[tuple[str, ...]] = ("sentences", "lines", "chrome")

    def __init__(self, prints: Sequence[ShingledDocument]) -> None:
        layouts = [p.layout for p in prints]
        self.sizes = np.array([p.size for p in prints], dtype=np.int64)
        self.token_offsets = _offsets([len(p.tokens) for p in prints])
        self.shingle_offsets = _offsets([len(p.shingles) for p in prints])
        self.tokens = _joined([p.tokens for p in prints], np.uint64)
        self.shingles = _joined([p.shingles for p in prints], np.uint64)
        self.valid = _joined([p.valid for p in prints], bool)
        self.order_offsets = _offsets([len(p.hash_order()) for p in prints])
        self.orders = _joined([p.hash_order() for p in prints], np.int32)
        # Character offsets as int32 where the texts allow (any text under 2 GB).
        offsets = np.int32 if all(len(p.layout.text) < 2**31 for p in prints) else np.int64
        self.token_arrays = {name: _joined([getattr(layout, name) for layout in layouts],
                                           offsets if name in ("starts", "ends") else bool)
                             for name in self.TOKEN_FIELDS}
        self.range_offsets = {name: _offsets([len(getattr(layout, name)) for layout in layouts])
                              for name in self.RANGE_FIELDS}
        self.range_arrays = {name: _joined([np.asarray(getattr(layout, name)).reshape(-1, 2) for layout in layouts],
                                           np.int64).reshape(-1, 2) for name in self.RANGE_FIELDS}

    def __len__(self) -> int:
        return len(self.sizes)

    def get(self, k: int, text: str) -> ShingledDocument:
        """Document ``k`` of the store, with its ``text``, as views of the store's arrays."""
        t0, t1 = self.token_offsets[k], self.token_offsets[k + 1]
        s0, s1 = self.shingle_offsets[k], self.shingle_offsets[k + 1]
        ranges = {name: self.range_arrays[name][self.range_offsets[name][k]:self.range_offsets[name][k + 1]]
                  for name in self.RANGE_FIELDS}
        layout = TextLayout(text=text, **{name: self.token_arrays[name][t0:t1] for name in self.TOKEN_FIELDS},
                            **ranges)
        return ShingledDocument.from_parts(layout, self.tokens[t0:t1], self.shingles[s0:s1], self.valid[s0:s1],
                                           int(self.sizes[k]),
                                           self.orders[self.order_offsets[k]:self.order_offsets[k + 1]])


class StoredPrints(Sequence):
    """The prepared documents of a corpus: its texts and the stores of consecutive chunks
    of them, read as one sequence of :class:`~dedup.sketch.shingles.ShingledDocument`.

    The last few documents read are kept (pairs to align come sorted, so one document is
    read for many pairs in a row).
    """

    def __init__(self, texts: Sequence[str], stores: Sequence[PrintStore]) -> None:
        self.texts = texts
        self.stores = list(stores)
        self.firsts = np.concatenate([[0], np.cumsum([len(s) for s in self.stores])]).astype(np.int64).tolist()
        if self.firsts[-1] != len(texts):
            raise ValueError(f"{self.firsts[-1]} prepared documents for {len(texts)} texts")
        self._recent: dict[int, ShingledDocument] = {}

    def __len__(self) -> int:
        return self.firsts[-1]

    def __getitem__(self, k: int) -> ShingledDocument:
        if not 0 <= k < len(self):
            raise IndexError(k)
        found = self._recent.get(k)
        if found is None:
            chunk = bisect_right(self.firsts, k) - 1
            found = self._recent[k] = self.stores[chunk].get(k - self.firsts[chunk], self.texts[k])
            if len(self._recent) > _RECENT_DOCUMENTS:
                del self._recent[next(iter(self._recent))]  # the oldest
        return found

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_recent": {}}


# Documents kept by :class:`StoredPrints` after they are read.
_RECENT_DOCUMENTS = 256


def _offsets(lengths: list[int]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(np.int64)


def _joined(arrays: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype)
