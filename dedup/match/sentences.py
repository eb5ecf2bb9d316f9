"""The sentence pairs of a passage: which sentence of one side reads as which of the other.

A passage says that a span of one document was taken from a span of another; an editor
checking a rewrite wants to see it sentence by sentence. The sentences of the two spans
(the layout's sentences, cut to the passage) are aligned in order on both sides, the way
translated texts are aligned sentence by sentence (Gale and Church, 1993): a dynamic
programme over the two lists that pairs sentences one to one, one to two or two to one (a
sentence split or joined in the rewrite), or leaves one unpaired (a sentence added or
dropped), and keeps the order that pairs the most words. Two sentences are compared by the
Dice overlap of their words of four characters or more (short words are mostly function
words, which any two English sentences share).

Every driver makes its passages through :func:`passage_of`, so the local scan, the Dask
engine, ``dedup compare`` and ``dedup check`` report the same pairs.
"""

from __future__ import annotations

import numpy as np

from dedup.arrays import expand
from dedup.match.align import Alignment
from dedup.records import Document, Passage, SentencePair, Side
from dedup.sketch.shingles import ShingledDocument

__all__ = ["MIN_SENTENCE_SCORE", "passage_of", "sentence_pairs"]

# Long passages are compared in parts of this many sentences of one side (see _parts).
_PART = 256

# Two sentences pair when their words overlap at least this much (Dice). Rewritten
# sentences of PAN's and the seeds' passages overlap 0.3-0.7; neighbours on one topic less.
MIN_SENTENCE_SCORE = 0.25

# Words shorter than this many characters do not count towards a pair's overlap.
_CONTENT_CHARS = 4



def passage_of(a: Document, b: Document, print_a: ShingledDocument, print_b: ShingledDocument,
               found: Alignment) -> Passage:
    """The report's :class:`~dedup.records.Passage` for an alignment of documents ``a`` and
    ``b`` (``print_a``, ``print_b``: their prepared prints), with its sentence pairs for a
    ``copy`` or ``paraphrase``."""
    sentences = () if found.kind == "quote" else sentence_pairs(
        print_a, print_b, (found.a_start, found.a_end), (found.b_start, found.b_end))
    return Passage(kind=found.kind, score=found.score, a=Side(a.id, found.a_start, found.a_end),
                   b=Side(b.id, found.b_start, found.b_end), sentences=sentences)


def sentence_pairs(print_a: ShingledDocument, print_b: ShingledDocument,
                   a_span: tuple[int, int], b_span: tuple[int, int]) -> tuple[SentencePair, ...]:
    """The sentence pairs of the passage ``a_span`` of ``print_a`` and ``b_span`` of
    ``print_b`` (character spans), in order on both sides.

    Each sentence the passage touches is cut to the passage; sentences pair when their
    words overlap at least ``MIN_SENTENCE_SCORE``, one to one, one to two or two to one,
    in the order that pairs the most overlap.

    Examples
    --------
    >>> from dedup.sketch.hashing import TokenHasher
    >>> from dedup.text.layout import analyze
    >>> def prints(text):
    ...     layout = analyze(text)
    ...     return ShingledDocument(layout, TokenHasher().hash_layout(layout), 5)
    >>> a = prints("Storms closed the northern highway overnight. Schools stayed shut on Monday.")
    >>> b = prints("Officials said schools stayed shut Monday. The northern highway was closed by storms.")
    >>> sentence_pairs(a, b, (0, 76), (0, 85))  # the other pair would cross this one
    (SentencePair(a_start=0, a_end=44, b_start=43, b_end=84, score=0.8889),)
    """
    side_a, side_b = _Side(print_a, a_span), _Side(print_b, b_span)
    if not side_a.count or not side_b.count:
        return ()
    blocks = []
    for part_a, part_b in _parts(side_a, side_b):
        blocks += _candidates(part_a, part_b)
    layout_a, layout_b = print_a.layout, print_b.layout
    bounds_a, bounds_b = side_a.bounds, side_b.bounds
    return tuple(SentencePair(int(layout_a.starts[bounds_a[i0, 0]]), int(layout_a.ends[bounds_a[i1, 1] - 1]),
                              int(layout_b.starts[bounds_b[j0, 0]]), int(layout_b.ends[bounds_b[j1, 1] - 1]),
                              round(score, 4))
                 for i0, i1, j0, j1, score in _heaviest_chain(blocks))


