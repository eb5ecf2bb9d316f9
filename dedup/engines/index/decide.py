"""Deciding a batch: candidates, exact similarity, then passages that settle each decision.

Deciding is split in two so that the part that must see the index runs inside the store
transaction and the costly rest may run elsewhere (another process):

1. :class:`BatchDecider` (inside the transaction) finds each document's candidates, stored
   or earlier in the batch, from shared band keys and anchors, and takes their texts: a
   :class:`Pending` decision. The candidates are fixed there, against the index as it is
   when the batch is written, so two writers adding near-copies at once can never both be
   told ``unique``. With the rewrite tier, it also takes the rewrite candidates
   (:class:`~dedup.engines.index.rewrites.RewriteFinder`) and the stem statistics to align
   them with.
2. :func:`settle_all` (anywhere) verifies each candidate on its text, the exact Jaccard
   similarity of the shingle sets (as the scan computes it) and the shared shingles, then
   aligns the strongest with the copy tier (the same aligner as ``dedup scan
   --no-paraphrase``), aligns the rewrite candidates with both tiers (as ``dedup scan``
   aligns a pair), and gives the :class:`Decision`. It is a function of the pending
   decision alone, so it gives the same answer whichever process runs it.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dedup.arrays import distinct_pairs, expand
from dedup.engines.index.fingerprints import IndexFingerprint
from dedup.engines.index.rewrites import (
    LEAST_IN_ORDER,
    RewriteFinder,
    StemCache,
    rewrite_passages,
    sentences_in_order,
)
from dedup.engines.index.settings import IndexSettings
from dedup.engines.index.store import Postings, StoredDoc
from dedup.match.align import AlignOptions, align_pair
from dedup.match.combine import combine
from dedup.match.paraphrase.statistics import TermStatistics
from dedup.match.sentences import passages_of
from dedup.match.verify import overlap
from dedup.records import Document, Passage
from dedup.report.model import passage_from_dict, passage_to_dict
from dedup.sketch.fingerprinter import Fingerprinter
from dedup.sketch.hashing import TokenHasher
from dedup.sketch.shingles import ShingledDocument
from dedup.text.layout import analyze

__all__ = ["Aligner", "BatchDecider", "Decision", "Match", "Pending", "settle_all"]

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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Match:
        """A match from its JSON form (:meth:`to_dict`)."""
        return cls(data["doc"], data["similarity"], data["containment"], [
            passage_from_dict(p) for p in data["passages"]
        ])


@dataclass(frozen=True)
class Decision:
    """What the index says of one document.

    ``decision`` is ``"duplicate"`` (a match reaches the threshold), ``"reuses"`` (a match
    shares at least one copied passage) or ``"unique"``.

    ``known``: the id was already indexed with the same text (a document delivered again);
    the decision and matches are the ones it was first given, against the documents
    indexed before it (a document added by ``dedup index add``, never checked, is
    ``unique``). ``updated``: the id was indexed with another text, which this one
    replaces once added; it was checked against the other documents.
    """

    id: str
    decision: str
    matches: list[Match]
    known: bool = False
    updated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"id", "decision", "matches", "known", "updated"}``."""
        return {"id": self.id, "decision": self.decision, "matches": [m.to_dict() for m in self.matches],
                "known": self.known, "updated": self.updated}

    def first_answer(self) -> str:
        """What the index keeps of this decision (JSON): the decision and the matches."""
        return json.dumps({"decision": self.decision, "matches": [m.to_dict() for m in self.matches]},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def known_from(cls, doc_id: str, kept: str | None) -> Decision:
        """The decision of a document delivered again, from what :meth:`first_answer` kept."""
        if kept is None:
            return cls(doc_id, "unique", [], known=True)
        data = json.loads(kept)
        return cls(doc_id, data["decision"], [Match.from_dict(m) for m in data["matches"]], known=True)


@dataclass(frozen=True)
class Pending:
    """A document with its candidates (id and text, stored or earlier in its batch), to settle:
    ``candidates`` from shared band keys and anchors, ``rewrites`` from shared rare stems
    (aligned with both tiers, with ``statistics``)."""

    doc: Document
    shingles: np.ndarray
    candidates: tuple[tuple[str, str], ...]
    threshold: float
    least_shared: int
    max_matches: int
    known: bool = False  # indexed already with this text: answered from its first decision
    kept: str | None = None  # that first decision (Decision.first_answer), when kept
    updated: bool = False  # indexed already with another text
    rewrites: tuple[tuple[str, str], ...] = ()
    statistics: TermStatistics | None = None


class BatchDecider:
    """Pending decisions for one batch, in input order, from postings looked up once.

    Parameters
    ----------
    settings : IndexSettings
    threshold : float
        Similarity of a duplicate (this run's, at least the stored one).
    bands, anchors : Postings
        The stored postings of every band key and anchor of the batch.
    sees_batch : bool
        Whether a document is checked against the earlier documents of its batch too
        (when the batch is being added).
    rewrites : RewriteFinder, optional
        The batch's rewrite candidates (an index with the rewrite tier).
    stem_cache : StemCache, optional
        The sentence stems of stored documents met recently.
    """

    def __init__(self, settings: IndexSettings, threshold: float, bands: Postings, anchors: Postings,
                 *, sees_batch: bool, rewrites: RewriteFinder | None = None,
                 stem_cache: StemCache | None = None) -> None:
        self.settings = settings
        self.threshold = threshold
        self.bands = bands
        self.anchors = anchors
        self.sees_batch = sees_batch
        self.rewrites = rewrites
        self.stem_cache = stem_cache or StemCache()

    def decide(self, docs: list[Document], prints: list[IndexFingerprint], fetch,
               indexed: dict[str, StoredDoc] | None = None) -> list[Pending]:
        """Pending decisions of ``docs``; ``fetch(numbers)`` returns stored documents by number;
        ``indexed``: the stored documents with the ids of ``docs``, by id.

        A document whose id is stored with the same text is known: it is answered with the
        decision it was first given, or, where none was kept (the process stopped between
        committing the batch and keeping its decisions), decided again against the stored
        documents numbered before it, which are the ones it was first decided against
        (numbers only grow), less any removed since.
        """
        indexed = indexed or {}
        chosen = self._choose(prints)
        rewritten = [self.rewrites.choose(k) if self.rewrites else ([], []) for k in range(len(docs))]
        stored = fetch(sorted({num for nums, _ in chosen + rewritten for num in nums}))
        # A passage of min_words words shares at least this many consecutive shingles.
        least = self.settings.min_shared_shingles
        latest: dict[str, int] = {}  # id -> its last position so far in the batch (when it is seen)
        replaced: set[str] = set()  # ids given a new text earlier in the batch (when it is seen)
        pending = []

        def visible(doc: Document, same: StoredDoc | None, known: bool, nums: list[int],
                    earlier: list[int]) -> tuple[list[StoredDoc], list[int]]:
            """The candidates a document is decided against: stored ones (less any replaced
            by a text of its id earlier in this batch, and for a known document those
            numbered after it) and positions of earlier ones in the batch."""
            found_stored = [
                found for found in map(stored.get, nums)
                if found is not None and found.id != doc.id
                and ((found.num < same.num and found.id not in replaced) if known else found.id not in latest)
            ]
            found_earlier = [k for k in earlier if not known and docs[k].id != doc.id and latest.get(docs[k].id) == k]
            return found_stored, found_earlier

        for position, (doc, p, (nums, earlier)) in enumerate(zip(docs, prints, chosen)):
            same = indexed.get(doc.id)
            known = same is not None and same.text == doc.text and doc.id not in latest
            if known and same.decision is not None:
                pending.append(Pending(doc, p.shingles, (), self.threshold, least, self.settings.max_matches,
                                       known=True, kept=same.decision))
                if self.sees_batch:
                    latest[doc.id] = position
                continue

            copy_stored, copy_earlier = visible(doc, same, known, nums, earlier)
            candidates = [(f.id, f.text) for f in copy_stored] + [(docs[k].id, docs[k].text) for k in copy_earlier]
            # A document the copy tier verifies already is not aligned again for rewrites.
            rewrite_nums = [n for n in rewritten[position][0] if n not in nums]
            rewrite_stored, rewrite_earlier = visible(doc, same, known, rewrite_nums,
                                                      [k for k in rewritten[position][1] if k not in earlier])
            if rewrite_stored or rewrite_earlier:
                rewrite_stored, rewrite_earlier = self._in_order(position, rewrite_stored, rewrite_earlier)
            rewrites = tuple([(f.id, f.text) for f in rewrite_stored] + [(docs[k].id, docs[k].text)
                                                                         for k in rewrite_earlier])
            statistics = None
            if rewrites:
                statistics = self.rewrites.statistics(
                    position, [self.stem_cache.of(f.num, f.text) for f in rewrite_stored], rewrite_earlier)
            pending.append(Pending(doc, p.shingles, tuple(candidates), self.threshold, least,
                                   self.settings.max_matches, known=known,
                                   updated=same is not None and same.text != doc.text,
                                   rewrites=rewrites, statistics=statistics))
            if self.sees_batch and not known:
                replaced.add(doc.id)
            if self.sees_batch:
                latest[doc.id] = position
        return pending

    def _in_order(self, position: int, stored: list[StoredDoc], earlier: list[int]) -> tuple[list[StoredDoc], list[int]]:
        """The rewrite candidates of the document at ``position`` that have enough sentence
        pairs in order with it to be worth aligning (:func:`sentences_in_order`)."""
        own, rare = self.rewrites.stems[position], self.rewrites.loose[position]
        return ([f for f in stored if sentences_in_order(own, self.stem_cache.of(f.num, f.text), rare) >= LEAST_IN_ORDER],
                [k for k in earlier if sentences_in_order(own, self.rewrites.stems[k], rare) >= LEAST_IN_ORDER])

    def _choose(self, prints: list[IndexFingerprint]) -> list[tuple[list[int], list[int]]]:
        """Per document, its candidates: stored numbers, and positions of earlier documents
        of the batch. Computed for the whole batch at once, on arrays of (document, candidate)
        pairs; a batch position ``k`` is the candidate code ``_BATCH + k``."""
        band_owner, band_keys = _flatten([p.band_keys for p in prints])
        anchor_owner, anchor_keys = _flatten([p.anchors for p in prints])
        band_pairs = [_join(band_owner, band_keys, self.bands)]
        anchor_pairs = [_join(anchor_owner, anchor_keys, self.anchors)]
        if self.sees_batch:
            band_pairs.append(_earlier(band_owner, band_keys))
            anchor_pairs.append(_earlier(anchor_owner, anchor_keys))
        # Anchor candidates: those sharing at least min_anchors anchors, the most first, at most
        # _MAX_ANCHOR_CANDIDATES per document (stored before batch, then by number or position).
        found, shared = distinct_pairs(*map(np.concatenate, zip(*anchor_pairs)), counts=True)
        owner, code = found[:, 0], found[:, 1]
        order = np.lexsort((code, -shared, owner))
        owner, code, shared = owner[order], code[order], shared[order]
        rank = np.arange(len(owner)) - np.searchsorted(owner, owner, side="left")
        keep = (rank < _MAX_ANCHOR_CANDIDATES) & (shared >= self.settings.min_anchors)
        found = distinct_pairs(np.concatenate([owner[keep], *(q for q, _ in band_pairs)]),
                               np.concatenate([code[keep], *(c for _, c in band_pairs)]))
        owner, code = found[:, 0], found[:, 1]
        bounds = np.searchsorted(owner, np.arange(len(prints) + 1))
        chosen = []
        for k in range(len(prints)):
            codes = code[bounds[k] : bounds[k + 1]]
            chosen.append((codes[codes < _BATCH].tolist(), (codes[codes >= _BATCH] - _BATCH).tolist()))
        return chosen


# Candidate codes: a stored document's number, or _BATCH plus a position in the batch.
_BATCH = 1 << 48


def _flatten(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``(owner, value)``: the arrays' values end to end, each with the index of its array."""
    lengths = [len(a) for a in arrays]
    values = np.concatenate(arrays).astype(np.int64) if arrays else np.empty(0, dtype=np.int64)
    return np.repeat(np.arange(len(arrays)), lengths), values


def _join(owner: np.ndarray, keys: np.ndarray, postings: Postings) -> tuple[np.ndarray, np.ndarray]:
    """``(owner, doc)`` for every posting under each of the owners' keys."""
    which, positions = expand(postings.keys, keys)
    return owner[which], postings.docs[positions]


def _earlier(owner: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(owner, _BATCH + k)`` for every earlier position ``k`` of the batch sharing a key."""
    q, k = _join(owner, keys, Postings.sorted(keys, owner))
    earlier = k < q
    return q[earlier], k[earlier] + _BATCH


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
        self.config = settings.scan_config()
        self.shingle = settings.shingle
        self._hasher = TokenHasher()
        self._cache: OrderedDict[tuple[str, str], ShingledDocument] = OrderedDict()
        self._cache_size = cache_size

    def passages(self, doc: Document, other: Document) -> list[Passage]:
        """The passages ``doc`` (side ``a``) shares with ``other`` (side ``b``)."""
        a, b = self._print(doc), self._print(other)
        copies = align_pair(a, b, self.options)
        combined = combine(copies, [], a.layout, b.layout, self.options.max_gap)
        return passages_of([(doc, other, a, b, al) for al in combined])

    def rewrites(self, doc: Document, others: list[Document], statistics: TermStatistics) -> list[list[Passage]]:
        """The passages ``doc`` shares with each of ``others``, both tiers (copy and
        paraphrase), aligned as ``dedup scan`` aligns a pair, with ``statistics``."""
        return rewrite_passages(doc, others, statistics, self.config)

    def _print(self, doc: Document) -> ShingledDocument:
        key = (doc.id, doc.text)
        found = self._cache.get(key)
        if found is None:
            layout = analyze(doc.text)
            found = self._cache[key] = ShingledDocument(layout, self._hasher.hash_layout(layout), self.shingle)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return found


def settle_all(pending: list[Pending], fingerprinter: Fingerprinter, aligner: Aligner) -> list[Decision]:
    """Verify and align the candidates of pending decisions, and decide.

    A candidate is kept when it reaches the threshold or shares enough shingles to hold a
    passage; the kept ones are aligned strongest first, and one becomes a match when it
    reaches the threshold or shares a passage that is not a quotation. At most
    ``max_matches`` matches, out of twice as many tries.
    """
    texts = [text for p in pending for _, text in p.candidates + p.rewrites]
    shingle_sets = iter(fingerprinter.shingle_sets(texts) if texts else [])
    return [_settle(p, [next(shingle_sets) for _ in p.candidates + p.rewrites], aligner) for p in pending]


def _settle(pending: Pending, shingle_sets: list[np.ndarray], aligner: Aligner) -> Decision:
    """A pending decision settled; ``shingle_sets``: those of its candidates, then of its
    rewrite candidates. A rewrite candidate is aligned with both tiers and kept whatever
    its shingle overlap (a rewrite shares few shingles)."""
    if pending.kept is not None:
        return Decision.known_from(pending.doc.id, pending.kept)
    own = pending.shingles
    rewritten = {}
    if pending.rewrites:
        others = [Document(doc_id, text) for doc_id, text in pending.rewrites]
        rewritten = dict(zip((d.id for d in others), aligner.rewrites(pending.doc, others, pending.statistics)))
    scored = []
    for (doc_id, text), shingles in zip(pending.candidates + pending.rewrites, shingle_sets):
        shared, similarity, containment, _ = overlap(own, shingles)
        if doc_id in rewritten or similarity >= pending.threshold or shared >= pending.least_shared:
            scored.append((similarity, containment, doc_id, text))
    scored = sorted(dict((s[2], s) for s in scored).values(), key=lambda s: (-s[0], -s[1], s[2]))
    matches, duplicate = [], False
    for similarity, containment, doc_id, text in scored[: 2 * pending.max_matches]:
        if len(matches) == pending.max_matches:
            break
        passages = rewritten.get(doc_id)
        if passages is None:
            passages = aligner.passages(pending.doc, Document(doc_id, text))
        if similarity >= pending.threshold or any(x.kind != "quote" for x in passages):
            matches.append(Match(doc_id, round(similarity, 4), round(containment, 4), passages))
            duplicate = duplicate or similarity >= pending.threshold
    if duplicate:
        verdict = "duplicate"
    elif any(passage.kind != "quote" for m in matches for passage in m.passages):
        verdict = "reuses"
    else:
        verdict = "unique"
    return Decision(id=pending.doc.id, decision=verdict, matches=matches, known=pending.known,
                    updated=pending.updated)
