"""Streaming check-and-add: dedup's index against datasketch MinHashLSH and rensa, same run.

Usage: python benchmarks/bench_index.py [--sizes 10000,100000] [--redis-port 6399]
                                        [--redis-sizes 10000] [--agreement 10000] [--jobs 2]
                                        [--repeats 1]

The stream (benchmarks/stream_corpus.py) holds news-length documents (350-900 words) with
about 10% planted near-duplicates and 3% planted paragraph reuse, labelled. Each tool runs
in its own process, reading the stream from a JSONL file a line at a time, so peak memory
is the tool's own:

- ``dedup-sqlite`` / ``dedup-redis``: ``Index.stream`` in batches of 512 with ``--jobs``
  processes (what ``dedup check`` does; 2 by default, as on this 2-core machine), answers
  with matches, similarities and passages, the rewrite tier on (the default); its peak
  memory adds the largest helper's peak once per helper;
- ``dedup-sqlite-verbatim``: the same with the rewrite tier off (``--no-paraphrase``);
- ``datasketch``: ``MinHashLSH`` (threshold 0.8, 128 permutations) in memory, per
  document: MinHash of the word 5-shingles, query, insert; duplicate = any candidate;
- ``datasketch-redis``: the same with datasketch's Redis storage;
- ``rensa``: ``RMinHashDeduplicator`` (LSH, 16 bands), per document ``add``.

Throughput is documents per second over the whole stream; with ``--repeats N`` every tool
runs N times, the tools taking turns, and the median is reported (the machine is noisy),
with each run's figure; the other columns come from the first run. Latency is that of checking one
document alone (no batch, nothing added), over 500 further documents of the stream,
after the stream is in. Precision and recall are of the 'duplicate' decisions against the
labels; dedup's 'reuses' recall is the share of planted reuse answered 'reuses' or
'duplicate'. Redis runs on a loopback port (started here, stopped after). Prints a table,
writes benchmarks/results/index.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from results_file import write_result  # noqa: E402
from stream_corpus import stream  # noqa: E402

_LATENCY_DOCS = 500
_BATCH = 512


def write_stream(path: Path, count: int) -> dict:
    labels = {}
    with path.open("w", encoding="utf-8") as out:
        for doc in stream(count + _LATENCY_DOCS):
            out.write(json.dumps({"id": doc.id, "text": doc.text}) + "\n")
            labels[doc.id] = doc.label
    return labels


def read_stream(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            yield record["id"], record["text"]


# -- workers (each in its own process) --------------------------------------------------------

def _shingles(text: str) -> list[bytes]:
    words = text.lower().split()
    return [" ".join(words[k : k + 5]).encode() for k in range(max(1, len(words) - 4))]


def run_dedup(corpus: Path, count: int, location: str, jobs: int, paraphrase: bool = True) -> dict:
    from dedup import Document
    from dedup.engines.index.core import Index

    decisions = {}
    docs = read_stream(corpus)
    with Index(location, paraphrase=paraphrase) as index:
        started = time.perf_counter()
        stream = (Document(doc_id, text) for doc_id, text in itertools.islice(docs, count))
        for batch in index.stream(stream, batch_size=_BATCH, jobs=jobs):  # what 'dedup check' does
            for d in batch:
                decisions[d.id] = d.decision
        elapsed = time.perf_counter() - started
        latencies = []
        for doc_id, text in itertools.islice(docs, _LATENCY_DOCS):
            t = time.perf_counter()
            index.check([Document(doc_id, text)])
            latencies.append(time.perf_counter() - t)
        stats = index.stats()
        before_compact = stats["bytes_per_document_beyond_text"]
        if location.endswith(".db"):
            stats = index.compact()
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest helper's peak
    return {"elapsed": elapsed, "decisions": decisions, "latencies": latencies,
            "bytes_per_doc": stats["bytes_per_document_beyond_text"], "bytes_per_doc_before_compact": before_compact,
            "helper_rss_mb": helpers * (jobs if jobs > 1 else 0)}


def run_datasketch(corpus: Path, count: int, redis_port: int | None) -> dict:
    from datasketch import MinHash, MinHashLSH

    storage = {"type": "redis", "redis": {"host": "127.0.0.1", "port": redis_port}} if redis_port else None
    lsh = MinHashLSH(threshold=0.8, num_perm=128, storage_config=storage) if storage else MinHashLSH(
        threshold=0.8, num_perm=128)

    def minhash(text: str) -> MinHash:
        m = MinHash(num_perm=128)
        m.update_batch(_shingles(text))
        return m

    decisions, docs = {}, read_stream(corpus)
    started = time.perf_counter()
    for k, (doc_id, text) in enumerate(docs):
        m = minhash(text)
        decisions[doc_id] = "duplicate" if lsh.query(m) else "unique"
        lsh.insert(doc_id, m, check_duplication=False)
        if k == count - 1:
            break
    elapsed = time.perf_counter() - started
    latencies = []
    for doc_id, text in itertools.islice(docs, _LATENCY_DOCS):
        t = time.perf_counter()
        lsh.query(minhash(text))
        latencies.append(time.perf_counter() - t)
    return {"elapsed": elapsed, "decisions": decisions, "latencies": latencies, "bytes_per_doc": None}


def run_rensa(corpus: Path, count: int) -> dict:
    from rensa import RMinHash, RMinHashDeduplicator

    dedup = RMinHashDeduplicator(threshold=0.8, num_perm=128, use_lsh=True, num_bands=16, seed=42)

    def minhash(text: str) -> RMinHash:
        m = RMinHash(num_perm=128, seed=42)
        m.update([s.decode() for s in _shingles(text)])
        return m

    decisions, docs = {}, read_stream(corpus)
    started = time.perf_counter()
    for k, (doc_id, text) in enumerate(docs):
        decisions[doc_id] = "unique" if dedup.add(doc_id, minhash(text)) else "duplicate"
        if k == count - 1:
            break
    elapsed = time.perf_counter() - started
    latencies = []
    for doc_id, text in itertools.islice(docs, _LATENCY_DOCS):
        t = time.perf_counter()
        dedup.is_duplicate(doc_id, minhash(text))
        latencies.append(time.perf_counter() - t)
    return {"elapsed": elapsed, "decisions": decisions, "latencies": latencies, "bytes_per_doc": None}


def worker(args) -> None:
    corpus = Path(args.corpus)
    if args.worker == "dedup-sqlite":
        result = run_dedup(corpus, args.count, args.location, args.jobs)
    elif args.worker == "dedup-sqlite-verbatim":
        result = run_dedup(corpus, args.count, args.location, args.jobs, paraphrase=False)
    elif args.worker == "dedup-redis":
        result = run_dedup(corpus, args.count, f"redis://127.0.0.1:{args.redis_port}/0?prefix=bench{args.count}",
                           args.jobs)
    elif args.worker == "datasketch":
        result = run_datasketch(corpus, args.count, None)
    elif args.worker == "datasketch-redis":
        result = run_datasketch(corpus, args.count, args.redis_port)
    else:
        result = run_rensa(corpus, args.count)
    result["peak_rss_mb"] = _peak_rss_mb() + result.pop("helper_rss_mb", 0)
    Path(args.out).write_text(json.dumps(result))


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not carried over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the driver ---------------------------------------------------------------------------------

def measure(tool: str, corpus: Path, count: int, work: Path, redis_port: int, jobs: int) -> dict:
    out = work / f"{tool}-{count}.json"
    location = str(work / f"index-{count}.db")
    for leftover in (location, location + "-wal", location + "-shm"):  # from an earlier run
        Path(leftover).unlink(missing_ok=True)
    command = [sys.executable, __file__, "--worker", tool, "--corpus", str(corpus), "--count", str(count),
               "--out", str(out), "--location", location, "--redis-port", str(redis_port), "--jobs", str(jobs)]
    subprocess.run(command, check=True)
    return json.loads(out.read_text())


def score(result: dict, labels: dict, count: int) -> dict:
    decisions = result["decisions"]
    truth = {d for d, label in labels.items() if label == "duplicate" and d in decisions}
    said = {d for d, v in decisions.items() if v == "duplicate"}
    reuse = [d for d, label in labels.items() if label == "reuses" and d in decisions]
    lat = sorted(result["latencies"])
    return {
        "docs_per_s": round(count / result["elapsed"], 1),
        "latency_p50_ms": round(1000 * statistics.median(lat), 2),
        "latency_p99_ms": round(1000 * lat[int(0.99 * (len(lat) - 1))], 2),
        "bytes_per_doc": result["bytes_per_doc"],
        "bytes_per_doc_before_compact": result.get("bytes_per_doc_before_compact"),
        "peak_rss_mb": round(result["peak_rss_mb"], 1),
        "precision": round(len(truth & said) / len(said), 4) if said else None,
        "recall": round(len(truth & said) / len(truth), 4) if truth else None,
        "reuse_recall": round(sum(decisions[d] != "unique" for d in reuse) / len(reuse), 4) if reuse else None,
    }


def agreement(corpus: Path, count: int, work: Path, decisions_sqlite: dict, decisions_redis: dict) -> dict:
    """Pairs found by dedup scan (copy tier) against pairs in the index's decisions."""
    import dedup
    from dedup.engines.index.core import Index

    docs = [dedup.Document(i, t) for (i, t), _ in zip(read_stream(corpus), range(count))]
    report = dedup.scan(docs, paraphrase=False)
    scan_dups = {tuple(sorted(d.documents)) for d in report.duplicates}
    scan_reuse = {tuple(sorted((p.a.doc, p.b.doc))) for p in report.passages if p.kind == "copy" and p.a.doc != p.b.doc}
    index_dups, index_reuse = set(), set()
    path = work / "agreement.db"
    with Index(path) as index:
        for start in range(0, len(docs), _BATCH):
            for d in index.check_and_add(docs[start : start + _BATCH]):
                for m in d.matches:
                    pair = tuple(sorted((d.id, m.doc)))
                    if d.decision == "duplicate" and m.similarity >= 0.8:
                        index_dups.add(pair)
                    if any(p.kind == "copy" for p in m.passages):
                        index_reuse.add(pair)
    same_backends = decisions_sqlite == decisions_redis if decisions_redis else None
    return {
        "documents": count,
        "scan_duplicate_pairs": len(scan_dups), "index_duplicate_pairs": len(index_dups),
        "duplicate_pairs_in_both": len(scan_dups & index_dups),
        "scan_copy_pairs": len(scan_reuse), "index_copy_pairs": len(index_reuse),
        "copy_pairs_in_both": len(scan_reuse & index_reuse),
        "sqlite_and_redis_decisions_identical": same_backends,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--redis-sizes", default="10000", help="sizes at which the Redis backends run too")
    parser.add_argument("--redis-port", type=int, default=6399)
    parser.add_argument("--agreement", type=int, default=10000, help="stream length compared with dedup scan (0: skip)")
    parser.add_argument("--jobs", type=int, default=2, help="dedup's --jobs (processes that fingerprint and align)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each tool (medians of docs/s are reported)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--location", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    redis_sizes = {int(s) for s in args.redis_sizes.split(",") if s}
    work = Path(tempfile.mkdtemp(prefix="dedup-bench-index-"))
    server = None
    if redis_sizes:
        server = subprocess.Popen(["redis-server", "--port", str(args.redis_port), "--bind", "127.0.0.1",
                                   "--save", "", "--appendonly", "no", "--dir", str(work)],
                                  stdout=subprocess.DEVNULL)
        time.sleep(1.0)
    rows, figures = [], {"sizes": {}}
    try:
        corpus = work / "stream.jsonl"
        labels = write_stream(corpus, max(sizes))
        for count in sizes:
            tools = ["dedup-sqlite", "dedup-sqlite-verbatim", "datasketch", "rensa"]
            if count in redis_sizes:
                tools += ["dedup-redis", "datasketch-redis"]
            runs: dict[str, list[dict]] = {tool: [] for tool in tools}
            for round_number in range(args.repeats):
                if count in redis_sizes:
                    subprocess.run(["redis-cli", "-p", str(args.redis_port), "flushall"], check=True,
                                   stdout=subprocess.DEVNULL)
                for tool in tools:
                    print(f"[{count}] {tool}, run {round_number + 1} of {args.repeats} ...", file=sys.stderr, flush=True)
                    runs[tool].append(measure(tool, corpus, count, work, args.redis_port, args.jobs))
            results = {}
            for tool in tools:
                results[tool] = score(runs[tool][0], labels, count)
                rates = [round(count / raw["elapsed"], 1) for raw in runs[tool]]
                results[tool]["docs_per_s"] = round(statistics.median(rates), 1)
                results[tool]["docs_per_s_runs"] = rates
                results[tool]["_decisions"] = runs[tool][0]["decisions"]
                rows.append((count, tool, results[tool]))
            base = results["datasketch"]["docs_per_s"]
            for tool in tools:
                results[tool]["throughput_vs_datasketch"] = round(results[tool]["docs_per_s"] / base, 2)
            if args.agreement == count:
                figures["agreement"] = agreement(
                    corpus, count, work, results["dedup-sqlite"]["_decisions"],
                    results.get("dedup-redis", {}).get("_decisions"))
            for tool in tools:
                results[tool].pop("_decisions")
            figures["sizes"][str(count)] = results
    finally:
        if server:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
    if len(sizes) > 1:
        small, large = str(min(sizes)), str(max(sizes))
        figures["dedup_sqlite_large_vs_small_throughput"] = round(
            figures["sizes"][large]["dedup-sqlite"]["docs_per_s"] / figures["sizes"][small]["dedup-sqlite"]["docs_per_s"], 3)
    print(f"docs/s: median of {args.repeats} run(s) per tool")
    header = f"{'docs':>7} {'tool':<21} {'docs/s':>8} {'vs ds':>6} {'p50 ms':>7} {'p99 ms':>7} {'B/doc':>7} " \
             f"{'RSS MB':>7} {'prec':>6} {'recall':>6} {'reuse':>6}"
    print(header)
    for count, tool, r in rows:
        print(f"{count:>7} {tool:<21} {r['docs_per_s']:>8} {r['throughput_vs_datasketch']:>6} {r['latency_p50_ms']:>7} "
              f"{r['latency_p99_ms']:>7} {str(r['bytes_per_doc']):>7} {r['peak_rss_mb']:>7} {str(r['precision']):>6} "
              f"{str(r['recall']):>6} {str(r['reuse_recall']):>6}")
    if "agreement" in figures:
        print(json.dumps(figures["agreement"], indent=1))
    print(f"wrote {write_result('index', figures)}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
