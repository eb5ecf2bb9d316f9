"""The HTML report: one self-contained page to read what was taken, from whom, sentence by
sentence.

``dedup scan --format html``, ``dedup compare A B --format html`` and ``dedup render`` write
a single file with no scripts, fonts or requests (a Content-Security-Policy forbids them),
readable on a laptop and a phone:

- a summary of the counts (passages between documents and repeats inside one counted
  apart);
- the reuse groups: each source (an original in the corpus, or an outside outlet) with
  the documents that carry its text and the share of each, and the scan's groups of
  documents carrying one text (only where the command attributed sources);
- the document pairs that share passages, ranked by how much text they share, then each
  pair's passages as aligned sentences (:mod:`dedup.report.html_pairs`), the full texts
  folded beneath;
- repeats inside a document, each document shown once;
- near-duplicate clusters, and every document with its verdict, evidence and citations.

Pairs and documents are split into pages that CSS shows one at a time (the page holding
the linked element, else the first), so the browser lays out one page of a large report,
not all of it. All text is escaped: a document holding markup is shown, never run.
"""

from __future__ import annotations

import json
from collections import defaultdict
from html import escape

from dedup.report.html_pairs import PairView, escaped
from dedup.report.html_style import STYLE
from dedup.report.model import Report
from dedup.report.reading import KINDS, Reading, kind_counts, reused_chars, share_of
from dedup.version import __version__

__all__ = ["DOCUMENTS_PER_PAGE", "PAIRS_PER_PAGE", "render_html"]

PAIRS_PER_PAGE = 20
DOCUMENTS_PER_PAGE = 100
_text = escaped


def render_html(report: Report, *, title: str = "dedup report", limit: int | None = None) -> str:
    """Return ``report`` as one self-contained HTML page.

    Parameters
    ----------
    report : Report
        A scan's report. Its ``texts`` give the passages' excerpts and full texts, with its
        ``chrome`` lines dimmed; without texts (the document-level scan keeps none) pairs
        are listed alone.
    title : str
        The page's title.
    limit : int, optional
        Show only the ``limit`` pairs that share the most text (the page says how many it
        left out); every pair by default.

    Examples
    --------
    >>> from dedup import scan
    >>> page = render_html(scan(["A sentence long enough to be copied word for word here.",
    ...                          "Intro. A sentence long enough to be copied word for word here."]))
    >>> page.startswith("<!DOCTYPE html>"), 'data-kind="copy"' in page
    (True, True)
    """
    return _Page(report, limit).render(title)


