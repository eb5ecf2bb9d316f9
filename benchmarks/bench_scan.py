"""Time the default corpus scan (the full scan: passages, paraphrase tier, attribution) on real prose.

Usage: python benchmarks/bench_scan.py [PAN13_DIR] [--corpus pan|news] [--sizes 500,2000]
       [--repeats 3] [--tiers both] [--jobs 1,2]

Corpora: ``pan`` (default) cuts the PAN 2013 source and suspicious texts (real English prose;
the suspicious ones carry reused passages), read from PAN13_DIR (default
../shared/eval/pan13-train), into news-length pieces of 600 words, interleaved so that reused
passages meet their sources (10,962 pieces in all); ``news`` takes the first documents of
``make_corpus.py``'s news-shaped corpus of 50,000 (real sentences, planted near-duplicates;
generated into benchmarks/.corpus the first time).

Every run is a fresh process, timed around ``dedup.scan`` (reading excluded), with the peak
memory of its whole process tree (the sum of the resident sizes of the scan and its helpers,
sampled every 0.2 s, which counts the pages they share once per process; and the sum of their
proportional sizes, which counts them once) and the machine's one-minute load when it
started. The configurations (tiers x jobs) take turns within each round, so a busy spell
falls on all of them. Prints a table and writes benchmarks/results/scan.json (scan-news.json for
``--corpus news``; ``--results NAME`` names another).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from results_file import write_result

HERE = Path(__file__).resolve().parent
PAN = HERE.parent.parent / "shared" / "eval" / "pan13-train"
NEWS_SIZE = 50_000


def load(root: Path, count: int):
    """``count`` news-length documents: consecutive 600-word pieces of the PAN texts
    (suspicious and source texts interleaved, so that reused passages meet their sources)."""
    import dedup

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


def load_news(count: int):
    """The first ``count`` documents of make_corpus.py's 50,000 (a prefix is a corpus of its
    own: every planted copy follows its source)."""
    import dedup
    from make_corpus import DEFAULT_PROSE, write_corpus

    path = HERE / ".corpus" / f"news-{NEWS_SIZE}-seed0-v2.jsonl"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        write_corpus(path, NEWS_SIZE, prose=DEFAULT_PROSE, seed=0)
    documents = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            documents.append(dedup.Document(id=record["id"], text=record["text"]))
            if len(documents) == count:
                break
    return documents


class TreeMemory:
    """Peak memory of this process and its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.2) -> None:
        import psutil

        self._me, self._interval = psutil.Process(), interval
        self.rss = self.pss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            rss = pss = 0
            for process in [self._me, *self._me.children(recursive=True)]:
                try:
                    info = process.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
            self.rss, self.pss = max(self.rss, rss / 2**20), max(self.pss, pss / 2**20)
            self._stop.wait(self._interval)


