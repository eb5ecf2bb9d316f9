"""What the passages' sentence pairs cost the full scan, and what they hold.

Each round scans the same documents in one process twice, taking turns: as shipped, and
with the sentence-pair step (``dedup.match.sentences.sentence_pairs_of``) returning no
pairs, so the difference is that step's CPU time. Corpora: 600-word pieces of the PAN 2013
training texts (``bench_scan.py``'s) and the first passages of passim's French reuse
clusters (``bench_passim.py``'s), the densest in passages. Also reports how many sentence
pairs the passages carry and the JSON report's size with and without them.

    python benchmarks/bench_sentences.py --pan 2000 --passim 1500 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_file import write_result  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def _corpora(pan: int, passim: int) -> dict:
    import bench_scan

    from dedup import Document

    corpora = {}
    if pan:
        corpora[f"PAN pieces ({pan})"] = bench_scan.load(EVAL / "pan13-train", pan)
    if passim:
        with open(EVAL / "impresso-passim" / "passages.jsonl", encoding="utf-8") as handle:
            lines = [json.loads(line) for _, line in zip(range(passim), handle)]
        corpora[f"passim passages ({passim})"] = [Document(str(k), line["text"]) for k, line in enumerate(lines)]
    return corpora


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pan", type=int, default=2000, help="PAN pieces (0: none)")
    parser.add_argument("--passim", type=int, default=1500, help="passim passages (0: none)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    import dedup.match.sentences as sentences
    from dedup import render, scan

    shipped = sentences.sentence_pairs_of
    rows = []
    for name, docs in _corpora(args.pan, args.passim).items():
        seconds: dict[str, list[float]] = {"with": [], "without": []}
        reports = {}
        for _ in range(args.rounds):
            for mode in ("with", "without"):
                sentences.sentence_pairs_of = shipped if mode == "with" else (lambda items: [()] * len(items))
                try:
                    started = time.process_time()
                    reports[mode] = scan(docs, jobs=1)
                    seconds[mode].append(time.process_time() - started)
                finally:
                    sentences.sentence_pairs_of = shipped
        passages = reports["with"].passages
        ratios = [w / wo for w, wo in zip(seconds["with"], seconds["without"])]
        rows.append({
            "corpus": name, "documents": len(docs), "passages": len(passages),
            "sentence_pairs": sum(len(p.sentences) for p in passages),
            "seconds_with": [round(s, 2) for s in seconds["with"]],
            "seconds_without": [round(s, 2) for s in seconds["without"]],
            "ratios": [round(r, 3) for r in ratios], "median_ratio": round(statistics.median(ratios), 3),
            "us_per_passage": round(statistics.median(w - wo for w, wo in zip(seconds["with"], seconds["without"]))
                                    / max(len(passages), 1) * 1e6),
            "json_mb_with": round(len(render(reports["with"], "json").encode()) / 1e6, 2),
            "json_mb_without": round(len(render(reports["without"], "json").encode()) / 1e6, 2),
        })
    print(f"{'corpus':<26} {'passages':>8} {'pairs':>8} {'CPU s with':>11} {'without':>8} {'ratio':>6} "
          f"{'us/passage':>10} {'JSON MB':>8} {'before':>7}")
    for r in rows:
        print(f"{r['corpus']:<26} {r['passages']:>8} {r['sentence_pairs']:>8} "
              f"{statistics.median(r['seconds_with']):>11.2f} {statistics.median(r['seconds_without']):>8.2f} "
              f"{r['median_ratio']:>6.3f} {r['us_per_passage']:>10} {r['json_mb_with']:>8} {r['json_mb_without']:>7}")
    path = write_result("sentences", {"rounds": args.rounds, "rows": rows})
    print(f"figures written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
