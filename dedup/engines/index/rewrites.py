"""The index's rewrite tier: finding a rewritten article among the indexed ones.

A rewrite shares few shingles with its source, so neither band keys nor anchors find it;
it keeps the source's facts in the same sentences, so many of its sentences share rare
content stems (names, numbers, uncommon words) with one of the source's. The index keeps:

- **sentence keys**, per document: for each sentence unit (as the scan's paraphrase tier
  makes them) with at least :data:`SENTENCE_ROWS` rare content stems (held as content
  words by at most :data:`RARE_UNITS` units of the index when the document is added),
  :data:`SENTENCE_BANDS` keys, each one band of :data:`SENTENCE_ROWS` MinHash values of
  those stems. Two sentences whose rare stems have Jaccard similarity ``J`` share a key
  with probability ``1 - (1 - J**2)**3``. Postings: sentence key -> documents; each
  document also keeps which of its stems were rare (:meth:`SentenceStems.pack_rare`, a
  bit per content stem): rarity changes as the index grows, and removing the document
  makes its keys again from them;
- **stem counts**, for the whole index: per stem (as a 64-bit key), the sentence units
  holding it, the documents holding it and the units holding it as a content word, with
  the totals (the counts of :class:`~dedup.match.paraphrase.statistics.TermCounts`),
  changed in the transaction that adds or removes a document.

A checked document looks up the keys of its stems rare now and of those rare
:data:`DRIFT` times over (a source's stems grow common after it is added). Its rewrite
candidates are the documents sharing a key with at least :data:`LEAST_SHARED` of its
sentences, the most first (:data:`MAX_REWRITE_CANDIDATES` at most); a candidate is aligned
with both tiers as the scan aligns a pair
(:meth:`~dedup.match.prepared.PreparedCorpus.passages_between`), with stem statistics from
the index's counts, only if :func:`sentences_in_order` finds :data:`LEAST_IN_ORDER`
sentence pairs in order: independent reports of one event share keys here and there, but
rarely sentences in order, and the alignment tells the rest apart.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.arrays import distinct_pairs, expand, sorted_unique
from dedup.engines.index.store import Postings, StemCounts
from dedup.match.paraphrase.options import ParaphraseOptions
from dedup.match.paraphrase.statistics import CodedUnits, TermStatistics
from dedup.match.paraphrase.units import SentenceUnits
from dedup.match.prepared import prepare
from dedup.records import Document, Passage
from dedup.settings import ScanConfig
from dedup.sketch.hashing import TokenHasher, fmix64
from dedup.text.layout import analyze

__all__ = ["DRIFT", "LEAST_IN_ORDER", "LEAST_SHARED", "MAX_REWRITE_CANDIDATES", "RARE_UNITS", "SENTENCE_BANDS",
           "SENTENCE_ROWS", "RewriteFinder", "SentenceStems", "StemCache", "batch_keys", "rewrite_passages",
           "sentence_stems", "sentences_in_order", "stem_deltas"]

# Sentence keys per unit, and MinHash values per key.
SENTENCE_BANDS = 3
SENTENCE_ROWS = 2
# Rewrite candidates aligned per document at most; sentences of the checked document a
# candidate must share a key with.
MAX_REWRITE_CANDIDATES = 3
LEAST_SHARED = 2
# What a sentence pair must share to count towards sentences_in_order: content stems, and
# their Dice overlap; the run of such pairs a candidate needs before it is aligned.
LEAST_PAIR_STEMS = 3
LEAST_PAIR_DICE = 0.3
LEAST_IN_ORDER = 2
# Stems held as content words by more units of the index than this make no sentence keys
# (a document's keys are made when it is added); a check also looks up the keys of the
# stems held by up to DRIFT times as many.
RARE_UNITS = 50
DRIFT = 4

# The seeds of the sentence MinHash functions (fixed: the keys are stored).
_SEEDS = fmix64(np.arange(1, SENTENCE_BANDS * SENTENCE_ROWS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))


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

    def rare(self, counts: StemCounts, most: int = RARE_UNITS, *, earlier: np.ndarray | None = None) -> np.ndarray:
        """Which stems of ``vocabulary`` are rare: content words held as such by at most
        ``most`` units, counting the index's (``counts``), this document's and ``earlier``
        (per stem, content units of documents not in ``counts`` yet)."""
        content = self.coded.content_frequency
        total = counts.of(self.keys)[:, 2] + content
        if earlier is not None:
            total = total + earlier
        return (content > 0) & (total <= most)

    def pack_rare(self, rare: np.ndarray) -> bytes:
        """The stored form of ``rare`` (a mask of ``coded.vocabulary``): one bit per content
        stem, in vocabulary order. With the same text, :meth:`unpack_rare` gives the mask
        back, and :meth:`sentence_keys` the same keys, however the index has grown since.

        >>> [stems] = sentence_stems(["The storm closed every school in the county on Monday."])
        >>> rare = stems.coded.content_frequency > 0
        >>> np.array_equal(stems.unpack_rare(stems.pack_rare(rare)), rare), len(stems.pack_rare(rare))
        (True, 1)
        """
        return np.packbits(rare[self.coded.content_frequency > 0]).tobytes()

    def unpack_rare(self, data: bytes) -> np.ndarray:
        """The mask :meth:`pack_rare` stored."""
        content = np.flatnonzero(self.coded.content_frequency > 0)
        rare = np.zeros(len(self.coded.vocabulary), bool)
        rare[content] = np.unpackbits(np.frombuffer(data, np.uint8), count=len(content)).astype(bool)
        return rare

    def sentence_keys(self, rare: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The units with at least :data:`SENTENCE_ROWS` rare content stems (``rare``: a
        mask of ``coded.vocabulary``), and their ``(units, SENTENCE_BANDS)`` sentence keys
        (int64, below ``2**31``): each band of :data:`SENTENCE_ROWS` MinHash values of
        those stems, hashed with the band's number."""
        coded = self.coded
        unit_of = np.repeat(np.arange(len(coded.content_lengths)), coded.content_lengths)
        codes = coded.content_codes
        kept = rare[codes]
        unit_of, codes = unit_of[kept], codes[kept]
        if not len(codes):
            return np.empty(0, np.int64), np.empty((0, SENTENCE_BANDS), np.int64)
        units, starts, sizes = np.unique(unit_of, return_index=True, return_counts=True)
        with np.errstate(over="ignore"):
            hashed = fmix64(self.keys[codes].view(np.uint64)[:, None] ^ _SEEDS[None, :])
            enough = sizes >= SENTENCE_ROWS
            minima = np.minimum.reduceat(hashed, starts, axis=0)[enough]
            rows = minima.reshape(len(minima), SENTENCE_BANDS, SENTENCE_ROWS)
            keys = rows[:, :, 0]
            for row in range(1, SENTENCE_ROWS):
                keys = fmix64(keys * np.uint64(0x100000001B3) + rows[:, :, row])
            keys = fmix64(keys + np.arange(SENTENCE_BANDS, dtype=np.uint64)[None, :])
        # 31 bits: SQLite stores such an integer in 4 bytes, not 8.
        return units[enough], (keys >> np.uint64(33)).astype(np.int64)


