"""The HTML report: one self-contained page to read reuse side by side.

``dedup scan --format html`` and ``dedup compare A B --format html`` write a single file with
no scripts, fonts or requests (a Content-Security-Policy forbids them), readable on a laptop
and a phone:

- a summary of the counts;
- the syndication tree of each source (an original in the corpus or an outside outlet),
  with the share of each derived document that is reused text;
- near-duplicate clusters;
- every pair of documents that share passages, the two texts side by side: each passage
  highlighted by kind (copy, paraphrase, quote: Okabe-Ito colours, a line style and a label
  each) and linked to its counterpart, site chrome dimmed;
- every document with its verdict, the evidence behind it and its citations.

Pairs and documents are split into pages that CSS shows one at a time (the page holding
the linked element, else the first), so the browser lays out one page of a large report,
not all of it. All text is escaped: a document holding markup is shown, never run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from html import escape

from dedup.attribution.attribute import reused_spans, union_length
from dedup.records import Passage
from dedup.report.model import Report
from dedup.version import __version__

__all__ = ["DOCUMENTS_PER_PAGE", "PAIRS_PER_PAGE", "render_html"]

PAIRS_PER_PAGE = 20
DOCUMENTS_PER_PAGE = 100
KINDS = ("copy", "paraphrase", "quote")
# Characters HTML cannot carry (controls other than tab and line breaks, lone surrogates),
# shown as U+FFFD: one character for one, so the offsets of the rest do not move.
_UNSHOWABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def render_html(report: Report, *, title: str = "dedup report") -> str:
    """Return ``report`` as one self-contained HTML page.

    Parameters
    ----------
    report : Report
        A scan's report. Its ``texts`` are shown side by side, with its ``chrome`` lines
        dimmed; without texts (the document-level scan keeps none) pairs are listed alone.
    title : str
        The page's title.

    Examples
    --------
    >>> from dedup import scan
    >>> page = render_html(scan(["A sentence long enough to be copied word for word here.",
    ...                          "Intro. A sentence long enough to be copied word for word here."]))
    >>> page.startswith("<!DOCTYPE html>"), 'data-kind="copy"' in page
    (True, True)
    """
    return _Page(report).render(title)


class _Page:
    """The parts of one report's page (ids for anchors are assigned once, here)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.chrome = report.chrome
        self.doc_anchor = {doc.id: f"doc-{k}" for k, doc in enumerate(report.documents)}
        self.passage_number = {id(p): k for k, p in enumerate(report.passages)}
        self.pairs = _pairs(report)
        self.pair_anchor = {pair: f"pair-{k}" for k, pair in enumerate(self.pairs)}
        self.pairs_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for pair in self.pairs:
            self.pairs_of[pair[0]].append(pair)
            if pair[1] != pair[0]:
                self.pairs_of[pair[1]].append(pair)
        self.verdicts = {entry["doc"]: entry for entry in report.attribution}
        self.similarity = {tuple(d.documents): d.similarity for d in report.duplicates}
        self.reused = reused_spans(report.passages)

    def render(self, title: str) -> str:

        sections = [self.summary(), self.sources(), self.clusters(), self.pair_pages(), self.document_pages()]
        nav = "".join(f'<a href="#{anchor}">{label}</a>' for anchor, label in
                      (("summary", "Summary"), ("sources", "Sources"), ("clusters", "Clusters"),
                       ("pairs", "Pairs"), ("documents", "Documents")))
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            f"<meta name=\"generator\" content=\"dedup {escape(__version__)}\">\n"
            f"<title>{_text(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            f"<header><h1>{_text(title)}</h1><nav>{nav}</nav></header>\n<main>\n"
            + "\n".join(s for s in sections if s)
            + "\n</main>\n<footer>Made by dedup "
            f"{escape(__version__)}. {_text(_settings(self.report.parameters))}</footer>\n</body>\n</html>\n"
        )

    # -- sections -------------------------------------------------------------------------

    def summary(self) -> str:
        report = self.report
        kinds = {kind: sum(p.kind == kind for p in report.passages if p.a.doc != p.b.doc) for kind in KINDS}
        verdicts = [entry["verdict"] for entry in report.attribution]
        outlets = {s["outlet"] for e in report.attribution for s in e["sources"] if s["doc"] is None and s["outlet"]}
        items = [("documents", len(report.documents)), ("near-duplicate pairs", len(report.duplicates)),
                 ("clusters", len(report.clusters)), ("pairs sharing passages", len(self.pairs)),
                 *((f"{kind} passages", kinds[kind]) for kind in KINDS),
                 ("originals", verdicts.count("original")), ("derived documents", verdicts.count("derived")),
                 ("outside outlets", len(outlets))]
        if report.problems:
            items.append(("inputs with problems", len(report.problems)))
        cells = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in items)
        note = ""
        if report.parameters.get("level") == "document":
            note = "<p class=\"note\">Document-level scan: near-duplicates only (no passages, paraphrase or attribution).</p>"
        problems = ""
        if report.problems:
            rows = "".join(f"<li>{_text(str(problem))}</li>" for problem in report.problems)
            problems = f"<details><summary>Input problems</summary><ul>{rows}</ul></details>"
        return f'<section id="summary"><h2>Summary</h2><dl class="counts">{cells}</dl>{note}{problems}</section>'

    def sources(self) -> str:
        """A tree per source: an original or an outside outlet, then what derives from it."""
        children: dict[str, list[tuple[str, dict]]] = defaultdict(list)  # source key -> (doc, source entry)
        labels: dict[str, str] = {}
        for entry in self.report.attribution:
            for source in entry["sources"]:
                if source["doc"] is not None:
                    key = "doc:" + source["doc"]
                    labels[key] = self.doc_link(source["doc"])
                else:
                    key = "outlet:" + (source["outlet"] or source["url"] or "?")
                    labels[key] = _outlet_label(source)
                children[key].append((entry["doc"], source))
        if not children:
            return ('<section id="sources"><h2>Sources</h2><p>No document was found to derive from another '
                    'or from an outside outlet.</p></section>')
        derived = {doc for pairs in children.values() for doc, _ in pairs}
        roots = [key for key in children if not (key.startswith("doc:") and key[4:] in derived)]
        roots = roots or list(children)  # a cycle: show every source
        trees = "".join(f'<li><span class="root">{labels[key]}</span>{self.branch(key, children, {key})}</li>'
                        for key in roots)
        independent = [e["doc"] for e in self.report.attribution if e["verdict"] == "independent"]
        rest = ""
        if independent:
            rest = ("<p class=\"independent\">Independent (no reuse found): "
                    + ", ".join(self.doc_link(doc) for doc in independent) + "</p>")
        return f'<section id="sources"><h2>Sources</h2><ul class="tree">{trees}</ul>{rest}</section>'

    def branch(self, key: str, children: dict, seen: set[str]) -> str:
        items = []
        for doc, source in children.get(key, []):
            share = union_length(self.reused.get(doc, [])) / max(len(self.report.texts.get(doc, "")), 1)
            pair = self.pair_with(doc, source["doc"])
            compare = f' · <a class="go" href="#{self.pair_anchor[pair]}">side by side</a>' if pair else ""
            nested = ""
            if "doc:" + doc in children and "doc:" + doc not in seen:
                nested = self.branch("doc:" + doc, children, seen | {"doc:" + doc})
            items.append(f"<li>{self.doc_link(doc)} <span class=\"share\">{share:.0%} reused text</span>"
                         f" · <span class=\"confidence\">confidence {source['confidence']:.2f}</span>{compare}{nested}</li>")
        return f"<ul>{''.join(items)}</ul>"

    def clusters(self) -> str:
        if not self.report.clusters:
            return ('<section id="clusters"><h2>Near-duplicate clusters</h2><p>No two documents are '
                    'near-duplicates.</p></section>')
        cluster_of = {doc: number for number, cluster in enumerate(self.report.clusters) for doc in cluster}
        members_pairs: dict[int, list[str]] = defaultdict(list)
        for (a, b), value in self.similarity.items():
            link = (f' · <a class="go" href="#{self.pair_anchor[(a, b)]}">side by side</a>'
                    if (a, b) in self.pair_anchor else "")
            members_pairs[cluster_of.get(a, -1)].append(
                f"<li>{self.doc_link(a)} ~ {self.doc_link(b)}: Jaccard {value:.2f}{link}</li>")
        rows = []
        for number, cluster in enumerate(self.report.clusters, start=1):
            members = ", ".join(self.doc_link(doc) for doc in cluster)
            pairs = "".join(members_pairs[number - 1])
            rows.append(f"<li><strong>Cluster {number}</strong>: {members}<ul>{pairs}</ul></li>")
        return f'<section id="clusters"><h2>Near-duplicate clusters</h2><ol class="clusters">{"".join(rows)}</ol></section>'

    def pair_pages(self) -> str:
        if not self.pairs:
            why = ("Document-level scan: passages were not looked for."
                   if self.report.parameters.get("level") == "document" else "No passages are shared.")
            return f'<section id="pairs"><h2>Pairs</h2><p>{why}</p></section>'
        legend = ('<p class="legend">' + " ".join(f'<span class="m k-{k}" data-kind="{k}">{k}</span>' for k in KINDS)
                  + ' <span class="chrome">site chrome</span> Each highlighted passage links to its counterpart.</p>')
        by_pair: dict[tuple[str, str], list[Passage]] = defaultdict(list)
        for p in self.report.passages:
            by_pair[(p.a.doc, p.b.doc)].append(p)
        articles = [self.pair(pair, by_pair[pair]) for pair in self.pairs]
        return f'<section id="pairs"><h2>Pairs</h2>{legend}{_paged("pairs", articles, PAIRS_PER_PAGE)}</section>'

    def pair(self, pair: tuple[str, str], passages: list[Passage]) -> str:
        a, b = pair
        counts = ", ".join(f"{n} {kind}" for kind in KINDS if (n := sum(p.kind == kind for p in passages)))
        similarity = self.similarity.get(pair)
        near = f' · <span class="badge">near-duplicates, Jaccard {similarity:.2f}</span>' if similarity is not None else ""
        heading = (f"{self.doc_link(a)} (repeated inside the document)" if a == b
                   else f"{self.doc_link(a)} <span aria-hidden=\"true\">↔</span> {self.doc_link(b)}")
        sides = ""
        if a in self.report.texts and b in self.report.texts:
            sides = ('<div class="sides">'
                     + self.side(a, "a", passages) + self.side(b, "b", passages) + "</div>")
        return (f'<article class="pair" id="{self.pair_anchor[pair]}"><h3>{heading}</h3>'
                f'<p class="meta">{counts}{near}</p>{sides}</article>')

    def side(self, doc: str, side: str, passages: list[Passage]) -> str:
        """One document's text with this pair's passages: each starts with an anchor that its
        counterpart links to (and that carries the kind's label); its text is one or more
        links to the counterpart, listing every passage that covers them."""
        text = self.report.texts[doc]
        other = "b" if side == "a" else "a"
        spans = sorted((getattr(p, side).start, getattr(p, side).end, self.passage_number[id(p)], p.kind)
                       for p in passages)
        pieces = []
        for start, end, covering, dimmed in _segments(len(text), spans, self.chrome.get(doc, [])):
            for span_start, _, number, kind in covering:
                if span_start == start:
                    pieces.append(f'<span class="start k-{kind}" id="p{number}{side}" data-label="{kind}"></span>')
            content = _text(text[start:end])
            if covering:
                number, kind = covering[0][2], covering[0][3]
                passages_here = " ".join(str(span[2]) for span in covering)
                kinds_here = " ".join(span[3] for span in covering)
                pieces.append(
                    f'<a class="m k-{kind}{" dim" if dimmed else ""}" href="#p{number}{other}" '
                    f'data-passage="{passages_here}" data-kind="{kinds_here}" '
                    f'title="{kind}: go to the other side">{content}</a>')
            elif dimmed:
                pieces.append(f'<span class="chrome">{content}</span>')
            else:
                pieces.append(content)
        return (f'<div class="side"><div class="doc-name">{self.doc_link(doc)}</div>'
                f'<div class="text" dir="auto">{"".join(pieces)}</div></div>')

    def document_pages(self) -> str:
        cards = [self.document(doc) for doc in self.report.documents]
        return f'<section id="documents"><h2>Documents</h2>{_paged("documents", cards, DOCUMENTS_PER_PAGE)}</section>'

    def document(self, doc) -> str:
        entry = self.verdicts.get(doc.id)
        facts = [f"{doc.chars:,} characters"]
        if doc.published:
            facts.append(f"published {_text(doc.published)}{' (inferred)' if doc.published_inferred else ''}")
        if doc.url:
            facts.append(f'<bdi class="url">{_text(doc.url)}</bdi>')
        verdict = ""
        if entry:
            verdict = f' <span class="verdict v-{escape(entry["verdict"])}">{_text(entry["verdict"])}</span>'
        sources = []
        for source in (entry or {}).get("sources", []):
            name = self.doc_link(source["doc"]) if source["doc"] else _outlet_label(source)
            evidence = "".join(f"<li>{_text(line)}</li>" for line in source.get("evidence", []))
            sources.append(f"<li>from {name}, confidence {source['confidence']:.2f}"
                           f"<ul class=\"evidence\">{evidence}</ul></li>")
        citations = "".join(
            f"<li>{_text(c.get('outlet') or '?')} ({_text(c.get('form', ''))})"
            + (f' <bdi class="url">{_text(c["url"])}</bdi>' if c.get("url") else "") + "</li>"
            for c in doc.citations)
        pairs = ", ".join(f'<a href="#{self.pair_anchor[pair]}">{_text(_other(pair, doc.id))}</a>'
                          for pair in self.pairs_of.get(doc.id, []))
        return (f'<article class="document" id="{self.doc_anchor[doc.id]}">'
                f'<h3><bdi>{_text(doc.id)}</bdi>{verdict}</h3>'
                + (f'<p class="title" dir="auto">{_text(doc.title)}</p>' if doc.title else "")
                + f'<p class="meta">{" · ".join(facts)}</p>'
                + (f'<p>Derived from:</p><ul class="sources">{"".join(sources)}</ul>' if sources else "")
                + (f'<details><summary>Citations ({len(doc.citations)})</summary><ul>{citations}</ul></details>'
                   if doc.citations else "")
                + (f'<p class="pairs">Shares passages with: {pairs}</p>' if pairs else "")
                + "</article>")

    # -- links ----------------------------------------------------------------------------

    def doc_link(self, doc: str) -> str:
        anchor = self.doc_anchor.get(doc)
        name = f"<bdi>{_text(doc)}</bdi>"
        return f'<a class="doc" href="#{anchor}">{name}</a>' if anchor else name

    def pair_with(self, doc: str, other: str | None) -> tuple[str, str] | None:
        """The pair showing ``doc``'s reuse: with ``other`` when given, else its first pair."""
        for pair in self.pairs_of.get(doc, []):
            if other is None or other in pair:
                return pair
        return None


