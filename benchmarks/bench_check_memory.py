"""Memory of ``dedup check`` as its index grows: the main process and its helpers.

Usage: python benchmarks/bench_check_memory.py [--sizes 10000,50000,150000] [--cache-mb 256,64]
       [--paraphrase]

Streams the first documents of ``stream_corpus.py``'s news stream (generated into
benchmarks/.corpus the first time) into one ``dedup check`` per page-cache size
(``DEDUP_SQLITE_CACHE_MB``), against a new SQLite index in a temporary folder, and reads the
resident size of the main process and of its helper processes (sampled every 0.2 s) when
the decisions for each size have come back. Without ``--paraphrase`` the index is made with
``--no-paraphrase`` (ten times faster to fill; the page cache fills the same way). Prints a
table and writes benchmarks/results/check-memory.json.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from results_file import write_result
from stream_corpus import write_jsonl

HERE = Path(__file__).resolve().parent


class Sampler(threading.Thread):
    """The peak resident size of a process and of its children, sampled until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.main = self.helpers = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            try:
                main = self.process.memory_info().rss
                helpers = max((c.memory_info().rss for c in self.process.children(recursive=True)), default=0)
            except psutil.Error:
                continue
            self.main, self.helpers = max(self.main, main / 2**20), max(self.helpers, helpers / 2**20)


def measure(corpus: Path, sizes: list[int], cache_mb: int, paraphrase: bool) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        index = os.path.join(folder, "news.db")
        command = [sys.executable, "-m", "dedup", "check", "--index", index, "-q",
                   *([] if paraphrase else ["--no-paraphrase"])]
        env = {**os.environ, "DEDUP_SQLITE_CACHE_MB": str(cache_mb)}
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=HERE.parent)
        sampler = Sampler(child.pid)
        sampler.start()
        started = time.perf_counter()

        def feed() -> None:
            with corpus.open("rb") as handle:
                for number, line in enumerate(handle, start=1):
                    child.stdin.write(line)
                    if number == sizes[-1]:
                        break
            child.stdin.close()

        threading.Thread(target=feed, daemon=True).start()
        wanted = iter(sizes)
        size = next(wanted)
        for decided, _ in enumerate(child.stdout, start=1):
            if decided == size:
                rows.append({"cache_mb": cache_mb, "documents": size, "seconds": round(time.perf_counter() - started, 1),
                             "main_mb": round(sampler.main), "helper_mb": round(sampler.helpers),
                             "index_mb": round(os.path.getsize(index) / 2**20)})
                print(rows[-1], file=sys.stderr)
                size = next(wanted, None)
                if size is None:
                    break
        child.stdout.close()
        child.wait()
        sampler.stopped.set()
        if len(rows) != len(sizes):
            sys.exit(f"bench_check_memory: dedup check stopped after {len(rows)} of {len(sizes)} sizes "
                     f"(exit {child.returncode}).")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,150000")
    parser.add_argument("--cache-mb", default="256,64", help="page-cache sizes to run, comma-separated")
    parser.add_argument("--paraphrase", action="store_true", help="keep the rewrite tier on")
    args = parser.parse_args()
    sizes = sorted(map(int, args.sizes.split(",")))
    corpus = write_jsonl(HERE / ".corpus" / f"stream-{sizes[-1]}-seed7.jsonl", count=sizes[-1])
    rows = [row for cache in map(int, args.cache_mb.split(",")) for row in measure(corpus, sizes, cache, args.paraphrase)]
    print(f"{'cache MB':>8} {'documents':>10} {'seconds':>8} {'main MB':>8} {'helper MB':>10} {'index MB':>9}")
    for row in rows:
        print(f"{row['cache_mb']:>8} {row['documents']:>10,} {row['seconds']:>8} {row['main_mb']:>8} "
              f"{row['helper_mb']:>10} {row['index_mb']:>9}")
    out = write_result("check-memory", {"paraphrase": args.paraphrase, "load_1m": os.getloadavg()[0], "runs": rows})
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