def sentences_in_order(a: SentenceStems, b: SentenceStems, rare: np.ndarray | None = None) -> int:
    """The longest run of sentence pairs of ``a`` and ``b``, in the same order on both
    sides, whose content stems overlap as a rewritten sentence's do with its source's
    (at least :data:`LEAST_PAIR_STEMS` shared, a Dice overlap of :data:`LEAST_PAIR_DICE`,
    and with ``rare``, a mask of ``a``'s vocabulary, :data:`SENTENCE_ROWS` of the shared
    stems rare): the cheap test a rewrite candidate passes before it is aligned.

    >>> [a, b, c] = sentence_stems([
    ...     "The storm closed every school in the county on Monday. Rivers rose fast across the northern valley.",
    ...     "Every school in the county was shut by Monday's storm. Across the northern valley rivers rose fast.",
    ...     "Across the northern valley rivers rose fast. Every school in the county was shut by Monday's storm."])
    >>> sentences_in_order(a, b), sentences_in_order(a, c)
    (2, 1)
    """
    units_a, codes_a = _content_occurrences(a)
    units_b, codes_b = _content_occurrences(b)
    order = np.argsort(b.keys[codes_b], kind="stable")
    which, found = expand(b.keys[codes_b][order], a.keys[codes_a])
    if not len(which):
        return 0
    left, right = units_a[which], units_b[order][found]
    pairs, shared = distinct_pairs(left, right, counts=True)
    sizes = a.coded.content_lengths[pairs[:, 0]] + b.coded.content_lengths[pairs[:, 1]]
    close = (shared >= LEAST_PAIR_STEMS) & (2 * shared >= LEAST_PAIR_DICE * sizes)
    if rare is not None:
        held = rare[codes_a[which]]
        rare_pairs, rare_shared = distinct_pairs(left[held], right[held], counts=True)
        enough = rare_pairs[rare_shared >= SENTENCE_ROWS]
        close &= np.isin(pairs[:, 0] * (1 << 32) + pairs[:, 1], enough[:, 0] * (1 << 32) + enough[:, 1])
    pairs = pairs[close]
    # The longest chain increasing on both sides: pairs by unit of a, then b descending,
    # and the longest strictly increasing run of b's units (patience sorting).
    chain = pairs[np.lexsort((-pairs[:, 1], pairs[:, 0]))][:, 1]
    tails: list[int] = []
    for unit in chain.tolist():
        at = bisect_left(tails, unit)
        if at == len(tails):
            tails.append(unit)
        else:
            tails[at] = unit
    return len(tails)


