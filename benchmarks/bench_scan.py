"""Time the default corpus scan on real prose, at two corpus sizes.

Usage: python benchmarks/bench_scan.py [PAN13_DIR] [--sizes 500,2000] [--repeats 3] [--tiers both]

Documents are the PAN 2013 source and suspicious texts (real English prose; the suspicious
ones carry reused passages), read from PAN13_DIR (default ../shared/eval/pan13-train), cut
into news-length pieces of 600 words. Each size is scanned with the paraphrase tier off and
on (``--tiers``), and the ratio of the two medians is printed. Prints a table and writes
benchmarks/results/scan.json. This is a sanity measure of the foundation, not the speed
benchmark against peers (that one runs them side by side).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

from results_file import write_result

import dedup

HERE = Path(__file__).resolve().parent


def load(root: Path, count: int) -> list[dedup.Document]:
    """``count`` news-length documents: consecutive 600-word pieces of the PAN texts
    (suspicious and source texts interleaved, so that reused passages meet their sources)."""
    susp, src = sorted((root / "susp").glob("*.txt")), sorted((root / "src").glob("*.txt"))
    files = [f for pair in zip(susp, src) for f in pair] + src[len(susp):]
    documents = []
    for path in files:
        words = path.read_text(encoding="utf-8").split(" ")
        for piece, start in enumerate(range(0, len(words), 600)):
            documents.append(dedup.Document(id=f"{path.parent.name}/{path.name}#{piece}",
                                            text=" ".join(words[start : start + 600])))
            if len(documents) == count:
                return documents
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pan", nargs="?", default=str(HERE.parent.parent / "shared" / "eval" / "pan13-train"))
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tiers", choices=("both", "copy", "paraphrase"), default="both",
                        help="scan with the paraphrase tier off ('copy'), on, or both")
    args = parser.parse_args()
    root = Path(args.pan)
    if not (root / "src").is_dir():
        sys.exit(f"bench_scan: PAN 2013 data not found at {root}; pass its path (see ../shared/eval/README.md).")
    rows = []
    tiers = {"both": (False, True), "copy": (False,), "paraphrase": (True,)}[args.tiers]
    for size in (int(s) for s in args.sizes.split(",")):
        documents = load(root, size)
        megabytes = sum(len(d.text.encode()) for d in documents) / 1e6
        for paraphrase in tiers:
            times, report = [], None
            for _ in range(args.repeats):
                start = time.perf_counter()
                report = dedup.scan(documents, paraphrase=paraphrase, progress=True)
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            rows.append({
                "documents": len(documents), "paraphrase": paraphrase, "megabytes": round(megabytes, 2),
                "seconds_median": round(median, 3), "seconds_all": [round(t, 3) for t in times],
                "docs_per_second": round(len(documents) / median, 1), "mb_per_second": round(megabytes / median, 3),
                "passages": len(report.passages), "paraphrases": sum(p.kind == "paraphrase" for p in report.passages),
                "duplicates": len(report.duplicates),
            })
    for row in rows:
        if row["paraphrase"]:
            base = [r for r in rows if r["documents"] == row["documents"] and not r["paraphrase"]]
            if base:
                row["ratio_to_copy_only"] = round(row["seconds_median"] / base[0]["seconds_median"], 2)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'docs':>6} {'tiers':>17} {'MB':>6} {'median s':>9} {'docs/s':>8} {'passages':>9} {'ratio':>6}")
    for row in rows:
        tiers_name = "copy + paraphrase" if row["paraphrase"] else "copy"
        print(f"{row['documents']:>6} {tiers_name:>17} {row['megabytes']:>6} {row['seconds_median']:>9} "
              f"{row['docs_per_second']:>8} {row['passages']:>9} {row.get('ratio_to_copy_only', ''):>6}")
    print(f"peak RSS {peak:.0f} MB")
    write_result("scan", {"rows": rows, "peak_rss_mb": round(peak)})


if __name__ == "__main__":
    main()
