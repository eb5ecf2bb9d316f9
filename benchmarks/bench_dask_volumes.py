"""What each step of the full scan on Dask holds and sends through shuffles, per document.

Usage: python benchmarks/bench_dask_volumes.py [--docs 10000] [--corpus PATH]
                                               [--rare-shares 250,500,1000]

The engine's own per-partition functions (``dedup.engines.dask.passage_job`` and
``dedup.engines.dask.candidates``) run here on the stream corpus (or the first ``--docs``
documents of ``--corpus``, e.g. PAN 2013's prose) as one partition, in one process, and the frames they make are measured: rows and bytes per document (pandas'
deep memory use, about what Dask serialises). The figures feed the paper estimate of the
job at 100 million documents in ``RESULTS.md``. ``--rare-shares`` also measures how the
share of content stems that are rare (held by at most 100 sentence units, the ones that
index sentences for the paraphrase candidates) falls as the corpus grows. Prints a table, writes
``benchmarks/results/dask-volumes.json``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_file import write_result  # noqa: E402
from stream_corpus import write_jsonl  # noqa: E402

_CORPORA = Path(__file__).resolve().parent / ".corpus"


def _bytes(frame: pd.DataFrame) -> int:
    return int(frame.memory_usage(deep=True, index=False).sum())


def measure(count: int, corpus: Path | None = None) -> list[dict]:
    from dedup import CorpusReader
    from dedup.engines.dask.candidates import (
        bucket_pairs,
        rewritten_pairs,
        sentence_seeds,
        shingle_pairs,
        stem_postings,
    )
    from dedup.engines.dask.passage_job import part_line_counts, prepare_part, read_part
    from dedup.match.paraphrase.statistics import TermStatistics
    from dedup.settings import ScanConfig

    config = ScanConfig()
    path = corpus or write_jsonl(_CORPORA / f"stream-{count}.jsonl", count=count)
    documents = list(CorpusReader().read([path]))[:count]
    count = len(documents)
    docs, _ = read_part((documents, []), 0)
    lines = part_line_counts(docs, config.repeated_line_words)
    repeated = frozenset(lines.line[lines["count"] >= config.repeated_line_docs])
    sets, bands, unit_bands, postings, terms, (units, total) = prepare_part(docs, repeated, config)
    statistics = TermStatistics(list(terms.term), terms.units, terms.documents, terms.content, units, total)
    stems = stem_postings(docs, repeated, statistics, config)
    seeds = sentence_seeds(stems, statistics)
    rewritten = rewritten_pairs(seeds)
    shared = shingle_pairs(postings, config.max_shared_documents)
    shared = shared[shared.shared >= config.min_shared_shingles]
    document_pairs = bucket_pairs(bands, config.bucket_cap)
    unit_pairs = bucket_pairs(unit_bands, config.bucket_cap, "unit", "doc")
    pairs = pd.concat([document_pairs, unit_pairs, shared[["a", "b"]], rewritten]).drop_duplicates()
    text_bytes = np.array([len(t.encode("utf-8")) for t in docs.text])
    far_text = int(text_bytes[pairs.b.to_numpy()].sum())  # as sent with each pair (its far document's text)
    rows = [
        ("read: text (UTF-8)", count, int(text_bytes.sum())),
        ("held: documents (text, summary, attribution input)", len(docs), _bytes(docs)),
        ("held: shingle sets", len(sets), _bytes(sets)),
        ("shuffle: short lines counted per part", len(lines), _bytes(lines)),
        ("gathered and broadcast: stem statistics (terms, 3 counts)", len(terms), _bytes(terms)),
        ("shuffle: document band keys", len(bands), _bytes(bands)),
        ("shuffle: sentence-unit band keys", len(unit_bands), _bytes(unit_bands)),
        ("shuffle: shingle postings", len(postings), _bytes(postings)),
        ("shuffle: rare-stem postings with sentence vectors", len(stems), _bytes(stems)),
        ("shuffle: seeding sentence pairs", len(seeds), _bytes(seeds)),
        ("shuffle: candidate pairs (distinct; 4 sources before)", len(pairs), _bytes(pairs)),
        ("shuffle: pairs sent with their far document's text", len(pairs), far_text + 40 * len(pairs)),
    ]
    return [{"step": step, "rows_per_doc": round(n / count, 2), "bytes_per_doc": round(b / count),
             "tb_at_100m": round(b / count * 1e8 / 1e12, 3)} for step, n, b in rows]


def rare_shares(sizes: list[int], corpus: Path | None) -> list[dict]:
    """For the first N documents of the corpus: sentence units, rare-stem postings and
    content stems per document, and the share of content stems that are rare."""
    import scipy.sparse as sp

    from dedup import CorpusReader
    from dedup.match.paraphrase.neighbours import NEIGHBOUR_MAX_FREQUENCY, rare_stems
    from dedup.match.prepared import prepare
    from dedup.settings import ScanConfig

    path = corpus or write_jsonl(_CORPORA / f"stream-{max(sizes)}.jsonl", count=max(sizes))
    documents = list(CorpusReader().read([path]))
    found = []
    for size in sizes:
        space = prepare(documents[:size], ScanConfig()).space
        content = sp.vstack(space.content_).tocsr()
        rare = rare_stems(content, space.statistics, NEIGHBOUR_MAX_FREQUENCY)
        count = min(size, len(documents))
        found.append({"docs": count, "units_per_doc": round(content.shape[0] / count, 1),
                      "rare_postings_per_doc": round(rare.count_nonzero() / count, 1),
                      "content_stems_per_doc": round(content.nnz / count, 1),
                      "rare_share": round(rare.count_nonzero() / max(content.nnz, 1), 3)})
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents measured")
    parser.add_argument("--corpus", type=Path, help="a corpus to read instead of the generated stream")
    parser.add_argument("--rare-shares", default="", help="corpus sizes at which to measure the rare share")
    args = parser.parse_args(argv)
    rows = measure(args.docs, args.corpus)
    print(f"{'step':<62} {'rows/doc':>9} {'bytes/doc':>10} {'TB at 100M':>11}")
    for r in rows:
        print(f"{r['step']:<62} {r['rows_per_doc']:>9} {r['bytes_per_doc']:>10} {r['tb_at_100m']:>11}")
    shares = rare_shares([int(n) for n in args.rare_shares.split(",") if n], args.corpus)
    if shares:
        print(f"\n{'docs':>7} {'units/doc':>9} {'rare postings/doc':>17} {'content stems/doc':>17} {'rare share':>10}")
        for r in shares:
            print(f"{r['docs']:>7} {r['units_per_doc']:>9} {r['rare_postings_per_doc']:>17} "
                  f"{r['content_stems_per_doc']:>17} {r['rare_share']:>10}")
    name = "dask-volumes" if args.corpus is None else f"dask-volumes-{args.corpus.name}"
    path = write_result(name, {"docs": args.docs, "corpus": str(args.corpus or "stream"), "rows": rows,
                               "rare_shares": shares})
    print(f"figures written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