def _content_occurrences(stems: SentenceStems) -> tuple[np.ndarray, np.ndarray]:
    """Each content stem occurrence's unit and stem (its code in ``coded.vocabulary``)."""
    coded = stems.coded
    return np.repeat(np.arange(len(coded.content_lengths)), coded.content_lengths), coded.content_codes


def sentence_stems(texts: Sequence[str]) -> list[SentenceStems]:
    """The sentence stems of each text: its units as the scan makes them
    (:func:`~dedup.match.prepared.prepare_document`), coded, with the stems' keys.

    >>> [found] = sentence_stems(["The storm closed every school in the county on Monday."])
    >>> found.coded.vocabulary[:3], len(found.keys), found.units
    (['close', 'counti', 'everi'], 9, 1)
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


def batch_keys(stems: Sequence[SentenceStems], counts: StemCounts, *, one_at_a_time: bool,
               indexed: Sequence[bool] | None = None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per document of a batch, the masks of its rare stems (the sentence keys it is stored
    with are made from them) and of its stems rare :data:`DRIFT` times over, from the
    index's ``counts``. With ``one_at_a_time`` (a batch being added), the earlier
    documents of the batch count as the index's, less those it holds already
    (``indexed``): each document gets the keys it would get in a batch of its own."""
    rare, loose = [], []
    running: dict[int, int] = {}
    for position, s in enumerate(stems):
        earlier = None
        if one_at_a_time and running:
            earlier = np.fromiter((running.get(k, 0) for k in s.keys.tolist()), np.int64, len(s.keys))
        rare.append(s.rare(counts, earlier=earlier))
        loose.append(s.rare(counts, DRIFT * RARE_UNITS, earlier=earlier))
        if one_at_a_time and not (indexed and indexed[position]):
            for key, content in zip(s.keys.tolist(), s.coded.content_frequency.tolist()):
                if content:
                    running[key] = running.get(key, 0) + content
    return rare, loose


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
        ``counts(keys)``: the index's :class:`StemCounts` of some stem keys (the store's).
    postings : callable
        ``postings(keys)``: the index's postings of some sentence keys (the store's).
    sees_batch : bool
        Whether a document's candidates include the earlier documents of its batch (a
        batch being added); then the earlier documents also count in its rarity and
        statistics, as they would one batch at a time.
    indexed : sequence of bool, optional
        Which documents of the batch the index holds already, with the same text (known
        ones): their stems are counted there, and they are candidates as stored documents.

    Attributes
    ----------
    rare, loose : list of numpy.ndarray
        Per document, the masks of its rare stems (it is stored with the keys made from
        them) and of those rare :data:`DRIFT` times over (the in-order test's).
    """

    def __init__(self, stems: list[SentenceStems], counts: Callable[[np.ndarray], StemCounts],
                 postings: Callable[[np.ndarray], Postings], *, sees_batch: bool,
                 indexed: Sequence[bool] | None = None) -> None:
        self.stems = stems
        self._counts = counts
        self.sees_batch = sees_batch
        # Documents of the batch the index holds already (known ones): not counted twice.
        self.indexed = list(indexed) if indexed is not None else [False] * len(stems)
        self._batch_stems = sorted_unique(np.concatenate([s.keys for s in stems])) if stems else np.empty(0, np.int64)
        self.stored = counts(self._batch_stems)
        # Keys from the stems rare now, to store; and to look up, those and the keys from
        # the stems rare DRIFT times over (a stem rare when a source was added may be
        # held by more units since).
        self.rare, self.loose = batch_keys(stems, self.stored, one_at_a_time=sees_batch, indexed=self.indexed)
        self.made = [s.sentence_keys(rare) for s, rare in zip(stems, self.rare)]
        looser = [s.sentence_keys(rare) for s, rare in zip(stems, self.loose)]
        self.units = [np.concatenate((m[0], x[0])) for m, x in zip(self.made, looser)]
        self.keys = [np.concatenate((m[1], x[1])) for m, x in zip(self.made, looser)]
        wanted = sorted_unique(np.concatenate([k.ravel() for k in self.keys])) if stems else np.empty(0, np.int64)
        found = postings(wanted)
        if sees_batch:  # the earlier documents of the batch, under the keys they are stored with
            posted = [np.empty(0, np.int64) if known else self.keys_to_store(k) for k, known in enumerate(self.indexed)]
            owner = np.repeat(np.arange(len(stems)), [len(k) for k in posted]) + _BATCH
            distinct = distinct_pairs(np.concatenate([found.keys, *posted]), np.concatenate([found.docs, owner]))
            found = Postings(distinct[:, 0], distinct[:, 1])
        self._postings = found

    def keys_to_store(self, position: int) -> np.ndarray:
        """The distinct sentence keys the document at ``position`` is posted under when added."""
        return sorted_unique(self.made[position][1])

    def choose(self, position: int) -> tuple[list[int], list[int]]:
        """The rewrite candidates of the document at ``position``, those sharing keys with
        most of its sentences first: stored numbers, and positions of earlier documents of
        the batch."""
        keys = self.keys[position]
        unit_of = np.repeat(self.units[position], keys.shape[1])
        which, found = expand(self._postings.keys, keys.ravel())
        candidate = self._postings.docs[found]
        keep = candidate < _BATCH + position
        candidate, which = candidate[keep], which[keep]
        if not len(candidate):
            return [], []
        names, hits = np.unique(distinct_pairs(candidate, unit_of[which])[:, 0], return_counts=True)
        enough = hits >= LEAST_SHARED
        names, hits = names[enough], hits[enough]
        best = names[np.lexsort((names, -hits))][:MAX_REWRITE_CANDIDATES].tolist()
        return [c for c in best if c < _BATCH], [c - _BATCH for c in best if c >= _BATCH]

    def statistics(self, position: int, stored: Sequence[SentenceStems],
                   earlier: Sequence[int]) -> TermStatistics:
        """The stem statistics to align the document at ``position`` with some stored
        documents (their stems) and earlier documents of the batch (their positions): the
        index's counts, plus those of the document and, adding, of the earlier documents of
        the batch not in the index yet."""
        # Adding, every earlier document of the batch not in the index yet counts, as it
        # would one batch at a time; checking, earlier documents are never candidates.
        counted = [self.stems[k] for k in range(position) if self.sees_batch and not self.indexed[k]]
        counted.append(self.stems[position])
        parts = [self.stems[position], *(self.stems[k] for k in earlier), *stored]
        keys = np.concatenate([s.keys for s in parts])
        terms = [t for s in parts for t in s.coded.vocabulary]
        distinct, first = np.unique(keys, return_index=True)
        # The index's counts of the batch's stems were read with the batch; the others' now.
        read = np.isin(distinct, self._batch_stems)
        counts = self.stored.of(distinct)
        if not read.all():
            counts[~read] = self._counts(distinct[~read]).of(distinct[~read])
        added, changes, units, documents = stem_deltas(counted, [])
        wanted = np.isin(added, distinct)
        counts[np.searchsorted(distinct, added[wanted])] += changes[wanted]
        return TermStatistics([terms[k] for k in first.tolist()], counts[:, 0], counts[:, 1], counts[:, 2],
                              self.stored.total_units + units, self.stored.total_documents + documents)

def rewrite_passages(doc: Document, others: Sequence[Document], statistics: TermStatistics,
                     config: ScanConfig) -> list[list[Passage]]:
    """The passages ``doc`` (side ``a``) shares with each of ``others``, both tiers, as the
    scan finds them in a pair (``config``: its shingle, passage and paraphrase settings)."""
    prepared = prepare([doc, *others], config, statistics=statistics)
    return [prepared.passages_between(0, k) for k in range(1, len(others) + 1)]
