"""Generate a news-shaped corpus from real English prose, with planted near-duplicates.

Documents are made of real sentences (split from a directory of English ``.txt`` files, by
default the PAN 2013 source documents in ``../shared/eval/pan13-train/src``): a headline,
then paragraphs of two to five sentences, about 620 words in all. Each sentence is drawn
from a shuffled pool, pass after pass, so two independent documents rarely share one while
the pool lasts: the PAN sources give 89,337 sentences (1.75 million words), one pass for
about 2,800 documents. Beyond that every sentence recurs in more documents (about 7 at
20,000, 17 at 50,000), each shared sentence is a verbatim passage, and the true passages
grow with the square of the corpus: a larger corpus is not the same corpus made bigger.

About ``--dup-share`` of the documents are planted near-duplicates of an earlier document,
each of a known kind:

- ``edit``: 1-4% of the words replaced, dropped or doubled;
- ``reorder``: two paragraphs swapped, or one moved;
- ``boilerplate``: site chrome added above and below (navigation, share and subscribe lines);
- ``partial``: a contiguous run of 70-100% of the paragraphs, with a new headline;
- ``mixed``: an edit, then chrome.

Ground truth is independent of dedup: the exact Jaccard similarity of the two texts' sets of
word 5-shingles (lower-cased ``\\w+`` words), for **every** pair of documents that reaches
the threshold, found by an exact all-pairs join with prefix filtering (a pair with Jaccard
at least ``t`` shares one of the ``|x| - ceil(t |x|) + 1`` rarest shingles of each side), then
verified on the sets. A planted copy edited below the threshold is not a pair; an
accidental pair would be one. Two truths are written: ``pairs``, over the article text
(without the chrome lines this generator added: they are boilerplate by construction, and a
copy with added boilerplate is a near-duplicate of its source), and ``raw_pairs``, over the
whole text.

Run ``python benchmarks/make_corpus.py --docs 50000 -o corpus.jsonl`` to write the corpus
(``{"id", "text"}`` lines) and ``corpus.truth.json`` beside it. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

__all__ = ["generate", "truth_pairs", "write_corpus"]

DEFAULT_PROSE = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "pan13-train" / "src"
KINDS = ("edit", "reorder", "boilerplate", "partial", "mixed")
_SENTENCE_RE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z])")
_WORD_RE = re.compile(r"\w+")
_CHROME_TOP = ["Home » News » World", "Menu | Search | Sign in", "Advertisement", "Skip to main content"]
_CHROME_BOTTOM = ["Share this article", "Subscribe to our newsletter", "Leave a comment",
                  "Follow us on Twitter", "Related stories", "© 2024 All rights reserved"]


def load_sentences(prose: Path, min_words: int = 6, max_words: int = 60) -> list[str]:
    """Distinct sentences of the ``.txt`` files under ``prose`` (sorted paths, so the
    pool is the same on every machine)."""
    files = sorted(prose.rglob("*.txt"))
    if not files:
        raise SystemExit(f"make_corpus: no .txt files under {prose}; pass --prose DIR (English prose).")
    seen: dict[str, None] = {}
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        for line in text.splitlines():
            for sentence in _SENTENCE_RE.split(" ".join(line.split())):
                words = sentence.split()
                if min_words <= len(words) <= max_words and sentence[-1:] in ".!?\"”’":
                    seen.setdefault(sentence)
    return list(seen)


class _Writer:
    def __init__(self, sentences: list[str], rng: np.random.Generator) -> None:
        self.sentences = sentences
        self.rng = rng
        self.order = rng.permutation(len(sentences))
        self.at = 0

    def sentence(self) -> str:
        if self.at == len(self.order):
            self.order, self.at = self.rng.permutation(len(self.sentences)), 0
        self.at += 1
        return self.sentences[self.order[self.at - 1]]

    def headline(self) -> str:
        words = self.sentence().rstrip(".!?\"”’").split()
        return " ".join(words[: int(self.rng.integers(5, 11))])

    def article(self) -> list[str]:
        """Paragraphs: a headline, then paragraphs until about 620 words."""
        target = int(np.clip(self.rng.normal(620, 120), 300, 1000))
        paragraphs, count = [self.headline()], 0
        while count < target:
            paragraph = " ".join(self.sentence() for _ in range(int(self.rng.integers(2, 6))))
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        return paragraphs


def _edit(paragraphs: list[str], rng: np.random.Generator, writer: _Writer) -> list[str]:
    words_pool = writer.sentence().split()
    share = rng.uniform(0.01, 0.04)
    edited = [paragraphs[0]]
    for paragraph in paragraphs[1:]:
        out = []
        for word in paragraph.split():
            roll = rng.random()
            if roll < share / 3:
                out.append(words_pool[int(rng.integers(len(words_pool)))])  # replaced
            elif roll < 2 * share / 3:
                continue  # dropped
            elif roll < share:
                out.extend([word, word])  # doubled
            else:
                out.append(word)
        edited.append(" ".join(out))
    return edited


def _reorder(paragraphs: list[str], rng: np.random.Generator) -> list[str]:
    body = paragraphs[1:]
    if len(body) < 2:
        return list(paragraphs)
    i, j = sorted(rng.choice(len(body), size=2, replace=False).tolist())
    if rng.random() < 0.5:
        body[i], body[j] = body[j], body[i]
    else:
        body.insert(j, body.pop(i))
    return [paragraphs[0]] + body


def _chrome(paragraphs: list[str], rng: np.random.Generator) -> list[str]:
    top = rng.choice(_CHROME_TOP, size=int(rng.integers(1, 3)), replace=False).tolist()
    bottom = rng.choice(_CHROME_BOTTOM, size=int(rng.integers(1, 4)), replace=False).tolist()
    return top + list(paragraphs) + bottom


def _partial(paragraphs: list[str], rng: np.random.Generator, writer: _Writer) -> list[str]:
    body = paragraphs[1:]
    keep = max(1, math.ceil(len(body) * rng.uniform(0.7, 1.0)))
    start = int(rng.integers(0, len(body) - keep + 1))
    return [writer.headline()] + body[start : start + keep]


def generate(count: int, sentences: list[str], *, seed: int = 0, dup_share: float = 0.1) -> tuple[list[dict], list[dict]]:
    """``count`` documents (``{"id", "text"}``) and the planted copies (``{"id", "source", "kind"}``)."""
    rng = np.random.default_rng(seed)
    writer = _Writer(sentences, rng)
    docs: list[dict] = []
    bodies: list[list[str]] = []
    planted: list[dict] = []
    for k in range(count):
        doc_id = f"doc{k:07d}"
        if k > 0 and rng.random() < dup_share:
            source = int(rng.integers(0, k))
            kind = KINDS[int(rng.integers(len(KINDS)))]
            base = bodies[source]
            if kind == "edit":
                paragraphs = _edit(base, rng, writer)
            elif kind == "reorder":
                paragraphs = _reorder(base, rng)
            elif kind == "boilerplate":
                paragraphs = _chrome(base, rng)
            elif kind == "partial":
                paragraphs = _partial(base, rng, writer)
            else:
                paragraphs = _chrome(_edit(base, rng, writer), rng)
            planted.append({"id": doc_id, "source": docs[source]["id"], "kind": kind})
        else:
            paragraphs = writer.article()
        bodies.append(paragraphs)
        docs.append({"id": doc_id, "text": "\n\n".join(paragraphs)})
    return docs, planted


def _shingle_set(text: str, size: int = 5) -> set[int]:
    words = _WORD_RE.findall(text.lower())
    if len(words) < size:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1)}


def truth_pairs(texts: list[str], threshold: float, size: int = 5) -> list[tuple[int, int, float]]:
    """Every pair ``(i, j, jaccard)``, ``i < j``, whose word-shingle sets have an exact
    Jaccard similarity of at least ``threshold`` (prefix-filtered all-pairs join)."""
    sets = [_shingle_set(text, size) for text in texts]
    frequency: dict[int, int] = defaultdict(int)
    for shingles in sets:
        for s in shingles:
            frequency[s] += 1
    postings: dict[int, list[int]] = defaultdict(list)
    candidates: set[tuple[int, int]] = set()
    for k, shingles in enumerate(sets):
        if not shingles:
            continue
        prefix = len(shingles) - math.ceil(threshold * len(shingles)) + 1
        for s in sorted(shingles, key=lambda s: (frequency[s], s))[:prefix]:
            for other in postings[s]:
                candidates.add((other, k))
            postings[s].append(k)
    pairs = []
    for i, j in sorted(candidates):
        shared = len(sets[i] & sets[j])
        similarity = shared / (len(sets[i]) + len(sets[j]) - shared)
        if similarity >= threshold:
            pairs.append((i, j, round(similarity, 4)))
    return pairs


_CHROME = frozenset(_CHROME_TOP + _CHROME_BOTTOM)


def article_text(text: str) -> str:
    """``text`` without the chrome lines the generator adds (paragraphs are ``\\n\\n`` apart)."""
    return "\n\n".join(p for p in text.split("\n\n") if p not in _CHROME)


def write_corpus(path: Path, count: int, *, prose: Path = DEFAULT_PROSE, seed: int = 0, dup_share: float = 0.1,
                 threshold: float = 0.8) -> dict:
    """Write the corpus to ``path`` and its truth to ``path.with_suffix('.truth.json')``;
    return the truth."""
    started = time.perf_counter()
    sentences = load_sentences(prose)
    docs, planted = generate(count, sentences, seed=seed, dup_share=dup_share)
    with open(path, "w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
    pairs = truth_pairs([article_text(d["text"]) for d in docs], threshold)
    raw_pairs = truth_pairs([d["text"] for d in docs], threshold)
    truth = {
        "documents": count, "seed": seed, "dup_share": dup_share, "threshold": threshold, "shingle": 5,
        "prose": str(prose), "sentences": len(sentences),
        "words": sum(len(d["text"].split()) for d in docs), "bytes": path.stat().st_size,
        "pairs": [[docs[i]["id"], docs[j]["id"], j_] for i, j, j_ in pairs],
        "raw_pairs": [[docs[i]["id"], docs[j]["id"], j_] for i, j, j_ in raw_pairs], "planted": planted,
    }
    path.with_suffix(".truth.json").write_text(json.dumps(truth), encoding="utf-8")
    print(f"make_corpus: {count} documents ({len(planted)} planted copies, {len(pairs)} true pairs at "
          f"J >= {threshold}, {len(raw_pairs)} counting chrome) from {len(sentences)} sentences in {time.perf_counter() - started:.0f}s -> {path}",
          file=sys.stderr)
    return truth


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=50_000, help="documents to generate (default 50000)")
    parser.add_argument("--prose", type=Path, default=DEFAULT_PROSE, help="directory of English .txt files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dup-share", type=float, default=0.1, help="share of planted near-duplicates")
    parser.add_argument("--threshold", type=float, default=0.8, help="Jaccard of a true pair")
    parser.add_argument("-o", "--output", type=Path, required=True, help="corpus JSONL to write")
    args = parser.parse_args(argv)
    if not args.prose.is_dir():
        parser.error(f"--prose {args.prose}: not a directory (the default is ../shared/eval/pan13-train/src).")
    write_corpus(args.output, args.docs, prose=args.prose, seed=args.seed, dup_share=args.dup_share,
                 threshold=args.threshold)


if __name__ == "__main__":
    main()
