"""The Dask engine on a 2-worker LocalCluster against the local engine, same run.

Usage: python benchmarks/bench_dask.py [--sizes 10000,25000,100000] [--repeats 2]
                                       [--partition-mb 16] [--workers 2] [--level document]

The corpus is the labelled news stream of ``stream_corpus.py`` (news-length documents,
about 10% planted near-duplicates), written once to ``benchmarks/.corpus/stream-N.jsonl``.
Each run is its own process, the engines taking turns:

- ``local``: ``dedup scan --level document`` in one machine's processes
  (``near_duplicates`` with ``--jobs 2``), or with ``--level passage`` the full scan
  (``dedup.scan``, one process);
- ``dask``: ``dedup.distributed.scan`` at the same level on a fresh LocalCluster of
  ``--workers`` worker processes with one thread each; the cluster's start is timed apart.

Wall time is the median of the runs; the peak memory of the local engine is its process's
``VmHWM`` plus its largest helper's once per helper; for Dask, each worker's peak RSS
(``ru_maxrss`` read in the worker) and the client's. The merged reports of the two engines
are compared (duplicates and clusters, and at the passage level passages and attribution,
must be equal). Prints a table, writes ``benchmarks/results/dask.json`` (``dask-passage.json``
at the passage level).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_file import write_result  # noqa: E402
from stream_corpus import write_jsonl  # noqa: E402

_CORPORA = Path(__file__).resolve().parent / ".corpus"


def _corpus(size: int) -> Path:
    return write_jsonl(_CORPORA / f"stream-{size}.jsonl", count=size)


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_peak_mb() -> float:
    return _peak_mb()


def child(engine: str, corpus: Path, workers: int, partition_mb: int, level: str, out: Path) -> None:
    if engine == "local":
        from dedup import CorpusReader, scan
        from dedup.engines.document import near_duplicates

        started = time.perf_counter()
        if level == "document":
            report = near_duplicates(CorpusReader().read([corpus]), jobs=2)
        else:
            report = scan(list(CorpusReader().read([corpus])))
        elapsed = time.perf_counter() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        result = {"elapsed": elapsed, "peak_mb": round(_peak_mb() + 2 * children), "workers_mb": []}
    else:
        import logging

        from distributed import Client, LocalCluster

        logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)  # routine notes of each shuffle

        from dedup import distributed

        started = time.perf_counter()
        with LocalCluster(n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                          processes=True) as cluster, Client(cluster) as client:
            client.wait_for_workers(workers)
            startup = time.perf_counter() - started
            started = time.perf_counter()
            report = distributed.scan([corpus], client=client, level=level, blocksize=partition_mb * 2**20)
            elapsed = time.perf_counter() - started
            workers_mb = sorted(round(v) for v in client.run(_worker_peak_mb).values())
        result = {"elapsed": elapsed, "startup": startup, "peak_mb": round(_peak_mb()), "workers_mb": workers_mb}
    result["duplicates"] = [list(d.documents) for d in report.duplicates]
    result["clusters"] = report.clusters
    data = report.to_dict()
    result["passages"], result["attribution"] = data["passages"], data["attribution"]
    out.write_text(json.dumps(result), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,25000,100000", help="corpus sizes, comma-separated")
    parser.add_argument("--repeats", type=int, default=2, help="runs per engine and size (median reported)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers")
    parser.add_argument("--partition-mb", type=int, default=16, help="megabytes of JSONL per part")
    parser.add_argument("--level", choices=["document", "passage"], default="document", help="the scan's level")
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]), args.workers, args.partition_mb, args.level, Path(args.child[2]))
        return
    rows = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        corpus = _corpus(size)
        runs: dict[str, list[dict]] = {"local": [], "dask": []}
        for repeat in range(args.repeats):
            for engine in runs:
                print(f"[{size}] {engine}, run {repeat + 1}", file=sys.stderr, flush=True)
                out = _CORPORA / f"run-dask-{engine}.json"
                subprocess.run([sys.executable, __file__, "--workers", str(args.workers), "--partition-mb",
                                str(args.partition_mb), "--level", args.level, "--child", engine, str(corpus),
                                str(out)], check=True)
                runs[engine].append(json.loads(out.read_text("utf-8")))
        same = all(runs["local"][0][key] == runs["dask"][0][key]
                   for key in ("duplicates", "clusters", "passages", "attribution"))
        for engine, found in runs.items():
            elapsed = statistics.median(r["elapsed"] for r in found)
            rows.append({"docs": size, "engine": engine, "seconds": round(elapsed, 2),
                         "seconds_runs": [round(r["elapsed"], 2) for r in found],
                         "us_per_doc": round(elapsed / size * 1e6), "docs_per_s": round(size / elapsed),
                         "startup_s": round(statistics.median(r["startup"] for r in found), 2) if engine == "dask"
                         else None,
                         "peak_mb": max(r["peak_mb"] for r in found),
                         "worker_peak_mb": max((max(r["workers_mb"]) for r in found if r["workers_mb"]), default=None),
                         "duplicates": len(found[0]["duplicates"]), "passages": len(found[0]["passages"]),
                         "same_as_local": same})
    by = {(r["docs"], r["engine"]): r for r in rows}
    sizes = sorted({r["docs"] for r in rows})
    for row in rows:
        smaller = [s for s in sizes if s * 4 == row["docs"]]
        row["cost_vs_quarter"] = (round(row["us_per_doc"] / by[(smaller[0], row["engine"])]["us_per_doc"], 2)
                                  if smaller else None)
    print(f"{'docs':>7} {'engine':<6} {'seconds':>8} {'docs/s':>7} {'us/doc':>7} {'x cost (1/4)':>12} "
          f"{'start s':>7} {'peak MB':>8} {'worker MB':>9} {'pairs':>6} {'same':>5}")
    for r in rows:
        print(f"{r['docs']:>7} {r['engine']:<6} {r['seconds']:>8} {r['docs_per_s']:>7} {r['us_per_doc']:>7} "
              f"{str(r['cost_vs_quarter']):>12} {str(r['startup_s']):>7} {r['peak_mb']:>8} "
              f"{str(r['worker_peak_mb']):>9} {r['duplicates']:>6} {str(r['same_as_local']):>5}")
    from importlib.metadata import version

    name = "dask" if args.level == "document" else "dask-passage"
    path = write_result(name, {"level": args.level, "repeats": args.repeats, "workers": args.workers,
                               "partition_mb": args.partition_mb, "dask": version("dask"),
                               "distributed": version("distributed"), "rows": rows})
    print(f"figures written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