def _pairs(report: Report) -> list[tuple[str, str]]:
    """Pairs of documents that share passages, the most reused text first (then report order)."""
    reused: dict[tuple[str, str], int] = defaultdict(int)
    for p in report.passages:
        reused[(p.a.doc, p.b.doc)] += (p.a.end - p.a.start) * (p.kind != "quote")
    return sorted(reused, key=lambda pair: -reused[pair])  # sorted() is stable


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


def _paged(name: str, items: list[str], per_page: int) -> str:
    """Items in pages of ``per_page``; CSS shows the page holding the link's target, else the first."""
    pages = [items[k : k + per_page] for k in range(0, len(items), per_page)] or [[]]
    nav = ""
    if len(pages) > 1:
        links = " ".join(f'<a href="#{name}-page-{n}">{n}</a>' for n in range(1, len(pages) + 1))
        nav = f'<nav class="pager">Page {links}</nav>'
    body = "".join(f'<div class="page" id="{name}-page-{n}">{nav}{"".join(page)}</div>'
                   for n, page in enumerate(pages, start=1))
    return f'<div class="pages">{body}</div>'


def _text(value: str) -> str:
    """``value`` escaped for HTML text or attribute, with unshowable characters replaced."""
    return escape(_UNSHOWABLE_RE.sub("\ufffd", value), quote=True)


