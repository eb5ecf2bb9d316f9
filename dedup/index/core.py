"""The persistent index: check documents against everything added before, with evidence.

A batch is handled in one store transaction: fingerprint every document, look up all its
band keys and anchors at once, then decide document by document, in input order, each one
seeing the index and the documents before it in the batch; with ``add`` the batch is then
written in the same transaction. A candidate is verified on its text: the exact Jaccard
similarity of the shingle sets (as the scan computes it) and, for the strongest matches,
the passages found by the copy tier (the same aligner as ``dedup scan --no-paraphrase``).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import xxhash

from ..config import ScanConfig
from ..errors import ParameterError
from ..passages import prepare
from ..records import Document, Passage
from ..report import passage_to_dict
from .prints import IndexPrint, Printer
from .settings import IndexSettings
from .store import IndexStoreError, NewEntry, StoredDoc, open_store

__all__ = ["Decision", "Index", "Match"]

# Anchor candidates aligned per document at most (the ones sharing most anchors): text
# shared by very many documents must not make one check align against all of them.
_MAX_ANCHOR_CANDIDATES = 50


@dataclass(frozen=True)
class Match:
    """An indexed document that an incoming one duplicates or reuses.

    Attributes
    ----------
    doc : str
        Id of the indexed document.
    similarity : float
        Exact Jaccard similarity of the two shingle sets.
    containment : float
        Share of the incoming document's shingles found in the indexed one.
    passages : list of Passage
        Reused passages, side ``a`` in the incoming document and ``b`` in the indexed one
        (``quote`` passages are shared quotations, not evidence of reuse).
    """

    doc: str
    similarity: float
    containment: float
    passages: list[Passage] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of a match."""
        return {
            "doc": self.doc,
            "similarity": self.similarity,
            "containment": self.containment,
            "passages": [passage_to_dict(p) for p in self.passages],
        }


