"""The fresh tier of a SQLite index, and its copy in each process's memory.

Band keys and anchors are random, so writing a batch's 14,000 of them into a large
key-ordered table touches a page for nearly every one, and every touched page is written
again at commit: a batch would cost more the larger the index. So a new document's keys
go into one row of the ``fresh`` table (its band keys and anchors as JSON arrays, appended
in number order), and are moved into the large key-ordered tables in bulk, in key order,
once the fresh tier holds a sixteenth as many documents as the large one (see
:mod:`dedup.engines.index.sqlite_store`).

A document of an index with the rewrite tier posts its sentence keys the same way (a
third array of its fresh row).

The fresh rows are not indexed by key in the file: each process keeps their postings in
memory (:class:`PostingRuns`) and looks keys up there. Before each lookup it reads the rows
that other writers added since (document numbers only grow), and reads them all again when
a counter in the file says that rows were merged or removed since.
"""

from __future__ import annotations

import json
import sqlite3

import numpy as np

from dedup.arrays import expand
from dedup.engines.index.store import Postings

__all__ = ["FreshMirror", "PostingRuns"]


class PostingRuns:
    """``(key, doc)`` postings in a few runs sorted by key, as a log-structured merge tree
    keeps them: a new run is merged with the last one while that is at most twice its size,
    so adding is cheap and a lookup searches O(log n) runs.

    Examples
    --------
    >>> runs = PostingRuns()
    >>> runs.add(np.array([5, 1]), np.array([10, 10]))
    >>> runs.add(np.array([5]), np.array([11]))
    >>> found = runs.find(np.array([5, 7]))
    >>> found.keys.tolist(), found.docs.tolist()
    ([5, 5], [10, 11])
    """

    def __init__(self) -> None:
        self._runs: list[Postings] = []

    def __len__(self) -> int:
        return sum(len(run.keys) for run in self._runs)

    def add(self, keys: np.ndarray, docs: np.ndarray) -> None:
        """Add postings ``docs[i]`` under ``keys[i]``."""
        if len(keys):
            self._runs.append(Postings.sorted(keys, docs))
        while len(self._runs) > 1 and len(self._runs[-2].keys) <= 2 * len(self._runs[-1].keys):
            last, before = self._runs.pop(), self._runs.pop()
            self._runs.append(Postings.sorted(np.concatenate((before.keys, last.keys)),
                                              np.concatenate((before.docs, last.docs))))

    def find(self, keys: np.ndarray) -> Postings:
        """The postings under ``keys`` (distinct), sorted by key then doc."""
        found_keys, found_docs = [], []
        for run in self._runs:
            which, positions = expand(run.keys, keys)
            found_keys.append(keys[which])
            found_docs.append(run.docs[positions])
        if not found_keys:
            return Postings(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
        return Postings.sorted(np.concatenate(found_keys), np.concatenate(found_docs))

    def clear(self) -> None:
        """Forget every posting."""
        self._runs.clear()


class FreshMirror:
    """One process's copy of the fresh tier's postings, kept up to date from the file."""

    def __init__(self) -> None:
        self.bands = PostingRuns()
        self.anchors = PostingRuns()
        self.sentences = PostingRuns()
        self._seen = 0  # the highest document number read
        self._generation: int | None = None

    def refresh(self, db: sqlite3.Connection, generation: int, sentences: str = "sentences") -> None:
        """Catch up with the file (inside a transaction); ``generation`` counts the merges
        and removals that emptied fresh rows so far; ``sentences``: the column of the
        sentence keys (``'[]'`` for a file made before there was one, read-only)."""
        if generation != self._generation:
            for runs in (self.bands, self.anchors, self.sentences):
                runs.clear()
            self._seen, self._generation = 0, generation
        rows = db.execute(f"SELECT num, bands, anchors, {sentences} FROM fresh WHERE num > ? ORDER BY num",
                          (self._seen,)).fetchall()
        if not rows:
            return
        for runs, column in ((self.bands, 1), (self.anchors, 2), (self.sentences, 3)):
            keys = [json.loads(row[column]) for row in rows]
            nums = np.repeat(np.array([row[0] for row in rows], dtype=np.int64), [len(k) for k in keys])
            runs.add(np.fromiter((key for ks in keys for key in ks), dtype=np.int64, count=len(nums)), nums)
        self._seen = rows[-1][0]