def _outlet_label(source: dict) -> str:
    name = f'<span class="outlet">{_text(source.get("outlet") or "an outside source")}</span> (outside the corpus)'
    if source.get("url"):
        name += f' <bdi class="url">{_text(source["url"])}</bdi>'
    return name


def _other(pair: tuple[str, str], doc: str) -> str:
    return pair[1] if pair[0] == doc else pair[0]


def _settings(parameters: dict) -> str:
    return "Settings: " + ", ".join(f"{key} {value}" for key, value in parameters.items()) if parameters else ""


# Okabe-Ito colours (told apart with any colour vision), each kind with its own line style.
_STYLE = """
:root{--copy:#D55E00;--paraphrase:#0072B2;--quote:#CC79A7;--ink:#1b1b1b;--muted:#6b6b6b;--line:#d8d8d8;
--bg:#fff;--panel:#f6f6f4}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);padding:.5rem 1rem;
display:flex;flex-wrap:wrap;gap:.3rem 1.5rem;align-items:baseline}
header h1{font-size:1.15rem;margin:0}
nav a{margin-right:.8rem}
main{padding:0 1rem 2rem;max-width:1400px;margin:0 auto}
footer{color:var(--muted);font-size:.8rem;padding:1rem;border-top:1px solid var(--line)}
h2{margin-top:2rem;border-bottom:2px solid var(--ink);padding-bottom:.2rem}
h3{font-size:1rem;margin:.2rem 0}
a{color:#0b57a4}
section{scroll-margin-top:3.5rem}
article,[id]{scroll-margin-top:3.5rem}
.counts{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem;margin:0}
.counts div{background:var(--panel);padding:.5rem .7rem;border-radius:6px}
.counts dt{color:var(--muted);font-size:.8rem}.counts dd{margin:0;font-size:1.4rem;font-weight:600}
.note{color:var(--muted)}
.tree,.tree ul{list-style:none;padding-left:1.2rem}
.tree>li{margin:.6rem 0;padding-left:0}
.tree ul li{border-left:1px solid var(--line);padding-left:.7rem;margin:.2rem 0}
.root{font-weight:600}
.share,.confidence,.meta,.badge{color:var(--muted);font-size:.85rem}
.go{font-size:.85rem}
.pair,.document{border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem;margin:.8rem 0;
content-visibility:auto;contain-intrinsic-size:auto 600px}
.document{contain-intrinsic-size:auto 160px}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}
@media (max-width:760px){.sides{grid-template-columns:1fr}}
.side{min-width:0}
.doc-name{font-size:.85rem;color:var(--muted);margin-bottom:.2rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext;background:var(--panel);padding:.6rem;
border-radius:6px;max-height:80vh;overflow:auto;font-size:.9rem}
.m{color:inherit;text-decoration:none;border-bottom:3px solid;padding:0 1px}
.k-copy{background:#f9d9c2;border-bottom-style:solid;border-color:var(--copy)}
.k-paraphrase{background:#cde4f3;border-bottom-style:dashed;border-color:var(--paraphrase)}
.k-quote{background:#f3dcea;border-bottom-style:dotted;border-color:var(--quote)}
.start[data-label]::before{content:attr(data-label);font-size:.65rem;font-weight:700;text-transform:uppercase;
color:#fff;border-radius:3px;padding:0 .25rem;margin-right:.2rem;vertical-align:.1rem}
.start.k-copy::before{background:var(--copy)}
.start.k-paraphrase::before{background:var(--paraphrase)}
.start.k-quote::before{background:#9b4f7c}
.start{background:none;border:0}
.start:target::before{outline:3px solid var(--ink);outline-offset:1px}
.chrome,.dim{opacity:.45}
.legend span{margin-right:.6rem}
.verdict{font-size:.75rem;border-radius:3px;padding:0 .35rem;margin-left:.4rem;color:#fff;background:var(--muted)}
.v-derived{background:var(--copy)}.v-original{background:#009E73}
.url{font-size:.8rem;overflow-wrap:anywhere}
.evidence{color:var(--muted);font-size:.85rem}
.pager{margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.3rem}
.pager a{padding:0 .35rem;border:1px solid var(--line);border-radius:4px;text-decoration:none}
.page{display:none}
.page:target,.page:has(:target){display:block}
.pages:not(:has(:target))>.page:first-child{display:block}
"""