@dataclass(frozen=True)
class Decision:
    """What the index says of one document.

    ``decision`` is ``"duplicate"`` (a match reaches the threshold), ``"reuses"`` (a match
    shares at least one copied passage) or ``"unique"``.
    """

    id: str
    decision: str
    matches: list[Match]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"id", "decision", "matches"}``."""
        return {"id": self.id, "decision": self.decision, "matches": [m.to_dict() for m in self.matches]}


@dataclass
class _Candidate:
    """One document an incoming one may match: stored (``num``) or earlier in the batch."""

    id: str
    text: str
    shingles: np.ndarray
    bands: int = 0
    anchors: int = 0


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
        unknown = sorted(set(settings) - set(IndexSettings.names()))
        if unknown:
            raise ParameterError(f"Unknown parameter {unknown[0]!r} of index; known: {', '.join(IndexSettings.names())}.")
        requested = IndexSettings(**settings)  # validated before anything is opened
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
        self._printer = Printer(self.settings)
        self._align_config = ScanConfig(
            shingle=self.settings.shingle, min_words=self.settings.min_words,
            max_gap=self.settings.max_gap, paraphrase=False,
        )

    # -- public API ------------------------------------------------------------------------

    def check(self, documents: Iterable[Document | str]) -> list[Decision]:
        """Decide each document against the index and the ones before it; add nothing."""
        return self._run(_documents(documents), add=False, decide=True)

    def check_and_add(self, documents: Iterable[Document | str]) -> list[Decision]:
        """Decide each document, then add the batch, atomically: a concurrent writer sees
        all of it or none of it, and waits until it is written."""
        return self._run(_documents(documents), add=True, decide=True)

    def add(self, documents: Iterable[Document | str]) -> int:
        """Add documents without deciding; return how many were added or replaced.

        Re-adding an id with the same text changes nothing; with another text, the new
        text replaces the old.
        """
        return self._write(_documents(documents), {})

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

    def _run(self, docs: list[Document], *, add: bool, decide: bool) -> list[Decision]:
        prints = self._printer.prints([d.text for d in docs])
        transaction: AbstractContextManager = self._store.writing() if add else self._store.reading()
        with transaction:
            bands, anchors = self._store.lookup(
                (int(k) for p in prints for k in p.band_keys), (int(k) for p in prints for k in p.anchors)
            )
            batch = _Batch(self, bands, anchors, sees_batch=add)
            decisions = [batch.decide(doc, p) for doc, p in zip(docs, prints)]
            if add:
                self._write(docs, dict(zip((d.id for d in docs), prints)), in_transaction=True)
        return decisions

    def _write(self, docs: list[Document], prints: dict[str, IndexPrint], *, in_transaction: bool = False) -> int:
        latest = {doc.id: doc for doc in docs}  # the last text given for an id wins
        if not in_transaction:
            with self._store.writing():
                return self._write(docs, prints, in_transaction=True)
        existing = self._store.numbers(list(latest))
        stored = self._store.documents(existing.values())
        changed = [doc for doc in latest.values() if doc.id not in existing or stored[existing[doc.id]].text != doc.text]
        self._delete([existing[doc.id] for doc in changed if doc.id in existing], stored)
        missing = [doc for doc in changed if doc.id not in prints]
        prints = {**prints, **dict(zip((d.id for d in missing), self._printer.prints([d.text for d in missing])))}
        now = time.time()
        self._store.insert([
            NewEntry(
                id=doc.id, added=now, meta=doc.meta, signature=prints[doc.id].signature, text=doc.text,
                band_keys=prints[doc.id].band_keys.tolist(), anchors=prints[doc.id].anchors.tolist(),
            )
            for doc in changed
        ])
        return len(changed)

    def _delete(self, nums: list[int], known: dict[int, StoredDoc] | None = None) -> None:
        if not nums:
            return
        known = known if known is not None else {}
        docs = {**self._store.documents([n for n in nums if n not in known]), **known}
        entries = []
        prints = self._printer.prints([docs[n].text for n in nums])
        for num, p in zip(nums, prints):
            entries.append((num, p.band_keys.tolist(), p.anchors.tolist()))
        self._store.delete(entries)

    def _align(self, doc: Document, other: _Candidate) -> list[Passage]:
        other_doc = Document(id=other.id, text=other.text)
        if other_doc.id == doc.id:  # never happens for stored ones; keeps prepare's ids apart
            return []
        return prepare([doc, other_doc], self._align_config).passages_between(0, 1)


class _Batch:
    """Decisions for one batch: the stored postings looked up once, plus the batch so far."""

    def __init__(
        self, index: Index, bands: dict[int, list[int]], anchors: dict[int, list[int]], *, sees_batch: bool
    ) -> None:
        self.index = index
        self.sees_batch = sees_batch
        self.settings = index.settings
        self.bands = bands
        self.anchors = anchors
        self.stored: dict[int, _Candidate] = {}
        self.pending: dict[str, _Candidate] = {}
        self.pending_bands: dict[int, list[str]] = {}
        self.pending_anchors: dict[int, list[str]] = {}

    def decide(self, doc: Document, p: IndexPrint) -> Decision:
        band_hits: Counter = Counter()
        anchor_hits: Counter = Counter()
        for key in p.band_keys.tolist():
            band_hits.update(self.bands.get(key, ()))
            band_hits.update(("batch", name) for name in self.pending_bands.get(key, ()))
        for key in p.anchors.tolist():
            anchor_hits.update(self.anchors.get(key, ()))
            anchor_hits.update(("batch", name) for name in self.pending_anchors.get(key, ()))
        strong = [c for c, n in anchor_hits.most_common(_MAX_ANCHOR_CANDIDATES) if n >= self.settings.min_anchors]
        candidates = self._resolve(set(band_hits) | set(strong), doc.id)
        matches = self._verify(doc, p, candidates)
        if self.sees_batch:
            self._remember(doc, p)
        if any(m.similarity >= self.index.threshold for m in matches):
            verdict = "duplicate"
        elif any(passage.kind != "quote" for m in matches for passage in m.passages):
            verdict = "reuses"
        else:
            verdict = "unique"
        return Decision(id=doc.id, decision=verdict, matches=matches)

    def _resolve(self, keys: set, own_id: str) -> dict[Any, _Candidate]:
        nums = [k for k in keys if not isinstance(k, tuple) and k not in self.stored]
        fetched = self.index._store.documents(nums)
        shingle_sets = self.index._printer.shingle_sets([stored.text for stored in fetched.values()])
        for (num, stored), shingles in zip(fetched.items(), shingle_sets):
            self.stored[num] = _Candidate(stored.id, stored.text, shingles)
        found = {}
        for key in keys:
            candidate = self.pending.get(key[1]) if isinstance(key, tuple) else self.stored.get(key)
            if candidate is not None and candidate.id != own_id:
                found[key] = candidate
        # A stored document replaced by a later text of its id in this batch is not a match.
        return {k: c for k, c in found.items() if isinstance(k, tuple) or c.id not in self.pending}

    def _verify(self, doc: Document, p: IndexPrint, candidates: dict) -> list[Match]:
        scored = []
        for candidate in candidates.values():
            shared = len(np.intersect1d(p.shingles, candidate.shingles, assume_unique=True))
            union = len(p.shingles) + len(candidate.shingles) - shared
            similarity = shared / union if union else 0.0
            containment = shared / len(p.shingles) if len(p.shingles) else 0.0
            scored.append((similarity, containment, candidate.id, shared, candidate))
        # A passage of min_words words shares at least this many consecutive shingles.
        least = max(1, self.settings.min_words - self.settings.shingle + 1)
        scored = [s for s in scored if s[0] >= self.index.threshold or s[3] >= least]
        scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
        matches = []
        for attempt, (similarity, containment, _, _, candidate) in enumerate(scored):
            if len(matches) == self.settings.max_matches or attempt == 2 * self.settings.max_matches:
                break
            passages = self.index._align(doc, candidate)
            if similarity >= self.index.threshold or any(x.kind != "quote" for x in passages):
                matches.append(Match(candidate.id, round(similarity, 4), round(containment, 4), passages))
        return matches

    def _remember(self, doc: Document, p: IndexPrint) -> None:
        old = self.pending.get(doc.id)
        if old is not None:  # the same id again in one batch: the later text replaces it
            for table in (self.pending_bands, self.pending_anchors):
                for names in table.values():
                    if doc.id in names:
                        names.remove(doc.id)
        self.pending[doc.id] = _Candidate(doc.id, doc.text, p.shingles)
        for key in p.band_keys.tolist():
            self.pending_bands.setdefault(key, []).append(doc.id)
        for key in p.anchors.tolist():
            self.pending_anchors.setdefault(key, []).append(doc.id)


def _documents(documents: Iterable[Document | str]) -> list[Document]:
    """Documents as given; a plain string gets the hash of its text as id (the same text, the same id)."""
    return [d if isinstance(d, Document) else Document(id=xxhash.xxh3_64_hexdigest(d.encode("utf-8")), text=d)
            for d in documents]

