"""The index's rewrite tier on planted rewrites: `dedup check`'s answers, speed and size.

A stream of news-shaped documents made of real English sentences (``make_corpus.py``, no
planted copies) is checked and added. Into it are planted sources and their rewrites, from
PAN 2013's translation-obfuscated cases (``../shared/eval/pan13-train``, a passage
machine-translated through other languages and back): a source is a document of the
stream with the source passages of three cases put in as paragraphs; its rewrite, checked
after it, is another document of the stream with the three rewritten passages put in, in
the same order. The rest of the stream are independent documents.

Reported, with the rewrite tier on (and off, for speed and size):

- recall: rewrites answered ``reuses`` with a match to their source whose passages touch
  the planted regions on both sides; the share of those passages' characters inside them;
- false links: independent documents answered ``reuses`` by a ``paraphrase`` passage;
- check-and-add docs/s (one process), p50 and p99 of a single check against the index
  afterwards (ms), and bytes per document beyond the text after ``compact``.

Run: ``python benchmarks/bench_rewrites.py [--docs 1500] [--rewrites 100] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_pan13 import read_cases  # noqa: E402
from results_file import write_result  # noqa: E402

from dedup import Document  # noqa: E402
from dedup.engines.index import Index  # noqa: E402

PAN = HERE.parent.parent / "shared" / "eval" / "pan13-train"
SUBSET = "04-translation-obfuscation"
CASES_PER_DOCUMENT = 3


def _cases(limit: int) -> list[tuple[str, str]]:
    """(source passage, rewritten passage) of PAN's translation-obfuscated cases."""
    found = []
    for xml in sorted((PAN / SUBSET).glob("*.xml")):
        susp, src = xml.stem.split("-source-")
        this = (PAN / "susp" / f"{susp}.txt").read_text("utf-8")
        source = (PAN / "src" / f"source-{src}.txt").read_text("utf-8")
        for case in read_cases(xml, xml.stem):
            found.append((source[case.source_start:case.source_end].strip(), this[case.this_start:case.this_end].strip()))
            if len(found) == limit:
                return found
    return found


