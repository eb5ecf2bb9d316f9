"""Time the full scan on a dense syndication corpus, quiet and beside two CPU-bound processes, and score its verdicts.

Usage: python benchmarks/bench_dense.py [--repeats 3] [--jobs 1,2] [--docs 600] [--seed 0]

The corpus is ``make_dense.py``'s (about 600 news-length articles from real English prose:
40 wire stories carried by 5 to 60 of 80 outlets with their chrome, trims, added paragraphs
and a few edited copies, and 100 independent articles), generated into benchmarks/.corpus
the first time. Each run is a fresh process timed around ``dedup.scan`` (reading excluded);
the configurations (for each number of jobs: the default scan on a quiet machine and while
two other processes keep both cores busy, and the scan aligning every pair of a group's
members, ``all_pairs=True``, on a quiet machine) take turns within each round. Beside two busy processes, one scan
process has a third of the two cores and two have half: 1.5 and 2.0 times the quiet time
are their fair shares. The verdicts are scored
against the truth: a carrier is right when it is ``derived`` with its story's original (or
the original's agency) among its sources; an original or an independent article is right
when it is not ``derived``. Prints a table and writes benchmarks/results/dense.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from results_file import write_result

HERE = Path(__file__).resolve().parent
# A CPU-bound neighbour that ends when the benchmark does (even if it is killed).
_BUSY = "import os\nparent = os.getppid()\nwhile os.getppid() == parent:\n    pass"


def corpus_path(docs: int, seed: int) -> Path:
    from make_dense import write_corpus

    path = HERE / ".corpus" / f"dense-{docs}-seed{seed}.jsonl"
    if not path.with_suffix(".truth.json").exists():
        write_corpus(path, docs=docs, seed=seed)
    return path


def score(attribution: list[dict], truth: dict[str, dict]) -> dict:
    """Right verdicts per kind of document (see the module's docstring)."""
    right = {"original": [0, 0], "carrier": [0, 0], "independent": [0, 0]}
    wrong = []
    for entry in attribution:
        expected = truth[entry["doc"]]
        if expected["kind"] == "carrier":
            sources = {s.get("doc") for s in entry["sources"]} | {s.get("outlet") for s in entry["sources"]}
            ok = entry["verdict"] == "derived" and bool(sources & {expected["source"], expected["outlet"]})
        else:
            ok = entry["verdict"] != "derived"
        right[expected["kind"]][0] += ok
        right[expected["kind"]][1] += 1
        if not ok:
            wrong.append(entry["doc"])
    return {"right": {kind: f"{a}/{b}" for kind, (a, b) in right.items()}, "wrong": sorted(wrong)[:20]}


def child(path: str, jobs: int, all_pairs: bool) -> None:
    import dedup
    from dedup.read.corpus import CorpusReader

    documents = list(CorpusReader().read([path]))
    start = time.perf_counter()
    report = dedup.scan(documents, jobs=jobs, all_pairs=all_pairs)
    seconds = time.perf_counter() - start
    truth = json.loads(Path(path).with_suffix(".truth.json").read_text("utf-8"))
    print(json.dumps({"documents": len(documents), "seconds": round(seconds, 3), "passages": len(report.passages),
                      "duplicates": len(report.duplicates), "groups": len(report.groups),
                      "grouped": sum(len(g["members"]) + 1 for g in report.groups),
                      **score(report.attribution, truth)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", default="1,2", help="numbers of jobs, comma-separated")
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2] == "all")
        return
    path = corpus_path(args.docs, args.seed)
    jobs = [int(j) for j in args.jobs.split(",")]
    # The default scan quiet and loaded, and the scan that aligns every pair (--all-pairs) quiet.
    configurations = [(j, loaded, all_pairs) for j in jobs for loaded, all_pairs in
                      ((False, False), (True, False), (False, True))]
    runs: dict[tuple, list[dict]] = {c: [] for c in configurations}
    for round_ in range(args.repeats):
        for job_count, loaded, all_pairs in configurations:
            busy = [subprocess.Popen([sys.executable, "-c", _BUSY]) for _ in range(2 if loaded else 0)]
            try:
                time.sleep(1.0 if loaded else 0)
                load_1m = os.getloadavg()[0]
                done = subprocess.run([sys.executable, __file__, "--child", str(path), str(job_count),
                                       "all" if all_pairs else "groups"], capture_output=True, text=True, cwd=HERE)
            finally:
                for process in busy:
                    process.kill()
                    process.wait()
            if done.returncode != 0:
                sys.exit(f"bench_dense: a run failed:\n{done.stderr[-2000:]}")
            run = json.loads(done.stdout.strip().splitlines()[-1])
            run["load_1m"] = round(load_1m, 2)
            runs[(job_count, loaded, all_pairs)].append(run)
            print(f"round {round_ + 1}: jobs {job_count}{' beside two busy processes' if loaded else ''}"
                  f"{' --all-pairs' if all_pairs else ''}: {run['seconds']} s", file=sys.stderr)
    rows = []
    for (job_count, loaded, all_pairs), found in runs.items():
        seconds = statistics.median(r["seconds"] for r in found)
        rows.append({"jobs": job_count, "busy_neighbours": 2 if loaded else 0, "all_pairs": all_pairs,
                     "documents": found[0]["documents"], "groups": found[0]["groups"],
                     "grouped_documents": found[0]["grouped"],
                     "seconds_median": round(seconds, 3), "seconds_all": [r["seconds"] for r in found],
                     "load_1m_all": [r["load_1m"] for r in found],
                     "docs_per_second": round(found[0]["documents"] / seconds, 1),
                     "passages": found[0]["passages"], "duplicates": found[0]["duplicates"],
                     "right": found[0]["right"], "wrong": found[0]["wrong"]})
    quiet = {r["jobs"]: r for r in rows if not r["busy_neighbours"] and not r["all_pairs"]}
    for row in rows:
        if row["busy_neighbours"] or row["all_pairs"]:
            row["ratio_to_quiet"] = round(row["seconds_median"] / quiet[row["jobs"]]["seconds_median"], 2)
    print(f"{'jobs':>4} {'busy':>4} {'pairs':>6} {'docs':>5} {'median s':>9} {'docs/s':>7} {'passages':>8} "
          f"{'vs quiet':>8} {'originals':>9} {'carriers':>9} {'independent':>11}")
    for row in rows:
        right = row["right"]
        print(f"{row['jobs']:>4} {row['busy_neighbours']:>4} {'all' if row['all_pairs'] else 'groups':>6} "
              f"{row['documents']:>5} {row['seconds_median']:>9} {row['docs_per_second']:>7} {row['passages']:>8} "
              f"{row.get('ratio_to_quiet', ''):>8} {right['original']:>9} {right['carrier']:>9} "
              f"{right['independent']:>11}")
    write_result("dense", {"corpus": path.name, "rows": rows})


if __name__ == "__main__":
    main()
