"""Train the paraphrase tier's sentence scorer on the MRPC training file, cross-validated.

Usage: python benchmarks/train_sentence_scorer.py [MRPC_DIR] [--folds 5] [--output PATH]

Each MRPC sentence pair gets the features the scan computes for a one-sentence passage
(``dedup.match.paraphrase.scorer.pair_features``: the sentences' statistics are learned
from all MRPC sentences, as a scan learns them from its corpus, without labels). A logistic
regression (scikit-learn; standardised columns, ``log1p`` of the count-like features beside
them) is cross-validated in ``--folds`` stratified folds: each fold's model and threshold
come from the other folds only, and the threshold is the probability that maximises the
sum of accuracy and F1 on those folds. The model trained the same way on the whole file is
written to ``dedup/data/sentence_scorer.json`` (``--output`` writes elsewhere), with its
cross-validated figures. Prints the figures per fold and overall.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_mrpc import measure, mrpc_features, read_mrpc  # noqa: E402

from dedup.match.paraphrase.scorer import FEATURES, input_columns  # noqa: E402

# Count-like features also taken as log1p (their effect flattens as they grow).
LOGGED = ("unmatched_weight_most", "unmatched_weight_least", "length_difference", "numbers_differing",
          "numbers_shared", "names_differing", "names_shared", "content_differing", "shorter_length",
          "unmatched_content_most", "unmatched_content_least", "names_unmatched_most", "numbers_unmatched_most")
# Probabilities tried as the threshold.
THRESHOLDS = np.round(np.arange(0.30, 0.71, 0.01), 2)


def fit(features: np.ndarray, labels: np.ndarray) -> dict:
    """A scorer model (the JSON that :class:`dedup.match.paraphrase.scorer.SentenceScorer`
    reads) trained on these rows, its threshold chosen on them."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = input_columns(features, LOGGED)
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(x), labels)
    probability = model.predict_proba(scaler.transform(x))[:, 1]
    threshold = max(THRESHOLDS, key=lambda t: _quality(labels, probability, t))
    return {"features": list(FEATURES), "logged": list(LOGGED), "mean": scaler.mean_.tolist(),
            "scale": scaler.scale_.tolist(), "coefficients": model.coef_[0].tolist(),
            "intercept": float(model.intercept_[0]), "threshold": float(threshold)}


def _quality(labels: np.ndarray, probability: np.ndarray, threshold: float) -> float:
    row = measure(labels, probability, threshold)
    return row["accuracy"] + row["f1"]


def cross_validated(features: np.ndarray, labels: np.ndarray, folds: int = 5, seed: int = 0) -> dict:
    """Accuracy and F1 of models trained on ``folds - 1`` folds and tested on the one left,
    over all the folds' test pairs, with each fold's own figures."""
    from sklearn.model_selection import StratifiedKFold

    from dedup.match.paraphrase.scorer import SentenceScorer

    predicted = np.zeros(len(labels), dtype=bool)
    per_fold = []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(features, labels):
        scorer = SentenceScorer(fit(features[train], labels[train]))
        fold = scorer.probability(features[test]) >= scorer.threshold
        predicted[test] = fold
        per_fold.append({**measure(labels[test], fold.astype(float), 0.5), "threshold": scorer.threshold})
    return {**measure(labels, predicted.astype(float), 0.5), "threshold": None, "folds": per_fold}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mrpc", nargs="?", default=str(HERE.parent.parent / "shared" / "eval" / "mrpc"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--output", default=str(HERE.parent / "dedup" / "data" / "sentence_scorer.json"))
    args = parser.parse_args()
    path = Path(args.mrpc) / "msr_paraphrase_train.txt"
    if not path.is_file():
        sys.exit(f"train_sentence_scorer: MRPC not found at {path}; pass its directory (see ../shared/eval/README.md).")
    labels, first, second = read_mrpc(path)
    features, _ = mrpc_features(first, second)
    validated = cross_validated(features, labels, args.folds)
    print(f"MRPC train: {len(labels)} pairs, {args.folds}-fold cross-validation")
    print(f"{'fold':<8} {'threshold':>9} {'accuracy':>8} {'F1':>6}")
    for k, fold in enumerate(validated["folds"], 1):
        print(f"{k:<8} {fold['threshold']:>9} {fold['accuracy']:>8.4f} {fold['f1']:>6.4f}")
    print(f"{'all':<8} {'':>9} {validated['accuracy']:>8.4f} {validated['f1']:>6.4f}")
    model = fit(features, labels)
    model["trained_on"] = f"MRPC training file, {len(labels)} pairs ({path.name})"
    model["cross_validated"] = {key: validated[key] for key in ("accuracy", "precision", "recall", "f1")}
    Path(args.output).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"model (threshold {model['threshold']}) written to {args.output}")


if __name__ == "__main__":
    main()
