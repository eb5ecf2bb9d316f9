"""What an index backend stores and answers: the records and the interface both backends keep.

A backend keeps, per document: its id, when it was added, its metadata, its MinHash
signature, its text (zlib-compressed, to verify and align a match) and its first decision
(the JSON answer ``dedup check`` gave it, kept so that a document delivered again is
answered the same way), plus two inverted
lists: LSH band key -> documents and anchor key -> documents. Documents are numbered by the
backend; the numbers never leave the index.

An index with the rewrite tier (:mod:`dedup.engines.index.rewrites`) also keeps counts of
sentence stems over all its documents and a third inverted list, sentence key -> documents.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from isal import isal_zlib

from dedup.errors import IndexStoreError

__all__ = ["NewEntry", "Postings", "StemCounts", "Store", "StoredDoc", "pack_meta", "pack_text", "unpack_text"]


@dataclass(frozen=True)
class StoredDoc:
    """A document as the index holds it."""

    num: int
    id: str
    added: float
    meta: dict[str, Any]
    signature: np.ndarray
    text: str
    decision: str | None = None  # the first decision's JSON; None when added without one
    rare_stems: bytes = b""  # which of its stems were rare when it was added (SentenceStems.pack_rare)


@dataclass(frozen=True)
class Postings:
    """Entries of an inverted list: ``docs[i]`` is stored under ``keys[i]``; sorted by key, then doc.

    Examples
    --------
    >>> Postings.from_pairs([(7, 2), (3, 9), (7, 1)]).keys.tolist()
    [3, 7, 7]
    """

    keys: np.ndarray
    docs: np.ndarray

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[int, int]]) -> Postings:
        """Postings from ``(key, doc)`` pairs in any order."""
        table = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
        return cls.sorted(table[:, 0], table[:, 1])

    @classmethod
    def sorted(cls, keys: np.ndarray, docs: np.ndarray) -> Postings:
        """Postings from parallel arrays in any order."""
        order = np.lexsort((docs, keys))
        return cls(np.ascontiguousarray(keys[order]), np.ascontiguousarray(docs[order]))


@dataclass(frozen=True)
class StemCounts:
    """The index's counts of some stems (by key), and its totals.

    Attributes
    ----------
    keys : numpy.ndarray of int64
        The stems' keys that have counts, sorted.
    rows : numpy.ndarray of int64, shape (n, 3)
        Per key: units holding the stem, documents holding it, units holding it as a
        content word.
    total_units, total_documents : int
        Sentence units and documents of the index.

    Examples
    --------
    >>> counts = StemCounts(np.array([4, 9]), np.array([[3, 2, 3], [1, 1, 0]]), 40, 5)
    >>> counts.of(np.array([9, 5])).tolist()
    [[1, 1, 0], [0, 0, 0]]
    """

    keys: np.ndarray
    rows: np.ndarray
    total_units: int = 0
    total_documents: int = 0

    @classmethod
    def from_rows(cls, rows: list[tuple[int, int, int, int]], total_units: int, total_documents: int) -> StemCounts:
        """Counts from ``(key, units, documents, content)`` rows in any order."""
        table = np.array(rows, dtype=np.int64).reshape(-1, 4)
        table = table[np.argsort(table[:, 0], kind="stable")]
        return cls(np.ascontiguousarray(table[:, 0]), np.ascontiguousarray(table[:, 1:]), total_units, total_documents)

    def of(self, keys: np.ndarray) -> np.ndarray:
        """``(len(keys), 3)`` counts of ``keys`` (zeros for a stem the index does not hold)."""
        at = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        found = np.zeros((len(keys), 3), np.int64)
        if len(self.keys):
            hit = self.keys[at] == keys
            found[hit] = self.rows[at[hit]]
        return found


@dataclass(frozen=True)
class NewEntry:
    """A document to add, with its keys."""

    id: str
    added: float
    meta: dict[str, Any]
    signature: np.ndarray
    packed_text: bytes  # pack_text(text)
    band_keys: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    anchors: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    sentences: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # sentence keys
    rare_stems: bytes = b""  # which of its stems are rare (SentenceStems.pack_rare): its keys made again


class Store(Protocol):
    """The interface of an index backend."""

    location: str

    def read_settings(self) -> str | None:
        """The stored settings (JSON), or None for a new, empty store."""

    def write_settings(self, text: str) -> str:
        """Store the settings unless some are stored already; return the stored ones."""

    def reading(self) -> AbstractContextManager[None]:
        """A consistent read: no batch is seen half-written."""

    def writing(self) -> AbstractContextManager[None]:
        """An exclusive check-and-write: one writer at a time, its batch applied whole or not at all."""

    def lookup(self, band_keys: np.ndarray, anchors: np.ndarray) -> tuple[Postings, Postings]:
        """The postings of these band keys and anchors (keys may repeat): ``(bands, anchors)``."""

    def sentence_postings(self, keys: np.ndarray) -> Postings:
        """The postings of these sentence keys (distinct)."""

    def stem_counts(self, keys: np.ndarray) -> StemCounts:
        """The counts of these stem keys (distinct), with the totals."""

    def add_stem_counts(self, keys: np.ndarray, changes: np.ndarray, units: int, documents: int) -> None:
        """Add ``changes`` (``(n, 3)``, signed) to the counts of ``keys`` (distinct), and
        ``units`` and ``documents`` to the totals (inside ``writing()``)."""

    def numbers(self, ids: Iterable[str]) -> dict[str, int]:
        """The numbers of the ids that are stored."""

    def documents(self, nums: Iterable[int]) -> dict[int, StoredDoc]:
        """The stored documents with these numbers."""

    def insert(self, entries: list[NewEntry]) -> None:
        """Add documents (inside ``writing()``)."""

    def delete(self, entries: list[tuple[int, list[int], list[int], list[int]]]) -> None:
        """Remove documents given as ``(num, band_keys, anchors, sentence_keys)`` (inside
        ``writing()``)."""

    def record_decisions(self, decisions: dict[int, str]) -> None:
        """Keep each document's first decision (JSON, by number), where none is kept yet."""

    def older_than(self, timestamp: float) -> list[int]:
        """Numbers of the documents added before ``timestamp`` (seconds since the epoch)."""

    def all_numbers(self) -> Iterator[int]:
        """Every stored number."""

    def stats(self) -> dict[str, Any]:
        """Counts and sizes."""

    def compact(self) -> None:
        """Give back unused space."""

    def close(self) -> None:
        """Release the connection."""


def pack_text(text: str) -> bytes:
    """The stored form of a text: a zlib stream.

    ISA-L writes it (at level 1, about 3x faster than zlib's level 1 and a little smaller);
    any zlib reads it.
    """
    return isal_zlib.compress(text.encode("utf-8"), 1)


def unpack_text(data: bytes, location: str = "the index", num: int | None = None) -> str:
    """A text from its stored form; an IndexStoreError naming the index and the document's
    number when the stored form is damaged."""
    try:
        if data is None:
            raise ValueError("it has none")
        return zlib.decompress(data).decode("utf-8")
    except (zlib.error, ValueError, TypeError) as error:
        raise IndexStoreError(f"{location}: the stored text of document number {num} is damaged ({error}); "
                              f"run 'dedup index check {location}' to see what else is, then restore the index "
                              "from a copy or build it again.") from None


def pack_meta(meta: dict[str, Any]) -> str:
    """The stored form of metadata: compact JSON, keys sorted."""
    return json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

