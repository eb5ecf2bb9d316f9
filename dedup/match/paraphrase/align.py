"""Aligning two documents' sentences into paraphrased passages.

Sentence pairs that are each other's best match seed passages; the heaviest chain of seeds
in the same order on both sides is grown over its neighbours (after Sanchez-Perez, Gelbukh
and Sidorov, PAN 2014), and becomes a passage only with sequence evidence: several close
sentences in a row, in the same order on both sides, or one sentence so close that it is a
reworded sentence on its own. Independent reports of one event match scattered facts in no
particular order, and fail that test.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dedup.match.paraphrase.options import ParaphraseOptions
from dedup.match.paraphrase.space import PairMatrices, SentenceSpace

__all__ = ["LoneJudge", "SentenceAlignment", "align_sentences"]

# Whether one sentence pair (unit of a, unit of b, cosine, Dice) is a rewrite on its own.
LoneJudge = Callable[[int, int, float, float], bool]

# A seed must be within this cosine of the best match of each of its sentences.
_BEST_MARGIN = 0.05


# A passage whose one side holds this many times the other's units is a summary: its chain
# must pair enough of the shorter side's units only (a summary condenses its source).
_SUMMARY_RATIO = 2

# A seed at either end of a chain is dropped when weaker than this share of the median.
_WEAK_END = 0.5


@dataclass(frozen=True)
class SentenceAlignment:
    """A paraphrased passage in unit indices (inclusive) with its similarity."""

    a_first: int
    a_last: int
    b_first: int
    b_last: int
    score: float
    seeds: int


def _best_chain(seeds: np.ndarray, weights: np.ndarray, max_gap: int) -> list[int]:
    """Indices of the heaviest chain of seeds in the same order on both sides.

    ``seeds`` holds ``(i, j)`` rows sorted by ``i`` then ``j``. A chain moves forward on
    both sides by at most ``max_gap + 1`` units per step, or on one side by one unit (a
    sentence split in two). A seed's possible predecessors lie within ``max_gap + 1`` units
    before it on side ``i``, so each seed looks back over a short window only.
    """
    rows, columns, weight = seeds[:, 0].tolist(), seeds[:, 1].tolist(), weights.tolist()
    total, previous = list(weight), [-1] * len(rows)
    first = 0
    for k in range(1, len(rows)):
        i, j = rows[k], columns[k]
        while rows[first] < i - max_gap - 1:
            first += 1
        best, best_at = -np.inf, -1
        for m in range(first, k):
            di, dj = i - rows[m], j - columns[m]
            if ((0 < di and 0 < dj <= max_gap + 1) or (di + dj == 1 and di >= 0 and dj >= 0)) and total[m] > best:
                best, best_at = total[m], m
        if best_at >= 0:
            total[k] = weight[k] + best
            previous[k] = best_at
    k = int(np.argmax(total))
    chain = []
    while k >= 0:
        chain.append(k)
        k = previous[k]
    return chain[::-1]


def _grow(pair: PairMatrices, span: tuple[int, int, int, int]):
    """Grow a passage unit by unit at either end, on one side or both, while that does not
    lower the similarity of its two sides as wholes (edges the seeds missed: sentences too
    rewritten to seed on their own, or moved within the passage)."""
    size_a, size_b = pair.sizes
    current = pair.span_similarity(span)
    while True:
        a0, a1, b0, b1 = span
        moves = [(a0 + d0, a1 + d1, b0 + e0, b1 + e1) for d0, d1, e0, e1 in _MOVES]
        moves = [m for m in moves if 0 <= m[0] <= m[1] < size_a and 0 <= m[2] <= m[3] < size_b]
        if not moves:
            return span, current
        best_score, best = max((pair.span_similarity(m), m) for m in moves)
        if best_score < current:
            return span, current
        span, current = best, best_score


# One-unit moves of a passage's ends (a first, a last, b first, b last): grow at the start
# or the end, on side a, side b or both.
_MOVES = [(-1, 0, 0, 0), (0, 0, -1, 0), (-1, 0, -1, 0), (0, 1, 0, 0), (0, 0, 0, 1), (0, 1, 0, 1)]


def _trim(chain: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """Drop seeds at the ends of a chain that are far weaker than its typical seed (a
    sentence on the same topic next to a copied passage)."""
    values = similarity[chain[:, 0], chain[:, 1]]
    floor = _WEAK_END * statistics.median(values.tolist())
    first, last = 0, len(chain)
    while last - first > 1 and values[first] < floor:
        first += 1
    while last - first > 1 and values[last - 1] < floor:
        last -= 1
    return chain[first:last]


def align_sentences(
    space: SentenceSpace, a: int, b: int, options: ParaphraseOptions = ParaphraseOptions(),
    lone: LoneJudge | None = None,
) -> list[SentenceAlignment]:
    """Return the paraphrased passages of documents ``a`` and ``b`` in unit indices.

    Seeds are sentence pairs similar enough (cosine and Dice) that are each other's best
    match; the heaviest chain of seeds in the same order on both sides becomes a passage
    when its seeds add up to enough evidence, it pairs enough of the units it spans (of its
    shorter side, when one side is a summary of the other: twice as long at least), and
    its two sides, grown over neighbouring units, are similar as wholes. Chains are taken
    until no seed is left.

    ``lone`` also judges a chain of one seed that has the evidence: it is called with the
    seed's units (of ``a``, of ``b``), their cosine and Dice overlap, and says whether the
    one sentence is rewritten from the other (:mod:`dedup.match.paraphrase.scorer`); a
    sentence pair alone has no sequence to vouch for it.
    """
    if space.vectors_[a].shape[0] == 0 or space.vectors_[b].shape[0] == 0:
        return []
    pair = PairMatrices(space, a, b)
    similarity = pair.similarity
    seed_mask = similarity >= options.seed_similarity
    if not seed_mask.any():
        return []
    overlap = pair.overlap()
    seed_mask &= overlap >= options.seed_overlap
    # A seed pairs a sentence with its best match on the other side, which must in turn
    # be nearly the best for it: a topic repeated all through one document would
    # otherwise pair a sentence with all of it.
    row_best = similarity.max(axis=1, keepdims=True)
    column_best = similarity.max(axis=0, keepdims=True)
    seed_mask &= ((similarity == row_best) & (similarity >= column_best - _BEST_MARGIN)) | (
        (similarity == column_best) & (similarity >= row_best - _BEST_MARGIN)
    )
    seeds = np.argwhere(seed_mask)  # sorted by i, then j
    if len(seeds) == 0:
        return []
    found = []
    while len(seeds):
        weights = similarity[seeds[:, 0], seeds[:, 1]]
        picked = _best_chain(seeds, weights, options.max_gap)
        chain = _trim(seeds[picked], similarity)
        a_first, a_last = int(chain[:, 0].min()), int(chain[:, 0].max())
        b_first, b_last = int(chain[:, 1].min()), int(chain[:, 1].max())
        inside = ((seeds[:, 0] >= a_first) & (seeds[:, 0] <= a_last)) | (
            (seeds[:, 1] >= b_first) & (seeds[:, 1] <= b_last)
        )
        inside[picked] = True
        seeds = seeds[~inside]
        if float((similarity[chain[:, 0], chain[:, 1]] - options.base_similarity).sum()) < options.min_evidence:
            continue
        if lone is not None and len(chain) == 1:
            i, j = int(chain[0, 0]), int(chain[0, 1])
            if not lone(i, j, float(similarity[i, j]), float(overlap[i, j])):
                continue
        (a_first, a_last, b_first, b_last), score = _grow(pair, (a_first, a_last, b_first, b_last))
        shorter, longer = sorted((a_last - a_first + 1, b_last - b_first + 1))
        density = len(chain) / (shorter if longer >= _SUMMARY_RATIO * shorter else longer)
        if score >= options.passage_similarity and density >= options.min_density:
            found.append(SentenceAlignment(a_first, a_last, b_first, b_last, round(score, 4), len(chain)))
    return sorted(found, key=lambda f: (f.a_first, f.b_first))
