"""The HTML report's view of two documents that share passages (or one that repeats one).

Each passage is drawn as aligned excerpts: a few words of context before it, then its
sentence pairs row by row (matching sentences numbered alike and linked to each other),
with the text between them that pairs with nothing, then context after it. On a phone the
rows stack, so each sentence sits right above its counterpart. The two full texts, with
every passage highlighted and linked to its counterpart and the site chrome dimmed, are
folded away beneath; a repeat inside one document shows that document once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import escape

from dedup.records import Passage

__all__ = ["CONTEXT_CHARS", "PairView", "escaped"]

# Characters of context shown before and after each passage.
CONTEXT_CHARS = 160
# Characters HTML cannot carry (controls other than tab and line breaks, lone surrogates),
# shown as U+FFFD: one character for one, so the offsets of the rest do not move.
_UNSHOWABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def escaped(value: str) -> str:
    """``value`` escaped for HTML text or attribute, with unshowable characters replaced."""
    return escape(_UNSHOWABLE_RE.sub("\ufffd", value), quote=True)


class PairView:
    """Draws pairs of documents and their passages.

    Parameters
    ----------
    texts : dict
        Document texts by id (a pair whose texts are missing is drawn without them).
    chrome : dict
        Site-chrome spans by document id, dimmed in the full texts.
    number : callable
        A passage's number in the report (its anchors are ``p{number}a`` and ``p{number}b``
        in the full texts, ``p{number}s{k}a`` and ``...b`` for its sentence pair ``k``).
    doc_link : callable
        The HTML of a link to a document's card.
    """

    def __init__(self, texts: dict[str, str], chrome: dict[str, list[tuple[int, int]]],
                 number: Callable[[Passage], int], doc_link: Callable[[str], str]) -> None:
        self.texts, self.chrome, self.number, self.doc_link = texts, chrome, number, doc_link

    def article(self, anchor: str, pair: tuple[str, str], passages: list[Passage], meta: str) -> str:
        """One pair's ``<article>``: heading, ``meta`` line, aligned passages, full texts."""
        a, b = pair
        repeat = a == b
        heading = (f"{self.doc_link(a)} repeats {len(passages)} passage{'s' * (len(passages) != 1)} inside itself"
                   if repeat else f"{self.doc_link(a)} <span aria-hidden=\"true\">↔</span> {self.doc_link(b)}")
        if a not in self.texts or b not in self.texts:
            return f'<article class="pair" id="{anchor}"><h3>{heading}</h3><p class="meta">{meta}</p></article>'
        blocks = "".join(self.passage(p) for p in passages)
        if repeat:
            full = self.full_text(a, [(p, side) for p in passages for side in "ab"])
            label = "The full text, each repeat highlighted"
        else:
            full = ('<div class="sides">' + self.full_text(a, [(p, "a") for p in passages])
                    + self.full_text(b, [(p, "b") for p in passages]) + "</div>")
            label = "The full texts side by side, each passage highlighted"
        return (f'<article class="{"repeat" if repeat else "pair"}" id="{anchor}"><h3>{heading}</h3>'
                f'<p class="meta">{meta}</p>{blocks}'
                f'<details class="full"><summary>{label}</summary>{full}</details></article>')

    def passage(self, p: Passage) -> str:
        """A passage as rows of aligned sentences between its context."""
        number = self.number(p)
        text_a, text_b = self.texts[p.a.doc], self.texts[p.b.doc]
        place = ("first at", "again at") if p.a.doc == p.b.doc else (p.a.doc, p.b.doc)
        rows = [_row("", f'{escaped(place[0])} {p.a.start}-{p.a.end}', f'{escaped(place[1])} {p.b.start}-{p.b.end}',
                     "head")]
        rows.append(_row("", "…" + escaped(_before(text_a, p.a.start)), "…" + escaped(_before(text_b, p.b.start)),
                         "context"))
        pairs = [(s.a_start, s.a_end, s.b_start, s.b_end, s.score) for s in p.sentences] or [
            (p.a.start, p.a.end, p.b.start, p.b.end, p.score)]
        at_a, at_b = p.a.start, p.b.start
        for k, (a0, a1, b0, b1, score) in enumerate(pairs, start=1):
            rows.append(_gap(text_a[at_a:a0], text_b[at_b:b0]))
            title = f"sentence {k}, word overlap {score:.2f}: go to its counterpart"
            rows.append(_row(
                str(k),
                f'<a class="s" id="p{number}s{k}a" href="#p{number}s{k}b" title="{title}">{escaped(text_a[a0:a1])}</a>',
                f'<a class="s" id="p{number}s{k}b" href="#p{number}s{k}a" title="{title}">{escaped(text_b[b0:b1])}</a>'))
            at_a, at_b = a1, b1
        rows.append(_gap(text_a[at_a:p.a.end], text_b[at_b:p.b.end]))
        rows.append(_row("", escaped(_after(text_a, p.a.end)) + "…", escaped(_after(text_b, p.b.end)) + "…", "context"))
        sentences = f"{len(p.sentences)} sentence pair{'s' * (len(p.sentences) != 1)}" if p.sentences else "one span"
        return (f'<section class="passage k-{p.kind}"><p class="meta"><span class="label k-{p.kind}">{p.kind}</span> '
                f'score {p.score:.2f} · {sentences}</p><div class="rows">{"".join(rows)}</div></section>')

    def full_text(self, doc: str, sides: list[tuple[Passage, str]]) -> str:
        """One document's text with the given sides of passages highlighted: each starts
        with an anchor that its counterpart links to (and that carries the kind's label);
        its text is one or more links to the counterpart, listing every passage that
        covers them."""
        text = self.texts[doc]
        spans = sorted((getattr(p, side).start, getattr(p, side).end, self.number(p), p.kind, side) for p, side in sides)
        pieces = []
        for start, end, covering, dimmed in _segments(len(text), spans, self.chrome.get(doc, [])):
            for span_start, _, number, kind, side in covering:
                if span_start == start:
                    pieces.append(f'<span class="start k-{kind}" id="p{number}{side}" data-label="{kind}"></span>')
            content = escaped(text[start:end])
            if covering:
                _, _, number, kind, side = covering[0]
                passages_here = " ".join(str(span[2]) for span in covering)
                kinds_here = " ".join(span[3] for span in covering)
                pieces.append(
                    f'<a class="m k-{kind}{" dim" if dimmed else ""}" href="#p{number}{"b" if side == "a" else "a"}" '
                    f'data-passage="{passages_here}" data-kind="{kinds_here}" '
                    f'title="{kind}: go to the other side">{content}</a>')
            elif dimmed:
                pieces.append(f'<span class="chrome">{content}</span>')
            else:
                pieces.append(content)
        return (f'<div class="side"><div class="doc-name">{self.doc_link(doc)}</div>'
                f'<div class="text" dir="auto">{"".join(pieces)}</div></div>')


