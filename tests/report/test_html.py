"""The HTML report's structure, read back with an HTML parser (the browser checks are in
test_html_browser.py)."""

import json
import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from dedup import Document, read_documents, render, scan
from dedup.cli import cli
from tests.conftest import PLANTED, SEEDS


class ReportPage(HTMLParser):
    """What a rendered page holds: every element's tag and attributes, the ids, the text of
    each passage side (the concatenated links that list it) and the kinds they list."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.passage_text: dict[tuple[int, str], str] = defaultdict(str)
        self.passage_kinds: dict[tuple[int, str], set[str]] = defaultdict(set)
        self.dimmed = ""
        self.texts = ""  # all text outside tags
        self._open: list[tuple[str, dict]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if "id" in attributes:
            assert attributes["id"] not in self.ids, f"duplicate id {attributes['id']}"
            self.ids.add(attributes["id"])
        if tag not in ("meta", "br", "link", "img"):
            self._open.append((tag, attributes))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        self.texts += data
        for tag, attributes in self._open:
            if "data-passage" in attributes:
                side = "a" if attributes["href"].endswith("b") else "b"
                numbers = attributes["data-passage"].split()
                kinds = attributes["data-kind"].split()
                for number, kind in zip(numbers, kinds):
                    self.passage_text[(int(number), side)] += data
                    self.passage_kinds[(int(number), side)].add(kind)
            if "chrome" in attributes.get("class", "").split() or "dim" in attributes.get("class", "").split():
                self.dimmed += data


# What HTML cannot carry (controls but tab and line breaks, lone surrogates) is shown as U+FFFD.
SHOWN_AS_REPLACEMENT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def check_passages(report, page: ReportPage) -> None:
    """Every passage of the report appears on both sides, with its exact text and kind, and
    links to its counterpart."""
    assert report.passages
    for number, p in enumerate(report.passages):
        for side, where in (("a", p.a), ("b", p.b)):
            shown = SHOWN_AS_REPLACEMENT.sub("\ufffd", report.texts[where.doc][where.start : where.end])
            assert page.passage_text[(number, side)] == shown
            assert page.passage_kinds[(number, side)] == {p.kind}
            assert f"p{number}{side}" in page.ids
    links = {attributes["href"][1:] for tag, attributes in page.elements
             if tag == "a" and attributes.get("href", "").startswith("#")}
    assert links <= page.ids, links - page.ids


def test_seed_report_shows_every_passage_with_its_kind(seed_report):
    page_html = render(seed_report, "html")
    page = ReportPage(page_html)
    check_passages(seed_report, page)
    kinds = {p.kind for p in seed_report.passages}
    assert "paraphrase" in kinds and "copy" in kinds
    # The reuse groups lead: CNN (outside the corpus) with the two documents that carry its text.
    groups = page_html[page_html.index('id="groups"') : page_html.index('id="pairs"')]
    assert page_html.index('id="groups"') < page_html.index('id="pairs"') < page_html.index('id="repeats"')
    assert "CNN" in groups and "→ 2 documents" in groups
    assert "004_b86f621bbed01eb0.txt" in groups and "003_7d410491a9d5865a.txt" in groups
    assert "000_8932b4b4356b9590.txt" not in groups.split("Independent")[0]
    # The pair of the paraphrase ranks first, and its passages are drawn sentence by sentence.
    ranked = [a["href"] for t, a in page.elements if t == "a" and a.get("href", "").startswith("#pair-")]
    assert ranked[0] == "#pair-0"
    titles = {doc.id: doc.title for doc in seed_report.documents}  # titles without breadcrumbs
    assert titles["003_7d410491a9d5865a.txt"] == "US Conducts Major Airstrikes on Iranian-Backed Militias in Iraq and Syria"
    assert f'<p class="title" dir="auto">{titles["003_7d410491a9d5865a.txt"]}</p>' in page_html
    # The evidence behind each verdict is shown.
    for entry in seed_report.attribution:
        for source in entry["sources"]:
            for line in source["evidence"]:
                assert line in page.texts


def test_planted_report_dims_chrome_and_shows_every_passage():
    documents, _ = read_documents([PLANTED])
    report = scan(documents)
    page = ReportPage(render(report, "html"))
    check_passages(report, page)
    chrome_lines = [report.texts[doc][s:e] for doc, spans in report.chrome.items() for s, e in spans]
    assert chrome_lines, "the planted fixtures hold site chrome"
    for line in chrome_lines:
        assert line in page.dimmed
    summary = {m.group(1): int(m.group(2)) for m in re.finditer(r'data-count="([a-z]+)">(\d+)<', render(report, "html"))}
    assert summary["documents"] == len(report.documents)
    assert summary["duplicates"] == len(report.duplicates)


HOSTILE = (
    "Breaking: <script>document.title='pwned'</script> and <img src=x onerror=\"document.title='pwned'\">.\n"
    "</div></article></section></main><iframe src=\"https://example.com\"></iframe><!-- \n"
    "\"><b onmouseover=alert(1)>bold</b> &amp; &lt;entities&gt; \u202eevil\u202c right-to-left override.\n"
    "شهدت المدينة اليوم احتجاجات واسعة بعد القرار الذي اتخذته الحكومة في ساعة متأخرة من الليل.\n"
    "עשרות אנשים התאספו בכיכר העיר כדי להביע את מחאתם על ההחלטה.\n"
    + "x" * 200_000 + "\n"
    "A control \x00 character, a \x07 bell and a lone \ud800 surrogate.\n"
)


SHARED = ("The city council voted on Tuesday night to close the old bridge for repairs that are "
          "expected to last at least eighteen months, officials said.")


def hostile_report():
    docs = [Document("<b>a</b>\u202e.txt", HOSTILE + SHARED), Document("b\"'><script>.txt", "Copied: " + SHARED + "\n" + HOSTILE)]
    return scan(docs)


def test_hostile_text_is_shown_never_run():
    report = hostile_report()
    html = render(report, "html")
    page = ReportPage(html)
    check_passages(report, page)
    assert "<script" not in html.lower()
    assert "<iframe" not in html.lower() and "<img" not in html.lower()
    tags = {tag for tag, _ in page.elements}
    assert tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "nav", "a", "main",
                    "section", "dl", "div", "dt", "dd", "p", "ul", "ol", "li", "span", "bdi", "article", "details",
                    "summary", "strong", "footer", "table", "thead", "tbody", "tr", "th", "td", "br"}, tags
    assert not [name for _, attributes in page.elements for name in attributes if name.startswith("on")]
    assert "<script>document.title='pwned'</script>" in page.texts  # shown as text
    assert "\ufffd surrogate" in page.texts and "\x00" not in html
    csp = next(a["content"] for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_large_reports_are_paged():
    import random

    from dedup.report.html import PAIRS_PER_PAGE

    rng = random.Random(3)
    vocabulary = ["".join(rng.choice("aeioulmnrstkp") for _ in range(rng.randint(3, 9))) for _ in range(3000)]
    shared = [" ".join(rng.choice(vocabulary) for _ in range(30)).capitalize() + "."
              for _ in range(PAIRS_PER_PAGE + 5)]
    docs = []
    for k, sentence in enumerate(shared):
        docs.append(Document(f"orig-{k}", f"Story {k}. {sentence} Nothing else is alike, item {k} of many."))
        docs.append(Document(f"copy-{k}", f"Reposted {k}: {sentence}"))
    report = scan(docs)
    page = ReportPage(render(report, "html"))
    pages = [a["id"] for t, a in page.elements if t == "div" and "page" in a.get("class", "").split()]
    assert "pairs-page-1" in pages and "pairs-page-2" in pages
    assert len([a for t, a in page.elements if t == "article" and "pair" in a.get("class", "")]) == len(shared)
    check_passages(report, page)


def test_document_level_report_renders_without_texts(tmp_path):
    from dedup.engines.document import near_duplicates

    documents, _ = read_documents([SEEDS])
    report = near_duplicates(documents + [Document("copy", documents[4].text + " More.")])
    html = render(report, "html")
    page = ReportPage(html)
    assert "passages were not looked for" in page.texts
    assert report.clusters and "Cluster 1" in page.texts


def test_cli_writes_html_from_the_suffix_and_compare_renders_a_pair(tmp_path):
    runner = CliRunner()
    out = tmp_path / "report.html"
    result = runner.invoke(cli, ["scan", str(SEEDS), "-o", str(out), "-q"], catch_exceptions=False)
    assert result.exit_code == 0 and out.read_text("utf-8").startswith("<!DOCTYPE html>")
    a, b = SEEDS / "003_7d410491a9d5865a.txt", SEEDS / "004_b86f621bbed01eb0.txt"
    result = runner.invoke(cli, ["compare", str(a), str(b), "--format", "html", "-q"], catch_exceptions=False)
    assert result.exit_code == 0
    page = ReportPage(result.stdout)
    json_result = runner.invoke(cli, ["compare", str(a), str(b), "--format", "json", "-q"], catch_exceptions=False)
    passages = json.loads(json_result.stdout)[0]["passages"]
    assert passages and all(f"p{k}a" in page.ids and f"p{k}b" in page.ids for k in range(len(passages)))
    assert {kind for kinds in page.passage_kinds.values() for kind in kinds} == {p["kind"] for p in passages}


class SentenceRows(HTMLParser):
    """The text of each sentence link (``p{n}s{k}a`` / ``...b``) and where it points."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: dict[str, str] = defaultdict(str)
        self.href: dict[str, str] = {}
        self._inside: str | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and "s" in attributes.get("class", "").split():
            self._inside = attributes["id"]
            self.href[attributes["id"]] = attributes["href"][1:]

    def handle_endtag(self, tag):
        if tag == "a":
            self._inside = None

    def handle_data(self, data):
        if self._inside:
            self.text[self._inside] += data


