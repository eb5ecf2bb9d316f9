"""Attribution: verdict and source accuracy on the syndication corpus and the seeds; direction
accuracy on PAN 2013 pairs with reuse.

Usage: python benchmarks/bench_attribution.py [PAN13_DIR] [--sample N] [--jobs J]

- ``fixtures/syndication.jsonl`` (built by ``fixtures/make_syndication.py`` from the seed
  texts, labels in ``fixtures/syndication_expected.json``) and the five seeds (labels from
  the issue: 004 and 003 derived from CNN, 000-002 independent) are scanned with default
  settings. A verdict is right when it equals the label; a source is right when the
  labelled source (a document id or an outlet) is among the reported sources, and, for a
  document that is not derived, when none is reported.
- PAN 2013 (subsets 02-05, pairs with annotated reuse; ``--sample N`` per subset): each pair
  is scanned as a corpus of two documents, with no dates and no citations, so only the
  text can tell. Right: the suspicious document is derived from the source document;
  wrong: the other way round; undecided: neither.

Prints tables and writes ``benchmarks/results/attribution.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from results_file import write_result  # noqa: E402

import dedup  # noqa: E402

ROOT = HERE.parent
SEED_LABELS = {"000": ("independent", None), "001": ("independent", None), "002": ("independent", None),
               "003": ("derived", "CNN"), "004": ("derived", "CNN")}
SUBSETS = ["02-no-obfuscation", "03-random-obfuscation", "04-translation-obfuscation", "05-summary-obfuscation"]


def score(attribution: list[dict], labels: dict[str, tuple[str, str | None]]) -> dict:
    rows, verdicts_right, sources_right = [], 0, 0
    for entry in attribution:
        verdict, source = labels[entry["doc"]]
        reported = [s["doc"] or s["outlet"] for s in entry["sources"]]
        verdict_ok = entry["verdict"] == verdict
        source_ok = (source in reported) if source else not reported
        verdicts_right += verdict_ok
        sources_right += source_ok
        rows.append({"doc": entry["doc"], "verdict": entry["verdict"], "expected": verdict,
                     "sources": reported, "expected_source": source, "right": verdict_ok and source_ok})
    n = len(attribution)
    return {"documents": n, "verdict_accuracy": round(verdicts_right / n, 4),
            "source_accuracy": round(sources_right / n, 4), "detail": rows}


def _direction(task: tuple[str, str, str]) -> str:
    root, susp, src = task
    docs = [dedup.Document("susp", (Path(root) / "susp" / susp).read_text(encoding="utf-8")),
            dedup.Document("src", (Path(root) / "src" / src).read_text(encoding="utf-8"))]
    verdicts = {a["doc"]: a for a in dedup.scan(docs).attribution}
    if any(s["doc"] == "src" for s in verdicts["susp"]["sources"]):
        return "right"
    if any(s["doc"] == "susp" for s in verdicts["src"]["sources"]):
        return "wrong"
    return "undecided"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pan", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "pan13-train"))
    parser.add_argument("--sample", type=int, default=100, help="PAN pairs per subset, evenly spaced (0: all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    documents, _ = dedup.read_documents([ROOT / "fixtures" / "syndication.jsonl"])
    expected = json.loads((ROOT / "fixtures" / "syndication_expected.json").read_text(encoding="utf-8"))
    labels = {k: (v["verdict"], v["source"]) for k, v in expected.items()}
    corpus = score(dedup.scan(documents).attribution, labels)
    seeds_docs, _ = dedup.read_documents([ROOT / "fixtures" / "seeds"])
    seeds = score(dedup.scan(seeds_docs).attribution, {d.id: SEED_LABELS[d.id[:3]] for d in seeds_docs})
    print(f"{'corpus':<22} {'docs':>5} {'verdicts right':>15} {'sources right':>14}")
    for name, row in (("syndication corpus", corpus), ("seeds", seeds)):
        print(f"{name:<22} {row['documents']:>5} {row['verdict_accuracy']:>15.0%} {row['source_accuracy']:>14.0%}")
        for wrong in (r for r in row["detail"] if not r["right"]):
            print(f"  wrong: {wrong}")

    pan: dict[str, dict] = {}
    root = Path(args.pan)
    if (root / "src").is_dir():
        tasks, subset_of = [], []
        for subset in SUBSETS:
            pairs = [line.split() for line in (root / subset / "pairs").read_text(encoding="utf-8").splitlines() if line.strip()]
            if args.sample and args.sample < len(pairs):
                step = len(pairs) / args.sample
                pairs = [pairs[int(k * step)] for k in range(args.sample)]
            for susp, src in pairs:
                if (root / subset / f"{susp[:-4]}-{src[:-4]}.xml").exists():
                    tasks.append((str(root), susp, src))
                    subset_of.append(subset)
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            outcomes = list(pool.map(_direction, tasks, chunksize=4))
        print(f"\n{'PAN 2013 subset':<28} {'pairs':>5} {'right':>6} {'wrong':>6} {'undecided':>9}")
        for subset in SUBSETS + ["overall"]:
            chosen = [o for o, s in zip(outcomes, subset_of) if subset in ("overall", s)]
            row = {k: round(chosen.count(k) / max(len(chosen), 1), 4) for k in ("right", "wrong", "undecided")}
            pan[subset] = {"pairs": len(chosen), **row}
            print(f"{subset:<28} {len(chosen):>5} {row['right']:>6.0%} {row['wrong']:>6.0%} {row['undecided']:>9.0%}")
    else:
        print(f"PAN 2013 data not found at {root}; direction accuracy skipped.")
    write_result("attribution", {"syndication": corpus, "seeds": seeds, "pan13_direction": pan})


if __name__ == "__main__":
    main()