class _Page:
    """The parts of one report's page (ids for anchors are assigned once, here)."""

    def __init__(self, report: Report, limit: int | None) -> None:
        self.report = report
        self.doc_anchor = {doc.id: f"doc-{k}" for k, doc in enumerate(report.documents)}
        self.titles = {doc.id: doc.title for doc in report.documents}
        self.chars = {doc.id: doc.chars for doc in report.documents}
        passage_number = {id(p): k for k, p in enumerate(report.passages)}
        reading = Reading(report)
        self.by_pair, self.pairs, self.repeats = reading.by_pair, reading.pairs, reading.repeats
        self.source_groups, self.independent = reading.groups, reading.independent
        self.shown = self.pairs if limit is None else self.pairs[:limit]
        self.pair_anchor = {pair: f"pair-{k}" for k, pair in enumerate(self.shown)}
        self.pair_anchor.update({pair: f"repeat-{k}" for k, pair in enumerate(self.repeats)})
        self.pairs_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for pair in self.shown:
            self.pairs_of[pair[0]].append(pair)
            self.pairs_of[pair[1]].append(pair)
        self.verdicts = {entry["doc"]: entry for entry in report.attribution}
        self.similarity = {tuple(d.documents): d.similarity for d in report.duplicates}
        self.view = PairView(report.texts, report.chrome, lambda p: passage_number[id(p)], self.doc_link)

    def render(self, title: str) -> str:
        sections = [self.summary(), self.groups(), self.pair_pages(), self.repeat_section(), self.clusters(),
                    self.document_pages()]
        links = [("summary", "Summary"), ("groups", "Groups") if self.attributed else None, ("pairs", "Pairs"),
                 ("repeats", "Repeats") if self.repeats else None, ("clusters", "Clusters"), ("documents", "Documents")]
        nav = "".join(f'<a href="#{anchor}">{label}</a>' for anchor, label in filter(None, links))
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            f"<meta name=\"generator\" content=\"dedup {escape(__version__)}\">\n"
            f"<title>{_text(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<header><h1>{_text(title)}</h1><nav>{nav}</nav></header>\n<main>\n"
            + "\n".join(s for s in sections if s)
            + f"\n</main>\n<footer>Made by dedup {escape(__version__)}.{self.settings()}</footer>\n</body>\n</html>\n"
        )

    @property
    def attributed(self) -> bool:
        """Whether the command attributed sources (a scan at the passage level does;
        ``dedup compare`` and the document level do not)."""
        return bool(self.report.attribution) or bool(self.report.groups)

    # -- sections -------------------------------------------------------------------------

    def summary(self) -> str:
        report = self.report
        between = [p for p in report.passages if p.a.doc != p.b.doc]
        items = [("documents", "documents", len(report.documents)),
                 ("pairs", "document pairs sharing passages", len(self.pairs)),
                 *((kind, f"{kind} passages between documents", sum(p.kind == kind for p in between)) for kind in KINDS),
                 ("repeats", "passages repeated inside a document", len(report.passages) - len(between)),
                 ("duplicates", "near-duplicate pairs", len(report.duplicates)),
                 ("clusters", "near-duplicate clusters", len(report.clusters))]
        if self.attributed:
            verdicts = [entry["verdict"] for entry in report.attribution]
            outlets = {s["outlet"] for e in report.attribution for s in e["sources"] if s["doc"] is None and s["outlet"]}
            items += [("originals", "originals", verdicts.count("original")),
                      ("derived", "derived documents", verdicts.count("derived")),
                      ("outlets", "outside outlets cited as sources", len(outlets))]
        if report.problems:
            items.append(("problems", "inputs with problems", len(report.problems)))
        cells = "".join(f'<div><dt>{label}</dt><dd data-count="{key}">{value}</dd></div>' for key, label, value in items)
        note = ""
        if report.parameters.get("level") == "document":
            note = "<p class=\"note\">Document-level scan: near-duplicates only (no passages, paraphrase or attribution).</p>"
        problems = ""
        if report.problems:
            rows = "".join(f"<li>{_text(str(problem))}</li>" for problem in report.problems)
            problems = f"<details><summary>Input problems</summary><ul>{rows}</ul></details>"
        return f'<section id="summary"><h2>Summary</h2><dl class="counts">{cells}</dl>{note}{problems}</section>'

    def groups(self) -> str:
        """Each source with the documents that carry its text, largest first; then the
        scan's groups of documents carrying one text."""
        if not self.attributed:
            return ""
        cards = []
        for group in self.source_groups:
            label = (self.doc_link(group.doc) + self.title_of(group.doc) if group.doc is not None
                     else _outlet_label({"outlet": group.outlet, "url": group.url}))
            items = []
            for doc, share, confidence in group.members:
                pair = self.pair_with(doc, group.doc)
                go = f' · <a class="go" href="#{self.pair_anchor[pair]}">sentence by sentence</a>' if pair else ""
                items.append(f'<li>{self.doc_link(doc)}{self.title_of(doc)} <span class="share">{share:.0%} reused '
                             f'text</span> · <span class="confidence">confidence {confidence:.2f}</span>{go}</li>')
            count = f"{len(group.members)} document{'s' * (len(group.members) != 1)}"
            cards.append(f'<div class="group"><h3>{label} <span class="arrow">→ {count}</span></h3>'
                         f'<ul>{"".join(items)}</ul></div>')
        for group in self.report.groups:
            items = "".join(f'<li>{self.doc_link(m["doc"])}{self.title_of(m["doc"])} <span class="share">'
                            f'{m["share"]:.0%} of it carries the text</span></li>' for m in group["members"])
            cards.append(f'<div class="group"><h3>{self.doc_link(group["representative"])}'
                         f'{self.title_of(group["representative"])} <span class="arrow">→ {len(group["members"])} '
                         f'documents carry its text ({_text(group["basis"])})</span></h3><ul>{items}</ul></div>')
        if not cards:
            cards.append("<p>No document was found to derive from another or from an outside outlet.</p>")
        independent = self.independent
        if independent:
            cards.append("<p class=\"independent\">Independent (no reuse found): "
                         + ", ".join(self.doc_link(doc) for doc in independent) + "</p>")
        return f'<section id="groups"><h2>Reuse groups</h2>{"".join(cards)}</section>'

    def clusters(self) -> str:
        if not self.report.clusters:
            return ('<section id="clusters"><h2>Near-duplicate clusters</h2><p>No two documents are '
                    'near-duplicates.</p></section>')
        cluster_of = {doc: number for number, cluster in enumerate(self.report.clusters) for doc in cluster}
        members_pairs: dict[int, list[str]] = defaultdict(list)
        for (a, b), value in self.similarity.items():
            link = (f' · <a class="go" href="#{self.pair_anchor[(a, b)]}">its passages</a>'
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
                   if self.report.parameters.get("level") == "document" else "No two documents share a passage.")
            return f'<section id="pairs"><h2>Pairs</h2><p>{why}</p></section>'
        rows = []
        for rank, pair in enumerate(self.shown, start=1):
            a, b = pair
            found = self.by_pair[pair]
            reused = reused_chars(found)
            kinds = kind_counts(found)
            similarity = self.similarity.get(pair)
            rows.append(f'<tr><td class="num">{rank}</td><td><a href="#{self.pair_anchor[pair]}"><bdi>{_text(a)}</bdi> ↔ '
                        f'<bdi>{_text(b)}</bdi></a></td><td class="num">{reused:,}</td>'
                        f'<td class="num wide">{share_of(found, "a", self.chars.get(a)):.0%} / '
                        f'{share_of(found, "b", self.chars.get(b)):.0%}</td>'
                        f'<td>{kinds}</td><td class="num wide">{"" if similarity is None else f"{similarity:.2f}"}</td></tr>')
        left_out = ""
        if len(self.shown) < len(self.pairs):
            left_out = (f'<p class="note">The {len(self.shown)} pairs that share the most text are shown; '
                        f'{len(self.pairs) - len(self.shown)} more are in the JSON report.</p>')
        table = ('<div class="scroll"><table class="ranked"><thead><tr><th class="num">#</th><th>Documents</th><th class="num">'
                 'Reused characters</th><th class="num wide">Share of each</th><th>Passages</th><th class="num wide">'
                 f'Jaccard</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>{left_out}')
        legend = ('<p class="legend">' + " ".join(f'<span class="label k-{k}" data-kind="{k}">{k}</span>' for k in KINDS)
                  + " Matching sentences are numbered alike and link to each other.</p>")
        articles = [self.view.article(self.pair_anchor[pair], pair, self.by_pair[pair], self.pair_meta(pair))
                    for pair in self.shown]
        return (f'<section id="pairs"><h2>Pairs, most reused text first</h2>{table}{legend}'
                f'{_paged("pairs", articles, PAIRS_PER_PAGE)}</section>')

    def repeat_section(self) -> str:
        if not self.repeats:
            return ""
        articles = [self.view.article(self.pair_anchor[pair], pair, self.by_pair[pair], self.pair_meta(pair))
                    for pair in self.repeats]
        return (f'<section id="repeats"><h2>Repeats inside a document</h2>'
                f'{_paged("repeats", articles, PAIRS_PER_PAGE)}</section>')

    def pair_meta(self, pair: tuple[str, str]) -> str:
        counts = kind_counts(self.by_pair[pair])
        similarity = self.similarity.get(pair)
        near = f' · <span class="badge">near-duplicates, Jaccard {similarity:.2f}</span>' if similarity is not None else ""
        titles = " · ".join(f"<bdi>{_text(t)}</bdi>" for t in dict.fromkeys(self.titles.get(d) for d in pair) if t)
        return f"{counts}{near}" + (f"<br>{titles}" if titles else "")

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
        repeats = (f'<p class="pairs"><a href="#{self.pair_anchor[(doc.id, doc.id)]}">Repeats passages inside '
                   f'itself</a></p>' if (doc.id, doc.id) in self.pair_anchor else "")
        return (f'<article class="document" id="{self.doc_anchor[doc.id]}">'
                f'<h3><bdi>{_text(doc.id)}</bdi>{verdict}</h3>'
                + (f'<p class="title" dir="auto">{_text(doc.title)}</p>' if doc.title else "")
                + f'<p class="meta">{" · ".join(facts)}</p>'
                + (f'<p>Derived from:</p><ul class="sources">{"".join(sources)}</ul>' if sources else "")
                + (f'<details><summary>Citations ({len(doc.citations)})</summary><ul>{citations}</ul></details>'
                   if doc.citations else "")
                + (f'<p class="pairs">Shares passages with: {pairs}</p>' if pairs else "") + repeats
                + "</article>")

    def settings(self) -> str:
        parameters = self.report.parameters
        if not parameters:
            return ""
        rows = "".join(f"<dt>{_text(key)}</dt><dd>{_text(json.dumps(value, ensure_ascii=False))}</dd>"
                       for key, value in parameters.items())
        return f" <details><summary>Settings of the scan</summary><dl>{rows}</dl></details>"

    # -- links ----------------------------------------------------------------------------

    def doc_link(self, doc: str) -> str:
        anchor = self.doc_anchor.get(doc)
        name = f"<bdi>{_text(doc)}</bdi>"
        return f'<a class="doc" href="#{anchor}">{name}</a>' if anchor else name

    def title_of(self, doc: str) -> str:
        title = self.titles.get(doc)
        return f' <span class="doc-title" dir="auto">{_text(title)}</span>' if title else ""

    def pair_with(self, doc: str, other: str | None) -> tuple[str, str] | None:
        """The pair showing ``doc``'s reuse: with ``other`` when given, else its first pair."""
        for pair in self.pairs_of.get(doc, []):
            if other is None or other in pair:
                return pair
        return None


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


def _outlet_label(source: dict) -> str:
    name = f'<span class="outlet">{_text(source.get("outlet") or "an outside source")}</span> (outside the corpus)'
    if source.get("url"):
        name += f' <bdi class="url">{_text(source["url"])}</bdi>'
    return name


def _other(pair: tuple[str, str], doc: str) -> str:
    return pair[1] if pair[0] == doc else pair[0]
