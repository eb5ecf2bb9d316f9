"""The index's rewrite tier: finding a rewritten article among the indexed ones.

A rewrite shares few shingles with its source, so neither band keys nor anchors find it.
The index keeps what the scan's paraphrase tier finds rewrites with:

- **stem counts**: per stem (as a 64-bit key), the sentence units holding it, the documents
  holding it and the units holding it as a content word, with the totals: the counts of
  :class:`~dedup.match.paraphrase.statistics.TermCounts`, for the whole index, changed in
  the transaction that adds or removes a document;
- **stem postings**: stem key -> document, for each content stem of a document that is
  rare when it is added (a content word of at most
  :data:`~dedup.match.paraphrase.neighbours.NEIGHBOUR_MAX_FREQUENCY` units of the index):
  the stems the scan's sentence neighbours index sentences on. A stem past that count is
  no longer posted, so the postings stay a few per document however large the index.

A checked document's rewrite candidates are the documents sharing at least
:data:`LEAST_SHARED` of its rare stems in at least as many of its sentences, the most
first (:data:`MAX_REWRITE_CANDIDATES` at most). Each is aligned with both tiers as the
scan aligns a pair (:meth:`~dedup.match.prepared.PreparedCorpus.passages_between`), with
stem statistics from the index's counts and the document's own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.arrays import distinct_pairs, expand
from dedup.engines.index.store import Postings, StemCounts
from dedup.match.paraphrase.neighbours import NEIGHBOUR_MAX_FREQUENCY
from dedup.match.paraphrase.options import ParaphraseOptions
from dedup.match.paraphrase.statistics import CodedUnits, TermStatistics
from dedup.match.paraphrase.units import SentenceUnits
from dedup.match.prepared import prepare
from dedup.records import Document, Passage
from dedup.settings import ScanConfig
from dedup.sketch.hashing import TokenHasher
from dedup.text.layout import analyze

__all__ = ["LEAST_SHARED", "MAX_REWRITE_CANDIDATES", "RewriteFinder", "SentenceStems", "StemCache",
           "rewrite_passages", "sentence_stems", "stem_deltas"]

# Rewrite candidates aligned per document at most, and the rare stems (and sentences
# holding them) a candidate must share.
MAX_REWRITE_CANDIDATES = 5
LEAST_SHARED = 2


@dataclass(frozen=True)
class SentenceStems:
    """One document's sentence units with their stems, as the index counts them.

    Attributes
    ----------
    coded : CodedUnits
        The units of this one document, coded.
    keys : numpy.ndarray of int64
        The key of each stem of ``coded.vocabulary``.
    """

    coded: CodedUnits
    keys: np.ndarray

    @property
    def counts(self) -> np.ndarray:
        """``(stems, 3)``: per stem, units holding it, documents (1) and content units."""
        coded = self.coded
        return np.column_stack((coded.unit_frequency, coded.document_frequency, coded.content_frequency))

    @property
    def units(self) -> int:
        return self.coded.total_units

    def content_keys(self) -> np.ndarray:
        """The keys of the content stems (those a rare stem can be)."""
        return self.keys[self.coded.content_frequency > 0]


def sentence_stems(texts: Sequence[str]) -> list[SentenceStems]:
    """The sentence stems of each text: its units as the scan makes them
    (:func:`~dedup.match.prepared.prepare_document`), coded, with the stems' keys.

    >>> [found] = sentence_stems(["The storm closed every school in the county on Monday."])
    >>> found.coded.vocabulary[:3], len(found.keys), found.units
    (['close', 'counti', 'everi'], 11, 1)
    """
    hasher = TokenHasher()
    found = []
    for text in texts:
        units = SentenceUnits.from_layout(analyze(text), text, ParaphraseOptions().min_content)
        coded = CodedUnits.of([units])
        found.append(SentenceStems(coded, hasher.hash(coded.vocabulary).view(np.int64)))
    return found


def stem_deltas(added: Sequence[SentenceStems], removed: Sequence[SentenceStems]) -> tuple[np.ndarray, np.ndarray, int, int]:
    """What adding ``added`` and removing ``removed`` changes in the counts: distinct keys
    (sorted), their ``(n, 3)`` changes, and the changes of the unit and document totals."""
    parts = [(s, 1) for s in added] + [(s, -1) for s in removed]
    if not parts:
        return np.empty(0, np.int64), np.empty((0, 3), np.int64), 0, 0
    keys = np.concatenate([s.keys for s, _ in parts])
    rows = np.concatenate([s.counts * sign for s, sign in parts])
    distinct, inverse = np.unique(keys, return_inverse=True)
    changes = np.zeros((len(distinct), 3), np.int64)
    np.add.at(changes, inverse, rows)
    return (distinct, changes, sum(s.units * sign for s, sign in parts),
            sum(sign for _, sign in parts))


class StemCache:
    """The sentence stems of recently met stored documents, by number (a much-rewritten
    source is a candidate of many checks)."""

    def __init__(self, size: int = 512) -> None:
        self._found: OrderedDict[int, SentenceStems] = OrderedDict()
        self._size = size

    def of(self, num: int, text: str) -> SentenceStems:
        found = self._found.get(num)
        if found is None:
            found = self._found[num] = sentence_stems([text])[0]
            if len(self._found) > self._size:
                self._found.popitem(last=False)
        else:
            self._found.move_to_end(num)
        return found

    def forget(self, nums: Sequence[int]) -> None:
        """Drop removed documents (numbers are never given again, but their memory is)."""
        for num in nums:
            self._found.pop(num, None)


# A batch position k is the candidate code _BATCH + k (stored numbers are below it).
_BATCH = 1 << 48


class RewriteFinder:
    """The rewrite candidates of one batch and the statistics to align them with, from what
    the index holds: made inside the batch's transaction.

    Parameters
    ----------
    stems : list of SentenceStems
        The batch's documents' stems, in input order.
    counts : callable
        ``counts(keys)``: the index's :class:`StemCounts` of some keys (the store's).
    postings : callable
        ``postings(keys)``: the index's stem postings of some keys (the store's).
    sees_batch : bool
        Whether a document's candidates include the earlier documents of its batch.
    """

    def __init__(self, stems: list[SentenceStems], counts: Callable[[np.ndarray], StemCounts],
                 postings: Callable[[np.ndarray], Postings], *, sees_batch: bool) -> None:
        self.stems = stems
        self._counts = counts
        keys = np.unique(np.concatenate([s.keys for s in stems])) if stems else np.empty(0, np.int64)
        self.stored = counts(keys)
        self.rare = [self._rare(s) for s in stems]
        self._postings = postings(np.unique(np.concatenate(self.rare)) if stems else np.empty(0, np.int64))
        if sees_batch:
            owner = np.repeat(np.arange(len(stems)), [len(r) for r in self.rare])
            batch = Postings.sorted(np.concatenate(self.rare) if stems else np.empty(0, np.int64), owner + _BATCH)
            self._postings = Postings.sorted(np.concatenate((self._postings.keys, batch.keys)),
                                             np.concatenate((self._postings.docs, batch.docs)))

    def _rare(self, stems: SentenceStems) -> np.ndarray:
        """The keys of a document's rare stems: content words of at most
        NEIGHBOUR_MAX_FREQUENCY units, counting the index's and its own."""
        content = stems.coded.content_frequency
        total = self.stored.of(stems.keys)[:, 2] + content
        return np.sort(stems.keys[(content > 0) & (total <= NEIGHBOUR_MAX_FREQUENCY)])

    def choose(self, position: int) -> tuple[list[int], list[int]]:
        """The rewrite candidates of the document at ``position``, the most shared first:
        stored numbers and positions of earlier documents of the batch."""
        stems = self.stems[position]
        coded = stems.coded
        unit_of = np.repeat(np.arange(len(coded.content_lengths)), coded.content_lengths)
        occurrence_keys = stems.keys[coded.content_codes]
        rare = np.isin(occurrence_keys, self.rare[position])
        unit_of, occurrence_keys = unit_of[rare], occurrence_keys[rare]
        which, found = expand(self._postings.keys, occurrence_keys)
        candidate = self._postings.docs[found]
        keep = candidate < _BATCH + position
        candidate, which = candidate[keep], which[keep]
        if not len(candidate):
            return [], []
        units = distinct_pairs(candidate, unit_of[which])[:, 0]
        keys = distinct_pairs(candidate, occurrence_keys[which])[:, 0]
        names, unit_hits = np.unique(units, return_counts=True)
        key_hits = np.unique(keys, return_counts=True)[1]
        enough = (unit_hits >= LEAST_SHARED) & (key_hits >= LEAST_SHARED)
        names, unit_hits, key_hits = names[enough], unit_hits[enough], key_hits[enough]
        best = names[np.lexsort((names, -key_hits, -unit_hits))][:MAX_REWRITE_CANDIDATES].tolist()
        return [c for c in best if c < _BATCH], [c - _BATCH for c in best if c >= _BATCH]

    def statistics(self, position: int, stored: Sequence[SentenceStems],
                   earlier: Sequence[int]) -> TermStatistics:
        """The stem statistics to align the document at ``position`` with some stored
        documents (their stems) and earlier documents of the batch (their positions): the
        index's counts, plus those of the document and of the earlier ones (not stored yet)."""
        own = [self.stems[position], *(self.stems[k] for k in earlier)]
        parts = [*own, *stored]
        keys = np.concatenate([s.keys for s in parts])
        terms = [t for s in parts for t in s.coded.vocabulary]
        distinct, first = np.unique(keys, return_index=True)
        counts = self._stored_counts(distinct)
        added, changes, units, documents = stem_deltas(own, [])
        counts[np.searchsorted(distinct, added)] += changes
        return TermStatistics([terms[k] for k in first.tolist()], counts[:, 0], counts[:, 1], counts[:, 2],
                              self.stored.total_units + units, self.stored.total_documents + documents)

    def _stored_counts(self, keys: np.ndarray) -> np.ndarray:
        """The index's counts of ``keys`` (sorted, distinct), read where not read yet."""
        missing = keys[~np.isin(keys, self.stored.keys)]
        counts = self.stored.of(keys)
        if len(missing):
            extra = self._counts(missing)
            read = np.isin(keys, missing)
            counts[read] = extra.of(keys[read])
        return counts


def rewrite_passages(doc: Document, others: Sequence[Document], statistics: TermStatistics,
                     config: ScanConfig) -> list[list[Passage]]:
    """The passages ``doc`` (side ``a``) shares with each of ``others``, both tiers, as the
    scan finds them in a pair (``config``: its shingle, passage and paraphrase settings)."""
    prepared = prepare([doc, *others], config, statistics=statistics)
    return [prepared.passages_between(0, k) for k in range(1, len(others) + 1)]
