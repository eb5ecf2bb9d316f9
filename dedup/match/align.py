"""Verify and align candidate pairs: exact shingle matches chained into passages.

Two documents are compared on their shingle hashes. Shared shingles give match points
``(i, j)``; points on one diagonal (``j - i`` constant, small gaps allowed for changed words)
form runs; runs close to each other on both sides (insertions and deletions move the
diagonal) merge into one passage. Each passage gets exact character spans on both sides,
a score (the share of the two spans' words covered by matches) and a kind: ``quote`` when both
spans lie inside quotations of a third party, else ``copy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from dedup.match.paraphrase.units import stop_words
from dedup.sketch.shingles import ShingledDocument

__all__ = ["AlignOptions", "Alignment", "align_pair", "self_repeats"]


@dataclass(frozen=True)
class AlignOptions:
    """Settings of the aligner.

    Attributes
    ----------
    min_words : int
        Shortest passage reported, in word tokens on each side.
    max_gap : int
        Most unmatched shingles bridged inside one passage (edits between matches).
    min_score : float
        Lowest share of matched words (mean of both sides) for a passage to be reported.
    max_occurrences : int
        Shingles that occur more often than this in one document are ignored as seeds.
    quote_share : float
        Share of a side's tokens inside quotations above which that side quotes.
    quote_words : int
        Longest passage (in words) that is a ``quote`` when only one side quotes it; a
        longer passage needs both sides quoting it (a whole copied text inside quotation
        marks is still a copy).
    line_share : float
        Share of its line (paragraph) that each side of a repeat inside one document must
        cover: a repeated paragraph or title is reported, a phrase echoed is not.
    """

    min_words: int = 8
    max_gap: int = 12
    min_score: float = 0.5
    max_occurrences: int = 8
    quote_share: float = 0.8
    quote_words: int = 40
    line_share: float = 0.8


@dataclass(frozen=True)
class Alignment:
    """An aligned passage: its kind, score and half-open character spans on both sides."""

    kind: str
    score: float
    a_start: int
    a_end: int
    b_start: int
    b_end: int


def _match_points(a: ShingledDocument, b: ShingledDocument, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """All ``(i, j)`` with equal valid shingles, skipping shingles repeated over ``limit`` times
    in either document (in no particular order).

    Both documents' valid shingles come ordered by hash (:meth:`ShingledDocument.hash_order`,
    kept by the store), so the join is binary searches of one sorted array in the other.
    """
    order_a, order_b = a.hash_order(), b.hash_order()
    if len(order_a) == 0 or len(order_b) == 0:
        return _NO_POINTS
    ha, hb = a.shingles[order_a], b.shingles[order_b]
    at = np.minimum(np.searchsorted(hb, ha), len(hb) - 1)
    matched = np.flatnonzero(hb[at] == ha)
    if len(matched) == 0:  # most pairs whose sentences were only rewritten
        return _NO_POINTS
    shared, lo = ha[matched], at[matched]
    hi = np.searchsorted(hb, shared, side="right")
    # Every occurrence in ``a`` of a shared hash is matched: its count in ``a`` is its count here.
    counts_a = np.searchsorted(shared, shared, side="right") - np.searchsorted(shared, shared, side="left")
    keep = ((hi - lo) <= limit) & (counts_a <= limit)
    ia, lo, hi = order_a[matched[keep]], lo[keep], hi[keep]
    counts = hi - lo
    total = int(counts.sum())
    if total == len(counts):  # each shared shingle once in b: one point each (the usual case)
        return ia, order_b[lo]
    first = np.repeat(np.cumsum(counts) - counts, counts)
    positions = np.arange(total) - first + np.repeat(lo, counts)
    return np.repeat(ia, counts), order_b[positions]


_NO_POINTS = (np.empty(0, np.int32), np.empty(0, np.int32))


def _diagonal_runs(i: np.ndarray, j: np.ndarray, max_gap: int) -> list[list[int]]:
    """Group match points into runs along diagonals: ``[a0, a1, b0, b1]`` (inclusive)."""
    diagonal = j - i
    order = np.lexsort((i, diagonal))
    i, j, diagonal = i[order], j[order], diagonal[order]
    ends = np.flatnonzero((diagonal[1:] != diagonal[:-1]) | (i[1:] - i[:-1] > max_gap + 1))
    if len(ends) == 0:  # one run (a passage copied whole, or a single match)
        return [[int(i[0]), int(i[-1]), int(j[0]), int(j[-1])]]
    first, last = [0, *(ends + 1).tolist()], [*ends.tolist(), len(i) - 1]
    i_first, i_last, j_first, j_last = i[first].tolist(), i[last].tolist(), j[first].tolist(), j[last].tolist()
    return sorted(map(list, zip(i_first, i_last, j_first, j_last)))


def _merge_runs(runs: list[list[int]], max_gap: int, self_size: int | None = None) -> list[list[int]]:
    """Merge runs that follow each other on both sides into passages (in shingle indices).

    A run extends a passage when it starts after the passage on both sides (overlapping it
    by at most two shingles) and within ``max_gap`` shingles of its end on both sides.
    With ``self_size`` (a document aligned with itself, shingles of that size), a merge
    that would make the passage overlap its own repeat is refused.

    ``runs`` come sorted by their start in ``a``, so a passage that ends more than
    ``max_gap + 1`` shingles before a run starts can take no later run either: it leaves the
    passages still open, and each run is compared with those alone. The open passages are
    at most :data:`OPEN_PASSAGES` (those that end last stay open), which bounds the work
    on degenerate text (a few words repeated at random: thousands of short runs side by
    side) without changing what ordinary text gives.
    """
    passages: list[list[int]] = []
    open_passages: list[int] = []  # indices into passages, in the order they were made
    for run in runs:
        horizon = run[0] - max_gap - 1
        best, best_distance, still_open = None, None, []
        for number in open_passages:
            passage = passages[number]
            if passage[1] < horizon:
                continue  # closed for good
            still_open.append(number)
            gap_a = run[0] - passage[1]
            gap_b = run[2] - passage[3]
            if self_size is not None and max(run[1], passage[1]) + self_size > passage[2]:
                continue
            if -2 <= gap_a <= max_gap + 1 and -2 <= gap_b <= max_gap + 1:
                distance = abs(gap_a) + abs(gap_b)
                if best_distance is None or distance < best_distance:
                    best, best_distance = passage, distance
        if best is None:
            still_open.append(len(passages))
            passages.append(list(run))
            if len(still_open) > OPEN_PASSAGES:
                still_open.remove(min(still_open, key=lambda n: passages[n][1]))
        else:
            best[1], best[3] = max(best[1], run[1]), max(best[3], run[3])
        open_passages = still_open
    return passages


# The most passages kept open while runs are merged (see _merge_runs).
OPEN_PASSAGES = 256


def _spans_overlap(p: list[int], q: list[int]) -> bool:
    return p[0] <= q[1] and q[0] <= p[1] and p[2] <= q[3] and q[2] <= p[3]


def _outermost(passages: list[list[int]]) -> list[list[int]]:
    """The passages, largest first, that overlap no larger one on both sides (a repeated
    phrase inside a longer passage goes), found through buckets of ``a`` positions."""
    passages = sorted(passages, key=lambda p: -(p[1] - p[0] + p[3] - p[2]))
    kept: list[list[int]] = []
    buckets: dict[int, list[list[int]]] = {}
    for passage in passages:
        cells = range(passage[0] // _BUCKET, passage[1] // _BUCKET + 1)
        seen: set[int] = set()
        clash = False
        for cell in cells:
            for other in buckets.get(cell, ()):
                if id(other) not in seen:
                    seen.add(id(other))
                    if _spans_overlap(passage, other):
                        clash = True
                        break
            if clash:
                break
        if not clash:
            kept.append(passage)
            for cell in cells:
                buckets.setdefault(cell, []).append(passage)
    return kept


# Width, in shingles, of the buckets that _outermost files passages in.
_BUCKET = 64


def _resolve(
    points_i: np.ndarray, points_j: np.ndarray, options: AlignOptions, self_size: int | None
) -> list[list[int]]:
    runs = _diagonal_runs(points_i, points_j, options.max_gap)
    if len(runs) == 1:
        return runs  # nothing to merge
    passages = _merge_runs(runs, options.max_gap, self_size)
    # A second pass joins passages that the first pass left side by side.
    merged = _merge_runs(sorted(passages), options.max_gap, self_size)
    # Drop passages contained in a larger one on both sides (repeated phrases).
    return sorted(_outermost(merged))


def _covered(points: np.ndarray, size: int, first: int, last: int) -> int:
    """How many tokens of ``[first, last)`` lie inside a matched shingle starting at ``points``."""
    if len(points) == 0:
        return 0
    points = np.sort(points)
    # (np.minimum and np.maximum: np.clip costs several times more on short arrays)
    starts, ends = np.minimum(np.maximum(points, first), last), np.minimum(np.maximum(points + size, first), last)
    # Shingles have one size, so sorted by start they are sorted by end: each adds what it
    # reaches past the one before.
    return int(ends[0] - starts[0] + np.maximum(ends[1:] - np.maximum(starts[1:], ends[:-1]), 0).sum())


def _names_only(doc: ShingledDocument, first: int, last: int, min_words: int) -> bool:
    """True when tokens ``[first, last)`` hold fewer than ``min_words`` words, or no content
    word, once capitalised names and titles (a capital not at a sentence's start) and
    numbers are left out: "U.S. President Donald Trump and Russian President Vladimir
    Putin", a headline in title case, a date and a score."""
    layout, stopped = doc.layout, stop_words()
    text = layout.text
    words = content = 0
    for begin in range(first, last, _NAMES_BLOCK):  # blocks as lists: the loop ends early, mostly
        stop = min(begin + _NAMES_BLOCK, last)
        for start, end, starts_sentence in zip(layout.starts[begin:stop].tolist(), layout.ends[begin:stop].tolist(),
                                               layout.sentence_starts[begin:stop].tolist()):
            initial = text[start]
            if initial.isdigit() or (initial.isupper() and not starts_sentence):
                continue
            words += 1
            content += text[start:end].lower() not in stopped
            if words >= min_words and content:
                return False
    return True


# Tokens that :func:`_names_only` reads at a time.
_NAMES_BLOCK = 32


def _covers_line(doc: ShingledDocument, first: int, last: int, share: float) -> bool:
    """True when tokens ``[first, last)`` cover at least ``share`` of the line they start in."""
    lines = doc.layout.lines
    row = int(np.searchsorted(lines[:, 1], first, side="right"))
    if row >= len(lines):
        return False
    line_first, line_last = lines[row]
    covered = min(last, line_last) - max(first, line_first)
    return covered >= share * (line_last - line_first)


def _snap(doc_a: ShingledDocument, doc_b: ShingledDocument, ta0: int, ta1: int, tb0: int, tb1: int, n: int):
    """Adjust token ranges to the passage: trim matched words that only spill over a
    sentence boundary, then extend over the words after (and before) the last (first)
    matched shingle that still match despite an edit too close to the end for a shingle.
    """
    starts_a, starts_b = doc_a.layout.sentence_starts, doc_b.layout.sentence_starts
    for k in (1, 2):  # a passage ending with the first word or two of the next sentence
        if ta1 - k > ta0 and (starts_a[ta1 - k] or starts_b[tb1 - k]):
            ta1, tb1 = ta1 - k, tb1 - k
            break
    # Or starting with the last word or two of the previous one; not when the passage starts
    # a sentence on both sides (then a boundary on one side only, a line broken inside a
    # sentence, say, is no reason to drop its first words).
    for k in (1, 2) if not (starts_a[ta0] and starts_b[tb0]) else ():
        if ta0 + k < ta1 and (starts_a[ta0 + k] or starts_b[tb0 + k]):
            ta0, tb0 = ta0 + k, tb0 + k
            break
    grow_a, grow_b, after = _extension(doc_a, doc_b, ta1, tb1, n, forward=True)
    ta1, tb1 = ta1 + grow_a, tb1 + grow_b
    grow_a, grow_b, before = _extension(doc_a, doc_b, ta0, tb0, n, forward=False)
    return ta0 - grow_a, ta1, tb0 - grow_b, tb1, before + after


def _reach(doc: ShingledDocument, at: int, limit: int, forward: bool) -> list[int]:
    """The hashes of up to ``limit`` words from ``at`` onwards (or before it), stopping at
    a sentence boundary or boilerplate."""
    layout, words, count = doc.layout, [], len(doc.tokens)
    if not forward and at < count and layout.sentence_starts[at]:
        return words
    step = 1 if forward else -1
    index = at if forward else at - 1
    while 0 <= index < count and len(words) < limit and not layout.boilerplate[index]:
        if forward and layout.sentence_starts[index]:
            break
        words.append(int(doc.tokens[index]))
        if not forward and layout.sentence_starts[index]:
            break
        index += step
    return words


def _extension(doc_a: ShingledDocument, doc_b: ShingledDocument, at_a: int, at_b: int, n: int, forward: bool):
    """How many words both sides can grow by: over blocks of two or more matching words,
    each less than a shingle away from the last, with at least half the new words matched."""
    tail_a = _reach(doc_a, at_a, 2 * n + 2, forward)
    tail_b = _reach(doc_b, at_b, 2 * n + 2, forward)
    if not tail_a or not tail_b or set(tail_a).isdisjoint(tail_b):
        return 0, 0, 0  # nothing to match (the usual case: the passage ends a sentence)
    grow_a = grow_b = matched = 0
    for block in SequenceMatcher(None, tail_a, tail_b, autojunk=False).get_matching_blocks():
        if block.size < 2 or block.a - grow_a >= n or block.b - grow_b >= n:
            break
        if 2 * (matched + block.size) < max(block.a, block.b) + block.size:
            break
        grow_a, grow_b = block.a + block.size, block.b + block.size
        matched += block.size
    return grow_a, grow_b, matched


def _finish(
    a: ShingledDocument, b: ShingledDocument, i: np.ndarray, j: np.ndarray, options: AlignOptions, same_document: bool
) -> list[Alignment]:
    if len(i) == 0:
        return []
    result = []
    for a0, a1, b0, b1 in _resolve(i, j, options, a.size if same_document else None):
        # Token ranges: shingle k covers tokens k .. k + size - 1.
        if min(a1 - a0, b1 - b0) + a.size < options.min_words:
            continue  # the length is judged on the shingle-matched core
        ta0, ta1, tb0, tb1, extended = _snap(a, b, a0, a1 + a.size, b0, b1 + b.size, a.size)  # half-open
        if min(ta1 - ta0, tb1 - tb0) < options.min_words or (same_document and ta1 > tb0):
            continue  # too short, or a repeat that overlaps itself
        # Score: the share of each span's words that lie in matched shingles or extensions.
        inside = (i >= a0) & (i <= a1) & (j >= b0) & (j <= b1)
        score_a = (_covered(i[inside], a.size, ta0, ta1) + extended) / (ta1 - ta0)
        score_b = (_covered(j[inside], b.size, tb0, tb1) + extended) / (tb1 - tb0)
        score = round(min(1.0, (score_a + score_b) / 2), 4)
        if score < options.min_score:
            continue
        if same_document and not (
            _covers_line(a, ta0, ta1, options.line_share) and _covers_line(a, tb0, tb1, options.line_share)
        ):
            continue  # a phrase echoed inside a document is not a repeated paragraph
        quoted_a = np.count_nonzero(a.layout.quoted[ta0:ta1]) / (ta1 - ta0) >= options.quote_share
        quoted_b = np.count_nonzero(b.layout.quoted[tb0:tb1]) / (tb1 - tb0) >= options.quote_share
        short = max(ta1 - ta0, tb1 - tb0) <= options.quote_words
        quoted = not same_document and ((quoted_a and quoted_b) or ((quoted_a or quoted_b) and short))
        if not (same_document or quoted) and (_names_only(a, ta0, ta1, options.min_words)
                                              or _names_only(b, tb0, tb1, options.min_words)):
            continue  # a name phrase or a title that two documents share is no copy on its own
        result.append(
            Alignment(
                kind="quote" if quoted else "copy",
                score=score,
                a_start=int(a.layout.starts[ta0]),
                a_end=int(a.layout.ends[ta1 - 1]),
                b_start=int(b.layout.starts[tb0]),
                b_end=int(b.layout.ends[tb1 - 1]),
            )
        )
    return result


def align_pair(a: ShingledDocument, b: ShingledDocument, options: AlignOptions = AlignOptions()) -> list[Alignment]:
    """Return the passages that documents ``a`` and ``b`` share, in order of ``a``.

    Examples
    --------
    >>> from dedup.text.layout import analyze
    >>> from dedup.sketch.hashing import TokenHasher
    >>> from dedup.sketch.shingles import ShingledDocument
    >>> hasher = TokenHasher()
    >>> def prep(t):
    ...     layout = analyze(t)
    ...     return ShingledDocument(layout, hasher.hash_layout(layout), 3)
    >>> s = "the strikes lasted thirty minutes and were successful according to the white house"
    >>> [(p.kind, p.score) for p in align_pair(prep("Intro words here. " + s), prep(s + " and more"))]
    [('copy', 1.0)]
    """
    i, j = _match_points(a, b, options.max_occurrences)
    return _finish(a, b, i, j, options, same_document=False)


def self_repeats(a: ShingledDocument, options: AlignOptions = AlignOptions()) -> list[Alignment]:
    """Return passages that occur twice inside document ``a`` (``a`` side first)."""
    i, j = _match_points(a, a, options.max_occurrences)
    later = j > i
    return _finish(a, a, i[later], j[later], options, same_document=True)
