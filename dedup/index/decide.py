"""Deciding a batch: candidates, exact similarity, then passages that settle each decision.

Deciding is split in two so that the part that must see the index runs inside the store
transaction and the costly rest may run elsewhere (another process):

1. :class:`BatchDecider` (inside the transaction) finds each document's candidates, stored
   or earlier in the batch, from shared band keys and anchors, and verifies them on their
   text: the exact Jaccard similarity of the shingle sets (as the scan computes it) and the
   number of shared shingles. What survives is a :class:`Pending` decision: the candidates
   worth aligning, with their texts, strongest first.
2. :func:`settle` (anywhere) aligns them with the copy tier (the same aligner as
   ``dedup scan --no-paraphrase``) and gives the :class:`Decision`. It needs nothing but
   the pending decision, so a duplicate found in the transaction is a duplicate whatever
   runs the alignment, and two writers can never both be told ``unique``.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..align import AlignOptions, align_pair
from ..fingerprint import DocumentPrint, TokenHasher
from ..passages import combine
from ..records import Document, Passage, Side
from ..report import passage_to_dict
from ..text import analyze
from .prints import IndexPrint, Printer
from .settings import IndexSettings

__all__ = ["Aligner", "BatchDecider", "Decision", "Match", "Pending", "settle"]

# Anchor candidates per document at most (the ones sharing most anchors): text shared by
# very many documents must not make one check align against all of them.
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


@dataclass(frozen=True)
class Attempt:
    """A verified candidate to align: its id and text, and the exact scores."""

    doc: str
    text: str
    similarity: float
    containment: float


@dataclass(frozen=True)
class Pending:
    """A decision whose candidates are known and verified, waiting for its passages."""

    doc: Document
    attempts: tuple[Attempt, ...]
    threshold: float
    max_matches: int


@dataclass
class _Candidate:
    id: str
    text: str
    shingles: np.ndarray


class BatchDecider:
    """Pending decisions for one batch, in input order, from postings looked up once.

    Parameters
    ----------
    printer : Printer
        Computes the shingle sets of candidate texts.
    settings : IndexSettings
    threshold : float
        Similarity of a duplicate (this run's, at least the stored one).
    bands, anchors : dict
        The stored postings of every band key and anchor of the batch: key to doc numbers.
    stored : dict
        Stored documents by number (as ``StoredDoc``), fetched by the caller for
        :meth:`wanted` numbers.
    sees_batch : bool
        Whether a document is checked against the earlier documents of its batch too
        (when the batch is being added).
    """

    def __init__(self, printer: Printer, settings: IndexSettings, threshold: float,
                 bands: dict[int, list[int]], anchors: dict[int, list[int]], *, sees_batch: bool) -> None:
        self.printer = printer
        self.settings = settings
        self.threshold = threshold
        self.bands = bands
        self.anchors = anchors
        self.sees_batch = sees_batch
        self.stored: dict[int, _Candidate] = {}

    def decide(self, docs: list[Document], prints: list[IndexPrint], fetch) -> list[Pending]:
        """Pending decisions of ``docs``; ``fetch(numbers)`` returns stored documents by number."""
        chosen = self._choose(docs, prints)
        wanted = sorted({key for keys in chosen for key in keys if not isinstance(key, str)})
        fetched = fetch(wanted)
        shingle_sets = self.printer.shingle_sets([stored.text for stored in fetched.values()])
        for (num, stored), shingles in zip(fetched.items(), shingle_sets):
            self.stored[num] = _Candidate(stored.id, stored.text, shingles)
        batch: dict[str, _Candidate] = {}
        pending = []
        for doc, p, keys in zip(docs, prints, chosen):
            candidates = []
            for key in keys:
                candidate = batch.get(key) if isinstance(key, str) else self.stored.get(key)
                # A stored document replaced by a text of its id earlier in this batch is gone.
                if candidate is None or candidate.id == doc.id or (not isinstance(key, str) and candidate.id in batch):
                    continue
                candidates.append(candidate)
            pending.append(self._verify(doc, p, candidates))
            if self.sees_batch:
                batch[doc.id] = _Candidate(doc.id, doc.text, p.shingles)
        return pending

    def _choose(self, docs: list[Document], prints: list[IndexPrint]) -> list[list]:
        """Per document, the keys of its candidates: stored numbers, or ids earlier in the batch."""
        batch_bands: dict[int, list[str]] = {}
        batch_anchors: dict[int, list[str]] = {}
        chosen = []
        for doc, p in zip(docs, prints):
            own_bands, own_anchors = p.band_keys.tolist(), p.anchors.tolist()
            keys: set = set()
            anchor_hits: Counter = Counter()
            for table, hits in ((self.bands, keys), (batch_bands, keys)):
                for key in table.keys() & own_bands:  # most keys have no posting: skip them at C speed
                    hits.update(table[key])
            for table in (self.anchors, batch_anchors):
                for key in table.keys() & own_anchors:
                    anchor_hits.update(table[key])
            if anchor_hits:
                ranked = sorted(anchor_hits.items(), key=lambda item: (-item[1], isinstance(item[0], str), item[0]))
                keys.update(key for key, n in ranked[:_MAX_ANCHOR_CANDIDATES] if n >= self.settings.min_anchors)
            keys.discard(doc.id)
            chosen.append(sorted(keys, key=lambda k: (isinstance(k, str), k)))
            if self.sees_batch:
                for table, own in ((batch_bands, own_bands), (batch_anchors, own_anchors)):
                    for key in own:
                        names = table.setdefault(key, [])
                        if doc.id not in names:
                            names.append(doc.id)
        return chosen

    def _verify(self, doc: Document, p: IndexPrint, candidates: list[_Candidate]) -> Pending:
        scored = []
        for candidate in candidates:
            shared = len(np.intersect1d(p.shingles, candidate.shingles, assume_unique=True))
            union = len(p.shingles) + len(candidate.shingles) - shared
            similarity = shared / union if union else 0.0
            containment = shared / len(p.shingles) if len(p.shingles) else 0.0
            scored.append((similarity, containment, candidate.id, shared, candidate))
        # A passage of min_words words shares at least this many consecutive shingles.
        least = max(1, self.settings.min_words - self.settings.shingle + 1)
        scored = [s for s in scored if s[0] >= self.threshold or s[3] >= least]
        scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
        attempts = tuple(
            Attempt(candidate.id, candidate.text, round(similarity, 4), round(containment, 4))
            for similarity, containment, _, _, candidate in scored[: 2 * self.settings.max_matches]
        )
        return Pending(doc, attempts, self.threshold, self.settings.max_matches)


class Aligner:
    """Copy-tier alignment of two texts, keeping the layouts of recent texts.

    Parameters
    ----------
    settings : IndexSettings
    cache_size : int
        Texts whose layouts are kept (an incoming document is aligned with several
        candidates, and a much-copied source with many incoming documents).
    """

    def __init__(self, settings: IndexSettings, cache_size: int = 256) -> None:
        self.options = AlignOptions(min_words=settings.min_words, max_gap=settings.max_gap)
        self.shingle = settings.shingle
        self._hasher = TokenHasher()
        self._cache: OrderedDict[tuple[str, str], DocumentPrint] = OrderedDict()
        self._cache_size = cache_size

    def passages(self, doc: Document, other: Document) -> list[Passage]:
        """The passages ``doc`` (side ``a``) shares with ``other`` (side ``b``)."""
        a, b = self._print(doc), self._print(other)
        copies = align_pair(a, b, self.options)
        combined = combine(copies, [], a.layout, b.layout, self.options.max_gap)
        return [Passage(al.kind, al.score, Side(doc.id, al.a_start, al.a_end), Side(other.id, al.b_start, al.b_end))
                for al in combined]

    def _print(self, doc: Document) -> DocumentPrint:
        key = (doc.id, doc.text)
        found = self._cache.get(key)
        if found is None:
            layout = analyze(doc.text)
            found = self._cache[key] = DocumentPrint(layout, self._hasher.hash(layout.words), self.shingle)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return found


def settle(pending: Pending, aligner: Aligner) -> Decision:
    """Align a pending decision's candidates, strongest first, and decide.

    A candidate becomes a match when it reaches the threshold or shares a passage that is
    not a quotation; at most ``max_matches`` matches are kept.
    """
    matches = []
    for attempt in pending.attempts:
        if len(matches) == pending.max_matches:
            break
        passages = aligner.passages(pending.doc, Document(attempt.doc, attempt.text))
        if attempt.similarity >= pending.threshold or any(x.kind != "quote" for x in passages):
            matches.append(Match(attempt.doc, attempt.similarity, attempt.containment, passages))
    if any(m.similarity >= pending.threshold for m in matches):
        verdict = "duplicate"
    elif any(passage.kind != "quote" for m in matches for passage in m.passages):
        verdict = "reuses"
    else:
        verdict = "unique"
    return Decision(id=pending.doc.id, decision=verdict, matches=matches)