class _Side:
    """One side of a passage: the sentences it touches, as token ranges cut to it
    (``bounds``), and their words as ``(sentence, hash)`` rows with each sentence's
    number of words (``sizes``); numbered from ``offset`` in the passage."""

    def __init__(self, prints: ShingledDocument, span: tuple[int, int]) -> None:
        layout, words = prints.layout, _document_words(prints)
        first = int(np.searchsorted(layout.starts, span[0], side="left"))
        last = int(np.searchsorted(layout.ends, span[1], side="right"))
        rows = words.rows
        low = int(np.searchsorted(rows[:, 1], first, side="right"))
        high = int(np.searchsorted(rows[:, 0], last, side="left"))
        self.count, self.offset = max(high - low, 0), 0
        if last <= first or high <= low:
            return
        self.bounds = np.column_stack([np.maximum(rows[low:high, 0], first), np.minimum(rows[low:high, 1], last)])
        start, end = words.offsets[low], words.offsets[high]
        self.sentence = words.sentence[start:end] - low
        self.hashes = words.hashes[start:end]
        self.sizes = words.sizes[low:high]

    def part(self, first: int, last: int) -> _Side:
        """Sentences ``first`` to ``last - 1`` of this side, numbered from ``first``."""
        part = _Side.__new__(_Side)
        low, high = np.searchsorted(self.sentence, [first, last])
        part.count, part.offset = last - first, self.offset + first
        part.sentence, part.hashes = self.sentence[low:high] - first, self.hashes[low:high]
        part.sizes = self.sizes[first:last]
        return part


def _parts(a: _Side, b: _Side) -> list[tuple[_Side, _Side]]:
    """The two sides in parts compared with each other: whole, or for a long passage,
    ``_PART`` sentences of side a at a time with the sentences of side b near them in
    proportion (``_PART`` more either way), so that work and memory grow with the
    passage's length, not its square."""
    if a.count * b.count <= _PART * _PART * 3:
        return [(a, b)]
    ratio = b.count / a.count
    parts = []
    for first in range(0, a.count, _PART):
        last = min(a.count, first + _PART + 1)  # one more: a pair may join two sentences
        b_first = max(0, int(first * ratio) - _PART)
        b_last = min(b.count, int(np.ceil(last * ratio)) + _PART)
        parts.append((a.part(first, last), b.part(b_first, b_last)))
    return parts


class _DocumentWords:
    """The words of each sentence of a document, each once a sentence: its long words, or
    all of them when it has none, as ``(sentence, hash)`` rows in sentence order with the
    ``offsets`` of each sentence's rows and its ``sizes``; ``rows``: the sentences' token
    ranges (a sentence cut by a passage's end is compared whole, and reported cut)."""

    __slots__ = ("rows", "sentence", "hashes", "offsets", "sizes")

    def __init__(self, prints: ShingledDocument) -> None:
        layout = prints.layout
        self.rows = rows = np.asarray(layout.sentences, dtype=np.int64).reshape(-1, 2)
        lengths = rows[:, 1] - rows[:, 0]
        positions = np.repeat(rows[:, 0] - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths) + np.arange(
            int(lengths.sum()))
        sentence = np.repeat(np.arange(len(rows)), lengths)
        long_enough = (layout.ends[positions] - layout.starts[positions]) >= _CONTENT_CHARS
        has_long = np.bincount(sentence[long_enough], minlength=len(rows)) > 0
        kept = long_enough | ~has_long[sentence]
        sentence, hashes = sentence[kept], prints.tokens[positions[kept]]
        order = np.lexsort((hashes, sentence))
        sentence, hashes = sentence[order], hashes[order]
        once = np.ones(len(hashes), dtype=bool)
        once[1:] = (hashes[1:] != hashes[:-1]) | (sentence[1:] != sentence[:-1])
        self.sentence, self.hashes = sentence[once], hashes[once]
        self.sizes = np.bincount(self.sentence, minlength=len(rows))
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)])


