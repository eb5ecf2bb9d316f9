"""Replays that lose nothing: `dedup check --emit unique` killed at random moments and resumed.

A labelled stream (``stream_corpus.py``, 10,000 news-length documents by default, about 10%
near-duplicates) is checked once without interruption, and once killed (SIGKILL) at
``--kills`` random moments (spread over the stream: after a random number of emitted lines,
and up to two seconds more, about two batches of 128: mid-batch, mid-commit or between). After each kill, the pipeline replays the stream from the
document after the last one it received in full (a cut last line is not received) with
``--emit unique --resume``, as the README says to. Reported: whether the documents emitted
over all the interrupted runs, in order, equal the uninterrupted run's; how many were
emitted twice or never; and the index's integrity check after each kill.

Run: ``python benchmarks/bench_replay.py [--docs 10000] [--kills 20] [--seed 1]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from results_file import write_result  # noqa: E402
from stream_corpus import write_jsonl  # noqa: E402

# Batches of 128: a kill can fall at more places of the stream than with 512.
COMMAND = [sys.executable, "-m", "dedup", "check", "--emit", "unique", "--resume", "--batch-size", "128", "-q"]


def _run(db: Path, lines: list[str], kill_at: tuple[int, float] | None) -> tuple[list[str], bool]:
    """Feed ``lines`` to a check; with ``kill_at = (n, seconds)``, kill it (SIGKILL) that
    many seconds after it has written ``n`` lines (None: let it end). Returns the ids of the
    complete lines it wrote, and whether it was killed."""
    process = subprocess.Popen([*COMMAND, "--index", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)

    def feed() -> None:
        try:
            for line in lines:
                process.stdin.write(line.encode("utf-8"))
            process.stdin.close()
        except (BrokenPipeError, ValueError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    timer = None
    if kill_at is not None and kill_at[0] == 0:
        timer = threading.Timer(kill_at[1], process.kill)
        timer.start()
    received: list[bytes] = []
    for line in process.stdout:  # a line without its newline is a cut one: not received
        if line.endswith(b"\n"):
            received.append(line)
        if kill_at is not None and timer is None and len(received) >= kill_at[0]:
            timer = threading.Timer(kill_at[1], process.kill)
            timer.start()
    process.wait()
    if timer:
        timer.cancel()
    writer.join(timeout=5)
    return [json.loads(line)["id"] for line in received], process.returncode == -9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "stream.jsonl"
        write_jsonl(corpus, count=args.docs)
        lines = corpus.read_text("utf-8").splitlines(keepends=True)
        ids = [json.loads(line)["id"] for line in lines]
        position = {doc_id: k for k, doc_id in enumerate(ids)}
        started = time.perf_counter()
        whole, _ = _run(work / "whole.db", lines, None)
        whole_s = time.perf_counter() - started
        emitted: list[str] = []
        start, kills, integrity, runs = 0, 0, [], 0
        db = work / "killed.db"
        while True:
            kill_at = None
            if kills < args.kills:
                # A random moment of what is left to do, shared among the kills left: after a
                # random number of lines, and a random part of a second more (mid-batch).
                left = len(whole) * (len(lines) - start) / len(lines)
                share = left / (args.kills - kills + 2)
                kill_at = (rng.randint(0, max(0, int(share))), rng.uniform(0.0, 2.0))
            got, killed = _run(db, lines[start:], kill_at)
            runs += 1
            emitted += got
            if not killed:  # the stream is done (before the kill, if one was due)
                break
            kills += 1
            with sqlite3.connect(db) as check:
                integrity.append(check.execute("PRAGMA integrity_check").fetchone()[0])
            if got:
                start = position[got[-1]] + 1
            print(f"kill {kills}: {len(got)} emitted, resuming at document {start}", file=sys.stderr, flush=True)
    same = emitted == whole
    twice = len(emitted) - len(set(emitted))
    never = len(set(whole) - set(emitted))
    extra = len(set(emitted) - set(whole))
    figures = {"docs": args.docs, "kills": kills, "runs": runs, "uninterrupted_emitted": len(whole),
               "interrupted_emitted": len(emitted), "equal_in_order": same, "emitted_twice": twice,
               "never_emitted": never, "emitted_but_not_uninterrupted": extra,
               "integrity_ok": sum(r == "ok" for r in integrity), "uninterrupted_seconds": round(whole_s, 1),
               "machine": platform.platform(), "python": platform.python_version()}
    print("| docs | kills | emitted (whole run) | emitted (killed and resumed) | equal, in order | twice | never | "
          "integrity ok |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {args.docs} | {kills} | {len(whole)} | {len(emitted)} | {same} | {twice} | {never} | "
          f"{figures['integrity_ok']} of {len(integrity)} |")
    print(f"wrote {write_result('replay', figures)}")


if __name__ == "__main__":
    main()
