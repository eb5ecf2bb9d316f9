"""PAN 2013 text alignment: plagdet, precision, recall and granularity, per subset and overall.

Usage: python benchmarks/bench_pan13.py [PAN13_DIR] [--sample N] [--jobs J] [--no-paraphrase]
[--modes pair,corpus] [--corpus-sizes N,M] [--results NAME]

Each suspicious/source pair is aligned in two modes, side by side:

- ``pair``: :func:`dedup.compare`, sentence statistics from the two documents alone;
- ``corpus``: :func:`dedup.compare_pairs` over every document of the pairs chosen, as
  ``dedup compare --pairs`` and ``dedup scan`` run it, statistics from all of them.

``--corpus-sizes 1000,5000`` runs corpus mode again for each size: the chosen pairs'
documents among other PAN documents (taken evenly from all of PAN's ``src`` and ``susp``
texts), to that many documents in all. Only the chosen pairs are aligned and scored, so the
figures show what the corpus's size alone changes (the ``corpus_size_rows`` of the results).

Copy and paraphrase tiers, default settings; every reported passage is a detection.
Detections are scored against the annotated cases with the evaluator in
``benchmarks/plagdet.py``. ``--sample N`` takes N pairs per subset, evenly spaced (the full
corpus is 5185 pairs). Prints a table per mode and writes ``benchmarks/results/pan13.json``
(the pair mode's rows as ``rows``, the corpus mode's as ``corpus_rows``; ``--results NAME``
writes ``NAME.json`` instead).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from plagdet import Annotation, evaluate  # noqa: E402
from results_file import write_result  # noqa: E402

import dedup  # noqa: E402

SUBSETS = [
    "01-no-plagiarism",
    "02-no-obfuscation",
    "03-random-obfuscation",
    "04-translation-obfuscation",
    "05-summary-obfuscation",
]


def read_cases(xml_path: Path, pair: str) -> list[Annotation]:
    """The annotated reuse cases of one pair."""
    if not xml_path.exists():
        return []
    cases = []
    for feature in ET.parse(xml_path).getroot().iter("feature"):
        if feature.get("name") != "plagiarism":
            continue
        this_offset, this_length = int(feature.get("this_offset")), int(feature.get("this_length"))
        source_offset, source_length = int(feature.get("source_offset")), int(feature.get("source_length"))
        cases.append(Annotation(pair, this_offset, this_offset + this_length, source_offset, source_offset + source_length))
    return cases


def _read(root: str, doc: str) -> str:
    """The text of a PAN document by its file name (``suspicious-…`` or ``source-…``)."""
    return (Path(root) / ("susp" if doc.startswith("suspicious") else "src") / doc).read_text(encoding="utf-8")


def _align(task: tuple[str, str, str, bool]) -> tuple[str, list[Annotation]]:
    """One pair, aligned with the statistics of its two documents alone."""
    root, susp, src, paraphrase = task
    pair = f"{susp} {src}"
    passages = dedup.compare(dedup.Document(susp, _read(root, susp)), dedup.Document(src, _read(root, src)),
                             paraphrase=paraphrase)
    return pair, [Annotation(pair, p.a.start, p.a.end, p.b.start, p.b.end) for p in passages]


def _align_in_corpus(task: tuple[str, list[tuple[str, str]], list[str], bool]) -> list[tuple[str, list[Annotation]]]:
    """A share of the pairs, aligned with the statistics of every document of all pairs."""
    root, pairs, ids, paraphrase = task
    documents = [dedup.Document(doc, _read(root, doc)) for doc in ids]
    return [(f"{a} {b}", [Annotation(f"{a} {b}", p.a.start, p.a.end, p.b.start, p.b.end) for p in passages])
            for a, b, passages in dedup.compare_pairs(pairs, documents, paraphrase=paraphrase)]


def _corpus_mode(root: Path, pairs: list[tuple[str, str]], ids: list[str], jobs: int,
                 paraphrase: bool) -> dict[str, list[Annotation]]:
    """The pairs' detections, aligned in a corpus of the documents ``ids`` (statistics from
    all of them), in ``jobs`` processes."""
    shares = [(str(root), pairs[k::jobs], ids, paraphrase) for k in range(jobs)]
    detections: dict[str, list[Annotation]] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for found in pool.map(_align_in_corpus, shares):
            detections.update(found)
    return detections


def _table(rows: dict) -> None:
    print(f"{'subset':<28} {'pairs':>5} {'cases':>5} {'dets':>5} {'plagdet':>8} {'prec':>6} {'rec':>6} {'gran':>6}")
    for subset, row in rows.items():
        print(f"{subset:<28} {row['pairs']:>5} {row['cases']:>5} {row['detections']:>5} {row['plagdet']:>8.4f} "
              f"{row['precision']:>6.4f} {row['recall']:>6.4f} {row['granularity']:>6.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pan", nargs="?", default=str(HERE.parent.parent / "shared" / "eval" / "pan13-train"))
    parser.add_argument("--sample", type=int, default=0, help="pairs per subset, evenly spaced (0: all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-paraphrase", dest="paraphrase", action="store_false")
    parser.add_argument("--subsets", default=",".join(SUBSETS), help="comma-separated subset names")
    parser.add_argument("--modes", default="pair,corpus", help="the modes to run, comma-separated: pair, corpus (default both)")
    parser.add_argument("--corpus-sizes", default="", help="corpus mode again in corpora of these sizes, comma-separated")
    parser.add_argument("--results", default="", help="name of the results file (default pan13, or pan13-copy-only)")
    args = parser.parse_args()
    root = Path(args.pan)
    if not (root / "src").is_dir() or not (root / "susp").is_dir():
        sys.exit(f"bench_pan13: PAN 2013 data not found at {root}; pass its path (see ../shared/eval/README.md).")

    tasks, cases, subset_of = [], {}, {}
    for subset in args.subsets.split(","):
        lines = (root / subset / "pairs").read_text(encoding="utf-8").split("\n")
        pairs = [line.split() for line in lines if line.strip()]
        if args.sample and args.sample < len(pairs):
            step = len(pairs) / args.sample
            pairs = [pairs[int(k * step)] for k in range(args.sample)]
        for susp, src in pairs:
            pair = f"{susp} {src}"
            subset_of[pair] = subset
            cases[pair] = read_cases(root / subset / f"{susp[:-4]}-{src[:-4]}.xml", pair)
            tasks.append((str(root), susp, src, args.paraphrase))

    modes = args.modes.split(",")
    results, seconds = {}, {}
    if "pair" in modes:
        start = time.perf_counter()
        detections: dict[str, list[Annotation]] = {}
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for done, (pair, found) in enumerate(pool.map(_align, tasks, chunksize=4), 1):
                detections[pair] = found
                if done % 1000 == 0:
                    print(f"  pair mode: {done}/{len(tasks)} pairs", file=sys.stderr)
        seconds["pair"] = time.perf_counter() - start
        results["pair"] = detections
    pairs = [(susp, src) for _, susp, src, _ in tasks]
    ids = sorted({doc for pair in pairs for doc in pair})
    if "corpus" in modes:
        start = time.perf_counter()
        results["corpus"] = _corpus_mode(root, pairs, ids, args.jobs, args.paraphrase)
        seconds["corpus"] = time.perf_counter() - start
        print(f"  corpus mode: {len(ids)} documents", file=sys.stderr)
    everything = sorted(p.name for folder in ("susp", "src") for p in (root / folder).glob("*.txt"))
    chosen = set(ids)
    others = [doc for doc in everything if doc not in chosen]
    for size in (int(n) for n in args.corpus_sizes.split(",") if n.strip()):
        extra = max(0, min(size - len(ids), len(others)))
        filler = [others[int(k * len(others) / extra)] for k in range(extra)] if extra else []
        start = time.perf_counter()
        mode = f"corpus of {len(ids) + extra}"
        results[mode] = _corpus_mode(root, pairs, sorted(ids + filler), args.jobs, args.paraphrase)
        seconds[mode] = time.perf_counter() - start

    rows_of = {}
    for mode, detections in results.items():
        rows = {}
        for subset in args.subsets.split(",") + ["overall"]:
            chosen = [p for p in cases if subset == "overall" or subset_of[p] == subset]
            scores = evaluate([c for p in chosen for c in cases[p]], [d for p in chosen for d in detections[p]])
            rows[subset] = {"pairs": len(chosen), **scores.as_dict()}
        rows_of[mode] = rows
        statistics = {"pair": "the two documents'", "corpus": "all documents of the pairs'"}.get(mode, "its documents'")
        print(f"{mode} mode ({statistics} statistics), {len(tasks)} pairs in {seconds[mode]:.1f} s with {args.jobs} jobs")
        _table(rows)
    write_result(args.results or ("pan13" if args.paraphrase else "pan13-copy-only"), {
        "paraphrase_tier": args.paraphrase,
        "seconds": {mode: round(value, 1) for mode, value in seconds.items()},
        **({"rows": rows_of["pair"]} if "pair" in rows_of else {}),
        **({"corpus_rows": rows_of["corpus"]} if "corpus" in rows_of else {}),
        **({"corpus_size_rows": {mode.split()[-1]: rows for mode, rows in rows_of.items() if mode.startswith("corpus of")}}
           if args.corpus_sizes else {}),
    })


if __name__ == "__main__":
    main()
