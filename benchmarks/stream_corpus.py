"""A labelled stream of news-length documents with planted near-duplicates and reuse.

Deterministic for a seed. Text is drawn from a Zipf-distributed vocabulary (the words of the
seed articles plus made-up words), in sentences and paragraphs of news length (350 to 900
words). About 10% of the documents are near-duplicates of an earlier one (light edits: a
few words changed, a sentence dropped or added, a new first line), and about 3% take one
paragraph (40 to 120 words) of an earlier document into otherwise new text.

Labels: ``duplicate`` (with its source) when the exact Jaccard similarity of the two texts'
word 5-shingles, computed here independently of dedup, reaches the threshold; ``reuses``
for a planted paragraph, or a planted copy edited below the threshold; ``unique`` otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Planted", "stream", "write_jsonl"]

_SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


@dataclass(frozen=True)
class Planted:
    """One generated document and its label."""

    id: str
    text: str
    label: str  # "unique" | "duplicate" | "reuses"
    source: str | None


def _vocabulary(rng: np.random.Generator, size: int = 40_000) -> np.ndarray:
    words: list[str] = []
    for path in sorted(_SEEDS.iterdir()):
        words.extend(re.findall(r"[A-Za-z]+", path.read_text("utf-8")))
    seen = list(dict.fromkeys(w.lower() for w in words))
    letters = np.array(list("etaoinshrdlcumwfgypbvkjxqz"))
    weights = np.linspace(2.0, 0.1, len(letters))
    weights /= weights.sum()
    while len(seen) < size:
        length = int(rng.integers(3, 11))
        seen.append("".join(rng.choice(letters, size=length, p=weights)))
    return np.array(list(dict.fromkeys(seen))[:size])


class _Writer:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.vocab = _vocabulary(rng)
        ranks = np.arange(1, len(self.vocab) + 1)
        weights = 1.0 / ranks**1.05
        self.cdf = np.cumsum(weights) / weights.sum()

    def words(self, n: int) -> list[str]:
        picks = np.searchsorted(self.cdf, self.rng.random(n), side="right")
        return self.vocab[np.minimum(picks, len(self.vocab) - 1)].tolist()

    def sentence(self) -> str:
        words = self.words(int(self.rng.integers(8, 32)))
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(int(self.rng.integers(2, 6))))

    def article(self) -> str:
        target = int(self.rng.integers(350, 900))
        paragraphs = [" ".join(w.capitalize() for w in self.words(int(self.rng.integers(5, 11))))]
        count = 0
        while count < target:
            paragraphs.append(self.paragraph())
            count += len(paragraphs[-1].split())
        return "\n\n".join(paragraphs)

    def near_copy(self, text: str) -> str:
        paragraphs = text.split("\n\n")
        paragraphs[0] = " ".join(w.capitalize() for w in self.words(int(self.rng.integers(5, 11))))
        body = paragraphs[1:]
        if len(body) > 3 and self.rng.random() < 0.5:
            body.pop(int(self.rng.integers(len(body))))
        if self.rng.random() < 0.5:
            body.insert(int(self.rng.integers(len(body) + 1)), self.sentence())
        words = "\n\n".join(body).split(" ")
        for k in self.rng.choice(len(words), size=max(1, len(words) // 100), replace=False):
            words[k] = self.words(1)[0]
        return paragraphs[0] + "\n\n" + " ".join(words)

    def with_paragraph_of(self, text: str) -> str:
        words = text.split()
        length = int(self.rng.integers(40, 121))
        start = int(self.rng.integers(0, max(1, len(words) - length)))
        taken = " ".join(words[start : start + length])
        own = self.article().split("\n\n")
        own.insert(int(self.rng.integers(1, len(own) + 1)), taken)
        return "\n\n".join(own)


def shingle_jaccard(a: str, b: str, size: int = 5) -> float:
    """Exact Jaccard similarity of two texts' lower-cased word n-gram sets."""
    def grams(text: str) -> set:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[k : k + size]) for k in range(max(1, len(words) - size + 1))}

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y) if x or y else 0.0


def stream(count: int, *, seed: int = 7, duplicate_share: float = 0.10, reuse_share: float = 0.03,
           threshold: float = 0.8) -> Iterator[Planted]:
    """Yield ``count`` labelled documents in order (a copy always comes after its source)."""
    rng = np.random.default_rng(seed)
    writer = _Writer(rng)
    originals: list[Planted] = []
    for k in range(count):
        roll = rng.random()
        doc_id = f"n{k:07d}"
        if originals and roll < duplicate_share:
            source = originals[int(rng.integers(len(originals)))]
            text = writer.near_copy(source.text)
            label = "duplicate" if shingle_jaccard(text, source.text) >= threshold else "reuses"
            yield Planted(doc_id, text, label, source.id)
        elif originals and roll < duplicate_share + reuse_share:
            source = originals[int(rng.integers(len(originals)))]
            yield Planted(doc_id, writer.with_paragraph_of(source.text), "reuses", source.id)
        else:
            planted = Planted(doc_id, writer.article(), "unique", None)
            originals.append(planted)
            if len(originals) > 5000:  # sources come from a recent window, like a news stream
                originals.pop(0)
            yield planted


def write_jsonl(path: Path, *, count: int | None = None, max_bytes: int | None = None, seed: int = 7) -> Path:
    """Write the stream's first ``count`` documents, or its first ``max_bytes`` of JSONL, to
    ``path`` as ``{"id", "text"}`` lines, once (an existing file is kept; a partial one never
    takes its name)."""
    import json

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial, written = path.with_suffix(".partial"), 0
    with partial.open("w", encoding="utf-8") as handle:
        for doc in stream(count if count is not None else 10**9, seed=seed):
            line = json.dumps({"id": doc.id, "text": doc.text}) + "\n"
            handle.write(line)
            written += len(line)
            if max_bytes is not None and written >= max_bytes:
                break
    partial.rename(path)
    return path
