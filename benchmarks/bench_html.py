"""How large HTML reports get and how fast headless Chromium opens them.

For each corpus size (labelled news-length documents with planted near-duplicates and
reused passages, ``stream_corpus.py``): the default scan, the HTML rendering (seconds and
megabytes) and, over ``--repeats`` cold loads in headless Chromium, the time to the first
paint, to DOMContentLoaded and to the load event (medians). With ``--screenshot``, also
saves a screenshot of the seed articles' report (the README's picture).

    python benchmarks/bench_html.py --sizes 100,1000 --repeats 3 --screenshot docs/report.png
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_file import write_result  # noqa: E402
from stream_corpus import stream  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _browser(width: int = 1280, height: int = 900):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        sys.exit("bench_html: needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    options = Options()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--hide-scrollbars"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(driver), options=options)


_TIMINGS = """
const nav = performance.getEntriesByType('navigation')[0];
const paint = performance.getEntriesByName('first-contentful-paint')[0];
return [paint ? paint.startTime : null, nav.domContentLoadedEventEnd, nav.loadEventEnd];
"""


def _open_times(page: Path, repeats: int) -> list[list[float]]:
    times = []
    for _ in range(repeats):
        browser = _browser()  # a fresh browser each time: a cold open
        try:
            browser.get(page.as_uri())
            time.sleep(0.2)  # let the load event's timing settle
            times.append(browser.execute_script(_TIMINGS))
        finally:
            browser.quit()
    return times


def screenshot(out: Path) -> None:
    """The seed articles' report, opened at the 003/004 comparison: on a laptop-sized window
    (``out``) and on a phone's screen (``out`` with ``-phone`` before its suffix)."""
    from dedup import read_documents, render, scan

    documents, _ = read_documents([ROOT / "fixtures" / "seeds"])
    phone = out.with_name(out.stem + "-phone" + out.suffix)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "seeds.html"
        report = scan(documents)
        page.write_text(render(report, "html"), encoding="utf-8")
        rewrite = next(k for k, p in enumerate(report.passages) if p.kind == "paraphrase")  # 003 and 004
        browser = _browser(1280, 900)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            browser.get(page.as_uri())  # the summary and the CNN group first
            browser.save_screenshot(str(out.with_name(out.stem + "-top" + out.suffix)))
            browser.get(page.as_uri() + "#pair-0")
            browser.save_screenshot(str(out))
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
            browser.get(page.as_uri() + f"#p{rewrite}s1a")
            browser.save_screenshot(str(phone))
        finally:
            browser.quit()
    print(f"screenshots written to {out}, its -top and {phone}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="corpus sizes, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="cold loads per size (median reported)")
    parser.add_argument("--screenshot", type=Path, help="also save the seeds report's screenshot here")
    args = parser.parse_args(argv)
    from dedup import Document, render, scan
    from dedup.report import html as html_report

    rows = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        docs = [Document(item.id, item.text) for item in stream(size)]
        started = time.perf_counter()
        report = scan(docs)
        scanned = time.perf_counter() - started
        pairs = len({(p.a.doc, p.b.doc) for p in report.passages})
        # Paged as shipped, and everything on one page (what the paging saves the browser).
        for layout, per_page in (("paged", None), ("one page", 10**9)):
            saved = html_report.PAIRS_PER_PAGE, html_report.DOCUMENTS_PER_PAGE
            if per_page:
                html_report.PAIRS_PER_PAGE = html_report.DOCUMENTS_PER_PAGE = per_page
            try:
                started = time.perf_counter()
                page_html = render(report, "html")
                rendered = time.perf_counter() - started
            finally:
                html_report.PAIRS_PER_PAGE, html_report.DOCUMENTS_PER_PAGE = saved
            with tempfile.TemporaryDirectory() as folder:
                page = Path(folder) / "report.html"
                page.write_text(page_html, encoding="utf-8")
                times = _open_times(page, args.repeats)
            medians = [statistics.median(t[k] for t in times if t[k] is not None)
                       if any(t[k] is not None for t in times) else None for k in range(3)]
            rows.append({"docs": size, "layout": layout, "pairs": pairs, "passages": len(report.passages),
                         "scan_s": round(scanned, 2), "render_s": round(rendered, 3),
                         "html_mb": round(len(page_html.encode("utf-8")) / 1e6, 2),
                         "first_paint_ms": round(medians[0]) if medians[0] is not None else None,
                         "dom_ready_ms": round(medians[1]), "load_ms": round(medians[2]),
                         "load_ms_runs": [round(t[2]) for t in times]})
    print(f"{'docs':>6} {'layout':<9} {'pairs':>6} {'passages':>8} {'scan s':>7} {'render s':>8} {'MB':>6} "
          f"{'paint ms':>8} {'DOM ms':>7} {'load ms':>7}")
    for r in rows:
        print(f"{r['docs']:>6} {r['layout']:<9} {r['pairs']:>6} {r['passages']:>8} {r['scan_s']:>7} {r['render_s']:>8} "
              f"{r['html_mb']:>6} {str(r['first_paint_ms']):>8} {r['dom_ready_ms']:>7} {r['load_ms']:>7}")
    from importlib.metadata import version

    path = write_result("html", {"repeats": args.repeats, "selenium": version("selenium"), "rows": rows})
    print(f"figures written to {path}", file=sys.stderr)
    if args.screenshot:
        screenshot(args.screenshot)


if __name__ == "__main__":
    main()
