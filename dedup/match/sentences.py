"""The sentence pairs of a passage: which sentence of one side reads as which of the other.

A passage says that a span of one document was taken from a span of another; an editor
checking a rewrite wants to see it sentence by sentence. The sentences of the two spans
(the layout's sentences, cut to the passage) are aligned in order on both sides, the way
translated texts are aligned sentence by sentence (Gale and Church, 1993): sentences pair
one to one, one to two or two to one (a sentence split or joined in the rewrite), or stay
unpaired (a sentence added or dropped), and of the pairings in the same order on both
sides the one with the most overlap above the bar is kept (a dynamic programme over the
candidate pairs). Two sentences are compared by the
Dice overlap of their words of four characters or more (short words are mostly function
words, which any two English sentences share).

Every driver makes its passages through :func:`passages_of`, so the local scan, the Dask
engine, ``dedup compare`` and ``dedup check`` report the same pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dedup.arrays import expand
from dedup.match.align import Alignment
from dedup.records import Document, Passage, SentencePair, Side
from dedup.sketch.shingles import ShingledDocument

__all__ = ["MIN_SENTENCE_SCORE", "passages_of", "sentence_pairs", "sentence_pairs_of"]

# Long passages are compared in parts of this many sentences of one side (see _parts).
_PART = 256
# Parts are compared together up to this many sentence pairs (cells) at a time.
_BULK_CELLS = 1 << 21

# Two sentences pair when their words overlap at least this much (Dice). Rewritten
# sentences of PAN's and the seeds' passages overlap 0.3-0.7; neighbours on one topic less.
MIN_SENTENCE_SCORE = 0.25

# Words shorter than this many characters do not count towards a pair's overlap.
_CONTENT_CHARS = 4


def passages_of(found: Sequence[tuple[Document, Document, ShingledDocument, ShingledDocument, Alignment]]
                ) -> list[Passage]:
    """The report's :class:`~dedup.records.Passage` of each alignment ``(a, b, print_a,
    print_b, alignment)`` of documents ``a`` and ``b`` (``print_a``, ``print_b``: their
    prepared prints), with its sentence pairs for a ``copy`` or ``paraphrase``: found for
    all the alignments together, in a few array passes (one pass each would cost several
    times as much)."""
    pairs = sentence_pairs_of([(pa, pb, (al.a_start, al.a_end), (al.b_start, al.b_end))
                               for _, _, pa, pb, al in found if al.kind != "quote"])
    made, k = [], 0
    for a, b, _, _, al in found:
        sentences = ()
        if al.kind != "quote":
            sentences, k = pairs[k], k + 1
        made.append(Passage(kind=al.kind, score=al.score, a=Side(a.id, al.a_start, al.a_end),
                            b=Side(b.id, al.b_start, al.b_end), sentences=sentences))
    return made


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
    return sentence_pairs_of([(print_a, print_b, a_span, b_span)])[0]


def sentence_pairs_of(passages: Sequence[tuple[ShingledDocument, ShingledDocument, tuple[int, int], tuple[int, int]]]
                      ) -> list[tuple[SentencePair, ...]]:
    """:func:`sentence_pairs` of many passages (``(print_a, print_b, a_span, b_span)``
    each), found together."""
    sides = [(_Side(pa, sa), _Side(pb, sb)) for pa, pb, sa, sb in passages]
    parts = [(m, part_a, part_b) for m, (a, b) in enumerate(sides) if a.count and b.count
             for part_a, part_b in _parts(a, b)]
    blocks: list[list[tuple]] = [[] for _ in passages]
    first = 0
    while first < len(parts):  # parts together up to _BULK_CELLS sentence pairs: bounded memory
        last, cells = first, 0
        while last < len(parts) and (last == first or cells + parts[last][1].count * parts[last][2].count <= _BULK_CELLS):
            cells += parts[last][1].count * parts[last][2].count
            last += 1
        for m, block in _candidates(parts[first:last]):
            blocks[m].append(block)
        first = last
    return [_as_spans(a, b, _heaviest_chain(candidates)) if candidates else ()
            for (a, b), candidates in zip(sides, blocks)]


def _as_spans(a: _Side, b: _Side, chain: list[tuple[int, int, int, int, float]]) -> tuple[SentencePair, ...]:
    """The chain's blocks (sentence indices of the two sides) as character spans."""
    if not chain:
        return ()
    i0, i1, j0, j1, score = zip(*chain)
    a_start, a_end = a.span(i0, i1)
    b_start, b_end = b.span(j0, j1)
    return tuple(map(SentencePair, a_start, a_end, b_start, b_end, (round(x, 4) for x in score)))


