"""Reused passages between two prepared documents: both tiers, combined.

The copy tier (shingles, :mod:`dedup.align`) finds verbatim and lightly edited text; the
paraphrase tier (sentences, :mod:`dedup.paraphrase`) finds rewritten text. Where both find
the same or neighbouring text, one passage is reported: a ``copy`` when shingle matches
cover most of it and a ``paraphrase`` otherwise. Quotations shared by both documents keep
their own passages unless they lie inside a reused one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from .align import AlignOptions, Alignment, align_pair, self_repeats
from .config import ScanConfig
from .fingerprint import DocumentPrint, TokenHasher
from .paraphrase import ParaphraseOptions, SentenceAlignment, SentenceSpace, SentenceUnits, align_sentences
from .records import Document, Passage, Side
from .text import TextLayout, analyze

__all__ = ["PreparedCorpus", "prepare"]

# Gap (in multiples of the aligner's max_gap, so 480 words by default) allowed on one side
# between two pieces that lie within max_gap of each other on the other side: a summary
# condenses its source and takes from all over it. Set on PAN 2013 training data.
_CONDENSED_GAP = 40
# A combined passage is a copy when shingle matches cover at least this share of it.
_COPY_SHARE = 0.8


@dataclass
class PreparedCorpus:
    """Documents with everything the aligners need, computed once.

    Attributes
    ----------
    docs : list of Document
    prints : list of DocumentPrint
        Token layouts and shingles (copy tier).
    units : list of SentenceUnits
        Sentence units (paraphrase tier).
    space : SentenceSpace or None
        Sentence vectors with corpus statistics; None when the paraphrase tier is off.
    align_options : AlignOptions
    paraphrase_options : ParaphraseOptions
    """

    docs: list[Document]
    prints: list[DocumentPrint]
    units: list[SentenceUnits]
    space: SentenceSpace | None
    align_options: AlignOptions
    paraphrase_options: ParaphraseOptions

    def passages_between(self, i: int, j: int, *, rewrites: bool = True) -> list[Passage]:
        """The passages documents ``i`` and ``j`` share, in order of ``i``.

        ``rewrites=False`` skips the paraphrase tier for this pair (the scan does so for
        pairs whose sentences showed no sign of a rewrite).
        """
        copies = align_pair(self.prints[i], self.prints[j], self.align_options)
        found_rewrites = []
        if self.space is not None and rewrites:
            found = align_sentences(self.space, i, j, self.paraphrase_options)
            found_rewrites = [self._to_alignment(i, j, f) for f in found]
            found_rewrites = [r for r in found_rewrites if r is not None]
        combined = combine(copies, found_rewrites, self.prints[i].layout, self.prints[j].layout, self.align_options.max_gap)
        return [_passage(self.docs[i], self.docs[j], al) for al in combined]

    def self_passages(self, i: int) -> list[Passage]:
        """Passages repeated inside document ``i``."""
        return [_passage(self.docs[i], self.docs[i], al) for al in self_repeats(self.prints[i], self.align_options)]

    def _to_alignment(self, i: int, j: int, found: SentenceAlignment) -> Alignment | None:
        la, lb = self.prints[i].layout, self.prints[j].layout
        ta0, ta1 = int(self.units[i].bounds[found.a_first, 0]), int(self.units[i].bounds[found.a_last, 1])
        tb0, tb1 = int(self.units[j].bounds[found.b_first, 0]), int(self.units[j].bounds[found.b_last, 1])
        if min(ta1 - ta0, tb1 - tb0) < self.paraphrase_options.min_words:
            return None
        share = self.align_options.quote_share
        quoted = la.quoted[ta0:ta1].mean() >= share and lb.quoted[tb0:tb1].mean() >= share
        return Alignment(
            kind="quote" if quoted else "paraphrase",
            score=found.score,
            a_start=int(la.starts[ta0]),
            a_end=int(la.ends[ta1 - 1]),
            b_start=int(lb.starts[tb0]),
            b_end=int(lb.ends[tb1 - 1]),
        )


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
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                if _near(_hull(groups[x]), _hull(groups[y]), layout_a, layout_b, max_gap):
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


def _passage(a: Document, b: Document, al: Alignment) -> Passage:
    return Passage(
        kind=al.kind,
        score=al.score,
        a=Side(a.id, al.a_start, al.a_end),
        b=Side(b.id, al.b_start, al.b_end),
    )


def prepare(
    docs: list[Document],
    config: ScanConfig,
    repeated_lines: frozenset[str] = frozenset(),
    *,
    progress: bool = False,
) -> PreparedCorpus:
    """Analyse, fingerprint and (with the paraphrase tier on) vectorise every document."""
    paraphrase_options = ParaphraseOptions(min_words=config.min_words)
    hasher = TokenHasher()
    prints, units = [], []
    for doc in tqdm(docs, desc="prepare", unit="doc", file=sys.stderr, disable=not progress, delay=2.0, leave=False):
        layout = analyze(doc.text, repeated_lines)
        prints.append(DocumentPrint(layout, hasher.hash(layout.words), config.shingle))
        if config.paraphrase:
            units.append(SentenceUnits.from_layout(layout, doc.text, paraphrase_options.min_content))
    space = SentenceSpace(units) if config.paraphrase else None
    return PreparedCorpus(
        docs=docs,
        prints=prints,
        units=units,
        space=space,
        align_options=AlignOptions(min_words=config.min_words, max_gap=config.max_gap),
        paraphrase_options=paraphrase_options,
    )
