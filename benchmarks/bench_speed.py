"""Speed of document-level near-duplicate detection: dedup against its peers, side by side.

Each tool reads the same generated corpus (``make_corpus.py``: real English sentences,
news-shaped documents, 10% planted near-duplicates, ground truth by exact Jaccard) and
reports the document pairs it finds, end to end: read the JSONL, shingle, sign, band, pairs.
The tools take turns, run after run, each in a fresh process; docs/s and MB/s are medians.
Each run records the machine's one-minute load when it started; a run started above 1.5 is
run again once the load falls (counted as busy if it has not). "dedup x" is the median of
the per-round ratios (dedup's docs/s over the tool's, in the same round), beside them.
Before the timed rounds, each tool runs once untimed (``--warmup``): a tool's first run in a
benchmark was often the slowest (rensa's first runs at 1,741, 1,878 and 2,416 docs/s against
2,075-3,110 after them, in three benchmarks), which flattered dedup's first-round ratio.

- ``dedup``: ``dedup scan --level document`` (the library call behind it, with ``--jobs``
  helper processes, then the JSON report rendered); pairs verified by exact Jaccard.
- ``datasketch-naive``: one ``MinHash.update`` (sha1) per shingle, ``MinHashLSH`` insert and
  query (only up to ``--naive-max`` documents: it runs at about 170 docs/s).
- ``datasketch``: ``MinHash.bulk`` with xxhash, ``MinHashLSH`` in an insertion session, query.
- ``rensa``: ``RMinHash.from_token_sets`` (Rust), ``RMinHashLSH.insert_many`` and ``query_all``.
- ``text-dedup``: text-dedup's own ``embed_func`` on two processes (as its ``datasets.map``
  with ``num_proc=2`` runs it), its band tables; pairs are the documents sharing a bucket.

Recall and precision are against the pairs whose article text (without the site chrome the
generator added) reaches a Jaccard of 0.8; the "raw" figures are against the pairs whose
whole text, chrome included, does (see ``make_corpus.py``). The peers' pairs are their LSH candidates (what they give a user); all use 128 permutations,
word 5-shingles and the bands their library picks for a threshold of 0.8. Peak memory is the
tool process's peak resident size plus, for dedup and text-dedup, the largest helper's times
their number (an upper bound).

``python benchmarks/bench_speed.py --sizes 5000,50000 --repeats 3`` (peers: ``pip install -e
'.[bench]' && pip install --no-deps text-dedup==0.4.1``; a missing peer is reported and skipped).
``--scan-sizes`` also times the full default scan (passages, paraphrase tier, attribution).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import DEFAULT_PROSE, write_corpus  # noqa: E402
from results_file import write_result  # noqa: E402

TOOLS = ("dedup", "datasketch-naive", "datasketch", "rensa", "text-dedup")
_CORPORA = Path(__file__).resolve().parent / ".corpus"
_RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
_WORD_RE = re.compile(r"\w+")
_PEER_MODULES = {"datasketch-naive": "datasketch", "datasketch": "xxhash", "rensa": "rensa",
                 "text-dedup": "text_dedup.minhash"}


def _read(corpus: Path) -> tuple[list[str], list[str]]:
    ids, texts = [], []
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            ids.append(record["id"])
            texts.append(record["text"])
    return ids, texts


def _shingles(text: str) -> list[str]:
    words = _WORD_RE.findall(text.lower())
    return [" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))]


def _pairs_from_candidates(ids: list[str], candidates) -> set[tuple[str, str]]:
    pairs = set()
    for k, found in enumerate(candidates):
        for other in found:
            if other != k:
                a, b = ids[min(k, other)], ids[max(k, other)]
                pairs.add((a, b))
    return pairs


def run_dedup(corpus: Path, jobs: int) -> set[tuple[str, str]]:
    from dedup import CorpusReader
    from dedup.engines.document import near_duplicates
    from dedup.report.render import render

    reader = CorpusReader()
    report = near_duplicates(reader.read([corpus]), jobs=jobs)
    render(report, "json")
    return {tuple(d.documents) for d in report.duplicates}


def run_datasketch_naive(corpus: Path) -> set[tuple[str, str]]:
    from datasketch import MinHash, MinHashLSH

    ids, texts = _read(corpus)
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    minhashes = []
    for k, text in enumerate(texts):
        m = MinHash(num_perm=128)
        for shingle in _shingles(text):
            m.update(shingle.encode("utf-8"))
        lsh.insert(k, m)
        minhashes.append(m)
    return _pairs_from_candidates(ids, (lsh.query(m) for m in minhashes))


def run_datasketch(corpus: Path) -> set[tuple[str, str]]:
    import xxhash
    from datasketch import MinHash, MinHashLSH

    ids, texts = _read(corpus)
    minhashes = MinHash.bulk([[s.encode("utf-8") for s in _shingles(t)] for t in texts], num_perm=128,
                             hashfunc=xxhash.xxh32_intdigest)
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    with lsh.insertion_session() as session:
        for k, m in enumerate(minhashes):
            session.insert(k, m, check_duplication=False)
    return _pairs_from_candidates(ids, (lsh.query(m) for m in minhashes))


def run_rensa(corpus: Path) -> set[tuple[str, str]]:
    from rensa import RMinHash, RMinHashLSH

    ids, texts = _read(corpus)
    minhashes = RMinHash.from_token_sets([_shingles(t) for t in texts], 128, 42)
    lsh = RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16)
    lsh.insert_many(minhashes)
    return _pairs_from_candidates(ids, lsh.query_all(minhashes))


def _text_dedup_embed(item):
    from text_dedup import minhash as td

    text, index = item
    return td.embed_func(text, index, **_TD_ARGS)


_TD_ARGS: dict = {}


def _text_dedup_setup() -> dict:
    import numpy as np
    from text_dedup import minhash as td
    from text_dedup.utils import optimal_param, xxh3_32hash

    bands, rows = optimal_param(0.8, 128, false_positive_weight=0.5, false_negative_weight=0.5)
    dtype, max_hash, prime = np.uint64, np.uint32((1 << 32) - 1), np.uint64((1 << 61) - 1)  # its default, 64
    permutations = (td.RNG.randint(1, prime, size=(128,), dtype=dtype), td.RNG.randint(0, prime, size=(128,), dtype=dtype))
    return dict(num_perm=128, ngram_size=5, min_length=0, hashranges=[(i * rows, (i + 1) * rows) for i in range(bands)],
                permutations=permutations, hash_func=xxh3_32hash, dtype=dtype, max_hash=max_hash, modulo_prime=prime)


def run_text_dedup(corpus: Path) -> set[tuple[str, str]]:
    import multiprocessing
    from collections import defaultdict

    from text_dedup.minhash import INDEX_COLUMN, SIGNATURE_COLUMN

    _TD_ARGS.update(_text_dedup_setup())
    ids, texts = _read(corpus)
    tables: list[dict] = [defaultdict(set) for _ in _TD_ARGS["hashranges"]]
    with multiprocessing.get_context("fork").Pool(2) as pool:  # as datasets.map(num_proc=2)
        for row in pool.imap(_text_dedup_embed, zip(texts, range(len(texts))), chunksize=256):
            for band, key in enumerate(row[SIGNATURE_COLUMN]):
                tables[band][key].add(row[INDEX_COLUMN])
    pairs = set()
    for table in tables:
        for bucket in table.values():
            if len(bucket) > 1:
                members = sorted(bucket)
                pairs.update((ids[a], ids[b]) for n, a in enumerate(members) for b in members[n + 1 :])
    return pairs


def run_full_scan(corpus: Path) -> set[tuple[str, str]]:
    from dedup import CorpusReader, scan

    report = scan(CorpusReader().read([corpus]))
    return {tuple(d.documents) for d in report.duplicates}


def child(tool: str, corpus: Path, jobs: int, out: Path) -> None:
    """Run one tool once (in its own process) and write its figures to ``out``."""
    runner = {"dedup": lambda: run_dedup(corpus, jobs), "datasketch-naive": lambda: run_datasketch_naive(corpus),
              "datasketch": lambda: run_datasketch(corpus), "rensa": lambda: run_rensa(corpus),
              "text-dedup": lambda: run_text_dedup(corpus), "dedup-full-scan": lambda: run_full_scan(corpus)}[tool]
    if tool in _PEER_MODULES:  # imports are not timed
        __import__(_PEER_MODULES[tool])
    else:
        import dedup.engines.document  # noqa: F401
    started = time.perf_counter()
    pairs = runner()
    elapsed = time.perf_counter() - started
    own = _peak_rss_mb()
    helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    helpers = {"dedup": jobs if jobs > 1 else 0, "text-dedup": 2}.get(tool, 0)
    out.write_text(json.dumps({"elapsed": elapsed, "peak_rss_mb": own + helper * helpers,
                               "pairs": sorted(pairs)}), encoding="utf-8")


# A run that starts with the one-minute load above this (other work on the machine) is run
# again once the load falls (or after two minutes), and counted as busy if it still is.
BUSY_LOAD = 1.5


def _timed_run(tool: str, corpus: Path, jobs: int, label: str) -> dict:
    """One run of ``tool`` in a fresh process, with the machine's load when it started."""
    import os

    for attempt in range(2):
        load = os.getloadavg()[0]
        print(f"{label} (load {load:.2f})", file=sys.stderr, flush=True)
        out = _CORPORA / f"run-{tool}.json"
        subprocess.run([sys.executable, __file__, "--jobs", str(jobs), "--child", tool, str(corpus), str(out)],
                       check=True)
        run = {**json.loads(out.read_text("utf-8")), "load_1m": round(load, 2)}
        if load <= BUSY_LOAD or attempt:
            return run
        deadline = time.monotonic() + 120
        while os.getloadavg()[0] > BUSY_LOAD and time.monotonic() < deadline:
            time.sleep(5)
        label += " again (busy)"
    return run