def child(corpus: str, root: str, size: int, paraphrase: bool, jobs: int) -> None:
    """One run, in this process: print its figures as JSON."""
    import dedup

    documents = load(Path(root), size) if corpus == "pan" else load_news(size)
    megabytes = sum(len(d.text.encode()) for d in documents) / 1e6
    with TreeMemory() as memory:
        start = time.perf_counter()
        # jobs=1 is not passed, so that a version of dedup without the setting can be timed too.
        report = dedup.scan(documents, paraphrase=paraphrase, **({"jobs": jobs} if jobs != 1 else {}))
        seconds = time.perf_counter() - start
    print(json.dumps({
        "documents": len(documents), "megabytes": round(megabytes, 2), "seconds": round(seconds, 3),
        "passages": len(report.passages), "paraphrases": sum(p.kind == "paraphrase" for p in report.passages),
        "duplicates": len(report.duplicates), "tree_rss_mb": round(memory.rss), "tree_pss_mb": round(memory.pss),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pan", nargs="?", default=str(PAN))
    parser.add_argument("--corpus", choices=("pan", "news"), default="pan")
    parser.add_argument("--sizes", default="500,2000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tiers", choices=("both", "copy", "paraphrase"), default="both",
                        help="scan with the paraphrase tier off ('copy'), on, or both")
    parser.add_argument("--jobs", default="2", help="numbers of jobs to run, comma-separated")
    parser.add_argument("--results", help="name of the results file (default: scan, or scan-news for --corpus news)")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        corpus, root, size, paraphrase, jobs = args.child
        child(corpus, root, int(size), paraphrase == "1", int(jobs))
        return
    if args.corpus == "pan" and not (Path(args.pan) / "src").is_dir():
        sys.exit(f"bench_scan: PAN 2013 data not found at {args.pan}; pass its path (see ../shared/eval/README.md).")
    tiers = {"both": (False, True), "copy": (False,), "paraphrase": (True,)}[args.tiers]
    configurations = [(size, paraphrase, jobs) for size in map(int, args.sizes.split(","))
                      for paraphrase in tiers for jobs in map(int, args.jobs.split(","))]
    runs: dict[tuple, list[dict]] = {c: [] for c in configurations}
    for round_ in range(args.repeats):
        for size, paraphrase, jobs in configurations:
            load_1m = os.getloadavg()[0]
            done = subprocess.run([sys.executable, __file__, "--child", args.corpus, args.pan, str(size),
                                   "1" if paraphrase else "0", str(jobs)], capture_output=True, text=True, cwd=HERE)
            if done.returncode != 0:
                sys.exit(f"bench_scan: a run failed:\n{done.stderr[-2000:]}")
            run = json.loads(done.stdout.strip().splitlines()[-1])
            run["load_1m"] = round(load_1m, 2)
            runs[(size, paraphrase, jobs)].append(run)
            print(f"round {round_ + 1}: {size} docs, {'both tiers' if paraphrase else 'copy'}, jobs {jobs}: "
                  f"{run['seconds']} s (load {run['load_1m']})", file=sys.stderr)
    rows = []
    for (size, paraphrase, jobs), found in runs.items():
        seconds = statistics.median(r["seconds"] for r in found)
        first = found[0]
        rows.append({
            "corpus": args.corpus, "documents": first["documents"], "paraphrase": paraphrase, "jobs": jobs,
            "megabytes": first["megabytes"], "seconds_median": round(seconds, 3),
            "seconds_all": [r["seconds"] for r in found], "load_1m_all": [r["load_1m"] for r in found],
            "docs_per_second": round(first["documents"] / seconds, 1),
            "mb_per_second": round(first["megabytes"] / seconds, 3),
            "passages": first["passages"], "paraphrases": first["paraphrases"], "duplicates": first["duplicates"],
            "tree_rss_mb_max": max(r["tree_rss_mb"] for r in found),
            "tree_pss_mb_max": max(r["tree_pss_mb"] for r in found),
            "same_report_size": len({(r["passages"], r["duplicates"]) for r in found}) == 1,
        })
    for row in rows:
        if row["paraphrase"]:
            base = [r for r in rows if r["documents"] == row["documents"] and not r["paraphrase"]
                    and r["jobs"] == row["jobs"]]
            if base:
                row["ratio_to_copy_only"] = round(row["seconds_median"] / base[0]["seconds_median"], 2)
    print(f"{'docs':>6} {'tiers':>17} {'jobs':>4} {'MB':>6} {'median s':>9} {'docs/s':>8} {'passages':>9} "
          f"{'ratio':>6} {'tree RSS MB':>11} {'tree PSS MB':>11} {'loads':>16}")
    for row in rows:
        tiers_name = "copy + paraphrase" if row["paraphrase"] else "copy"
        loads = ",".join(f"{x:.1f}" for x in row["load_1m_all"])
        print(f"{row['documents']:>6} {tiers_name:>17} {row['jobs']:>4} {row['megabytes']:>6} "
              f"{row['seconds_median']:>9} {row['docs_per_second']:>8} {row['passages']:>9} "
              f"{row.get('ratio_to_copy_only', ''):>6} {row['tree_rss_mb_max']:>11} {row['tree_pss_mb_max']:>11} "
              f"{loads:>16}")
    write_result(args.results or (f"scan-{args.corpus}" if args.corpus != "pan" else "scan"), {"rows": rows})


if __name__ == "__main__":
    main()