def _document_words(prints: ShingledDocument) -> _DocumentWords:
    """:class:`_DocumentWords` of a prepared document, made once and kept with it."""
    found = prints.sentence_words
    if found is None:
        found = prints.sentence_words = _DocumentWords(prints)
    return found


def _candidates(a: _Side, b: _Side) -> list[tuple[int, int, int, int, float]]:
    """Every block that may pair: ``(first a, last a, first b, last b, score)`` (sentence
    indices, inclusive) of one or two sentences on each side (not two on both) whose words
    overlap at least the bar. Two sentences joined count the words of each (a word in
    both counts twice), and are kept only where they overlap more than either alone."""
    order = np.argsort(a.hashes, kind="stable")
    of_b, at = expand(a.hashes[order], b.hashes)
    if not len(at):
        return []
    shared = np.bincount(a.sentence[order][at] * b.count + b.sentence[of_b],
                         minlength=a.count * b.count).reshape(a.count, b.count)
    single = 2 * shared / (a.sizes[:, None] + b.sizes[None, :])
    found = [(i, i, j, j, single[i, j]) for i, j in np.argwhere(single >= MIN_SENTENCE_SCORE).tolist()]
    if a.count > 1:
        joined = 2 * (shared[:-1] + shared[1:]) / ((a.sizes[:-1] + a.sizes[1:])[:, None] + b.sizes[None, :])
        better = (joined >= MIN_SENTENCE_SCORE) & (joined > np.maximum(single[:-1], single[1:]))
        found += [(i, i + 1, j, j, joined[i, j]) for i, j in np.argwhere(better).tolist()]
    if b.count > 1:
        joined = 2 * (shared[:, :-1] + shared[:, 1:]) / (a.sizes[:, None] + (b.sizes[:-1] + b.sizes[1:])[None, :])
        better = (joined >= MIN_SENTENCE_SCORE) & (joined > np.maximum(single[:, :-1], single[:, 1:]))
        found += [(i, i, j, j + 1, joined[i, j]) for i, j in np.argwhere(better).tolist()]
    da, db = a.offset, b.offset
    return [(i0 + da, i1 + da, j0 + db, j1 + db, float(score)) for i0, i1, j0, j1, score in found]


def _heaviest_chain(blocks: list[tuple[int, int, int, int, float]]) -> list[tuple[int, int, int, int, float]]:
    """The blocks in order on both sides (each after the one before on both) whose scores
    above the bar add up to the most: a chain through a Fenwick tree of the best total
    ending at or before each sentence of side b, blocks taken in order of side a."""
    if not blocks:
        return []
    blocks = sorted(set(blocks))
    if all(after[0] > before[1] and after[2] > before[3] for before, after in zip(blocks, blocks[1:])):
        return blocks  # already a chain (a copy, sentence for sentence)
    size = max(block[3] for block in blocks) + 2
    tree = [(0.0, -1)] * (size + 1)  # (best total, block) over prefixes of side b

    def best_before(j: int) -> tuple[float, int]:  # over blocks ending before sentence j of b
        best, k = (0.0, -1), j  # tree index = last b sentence + 1
        while k > 0:
            if tree[k][0] > best[0]:
                best = tree[k]
            k -= k & -k
        return best

    def add(j: int, value: tuple[float, int]) -> None:
        k = j + 1
        while k <= size:
            if value[0] > tree[k][0]:
                tree[k] = value
            k += k & -k

    by_end = sorted(range(len(blocks)), key=lambda k: blocks[k][1])
    added, total, previous = 0, [0.0] * len(blocks), [-1] * len(blocks)
    best = (0.0, -1)
    for k in sorted(range(len(blocks)), key=lambda k: (blocks[k][0], blocks[k][2])):
        a_first, _, b_first, _, score = blocks[k]
        while added < len(by_end) and blocks[by_end[added]][1] < a_first:  # blocks ending before this one starts on a
            m = by_end[added]
            add(blocks[m][3], (total[m], m))
            added += 1
        before, previous[k] = best_before(b_first)
        total[k] = before + score - MIN_SENTENCE_SCORE
        if total[k] > best[0]:
            best = (total[k], k)
    chain, k = [], best[1]
    while k >= 0:
        chain.append(blocks[k])
        k = previous[k]
    return chain[::-1]
