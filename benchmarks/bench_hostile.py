"""Hostile and degenerate input through the command line: how long each takes to answer.

Usage: python benchmarks/bench_hostile.py [--repeats 3]

Cases (issue 22): an HTML paragraph with 200,000 attributes; 200,000 words drawn at random
from a 15-word vocabulary (as .txt); 100 good JSON lines around a line nested 100,000
levels deep and one holding a 5,000-digit integer. Each goes through ``dedup scan`` and
``dedup check`` (a new SQLite index each time), a fresh process per run, timed with its
start-up. With redis-server on the PATH, also: how long a writer waits for the lock after
the writer holding it was killed (SIGKILL, after renewing its lease once). Prints a table of
medians and writes benchmarks/results/hostile.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results_file import write_result

ROOT = Path(__file__).resolve().parent.parent


def cases(folder: Path) -> dict[str, Path]:
    attributes = " ".join(f'a{i}="v{i}"' for i in range(200_000))
    bomb = folder / "bomb.html"
    bomb.write_text(f"<html><body><p {attributes}>The council approved the budget on Tuesday.</p>"
                    "<p>Work on the harbour wall starts in March.</p></body></html>", encoding="utf-8")
    rng = random.Random(0)
    vocabulary = "the cat sat on a mat and dog ran far away from home very fast".split()
    low = folder / "low-vocabulary.txt"
    low.write_text(" ".join(rng.choice(vocabulary) for _ in range(200_000)), encoding="utf-8")
    good = [json.dumps({"id": f"g{i}", "text": f"Document {i} says something of its own about topic {i * 7919}."})
            for i in range(200)]
    mixed = folder / "limits.jsonl"
    mixed.write_text("\n".join(good[:100] + ["[" * 100_000 + "]" * 100_000,
                                             '{"id": "n", "text": "x", "v": ' + "9" * 5000 + "}"] + good[100:]) + "\n",
                     encoding="utf-8")
    return {"html attribute bomb": bomb, "200,000 words of 15": low, "JSON past the decoder's limits": mixed}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench_hostile: {' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")
    return seconds


def lock_wait(folder: Path) -> float | None:
    """Seconds a writer waits after the lock's holder is killed, on a real redis-server."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(folder)], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        url = f"redis://127.0.0.1:{port}/0?prefix=bench"
        holder = subprocess.Popen([sys.executable, "-c", "import sys, time\n"
                                   "from dedup.engines.index.redis_store import RedisStore\n"
                                   "with RedisStore(sys.argv[1]).writing():\n"
                                   "    print('held', flush=True)\n    time.sleep(120)\n", url],
                                  stdout=subprocess.PIPE, text=True, cwd=ROOT)
        holder.stdout.readline()
        from dedup.engines.index.redis_store import LOCK_LEASE_S, RedisStore

        time.sleep(LOCK_LEASE_S * 1.5)
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        killed = time.perf_counter()
        store = RedisStore(url)
        with store.writing():
            waited = time.perf_counter() - killed
        store.close()
        return waited
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    dedup = [sys.executable, "-m", "dedup"]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for name, path in cases(folder).items():
            for command in ("scan", "check"):
                runs = []
                for repeat in range(args.repeats):
                    index = folder / f"index-{repeat}.db"
                    extra = ["--index", str(index)] if command == "check" else ["-o", os.devnull]
                    runs.append(round(timed([*dedup, command, str(path), "-q", *extra]), 2))
                rows.append({"case": name, "command": command, "runs": runs, "median_s": statistics.median(runs)})
                print(rows[-1], file=sys.stderr)
        waits = [lock_wait(folder) for _ in range(args.repeats)]
    print(f"{'case':<32} {'command':<7} {'median s':>9}  runs")
    for row in rows:
        print(f"{row['case']:<32} {row['command']:<7} {row['median_s']:>9}  {row['runs']}")
    lock = None if None in waits else {"runs": [round(w, 2) for w in waits], "median_s": round(statistics.median(waits), 2)}
    if lock:
        print(f"a writer's wait after the lock holder was killed: median {lock['median_s']} s, runs {lock['runs']}")
    out = write_result("hostile", {"load_1m": os.getloadavg()[0], "cases": rows, "redis_lock_wait": lock})
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