def _plant(text: str, passages: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with ``passages`` put in as paragraphs, spread out; and their spans."""
    paragraphs = text.split("\n\n")
    step = max(1, len(paragraphs) // (len(passages) + 1))
    out, regions = [], []
    for k, paragraph in enumerate(paragraphs):
        out.append(paragraph)
        if k % step == step - 1 and len(regions) < len(passages):
            out.append(passages[len(regions)])
            start = sum(len(p) + 2 for p in out[:-1])
            regions.append((start, start + len(passages[len(regions)])))
    while len(regions) < len(passages):
        out.append(passages[len(regions)])
        start = sum(len(p) + 2 for p in out[:-1])
        regions.append((start, start + len(passages[len(regions)])))
    return "\n\n".join(out), regions


def build(docs: int, rewrites: int, work: Path) -> tuple[list[Document], dict]:
    """The stream, and what was planted: rewrite id -> (source id, its regions, the source's)."""
    corpus = work / "prose.jsonl"
    subprocess.run([sys.executable, str(HERE / "make_corpus.py"), "--docs", str(docs + 2 * rewrites),
                    "--dup-share", "0", "-o", str(corpus)], check=True, capture_output=True)
    texts = [json.loads(line)["text"] for line in corpus.read_text("utf-8").splitlines()]
    cases = _cases(rewrites * CASES_PER_DOCUMENT)
    stream = [Document(f"n{k}", t) for k, t in enumerate(texts[:docs])]
    planted = {}
    sources, rewritten = [], []
    for r in range(len(cases) // CASES_PER_DOCUMENT):
        group = cases[r * CASES_PER_DOCUMENT:(r + 1) * CASES_PER_DOCUMENT]
        source_text, source_regions = _plant(texts[docs + r], [c[0] for c in group])
        rewrite_text, rewrite_regions = _plant(texts[docs + rewrites + r], [c[1] for c in group])
        sources.append(Document(f"s{r}", source_text))
        rewritten.append(Document(f"r{r}", rewrite_text))
        planted[f"r{r}"] = (f"s{r}", rewrite_regions, source_regions)
    # Sources spread through the first half of the stream, rewrites through the second.
    half = len(stream) // 2
    first = _interleave(stream[:half], sources)
    second = _interleave(stream[half:], rewritten)
    return first + second, planted


def _interleave(many: list[Document], few: list[Document]) -> list[Document]:
    out, every = [], max(1, len(many) // max(len(few), 1))
    pending = list(few)
    for k, doc in enumerate(many):
        out.append(doc)
        if k % every == every - 1 and pending:
            out.append(pending.pop(0))
    return out + pending


def _inside(start: int, end: int, regions: list[tuple[int, int]]) -> int:
    return sum(max(0, min(end, b) - max(start, a)) for a, b in regions)


def score(decisions, planted: dict) -> dict:
    found = inside = covered = independent = false_links = 0
    for d in decisions:
        if d.id in planted:
            source, regions_a, regions_b = planted[d.id]
            match = next((m for m in d.matches if m.doc == source), None)
            if d.decision == "reuses" and match and any(
                    _inside(p.a.start, p.a.end, regions_a) and _inside(p.b.start, p.b.end, regions_b)
                    for p in match.passages):
                found += 1
                for p in match.passages:
                    covered += p.a.end - p.a.start
                    inside += _inside(p.a.start, p.a.end, regions_a)
        elif not d.id.startswith("s"):
            independent += 1
            false_links += d.decision == "reuses" and any(p.kind == "paraphrase" for m in d.matches for p in m.passages)
    return {"rewrites": len(planted), "recall": round(found / max(len(planted), 1), 3),
            "passage_chars_inside_planted": round(inside / max(covered, 1), 3),
            "independent": independent, "independent_linked_by_paraphrase": false_links,
            "false_link_rate": round(false_links / max(independent, 1), 4)}


def run(stream: list[Document], planted: dict, paraphrase: bool, work: Path, name: str) -> dict:
    path = work / f"{name}.db"
    with Index(str(path), paraphrase=paraphrase) as index:
        started = time.perf_counter()
        decisions = [d for batch in index.stream(iter(stream), batch_size=128) for d in batch]
        elapsed = time.perf_counter() - started
        singles = []
        for doc in stream[::max(1, len(stream) // 200)]:
            probe = Document(doc.id + "-again", doc.text)
            t = time.perf_counter()
            index.check([probe])
            singles.append((time.perf_counter() - t) * 1e3)
        stats = index.compact()
    path.unlink()
    singles.sort()
    return {"docs_per_s": round(len(stream) / elapsed, 1), "p50_ms": round(singles[len(singles) // 2], 1),
            "p99_ms": round(singles[min(len(singles) - 1, int(0.99 * len(singles)))], 1),
            "bytes_per_doc_beyond_text": stats["bytes_per_document_beyond_text"], **score(decisions, planted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1500, help="independent documents in the stream")
    parser.add_argument("--rewrites", type=int, default=100, help="planted sources and rewrites")
    parser.add_argument("--runs", type=int, default=3, help="runs of each mode, alternating (medians)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        stream, planted = build(args.docs, args.rewrites, work)
        runs = {"on": [], "off": []}
        for k in range(args.runs):
            for mode in ("on", "off"):
                runs[mode].append(run(stream, planted, mode == "on", work, f"{mode}{k}"))
    rows = {}
    for mode, found in runs.items():
        row = dict(found[-1])
        for field in ("docs_per_s", "p50_ms", "p99_ms"):
            row[field] = statistics.median(r[field] for r in found)
        row["docs_per_s_runs"] = [r["docs_per_s"] for r in found]
        rows[mode] = row
    print(f"{len(stream)} documents ({args.rewrites} planted sources and rewrites), {args.runs} runs each, "
          "medians; one process")
    print("| rewrite tier | docs/s | p50 ms | p99 ms | bytes/doc beyond text | recall | chars inside planted "
          "| independents linked by paraphrase |")
    print("|---|---|---|---|---|---|---|---|")
    for mode, r in rows.items():
        print(f"| {mode} | {r['docs_per_s']} | {r['p50_ms']} | {r['p99_ms']} | {r['bytes_per_doc_beyond_text']} "
              f"| {r['recall']} | {r['passage_chars_inside_planted']} | {r['independent_linked_by_paraphrase']} "
              f"of {r['independent']} ({r['false_link_rate']:.2%}) |")
    write_result("rewrites", {"docs": len(stream), "rewrites": args.rewrites, "runs": args.runs,
                               "machine": platform.platform(), "python": platform.python_version(), "rows": rows})


if __name__ == "__main__":
    main()
