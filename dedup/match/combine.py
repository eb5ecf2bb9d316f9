"""One pair's passages from both tiers: verbatim pieces and rewrites merged into passages.

The copy tier (:mod:`dedup.match.align`) and the paraphrase tier (:mod:`dedup.match.paraphrase`) each
give pieces of reused text. Where they find the same or neighbouring text, one passage is
reported: a ``copy`` when shingle matches cover most of it and a ``paraphrase`` otherwise.
Quotations shared by both documents keep their own passages unless they lie inside a
reused one.
"""

from __future__ import annotations

import numpy as np

from dedup.match.align import Alignment
from dedup.text.layout import TextLayout

__all__ = ["combine"]

# Gap (in multiples of the aligner's max_gap, so 480 words by default) allowed on one side
# between two pieces that lie within max_gap of each other on the other side: a summary
# condenses its source and takes from all over it. Set on PAN 2013 training data.
_CONDENSED_GAP = 40
# A combined passage is a copy when shingle matches cover at least this share of it.
_COPY_SHARE = 0.8


def _overlaps(p: Alignment, q: Alignment) -> bool:
    return p.a_start < q.a_end and q.a_start < p.a_end and p.b_start < q.b_end and q.b_start < p.b_end


def combine(
    copies: list[Alignment], rewrites: list[Alignment], layout_a: TextLayout, layout_b: TextLayout, max_gap: int
) -> list[Alignment]:
    """Merge the passages of both tiers that cover the same or neighbouring text.

    Passages (quotes excepted) that overlap, or lie within ``max_gap`` words of each other,
    on both sides become one passage, their hull: reworded text often moves sentences and
    clauses around, so the pieces of one reused passage need not keep their order. So do
    pieces within ``max_gap`` words on one side and ``_CONDENSED_GAP`` times that on the
    other (a summary). A group is a ``copy``, with the bounds of its verbatim pieces, when
    those cover at least 80% of it (on side ``a``), else a ``paraphrase``. Of two pieces
    claiming the same text on one side, the stronger is kept. Quotes stay apart, unless
    they lie inside a reused passage on both sides.
    """
    if len(copies) + len(rewrites) < 2:
        return copies + rewrites  # nothing to merge (what the steps below give for one piece)
    quotes = [al for al in copies + rewrites if al.kind == "quote"]
    # A rewrite that is mostly a quotation both documents share is that quotation.
    rewrites = [r for r in rewrites if r.kind == "quote" or _quoted_share(r, quotes) < 0.5]
    pieces = [al for al in copies + rewrites if al.kind != "quote"]
    # One text matched to two places: keep the stronger match.
    kept: list[Alignment] = []
    for piece in sorted(pieces, key=lambda al: (-_weight(al), al.a_start, al.b_start)):
        if not any(_conflict(piece, other, layout_a, layout_b, max_gap) for other in kept):
            kept.append(piece)
    groups = [[al] for al in kept]
    merged = True
    while merged:
        merged = False
        groups.sort(key=lambda g: min(al.a_start for al in g))
        hulls = [_hull(group) for group in groups]
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                if _near(hulls[x], hulls[y], layout_a, layout_b, max_gap):
                    groups[x].extend(groups.pop(y))
                    merged = True
                    break
            if merged:
                break
    result = [_summarise(group) for group in groups]
    # A quotation inside a reused passage was taken along with it; the passage says it all.
    result += [q for q in quotes if not any(_contains(r, q) for r in result)]
    return sorted(_drop_overlaps(result), key=lambda al: (al.a_start, al.b_start))


def _contains(outer: Alignment, inner: Alignment) -> bool:
    return (
        outer.a_start <= inner.a_start and inner.a_end <= outer.a_end
        and outer.b_start <= inner.b_start and inner.b_end <= outer.b_end
    )


def _quoted_share(piece: Alignment, quotes: list[Alignment]) -> float:
    """Share of ``piece``'s side ``a`` inside quotes that overlap it on both sides."""
    inside = [q for q in quotes if _overlaps(q, piece)]
    covered = sum(min(q.a_end, piece.a_end) - max(q.a_start, piece.a_start) for q in inside)
    return covered / max(piece.a_end - piece.a_start, 1)