class _Side:
    """One side of a passage: the ``count`` sentences it touches (tokens ``first`` to
    ``last - 1`` of the document, sentences from ``low``), their words as ``(sentence,
    hash)`` rows and each sentence's number of words (``sizes``); a part of a long side is
    numbered from ``offset`` in the passage."""

    def __init__(self, prints: ShingledDocument, span: tuple[int, int]) -> None:
        words = _document_words(prints)
        first = int(words.token_starts.searchsorted(span[0], side="left"))
        last = int(words.token_ends.searchsorted(span[1], side="right"))
        low = int(words.sentence_lasts.searchsorted(first, side="right"))
        high = int(words.sentence_firsts.searchsorted(last, side="left"))
        self.count, self.offset = 0, 0
        if last <= first or high <= low:
            return
        self.count = high - low
        self.words, self.first, self.last, self.low = words, first, last, low
        start, end = words.offsets[low], words.offsets[high]
        self.sentence = words.sentence[start:end] - low
        self.hashes = words.hashes[start:end]
        self.sizes = words.sizes[low:high]

    def span(self, firsts, lasts) -> tuple[list[int], list[int]]:
        """The character spans of sentences ``firsts[k]`` to ``lasts[k]`` (indices in the
        passage), cut to the passage."""
        words = self.words
        start = np.maximum(words.sentence_firsts[np.add(firsts, self.low)], self.first)
        end = np.minimum(words.sentence_lasts[np.add(lasts, self.low)], self.last) - 1
        return words.token_starts[start].tolist(), words.token_ends[end].tolist()

    def part(self, first: int, last: int) -> _Side:
        """Sentences ``first`` to ``last - 1`` of this side, numbered from ``first``."""
        part = _Side.__new__(_Side)
        low, high = np.searchsorted(self.sentence, [first, last])
        part.count, part.offset = last - first, self.offset + first
        part.words, part.first, part.last, part.low = self.words, self.first, self.last, self.low + first
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
    ranges (a sentence cut by a passage's end is compared whole, and reported cut), and the
    tokens' character offsets."""

    __slots__ = ("sentence_firsts", "sentence_lasts", "token_starts", "token_ends", "sentence", "hashes", "offsets",
                 "sizes")

    def __init__(self, prints: ShingledDocument) -> None:
        layout = prints.layout
        rows = np.asarray(layout.sentences, dtype=np.int64).reshape(-1, 2)
        self.sentence_firsts, self.sentence_lasts = rows[:, 0].copy(), rows[:, 1].copy()
        self.token_starts, self.token_ends = layout.starts, layout.ends
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


def _candidates(parts: list[tuple[int, _Side, _Side]]) -> list[tuple[int, tuple[int, int, int, int, float]]]:
    """Every block that may pair, in every part: ``(passage, (first a, last a, first b,
    last b, score))`` (sentence indices in the passage, inclusive) of one or two sentences
    on each side (not two on both) whose words overlap at least the bar. Two sentences
    joined count the words of each (a word in both counts twice), and are kept only where
    they overlap more than either alone (so both must share words with the other side).

    All parts at once: their words numbered by part and word, one join of side b's words
    into side a's, and the shared words of each sentence pair counted over every part's
    cells (only the cells that share a word exist)."""
    if not parts:
        return []
    count_a = np.array([a.count for _, a, _ in parts], dtype=np.int64)
    count_b = np.array([b.count for _, _, b in parts], dtype=np.int64)
    cell_first = np.concatenate([[0], np.cumsum(count_a * count_b)[:-1]])
    size_first_a = np.concatenate([[0], np.cumsum(count_a)[:-1]])
    size_first_b = np.concatenate([[0], np.cumsum(count_b)[:-1]])
    sizes_a = np.concatenate([a.sizes for _, a, _ in parts])
    sizes_b = np.concatenate([b.sizes for _, _, b in parts])
    words_a = np.array([len(a.hashes) for _, a, _ in parts])
    words_b = np.array([len(b.hashes) for _, _, b in parts])
    _, word = np.unique(np.concatenate([a.hashes for _, a, _ in parts] + [b.hashes for _, _, b in parts]),
                        return_inverse=True)
    distinct = int(word.max()) + 1 if len(word) else 1
    part_a = np.repeat(np.arange(len(parts)), words_a)
    keys_a = part_a * distinct + word[: len(part_a)]
    keys_b = np.repeat(np.arange(len(parts)), words_b) * distinct + word[len(part_a):]
    order = np.argsort(keys_a, kind="stable")
    of_b, at = expand(keys_a[order], keys_b)
    if not len(at):
        return []
    sentence_a = np.concatenate([a.sentence for _, a, _ in parts])[order][at]
    sentence_b = np.concatenate([b.sentence for _, _, b in parts])[of_b]
    part = part_a[order][at]
    cells, shared = np.unique(cell_first[part] + sentence_a * count_b[part] + sentence_b, return_counts=True)
    part = np.searchsorted(cell_first, cells, side="right") - 1
    local = cells - cell_first[part]
    i, j = local // count_b[part], local % count_b[part]
    size_i, size_j = sizes_a[size_first_a[part] + i], sizes_b[size_first_b[part] + j]
    single = 2 * shared / (size_i + size_j)
    keep = single >= MIN_SENTENCE_SCORE
    found = [(part[keep], i[keep], i[keep], j[keep], j[keep], single[keep])]
    for step_a, neighbour, inside in ((1, cells + count_b[part], i + 1 < count_a[part]),
                                      (0, cells + 1, j + 1 < count_b[part])):
        at = np.minimum(np.searchsorted(cells, neighbour), len(cells) - 1)
        both = inside & (cells[at] == neighbour)
        extra = sizes_a[size_first_a[part] + np.minimum(i + 1, count_a[part] - 1)] if step_a else \
            sizes_b[size_first_b[part] + np.minimum(j + 1, count_b[part] - 1)]
        joined = 2 * (shared + shared[at]) / (size_i + size_j + extra)
        keep = both & (joined >= MIN_SENTENCE_SCORE) & (joined > np.maximum(single, single[at]))
        found.append((part[keep], i[keep], i[keep] + step_a, j[keep], j[keep] + 1 - step_a, joined[keep]))
    offset_a = np.array([a.offset for _, a, _ in parts], dtype=np.int64)
    offset_b = np.array([b.offset for _, _, b in parts], dtype=np.int64)
    passage = [m for m, _, _ in parts]
    blocks = []
    for p, i0, i1, j0, j1, score in found:
        da, db = offset_a[p], offset_b[p]
        blocks += [(passage[q], (a0, a1, b0, b1, s)) for q, a0, a1, b0, b1, s in
                   zip(p.tolist(), (i0 + da).tolist(), (i1 + da).tolist(), (j0 + db).tolist(), (j1 + db).tolist(),
                       score.tolist())]
    return blocks


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
