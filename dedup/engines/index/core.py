"""The persistent index: check documents against everything added before, with evidence.

A batch is handled in one store transaction: fingerprint every document, look up all its
band keys and anchors at once, then find and verify the candidates of each document, in
input order, each one seeing the index and the documents before it in the batch; with
``add`` the batch is then written in the same transaction. The strongest matches are then
aligned for their passages (see :mod:`dedup.engines.index.decide`).
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

from dedup.arrays import sorted_unique
from dedup.engines.index.backends import open_store
from dedup.engines.index.decide import (
    Aligner,
    BatchDecider,
    Decision,
    Match,
    Pending,
    settle_all,
)
from dedup.engines.index.fingerprints import IndexFingerprint, fingerprint_texts
from dedup.engines.index.rewrites import (
    RewriteFinder,
    SentenceStems,
    StemCache,
    batch_keys,
    stem_deltas,
)
from dedup.engines.index.settings import IndexSettings
from dedup.engines.index.store import NewEntry, StoredDoc, pack_text
from dedup.engines.index.workers import HelperPool
from dedup.errors import IndexStoreError
from dedup.read.intake import content_named
from dedup.records import Document
from dedup.settings import BATCH_SIZE
from dedup.sketch.fingerprinter import Fingerprinter

__all__ = ["Decision", "Index", "Match"]


class Index:
    """A persistent near-duplicate and reuse index (SQLite file or Redis server).

    Parameters
    ----------
    location : str or os.PathLike
        A SQLite file path (created when missing) or ``redis://host:port/db``.
    read_only : bool
        Open for checks only (several readers may share a file with one writer).
    create : bool
        Create the index when there is none (True), or raise IndexStoreError (False).
    **settings
        Fields of :class:`IndexSettings`. A new index stores them; an existing index
        must be opened with the values it was created with, except ``max_matches`` and
        ``min_anchors``, and a ``threshold`` above the stored one (stricter), which apply
        to this run only.

    Raises
    ------
    ParameterError
        A setting is out of range or differs from the stored one.
    IndexStoreError
        The index cannot be opened (missing with ``read_only``, not an index, server down).

    Examples
    --------
    >>> import tempfile, os
    >>> story = ("The council approved the new budget on Tuesday after a long debate about roads, "
    ...          "schools and the harbour, and spending on all three will rise next year.")
    >>> with Index(os.path.join(tempfile.mkdtemp(), "news.db")) as index:
    ...     first = index.check_and_add([Document("a", story)])
    ...     second = index.check_and_add([Document("b", story + " More soon.")])
    >>> first[0].decision, second[0].decision, second[0].matches[0].doc
    ('unique', 'duplicate', 'a')
    """

    def __init__(self, location, *, read_only: bool = False, create: bool = True, **settings) -> None:
        self.location = str(location)
        requested = IndexSettings.from_settings(settings, "index")  # validated before anything is opened
        self._store = open_store(self.location, read_only=read_only, create=create)
        try:
            stored = self._store.read_settings()
            if stored is None:
                if read_only or not create:
                    raise IndexStoreError(f"{self.location}: no index there; create it with 'dedup index create'.")
                stored = self._store.write_settings(json.dumps(requested.stored()))
            kept = IndexSettings.from_stored(stored, self.location)
            # A stricter threshold than the stored one only filters more: allowed per run.
            self.threshold = max(settings.get("threshold", kept.threshold), kept.threshold)
            if settings.get("threshold", kept.threshold) >= kept.threshold:
                settings = {k: v for k, v in settings.items() if k != "threshold"}
            self.settings = kept.merged(settings, self.location)
        except BaseException:
            self._store.close()
            raise
        self._fingerprinter = Fingerprinter.of(self.settings)
        self._aligner = Aligner(self.settings)
        self._stem_cache = StemCache()

    # -- public API ------------------------------------------------------------------------

    def check(self, documents: Iterable[Document | str]) -> list[Decision]:
        """Decide each document against the index and the ones before it; add nothing."""
        return self._run(content_named(documents), add=False)

    def check_and_add(self, documents: Iterable[Document | str]) -> list[Decision]:
        """Decide each document, then add the batch, atomically: a concurrent writer sees
        all of it or none of it, and waits until it is written."""
        return self._run(content_named(documents), add=True)

    def stream(
        self,
        documents: Iterable[Document | str],
        *,
        add: bool = True,
        batch_size: int = 512,
        jobs: int = 1,
        max_age: timedelta | None = None,
    ) -> Iterator[list[Decision]]:
        """Decide a stream of documents batch by batch; yield each batch's decisions, in order.

        Each batch is decided (and, with ``add``, added) as :meth:`check_and_add` or
        :meth:`check` would, and its decisions are yielded once it is committed. The input
        is read lazily, so a stream of any length runs in constant memory.

        Parameters
        ----------
        documents : iterable of Document or str
        add : bool
            Add each batch after deciding it (check-and-add), or only check.
        batch_size : int
            Documents per transaction: a crash loses at most the batch in flight.
        jobs : int
            Processes that fingerprint and align. With more than 1, helper processes
            fingerprint the next batch and align the previous one while this process
            writes the current one, so decisions trail the input by up to two batches.
        max_age : datetime.timedelta, optional
            With ``add``, before each batch, remove the documents added longer ago.
        """
        batches = _batches(documents, batch_size)
        if jobs <= 1:
            for docs in batches:
                self._expire(max_age, add)
                yield self._run(docs, add=add)
            return
        first = next(batches, None)
        second = next(batches, None) if first is not None else None
        if second is None:  # one batch is not worth starting helpers for
            if first is not None:
                self._expire(max_age, add)
                yield self._run(first, add=add)
            return
        pool = HelperPool(self.settings, jobs)
        try:
            ahead = itertools.chain([second], batches)

            def start(docs: list[Document]) -> tuple[list[Document], Callable[[], list[IndexFingerprint]]]:
                return docs, pool.fingerprint([d.text for d in docs], pack=add, stems=self.settings.paraphrase)

            fingerprinting: tuple | None = start(first)
            settling = None
            while fingerprinting is not None:
                docs, prints = fingerprinting
                following = next(ahead, None)
                fingerprinting = None if following is None else start(following)
                self._expire(max_age, add)
                pending = self._pending(docs, prints(), add=add)
                if settling is not None:
                    yield self._kept(settling(), add)
                settling = pool.settle(pending)
            if settling is not None:
                yield self._kept(settling(), add)
        finally:
            pool.close()

    def add(self, documents: Iterable[Document | str]) -> int:
        """Add documents without deciding; return how many were added or replaced.

        Re-adding an id with the same text changes nothing; with another text, the new
        text replaces the old.
        """
        return self._write(content_named(documents), {})

    def remove(self, ids: Iterable[str]) -> int:
        """Remove documents by id; return how many were there."""
        with self._store.writing():
            nums = self._store.numbers(list(ids))
            self._delete(list(nums.values()))
        return len(nums)

    def prune(self, before: datetime | float) -> int:
        """Remove the documents added before a time (a datetime, or seconds since the epoch)."""
        timestamp = before.timestamp() if isinstance(before, datetime) else float(before)
        with self._store.writing():
            nums = self._store.older_than(timestamp)
            self._delete(nums)
        return len(nums)

    def stats(self) -> dict[str, Any]:
        """Counts, sizes and the settings of the index."""
        stats = self._store.stats()
        docs = stats["documents"]
        stats["bytes_per_document"] = round(stats["bytes"] / docs, 1) if docs else None
        stats["bytes_per_document_beyond_text"] = (
            round((stats["bytes"] - stats["text_bytes"]) / docs, 1) if docs else None
        )
        stats["settings"] = self.settings.stored()
        return stats

    def compact(self) -> dict[str, Any]:
        """Give back the space of removed documents; return the stats after."""
        self._store.compact()
        return self.stats()

    def close(self) -> None:
        """Release the file or connection."""
        self._store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the work ----------------------------------------------------------------------------

    def _run(self, docs: list[Document], *, add: bool) -> list[Decision]:
        pending = self._pending(docs, self._fingerprint([d.text for d in docs]), add=add)
        return self._kept(settle_all(pending, self._fingerprinter, self._aligner), add)

    def _fingerprint(self, texts: list[str]) -> list[IndexFingerprint]:
        return fingerprint_texts(self._fingerprinter, texts, stems=self.settings.paraphrase)

    def _kept(self, decisions: list[Decision], add: bool) -> list[Decision]:
        """``decisions``, once each added document's first decision is kept with it (a
        document delivered again is answered with it). A process stopped between the batch's
        commit and this write leaves those documents without one: they are then decided
        again, against the documents numbered before them (:meth:`BatchDecider.decide`)."""
        if add and decisions:
            last = {d.id: d for d in decisions}  # the last text given for an id is the one kept
            with self._store.writing():
                numbers = self._store.numbers(list(last))
                self._store.record_decisions({numbers[i]: d.first_answer() for i, d in last.items() if i in numbers})
        return decisions

    def _pending(self, docs: list[Document], prints: list[IndexFingerprint], *, add: bool) -> list[Pending]:
        """Find and verify the candidates of a batch (and add it), in one transaction."""
        if not docs:
            return []
        transaction: AbstractContextManager = self._store.writing() if add else self._store.reading()
        with transaction:
            bands, anchors = self._store.lookup(
                np.concatenate([p.band_keys for p in prints]), np.concatenate([p.anchors for p in prints])
            )
            numbers = self._store.numbers([d.id for d in docs])
            indexed = {stored.id: stored for stored in self._store.documents(numbers.values()).values()}
            rewrites = None
            if self.settings.paraphrase:
                counted = [d.id in indexed and indexed[d.id].text == d.text for d in docs]
                rewrites = RewriteFinder([p.stems for p in prints], self._store.stem_counts,
                                         self._store.sentence_postings, sees_batch=add, indexed=counted)
            decider = BatchDecider(self.settings, self.threshold, bands, anchors, sees_batch=add,
                                   rewrites=rewrites, stem_cache=self._stem_cache)
            pending = decider.decide(docs, prints, self._store.documents, indexed)
            if add:
                rare = {d.id: rewrites.rare[k] for k, d in enumerate(docs)} if rewrites else {}
                self._write(docs, dict(zip((d.id for d in docs), prints)), in_transaction=True, indexed=indexed,
                            rare=rare)
        return pending

    def _expire(self, max_age: timedelta | None, add: bool) -> None:
        if max_age is not None and add:
            self.prune(datetime.now(timezone.utc) - max_age)

    def _write(self, docs: list[Document], prints: dict[str, IndexFingerprint], *, in_transaction: bool = False,
               indexed: dict[str, StoredDoc] | None = None, rare: dict[str, np.ndarray] | None = None) -> int:
        """Add or replace ``docs``; ``indexed``: the stored documents with their ids, by id,
        when the caller has read them in this transaction already; ``rare``: the masks of
        some documents' rare stems, by id, when the caller has made them (from the counts the
        index holds before the write)."""
        latest = {doc.id: doc for doc in docs}  # the last text given for an id wins
        if not in_transaction:
            with self._store.writing():
                return self._write(docs, prints, in_transaction=True)
        if indexed is None:
            numbers = self._store.numbers(list(latest))
            indexed = {found.id: found for found in self._store.documents(numbers.values()).values()}
        changed = [doc for doc in latest.values() if doc.id not in indexed or indexed[doc.id].text != doc.text]
        replaced = [indexed[doc.id] for doc in changed if doc.id in indexed]
        self._delete([found.num for found in replaced], {found.num: found for found in replaced})
        missing = [doc for doc in changed if doc.id not in prints]
        prints = {**prints, **dict(zip((d.id for d in missing), self._fingerprint([d.text for d in missing])))}
        rare = dict(rare or {})
        if self.settings.paraphrase:
            unmade = [doc.id for doc in changed if doc.id not in rare]
            if unmade:
                stems = [prints[i].stems for i in unmade]
                counts = self._store.stem_counts(sorted_unique(np.concatenate([s.keys for s in stems])))
                rare.update(zip(unmade, batch_keys(stems, counts, one_at_a_time=True)[0]))
            self._store.add_stem_counts(*stem_deltas([prints[doc.id].stems for doc in changed], []))
        now = time.time()
        self._store.insert([
            NewEntry(
                id=doc.id, added=now, meta=doc.meta, signature=prints[doc.id].signature,
                packed_text=prints[doc.id].packed_text or pack_text(doc.text),
                band_keys=prints[doc.id].band_keys, anchors=prints[doc.id].anchors,
                **_sentence_fields(prints[doc.id].stems, rare.get(doc.id)),
            )
            for doc in changed
        ])
        return len(changed)

    def _delete(self, nums: list[int], known: dict[int, StoredDoc] | None = None) -> None:
        if not nums:
            return
        known = known if known is not None else {}
        docs = {**self._store.documents([n for n in nums if n not in known]), **known}
        nums = [n for n in nums if n in docs]
        prints = self._fingerprint([docs[n].text for n in nums])
        self._store.delete([
            (num, p.band_keys.tolist(), p.anchors.tolist(),
             _sentence_fields(p.stems, p.stems.unpack_rare(docs[num].rare_stems) if p.stems else None)
             ["sentences"].tolist())
            for num, p in zip(nums, prints)
        ])
        if self.settings.paraphrase and prints:
            self._store.add_stem_counts(*stem_deltas([], [p.stems for p in prints]))
            self._stem_cache.forget(nums)


def _sentence_fields(stems: SentenceStems | None, rare: np.ndarray | None) -> dict[str, Any]:
    """A document's sentence keys and stored rare stems, from its stems and the mask of
    those that are rare (none without the rewrite tier)."""
    if stems is None or rare is None:
        return {"sentences": np.empty(0, dtype=np.int64), "rare_stems": b""}
    return {"sentences": sorted_unique(stems.sentence_keys(rare)[1]), "rare_stems": stems.pack_rare(rare)}


def _batches(documents: Iterable[Document | str], size: int) -> Iterator[list[Document]]:
    BATCH_SIZE.check(size, "index")
    iterator = iter(documents)
    while batch := content_named(itertools.islice(iterator, size)):
        yield batch