def _hull(group: list[Alignment]) -> tuple[int, int, int, int]:
    return (
        min(al.a_start for al in group),
        max(al.a_end for al in group),
        min(al.b_start for al in group),
        max(al.b_end for al in group),
    )


def _gap_words(layout: TextLayout, start: int, end: int, other_start: int, other_end: int) -> int:
    """Words between two character spans (negative or zero when they touch or overlap)."""
    if other_start < end and start < other_end:
        return 0
    left_end, right_start = (end, other_start) if end <= other_start else (other_end, start)
    return int(np.searchsorted(layout.starts, right_start) - np.searchsorted(layout.starts, left_end))


def _near(p: tuple, q: tuple, layout_a: TextLayout, layout_b: TextLayout, max_gap: int) -> bool:
    """Within ``max_gap`` words on both sides; or touching on one side and within
    ``_CONDENSED_GAP`` times that on the other (a summary condenses its source)."""
    gap_a = _gap_words(layout_a, p[0], p[1], q[0], q[1])
    gap_b = _gap_words(layout_b, p[2], p[3], q[2], q[3])
    far = _CONDENSED_GAP * max_gap
    return (gap_a <= max_gap and gap_b <= far) or (gap_b <= max_gap and gap_a <= far)


def _weight(al: Alignment) -> float:
    return al.score * (al.a_end - al.a_start + al.b_end - al.b_start)


def _conflict(p: Alignment, q: Alignment, layout_a: TextLayout, layout_b: TextLayout, max_gap: int) -> bool:
    """True when ``p`` and ``q`` share text on one side but lie apart on the other."""
    overlap_a = p.a_start < q.a_end and q.a_start < p.a_end
    overlap_b = p.b_start < q.b_end and q.b_start < p.b_end
    if overlap_a and not overlap_b:
        return _gap_words(layout_b, p.b_start, p.b_end, q.b_start, q.b_end) > max_gap
    if overlap_b and not overlap_a:
        return _gap_words(layout_a, p.a_start, p.a_end, q.a_start, q.a_end) > max_gap
    return False


def _summarise(group: list[Alignment]) -> Alignment:
    """One passage for a group of merged pieces.

    When verbatim matches cover most of the group (or are all of it), it is a copy and its
    bounds are those of the verbatim pieces (exact to the word; sentence units may run
    past them).
    """
    if len(group) == 1:
        return group[0]
    a_start, a_end, b_start, b_end = _hull(group)
    sizes = [al.a_end - al.a_start for al in group]
    copied = sum(size for al, size in zip(group, sizes) if al.kind == "copy")
    if copied >= _COPY_SHARE * (a_end - a_start) or all(al.kind == "copy" for al in group):
        pieces = [al for al in group if al.kind == "copy"]
        a_start, a_end, b_start, b_end = _hull(pieces)
        score = sum(al.score * (al.a_end - al.a_start) for al in pieces) / copied
        return Alignment("copy", round(score, 4), a_start, a_end, b_start, b_end)
    score = sum(al.score * size for al, size in zip(group, sizes)) / max(sum(sizes), 1)
    return Alignment("paraphrase", round(score, 4), a_start, a_end, b_start, b_end)


def _drop_overlaps(found: list[Alignment]) -> list[Alignment]:
    """Keep the stronger of two passages that claim the same text on either side (one
    sentence matched to two places); a quote may sit inside a passage of another kind."""
    kept: list[Alignment] = []
    for candidate in sorted(found, key=lambda al: (-_weight(al), al.a_start, al.b_start)):
        clash = any(
            (candidate.kind == "quote") == (k.kind == "quote")
            and (
                (candidate.a_start < k.a_end and k.a_start < candidate.a_end)
                or (candidate.b_start < k.b_end and k.b_start < candidate.b_end)
            )
            for k in kept
        )
        if not clash:
            kept.append(candidate)
    return kept