def _peak_rss_mb() -> float:
    """This process's peak resident size since it started its program (``VmHWM``; unlike
    ``ru_maxrss``, not carried over from the parent it was forked from)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def _available(tool: str) -> str | None:
    module = _PEER_MODULES.get(tool)
    if module is None:
        return None
    probe = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
    return None if probe.returncode == 0 else probe.stderr.strip().splitlines()[-1]


def _corpus(size: int, prose: Path, seed: int) -> tuple[Path, dict]:
    path = _CORPORA / f"news-{size}-seed{seed}-v2.jsonl"  # v2: with raw_pairs
    truth_path = path.with_suffix(".truth.json")
    if not truth_path.exists():
        _CORPORA.mkdir(exist_ok=True)
        write_corpus(path, size, prose=prose, seed=seed)
    return path, json.loads(truth_path.read_text("utf-8"))


def _score(pairs: list, true_pairs: list) -> tuple[float, float]:
    found = {tuple(p) for p in pairs}
    true = {(a, b) for a, b, _ in true_pairs}
    hit = len(found & true)
    return (round(hit / len(true), 4) if true else 1.0), (round(hit / len(found), 4) if found else 1.0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,50000", help="corpus sizes, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="runs per tool and size (median reported)")
    parser.add_argument("--tools", default=",".join(TOOLS), help="tools to run, comma-separated")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of each tool before the timed rounds")
    parser.add_argument("--jobs", type=int, default=2, help="dedup's --jobs")
    parser.add_argument("--naive-max", type=int, default=5000,
                        help="largest size at which datasketch-naive runs (about 170 docs/s)")
    parser.add_argument("--scan-sizes", default="", help="sizes at which the full default scan is timed too")
    parser.add_argument("--prose", type=Path, default=DEFAULT_PROSE, help="English .txt files for the corpus")
    parser.add_argument("--seed", type=int, default=0, help="seed of the corpus")
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]), args.jobs, Path(args.child[2]))
        return
    if not args.prose.is_dir():
        parser.error(f"--prose {args.prose}: not a directory (the default is ../shared/eval/pan13-train/src).")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    scan_sizes = {int(s) for s in args.scan_sizes.split(",") if s}
    tools = []
    for tool in args.tools.split(","):
        missing = _available(tool)
        if missing:
            print(f"bench_speed: {tool} skipped ({missing})", file=sys.stderr)
        else:
            tools.append(tool)
    rows = []
    for size in sorted(set(sizes) | scan_sizes):
        corpus, truth = _corpus(size, args.prose, args.seed)
        mb = corpus.stat().st_size / 1e6
        order = [t for t in tools if size in sizes and (t != "datasketch-naive" or size <= args.naive_max)]
        order += ["dedup-full-scan"] if size in scan_sizes else []
        runs: dict[str, list[dict]] = {t: [] for t in order}
        for warmup in range(args.warmup if size in sizes else 0):
            for tool in order:
                if tool != "dedup-full-scan":
                    _timed_run(tool, corpus, args.jobs, f"[{size}] {tool}, warm-up {warmup + 1} (not counted)")
        for repeat in range(args.repeats if size in sizes else 1):
            for tool in order:
                if tool == "dedup-full-scan" and repeat:
                    continue
                runs[tool].append(_timed_run(tool, corpus, args.jobs, f"[{size}] {tool}, run {repeat + 1}"))
        for tool in order:
            elapsed = statistics.median(r["elapsed"] for r in runs[tool])
            recall, precision = _score(runs[tool][0]["pairs"], truth["pairs"])
            raw_recall, raw_precision = _score(runs[tool][0]["pairs"], truth["raw_pairs"])
            rows.append({"docs": size, "tool": tool, "docs_per_s": round(size / elapsed),
                         "docs_per_s_runs": [round(size / r["elapsed"]) for r in runs[tool]],
                         "load_1m_runs": [r["load_1m"] for r in runs[tool]],
                         "busy_runs": sum(r["load_1m"] > BUSY_LOAD for r in runs[tool]),
                         "mb_per_s": round(mb / elapsed, 2),
                         "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs[tool])),
                         "recall": recall, "precision": precision, "pairs": len(runs[tool][0]["pairs"]),
                         "true_pairs": len(truth["pairs"]), "raw_recall": raw_recall,
                         "raw_precision": raw_precision, "raw_true_pairs": len(truth["raw_pairs"])})
        base = next((r for r in rows if r["docs"] == size and r["tool"] == "dedup"), None)
        for row in rows:
            if row["docs"] == size:
                # The ratio of each round (the tools ran one after the other), then their median:
                # a busy spell moves one round's ratio, not the figure.
                pairs = zip(base["docs_per_s_runs"], row["docs_per_s_runs"]) if base else ()
                row["dedup_speedup_rounds"] = [round(ours / theirs, 2) for ours, theirs in pairs]
                row["dedup_speedup"] = statistics.median(row["dedup_speedup_rounds"]) if base else None
                row["memory_vs_dedup"] = round(row["peak_rss_mb"] / base["peak_rss_mb"], 2) if base else None
    header = (f"{'docs':>6} {'tool':<17} {'docs/s':>7} {'MB/s':>6} {'dedup x':>7} {'rounds':<18} {'loads':<16} "
              f"{'peak MB':>8} {'mem/dedup':>9} {'recall':>6} {'prec.':>6} {'pairs':>6} {'raw rec.':>8} {'raw prec.':>9}")
    print(header)
    for r in rows:
        rounds = ",".join(map(str, r["dedup_speedup_rounds"]))
        loads = ",".join(f"{load:.1f}" for load in r["load_1m_runs"])
        print(f"{r['docs']:>6} {r['tool']:<17} {r['docs_per_s']:>7} {r['mb_per_s']:>6} {str(r['dedup_speedup']):>7} "
              f"{rounds:<18} {loads:<16} {r['peak_rss_mb']:>8} {str(r['memory_vs_dedup']):>9} {r['recall']:>6} "
              f"{r['precision']:>6} {r['pairs']:>6} {r['raw_recall']:>8} {r['raw_precision']:>9}")
    versions = {}
    for module in ("datasketch", "rensa", "text_dedup", "xxhash"):
        try:
            from importlib.metadata import version

            versions[module] = version(module.replace("_", "-"))
        except Exception:  # noqa: BLE001 - a peer that is not installed
            versions[module] = None
    path = write_result("speed", {"repeats": args.repeats, "warmup": args.warmup, "jobs": args.jobs,
                                  "versions": versions, "rows": rows})
    print(f"figures written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
