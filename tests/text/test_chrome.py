"""Chrome learned from the corpus: lines repeated across it, and each site's own lines."""

from collections import Counter

from dedup import Document, scan
from dedup.settings import ScanConfig
from dedup.text.layout import normalize
from dedup.text.chrome import (
    RepeatedLines,
    candidate_site_lines,
    lines_elsewhere,
    repeated_lines,
    site_line_counts,
    site_of,
)

FOOTER = ("Sign up for The Daily Brief, our free newsletter with the stories you need to know, "
          "delivered to your inbox every morning before breakfast.")


def test_a_documents_site_is_its_urls_host_else_its_outlet_else_an_id_that_is_a_url():
    assert site_of(Document("1", "x", {"url": "https://www.Daily.example/2024/a", "outlet": "Daily"})) == \
        "daily.example"
    assert site_of(Document("2", "x", {"outlet": " The Daily "})) == "the daily"
    assert site_of(Document("https://news.example/story/9", "x")) == "news.example"
    assert site_of(Document("folder/file.txt", "x")) is None
    assert site_of(Document("3", "x", {"url": "http://[::1"})) is None  # malformed: no site, no error


def test_a_line_is_a_sites_when_enough_of_its_documents_hold_it_and_no_other_site_does():
    texts = [f"Story {k} of the day, told at length.\n{FOOTER}" for k in range(4)] + [FOOTER, "Nothing here."]
    sites = ["daily.example"] * 4 + ["other.example", None]
    counts = site_line_counts(texts, sites)
    assert counts[("daily.example", normalize(FOOTER))] == 4 and ("other.example", "nothing here") not in counts
    candidates = candidate_site_lines(counts, Counter(s for s in sites if s), min_documents=3)
    assert candidates == {normalize(FOOTER): "daily.example"}
    # A quarter of the site's documents at least: 4 of 20 is not enough.
    assert candidate_site_lines(counts, {"daily.example": 20, "other.example": 1}, 3) == {}
    assert lines_elsewhere(texts, sites, candidates) == {normalize(FOOTER)}
    assert lines_elsewhere(texts[:4], sites[:4], candidates) == set()


def _pages(seed_documents, footer_elsewhere: bool) -> list[Document]:
    seeds = sorted(seed_documents, key=lambda d: d.id)
    pages = [Document(f"daily/{k}", f"{doc.text[:1500]}\n{FOOTER}", {"url": f"https://www.daily.example/{k}"})
             for k, doc in enumerate(seeds[:3])]  # three independent reports of one event
    other = f"{seeds[4].text[:800]}\n{FOOTER if footer_elsewhere else 'Follow us for more.'}"
    return pages + [Document("other/0", other, {"url": "https://other.example/0"})]


def test_a_footer_that_one_site_prints_under_every_article_is_its_chrome(seed_documents):
    pages = _pages(seed_documents, footer_elsewhere=False)
    learned = repeated_lines(pages, ScanConfig())
    assert learned.by_document.keys() == {"daily/0", "daily/1", "daily/2"}
    assert normalize(FOOTER) in learned.of("daily/1") and normalize(FOOTER) not in learned.of("other/0")
    report = scan(pages, paraphrase=False)
    assert not [p for p in report.passages if p.a.doc != p.b.doc]  # the footer alone linked them before
    text = report.texts["daily/0"]
    assert text[report.chrome["daily/0"][-1][0]:] == FOOTER


def test_the_same_line_in_another_sites_document_is_text_and_links_them(seed_documents):
    pages = _pages(seed_documents, footer_elsewhere=True)
    assert repeated_lines(pages, ScanConfig()) == RepeatedLines(frozenset())
    report = scan(pages, paraphrase=False)
    linked = {tuple(sorted((p.a.doc, p.b.doc))) for p in report.passages if p.kind == "copy"}
    assert ("daily/0", "other/0") in linked and ("daily/0", "daily/1") in linked