def test_each_sentence_pair_is_drawn_with_its_counterpart(seed_report):
    rows = SentenceRows(render(seed_report, "html"))
    paraphrases = [(n, p) for n, p in enumerate(seed_report.passages) if p.kind == "paraphrase"]
    assert paraphrases and all(p.sentences for _, p in paraphrases)
    for number, p in enumerate(seed_report.passages):
        pairs = p.sentences or [None]
        for k, pair in enumerate(pairs, start=1):
            a, b = f"p{number}s{k}a", f"p{number}s{k}b"
            assert rows.href[a] == b and rows.href[b] == a
            if pair is not None:
                assert rows.text[a] == seed_report.texts[p.a.doc][pair.a_start:pair.a_end]
                assert rows.text[b] == seed_report.texts[p.b.doc][pair.b_start:pair.b_end]


def test_counts_agree_with_the_report(seed_report):
    html = render(seed_report, "html")
    counts = {m.group(1): int(m.group(2)) for m in re.finditer(r'data-count="([a-z]+)">(\d+)<', html)}
    between = [p for p in seed_report.passages if p.a.doc != p.b.doc]
    assert counts["pairs"] == len({(p.a.doc, p.b.doc) for p in between}) == 3
    assert counts["repeats"] == len(seed_report.passages) - len(between) == 3
    for kind in ("copy", "paraphrase", "quote"):
        assert counts[kind] == sum(p.kind == kind for p in between)
    assert counts["derived"] == 2 and counts["outlets"] == 1
    # A repeat inside a document is drawn once: one text, not the document twice side by side.
    page = ReportPage(html)
    repeats = [a for t, a in page.elements if t == "article" and a.get("class") == "repeat"]
    assert len(repeats) == 3
    assert html.count('class="sides"') == 3  # the three pairs of two documents only


def test_a_limit_keeps_the_pairs_sharing_most_text(seed_report):
    html = render(seed_report, "html", limit=1)
    page = ReportPage(html)
    assert "pair-0" in page.ids and "pair-1" not in page.ids
    assert "2 more are in the JSON report" in page.texts


def test_compare_claims_only_what_it_computed(tmp_path):
    a, b = SEEDS / "003_7d410491a9d5865a.txt", SEEDS / "004_b86f621bbed01eb0.txt"
    result = CliRunner().invoke(cli, ["compare", str(a), str(b), "--format", "html", "-q"], catch_exceptions=False)
    page = ReportPage(result.stdout)
    assert "No document was found" not in page.texts and "groups" not in page.ids
    assert 'data-count="derived"' not in result.stdout and "Reuse groups" not in page.texts
    assert "True" not in page.texts  # no Python reprs of settings


@pytest.mark.parametrize("fmt", ["html"])
def test_render_is_deterministic(seed_report, fmt):
    assert render(seed_report, fmt) == render(seed_report, fmt)
