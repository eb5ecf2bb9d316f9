"""The HTML report in a real browser: headless Chromium renders it without console errors,
runs nothing a document holds, lays it out on a laptop and a phone, and its links and pages
work. Screenshots are saved next to the test's files."""

import re

import pytest

from dedup import Document, render, scan
from tests.report.test_html import HOSTILE, SHARED


def open_page(browser, path):
    browser.set_window_size(1280, 900)
    browser.get(path.as_uri())
    return [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def save_screenshot(browser, path) -> None:
    assert browser.save_screenshot(str(path))
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000  # an image with something drawn


def test_seed_report_renders_without_console_errors(browser, seed_report, tmp_path):
    page = tmp_path / "seeds.html"
    page.write_text(render(seed_report, "html"), encoding="utf-8")
    assert open_page(browser, page) == []
    assert browser.title == "dedup report"  # nothing ran: no script element, and none could
    assert browser.find_elements("tag name", "script") == []
    assert browser.find_element("css selector", "#summary").is_displayed()
    # The counts shown agree with the JSON report.
    data = seed_report.to_dict()
    between = [p for p in data["passages"] if p["a"]["doc"] != p["b"]["doc"]]
    shown = {e.get_attribute("data-count"): int(e.text) for e in browser.find_elements("css selector", "[data-count]")}
    assert shown["documents"] == len(data["documents"])
    assert shown["pairs"] == len({(p["a"]["doc"], p["b"]["doc"]) for p in between})
    assert shown["repeats"] == len(data["passages"]) - len(between)
    for kind in ("copy", "paraphrase", "quote"):
        assert shown[kind] == sum(p["kind"] == kind for p in between)
    assert shown["derived"] == sum(e["verdict"] == "derived" for e in data["attribution"])
    # The CNN group comes first, above the pairs.
    groups = browser.find_element("id", "groups")
    assert "CNN" in groups.text and groups.location["y"] < browser.find_element("id", "pairs").location["y"]
    save_screenshot(browser, tmp_path / "seeds-laptop.png")
    # Every highlighted sentence leads to its counterpart, which is then shown.
    sentences = browser.find_elements("css selector", "#pair-0 a.s")
    assert len(sentences) >= 2 * 13  # the 13 sentence pairs of 003 and 004's two paraphrases
    for element in browser.find_elements("css selector", "a.s"):
        if not element.is_displayed():
            continue  # on a page of pairs not shown
        target = element.get_attribute("href").split("#")[1]
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        assert browser.execute_script("return location.hash") == "#" + target
        counterpart = browser.find_element("id", target)
        assert counterpart.is_displayed() and counterpart.get_attribute("href").endswith("#" + element.get_attribute("id"))
    # A phone: each sentence sits right above its counterpart, and nothing is wider than the screen.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    browser.get(page.as_uri() + "#pair-0")
    assert browser.execute_script("return window.innerWidth") < 400
    first_a, first_b = sentences[0].get_attribute("id"), sentences[1].get_attribute("id")
    gap = browser.execute_script(
        "const a = document.getElementById(arguments[0]).getBoundingClientRect();"
        "const b = document.getElementById(arguments[1]).getBoundingClientRect();"
        "return [b.top - a.bottom, Math.abs(b.left - a.left)]", first_a, first_b)
    assert 0 <= gap[0] < 40 and gap[1] < 5, gap
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    save_screenshot(browser, tmp_path / "seeds-phone.png")
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_hostile_document_cannot_break_the_page_or_run_code(browser, tmp_path):
    docs = [Document("<b>a</b>\u202e.txt", HOSTILE + SHARED), Document("b\"'><script>.txt", "Copied: " + SHARED + "\n" + HOSTILE)]
    page = tmp_path / "hostile.html"
    page.write_text(render(scan(docs), "html"), encoding="utf-8")
    assert open_page(browser, page) == []
    assert browser.title == "dedup report"  # the documents' scripts did not run
    body = browser.find_element("tag name", "body").text
    assert "<script>document.title='pwned'</script>" in body
    assert browser.find_elements("tag name", "script") == [] and browser.find_elements("tag name", "iframe") == []
    # A 200,000-character line and right-to-left text stay inside their column.
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert browser.execute_script("return document.querySelector('header').getBoundingClientRect().left") == 0
    assert browser.execute_script("return document.documentElement.dir || 'ltr'") == "ltr"
    save_screenshot(browser, tmp_path / "hostile.png")


def test_pages_show_one_at_a_time_and_follow_links(browser, tmp_path):
    from dedup.report.html import PAIRS_PER_PAGE
    from tests.conftest import news_stream

    docs = [Document(item.id, item.text) for item in news_stream(400)]
    report = scan(docs)
    pairs = {(p.a.doc, p.b.doc) for p in report.passages}
    if len(pairs) <= PAIRS_PER_PAGE:
        pytest.fail(f"the stream corpus gave {len(pairs)} pairs; the test needs more than one page")
    page = tmp_path / "paged.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    assert open_page(browser, page) == []
    shown = lambda element_id: browser.find_element("id", element_id).is_displayed()  # noqa: E731
    assert shown("pairs-page-1") and not shown("pairs-page-2")
    browser.get(page.as_uri() + "#pairs-page-2")
    assert shown("pairs-page-2") and not shown("pairs-page-1")
    last = f"pair-{len(pairs) - 1}"  # a link into a later page opens that page
    browser.get(page.as_uri() + "#" + last)
    assert shown(last) and not shown("pairs-page-1")
    assert re.fullmatch(r"pair-\d+", last)