def _row(number: str, a: str, b: str, kind: str = "") -> str:
    cls = f" {kind}" if kind else ""
    return (f'<span class="n{cls}">{number}</span><div class="cell a{cls}" dir="auto">{a}</div>'
            f'<div class="cell b{cls}" dir="auto">{b}</div>')


def _gap(a: str, b: str) -> str:
    """A row of text between two sentence pairs that pairs with nothing (none when it holds
    no word: the full stop after a sentence, which its span leaves out)."""
    if not any(c.isalnum() for c in a) and not any(c.isalnum() for c in b):
        return ""
    return _row("", escaped(a.strip()), escaped(b.strip()), "gap")


def _before(text: str, start: int) -> str:
    """Up to ``CONTEXT_CHARS`` of ``text`` before ``start``, from a word's start."""
    piece = text[max(0, start - CONTEXT_CHARS):start]
    if start > CONTEXT_CHARS and " " in piece:
        piece = piece[piece.index(" ") + 1:]
    return " ".join(piece.split()) + (" " if piece[-1:].isspace() else "")


def _after(text: str, end: int) -> str:
    """Up to ``CONTEXT_CHARS`` of ``text`` after ``end``, to a word's end."""
    piece = text[end:end + CONTEXT_CHARS]
    if end + CONTEXT_CHARS < len(text) and " " in piece:
        piece = piece[:piece.rindex(" ")]
    return (" " if piece[:1].isspace() else "") + " ".join(piece.split())


def _segments(length: int, spans: list[tuple], chrome: list[tuple[int, int]]) -> Iterator[tuple[int, int, list, bool]]:
    """Cut ``[0, length)`` where any span or chrome line starts or ends: ``(start, end,
    covering spans, inside chrome)`` for each piece, in order."""
    cuts = {0, length}
    for span in spans:
        cuts.update((span[0], span[1]))
    for start, end in chrome:
        cuts.update((start, end))
    ordered = sorted(c for c in cuts if 0 <= c <= length)
    for start, end in zip(ordered, ordered[1:]):
        covering = [span for span in spans if span[0] <= start and end <= span[1]]
        dimmed = any(s <= start and end <= e for s, e in chrome)
        yield start, end, covering, dimmed
