"""Huge inputs: a JSONL of about 500 MB and a single document of 50 MB, through the CLI.

Usage: python benchmarks/bench_huge.py [--jsonl-mb 500] [--document-mb 50]

The JSONL holds the labelled news stream of ``stream_corpus.py`` (about 4.5 KB a
document); the single document is word soup from a 50,000-word made-up vocabulary in
sentences and paragraphs (no passage repeats, so it measures reading and fingerprinting,
not self-alignment). Both are written once to ``benchmarks/.corpus/``. Each command runs
in its own process; its time and peak memory are those of the command and of its largest
child (the helpers of ``--jobs``), read from ``/proc`` after it ends. Prints a table,
writes ``benchmarks/results/huge.json``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_file import write_result  # noqa: E402
from stream_corpus import write_jsonl  # noqa: E402

_CORPORA = Path(__file__).resolve().parent / ".corpus"


def make_jsonl(megabytes: int) -> Path:
    return write_jsonl(_CORPORA / f"huge-{megabytes}mb.jsonl", max_bytes=megabytes * 10**6)


def make_document(megabytes: int) -> Path:
    path = _CORPORA / f"huge-{megabytes}mb.txt"
    if not path.exists():
        _CORPORA.mkdir(exist_ok=True)
        rng = random.Random(1)
        vocabulary = ["".join(rng.choice("abcdefghijklmnoprstuvwy") for _ in range(rng.randint(2, 10)))
                      for _ in range(50_000)]
        lines, size = [], 0
        while size < megabytes * 10**6:
            sentences = (" ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 30))).capitalize() + "."
                         for _ in range(rng.randint(2, 6)))
            line = " ".join(sentences)
            lines.append(line)
            size += len(line) + 1
        path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run(command: list[str]) -> dict:
    """Time a command; its peak memory is the largest of it and its children (ru_maxrss)."""
    wrapper = ("import resource, subprocess, sys\n"
               "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
               "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    code, peak_kb = out.stdout.split()
    return {"seconds": round(elapsed, 1), "peak_mb": round(int(peak_kb) / 1024), "exit": int(code)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jsonl-mb", type=int, default=500)
    parser.add_argument("--document-mb", type=int, default=50)
    args = parser.parse_args(argv)
    print("writing the inputs (once)", file=sys.stderr)
    jsonl, document = make_jsonl(args.jsonl_mb), make_document(args.document_mb)
    dedup = [sys.executable, "-m", "dedup"]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        runs = [
            ("scan --level document", jsonl, [*dedup, "scan", "--level", "document", str(jsonl), "-q",
                                              "-o", f"{folder}/a.json"]),
            ("check (SQLite index)", jsonl, [*dedup, "check", str(jsonl), "--index", f"{folder}/a.db", "-q"]),
            ("scan (full, default)", document, [*dedup, "scan", str(document), "-q", "-o", f"{folder}/b.json"]),
            ("scan --level document", document, [*dedup, "scan", "--level", "document", str(document), "-q",
                                                 "-o", f"{folder}/c.json"]),
            ("check (SQLite index)", document, [*dedup, "check", str(document), "--index", f"{folder}/b.db", "-q"]),
        ]
        for name, path, command in runs:
            print(f"{name} on {path.name}", file=sys.stderr, flush=True)
            rows.append({"input": path.name, "input_mb": round(path.stat().st_size / 1e6), "command": name,
                         **run(command)})
    print(f"{'input':<20} {'MB':>5} {'command':<24} {'seconds':>8} {'peak MB':>8} {'exit':>4}")
    for r in rows:
        print(f"{r['input']:<20} {r['input_mb']:>5} {r['command']:<24} {r['seconds']:>8} {r['peak_mb']:>8} {r['exit']:>4}")
    path = write_result("huge", {"rows": rows, "jsonl_documents": sum(1 for _ in jsonl.open("rb"))})
    print(f"figures written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
