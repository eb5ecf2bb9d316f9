"""Compressed input at the document level: the same corpus read as .jsonl and as .jsonl.gz,
and the deduplicated corpus written from it.

Usage: python benchmarks/bench_compressed.py [--size 100000] [--repeats 3]

Takes the first ``--size`` documents of ``stream_corpus.py``'s news stream (generated into
benchmarks/.corpus the first time), writes them plain and gzip-compressed, and runs
``dedup scan --level document -q -o /dev/null`` on each in turn, then ``--emit unique -o
clean.jsonl.gz`` on the compressed one, a fresh process per run, timed with its start-up.
Prints the per-round ratios (compressed seconds over plain; the deduplicated corpus's over
the report's, both from the compressed file) and their medians; writes
benchmarks/results/compressed.json.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from results_file import write_result
from stream_corpus import write_jsonl

HERE = Path(__file__).resolve().parent


def timed(path: Path, *options: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dedup", "scan", str(path), "--level", "document", "-q", "-o", os.devnull,
                    *options], check=True, cwd=HERE.parent)
    return time.perf_counter() - start


def unique_run(path: Path, out: Path) -> tuple[float, int]:
    """Seconds to write the deduplicated corpus of ``path`` to ``out``, and its records."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dedup", "scan", str(path), "--level", "document", "-q", "--emit", "unique",
                    "-o", str(out)], check=True, cwd=HERE.parent)
    seconds = time.perf_counter() - start
    with gzip.open(out, "rb") as kept:
        return seconds, sum(1 for _ in kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    plain = write_jsonl(HERE / ".corpus" / f"stream-{args.size}-seed7.jsonl", count=args.size)
    packed = plain.with_name(plain.name + ".gz")
    if not packed.exists():
        with plain.open("rb") as source, gzip.open(packed, "wb", compresslevel=6) as target:
            shutil.copyfileobj(source, target)
    rounds = []
    for _ in range(args.repeats):
        load = os.getloadavg()[0]
        round_ = {"load_1m": round(load, 2), "plain_s": round(timed(plain), 2), "gzip_s": round(timed(packed), 2)}
        seconds, kept = unique_run(packed, plain.with_name("clean.jsonl.gz"))
        round_.update(unique_s=round(seconds, 2), kept=kept)
        round_["ratio"] = round(round_["gzip_s"] / round_["plain_s"], 3)
        round_["unique_ratio"] = round(round_["unique_s"] / round_["gzip_s"], 3)
        rounds.append(round_)
        print(round_, file=sys.stderr)
    median = statistics.median(r["ratio"] for r in rounds)
    unique_median = statistics.median(r["unique_ratio"] for r in rounds)
    print(f"{'round':>5} {'load':>5} {'plain s':>8} {'gzip s':>7} {'ratio':>6} {'unique s':>9} {'kept':>7} "
          f"{'unique/report':>13}")
    for number, r in enumerate(rounds, start=1):
        print(f"{number:>5} {r['load_1m']:>5} {r['plain_s']:>8} {r['gzip_s']:>7} {r['ratio']:>6} {r['unique_s']:>9} "
              f"{r['kept']:>7} {r['unique_ratio']:>13}")
    print(f"median ratio {median} ({plain.stat().st_size / 1e6:.0f} MB plain, {packed.stat().st_size / 1e6:.0f} MB "
          f"gzip); deduplicated corpus over report {unique_median}")
    out = write_result("compressed", {"documents": args.size, "plain_mb": round(plain.stat().st_size / 1e6),
                                      "gzip_mb": round(packed.stat().st_size / 1e6), "rounds": rounds,
                                      "median_ratio": median, "median_unique_ratio": unique_median})
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
