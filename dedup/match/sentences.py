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

from dedup.match.align import Alignment
from dedup.records import Document, Passage, SentencePair, Side
from dedup.sketch.shingles import ShingledDocument

__all__ = ["MIN_SENTENCE_SCORE", "passage_of", "sentence_pairs"]

# Two sentences pair when their words overlap at least this much (Dice). Rewritten
# sentences of PAN's and the seeds' passages overlap 0.3-0.7; neighbours on one topic less.
MIN_SENTENCE_SCORE = 0.25

# Words shorter than this many characters do not count towards a pair's overlap.
_CONTENT_CHARS = 4

# Sentences compared with every sentence of the other side up to this many cells; longer
# passages compare each sentence with those within _BAND of its place on the diagonal.
_FULL_CELLS = 900
_BAND = 12


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
    units_a, units_b = _sentences(print_a, a_span), _sentences(print_b, b_span)
    if not units_a or not units_b:
        return ()
    words_a, words_b = _word_sets(print_a, units_a), _word_sets(print_b, units_b)
    pairs = _align(words_a, words_b)
    layout_a, layout_b = print_a.layout, print_b.layout
    return tuple(SentencePair(int(layout_a.starts[units_a[i0][0]]), int(layout_a.ends[units_a[i1][1] - 1]),
                              int(layout_b.starts[units_b[j0][0]]), int(layout_b.ends[units_b[j1][1] - 1]),
                              round(score, 4))
                 for i0, i1, j0, j1, score in pairs)


def _sentences(prints: ShingledDocument, span: tuple[int, int]) -> list[tuple[int, int]]:
    """The token ranges ``[first, last)`` of the sentences inside a character span, each
    cut to it (site chrome is not in any sentence)."""
    layout = prints.layout
    first = int(np.searchsorted(layout.starts, span[0], side="left"))
    last = int(np.searchsorted(layout.ends, span[1], side="right"))
    rows = layout.sentences
    if last <= first or not len(rows):
        return []
    touching = rows[(rows[:, 1] > first) & (rows[:, 0] < last)]
    cut = np.column_stack([np.maximum(touching[:, 0], first), np.minimum(touching[:, 1], last)])
    return [(int(s), int(e)) for s, e in cut.tolist() if e > s]


def _word_sets(prints: ShingledDocument, units: list[tuple[int, int]]) -> list[frozenset[int]]:
    """Each sentence's words (their hashes), the short ones left out unless it has no other."""
    layout, tokens = prints.layout, prints.tokens
    sets = []
    for first, last in units:
        hashes = tokens[first:last]
        long_enough = (layout.ends[first:last] - layout.starts[first:last]) >= _CONTENT_CHARS
        kept = hashes[long_enough] if long_enough.any() else hashes
        sets.append(frozenset(kept.tolist()))
    return sets


def _dice(x: frozenset[int], y: frozenset[int]) -> float:
    return 2 * len(x & y) / (len(x) + len(y)) if x or y else 0.0


# Steps of the alignment: (sentences of a, sentences of b) taken together as one pair.
_STEPS = ((1, 1), (1, 2), (2, 1))


def _align(words_a: list[frozenset[int]], words_b: list[frozenset[int]]) -> list[tuple[int, int, int, int, float]]:
    """Pairs ``(first a, last a, first b, last b, score)`` (sentence indices, inclusive)
    of the monotone alignment of the two lists with the largest total overlap above the
    bar; unpaired sentences cost nothing."""
    na, nb = len(words_a), len(words_b)
    full = na * nb <= _FULL_CELLS
    ratio = nb / na
    # best[i][j]: the best total over the first i sentences of a and the first j of b.
    best = [[0.0] * (nb + 1) for _ in range(na + 1)]
    step: list[list[tuple[int, int, float] | None]] = [[None] * (nb + 1) for _ in range(na + 1)]
    for i in range(1, na + 1):
        if full:
            low, high = 1, nb
        else:
            centre = round(i * ratio)
            low, high = max(1, centre - _BAND), min(nb, centre + _BAND)
        row, row_before, steps = best[i], best[i - 1], step[i]
        for j in range(0, nb + 1):
            # Leaving a sentence of a or of b unpaired.
            value, came = row_before[j], None
            if j and row[j - 1] > value:
                value = row[j - 1]
            if low <= j <= high:
                for da, db in _STEPS:
                    if i < da or j < db:
                        continue
                    x = words_a[i - 1] if da == 1 else words_a[i - 2] | words_a[i - 1]
                    y = words_b[j - 1] if db == 1 else words_b[j - 2] | words_b[j - 1]
                    score = _dice(x, y)
                    if score < MIN_SENTENCE_SCORE:
                        continue
                    total = best[i - da][j - db] + score - MIN_SENTENCE_SCORE
                    if total > value + 1e-12:
                        value, came = total, (da, db, score)
            row[j] = value
            steps[j] = came
    pairs = []
    i, j = na, nb
    while i > 0 and j > 0:
        came = step[i][j]
        if came is not None:
            da, db, score = came
            pairs.append((i - da, i - 1, j - db, j - 1, score))
            i, j = i - da, j - db
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]
