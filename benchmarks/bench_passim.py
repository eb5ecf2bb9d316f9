"""The full scan on passim's published reuse (impresso, two French newspapers of 1900): speed and agreement.

Usage: python benchmarks/bench_passim.py [PASSAGES] [--repeats 3] [--jobs 2]

PASSAGES (default ../shared/eval/impresso-passim/passages.jsonl) holds the 16,101 passages
that passim found reused, each with passim's cluster. Each run is a fresh process timed
around ``dedup.scan`` with default settings (reading excluded). Agreement, from the report
of the first run: document pairs that dedup links by a ``copy`` or ``paraphrase`` passage
(or, two members of a group carrying one text, by carrying the same text of its
representative: ``dedup.report.assemble.pairs_through_groups``) against the pairs of passages in one passim cluster (precision, recall; recall per cluster
size: 2, 3-10, 11-50, over 50). passim's clusters are a tool's output, not human judgement:
a pair one tool links and the other does not is a disagreement to read, and the bench
prints a few of each kind. A passim cluster joins passages that share text with some other
member, so many of its pairs share none directly; the recall of the pairs that share four
word 5-grams or more (what a passage of ``min_words`` words holds) is printed too. Writes benchmarks/results/passim.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from results_file import write_result

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "eval" / "impresso-passim" / "passages.jsonl"
_SIZES = (("2", 2, 2), ("3-10", 3, 10), ("11-50", 11, 50), ("over 50", 51, 10**9))


def child(path: str, jobs: int, out: str) -> None:
    import dedup
    from dedup.read.corpus import CorpusReader
    from dedup.report.assemble import pairs_through_groups

    documents = list(CorpusReader().read([path]))
    start = time.perf_counter()
    report = dedup.scan(documents, jobs=jobs)
    seconds = time.perf_counter() - start
    linked = {tuple(sorted((p.a.doc, p.b.doc))) for p in report.passages
              if p.kind in ("copy", "paraphrase") and p.a.doc != p.b.doc}
    linked = sorted(linked | pairs_through_groups(report.groups, report.passages))
    Path(out).write_text(json.dumps({"documents": len(documents), "seconds": round(seconds, 3),
                                     "passages": len(report.passages), "linked": linked}), encoding="utf-8")


def agreement(path: Path, linked: list[list[str]]) -> dict:
    clusters: dict[str, list[str]] = defaultdict(list)
    texts = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            clusters[str(record["cluster"])].append(record["id"])
            texts[record["id"]] = record["text"]
    size_of, truth = {}, set()
    for members in clusters.values():
        for pair in itertools.combinations(sorted(members), 2):
            truth.add(pair)
            size_of[pair] = len(members)
    found = {tuple(pair) for pair in linked}
    hit = found & truth
    # Pairs of one passim cluster that share text directly (a passage of min_words words holds
    # four shingles of five words) and those joined only through other members of the cluster.
    from dedup.arrays import sorted_unique
    from dedup.sketch.shingles import batch_shingles

    ids = list(texts)
    sets = {doc: set(sorted_unique(h[v]).tolist()) for doc, (h, v) in zip(ids, batch_shingles([texts[d] for d in ids], 5))}
    direct = {p for p in truth if len(sets[p[0]] & sets[p[1]]) >= 4}
    by_size = {}
    for name, low, high in _SIZES:
        pairs = {p for p in truth if low <= size_of[p] <= high}
        by_size[name] = {"pairs": len(pairs), "recall": round(len(pairs & found) / len(pairs), 3) if pairs else None}
    small = {p for p in truth if size_of[p] <= 10}

    def examples(pairs):
        return [{"a": a, "b": b, "a_text": texts[a][:160], "b_text": texts[b][:160]} for a, b in sorted(pairs)[:5]]

    return {
        "truth_pairs": len(truth), "linked_pairs": len(found),
        "precision": round(len(hit) / len(found), 3) if found else None,
        "recall": round(len(hit) / len(truth), 3) if truth else None,
        "recall_clusters_up_to_10": round(len(small & found) / len(small), 3) if small else None,
        "truth_pairs_sharing_text": len(direct),
        "recall_of_pairs_sharing_text": round(len(direct & found) / len(direct), 3) if direct else None,
        "recall_by_cluster_size": by_size,
        "only_dedup_examples": examples(found - truth), "only_passim_examples": examples(small - found),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("passages", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return
    path = Path(args.passages)
    if not path.exists():
        sys.exit(f"bench_passim: {path} not found; pass the path of passages.jsonl (see ../shared/eval/README.md).")
    runs, first = [], None
    out = HERE / ".corpus" / "passim-run.json"
    out.parent.mkdir(exist_ok=True)
    for round_ in range(args.repeats):
        load_1m = os.getloadavg()[0]
        done = subprocess.run([sys.executable, __file__, "--child", str(path), str(args.jobs), str(out)],
                              capture_output=True, text=True, cwd=HERE)
        if done.returncode != 0:
            sys.exit(f"bench_passim: a run failed:\n{done.stderr[-2000:]}")
        run = json.loads(out.read_text("utf-8"))
        first = first or run
        runs.append({"seconds": run["seconds"], "load_1m": round(load_1m, 2)})
        print(f"round {round_ + 1}: {run['seconds']} s (load {load_1m:.2f})", file=sys.stderr)
    seconds = statistics.median(r["seconds"] for r in runs)
    figures = agreement(path, first["linked"])
    print(f"{first['documents']} passages, jobs {args.jobs}: median {seconds:.1f} s, "
          f"{first['documents'] / seconds:.0f} docs/s; {first['passages']} reported passages")
    print(f"document pairs: passim {figures['truth_pairs']}, dedup {figures['linked_pairs']}; precision "
          f"{figures['precision']}, recall {figures['recall']} (clusters of at most ten: "
          f"{figures['recall_clusters_up_to_10']})")
    for name, row in figures["recall_by_cluster_size"].items():
        print(f"  clusters of {name:>7}: {row['pairs']:>7} pairs, recall {row['recall']}")
    print(f"  pairs of a cluster sharing four shingles or more (a passage's worth): "
          f"{figures['truth_pairs_sharing_text']}, recall {figures['recall_of_pairs_sharing_text']}")
    write_result("passim", {"documents": first["documents"], "jobs": args.jobs, "seconds_median": round(seconds, 3),
                            "seconds_all": [r["seconds"] for r in runs], "load_1m_all": [r["load_1m"] for r in runs],
                            "docs_per_second": round(first["documents"] / seconds, 1),
                            "passages": first["passages"], **figures})


if __name__ == "__main__":
    main()
