"""The paraphrase tier: sentences compared by TF-IDF cosine, aligned in chains.

A rewrite keeps the facts of its source and their order while changing the words, so it
shares few shingles with it. Each sentence is turned into a sparse TF-IDF vector over its
Snowball stems (scikit-learn), with inverse sentence frequencies from the whole corpus and
a weight that discounts words found in more than two documents, so that what every report
of an event says weighs little. Sentence pairs that are each other's best match seed
passages; the heaviest chain of seeds in the same order on both sides is grown over its
neighbours (after Sanchez-Perez, Gelbukh and Sidorov, PAN 2014), and becomes a passage
only with sequence evidence: several close sentences in a row, in the same order on both
sides, or one sentence so close that it is a reworded sentence on its own. Independent
reports of one event match scattered facts in no particular order, and fail that test."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
import Stemmer

from .term_statistics import TermStatistics
from .text import TextLayout

__all__ = ["ParaphraseOptions", "SentenceSpace", "SentenceUnits", "align_sentences", "neighbour_evidence",
           "rare_stems", "sentence_neighbours", "unit_seeds"]

_STEMMER = Stemmer.Stemmer("english")
# Longest line (in words) without closing punctuation that is a heading, not a sentence.
_HEADING_WORDS = 20
# A seed must be within this cosine of the best match of each of its sentences.
_BEST_MARGIN = 0.05
# Pairs of documents with at most this many cells (units x terms used) are aligned on
# dense arrays, larger ones on sparse matrices.
_DENSE_CELLS = 200_000
# Stems held by more units than this do not index sentences for sentence_neighbours.
NEIGHBOUR_MAX_FREQUENCY = 100
# A seed at either end of a chain is dropped when weaker than this share of the median.
_WEAK_END = 0.5


# scikit-learn is imported where it is used: importing it takes most of a second, which
# `import dedup` (and each helper process of the index) would otherwise pay.
@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a normalised word (PyStemmer, the C implementation).

    >>> stem("strikes"), stem("striking")
    ('strike', 'strike')
    """
    return _STEMMER.stemWord(word)


@dataclass(frozen=True)
class ParaphraseOptions:
    """Settings of the paraphrase tier.

    Attributes
    ----------
    seed_similarity : float
        Cosine similarity of two sentences above which they seed a passage.
    seed_overlap : float
        Dice overlap of two sentences' content stems also required of a seed.
    base_similarity : float
        Similarity that two sentences on the same subject reach without one taking from
        the other; only similarity above it counts as evidence.
    min_evidence : float
        Evidence a passage needs: the sum over its chain of seeds of their similarity
        above ``base_similarity``. Two sentences in a row at 0.4, three at 0.33 or one at
        0.6 are enough with the defaults.
    min_density : float
        Share of the units on each side of a passage that its chain of seeds must pair:
        a rewrite follows its source sentence by sentence, independent reports of one
        event share facts here and there.
    passage_similarity : float
        Cosine similarity that a passage's two sides (as wholes) must reach.
    max_gap : int
        Most sentences skipped between two seeds of one passage, on either side.
    min_words : int
        Shortest side of a passage, in words.
    min_content : int
        Sentences with fewer content words are joined to the next one.
    """

    seed_similarity: float = 0.25
    seed_overlap: float = 0.15
    base_similarity: float = 0.2
    min_evidence: float = 0.4
    min_density: float = 0.4
    passage_similarity: float = 0.4
    max_gap: int = 4
    min_words: int = 8
    min_content: int = 4


@dataclass(frozen=True)
class SentenceUnits:
    """The sentences of one document as token ranges, with their stems.

    Attributes
    ----------
    bounds : numpy.ndarray of int, shape (n, 2)
        Token ranges ``[first, last)`` of the units.
    terms : list of list of str
        Stems of every non-boilerplate word of each unit (stop words included: the
        inverse frequencies weigh them down).
    content : list of frozenset of str
        Stems of each unit's content words (stop words removed), for the Dice overlap.
    """

    bounds: np.ndarray
    terms: list[list[str]]
    content: list[frozenset[str]]

    @classmethod
    def from_layout(cls, layout: TextLayout, text: str, min_content: int = 4) -> SentenceUnits:
        """Units from a text layout: its sentences, short ones joined to the next.

        Headings (a whole line of at most 20 words that does not end like a sentence) are
        left out: a headline names the story's topic, and topic similarity is not reuse.
        """
        bounds, terms, content = [], [], []
        pending_first, pending_terms, pending_content = None, [], set()
        stop_words = _stop_words()
        line_ranges = {tuple(r) for r in layout.lines.tolist()}
        for first, last in layout.sentences.tolist():
            if (first, last) in line_ranges and _is_heading(text, layout, first, last):
                continue
            words = [w for w, boiler in zip(layout.words[first:last], layout.boilerplate[first:last]) if not boiler]
            if pending_first is None:
                pending_first = first
            pending_terms.extend(stem(w) for w in words)
            pending_content.update(stem(w) for w in words if w not in stop_words)
            if len(pending_content) >= min_content:
                bounds.append((pending_first, last))
                terms.append(pending_terms)
                content.append(frozenset(pending_content))
                pending_first, pending_terms, pending_content = None, [], set()
        if pending_first is not None and pending_terms:
            if bounds:  # a short tail joins the unit before it
                bounds[-1] = (bounds[-1][0], int(layout.sentences[-1, 1]))
                terms[-1] = terms[-1] + pending_terms
                content[-1] = content[-1] | pending_content
            else:
                bounds.append((pending_first, int(layout.sentences[-1, 1])))
                terms.append(pending_terms)
                content.append(frozenset(pending_content))
        return cls(np.asarray(bounds, dtype=np.int64).reshape(-1, 2), terms, content)

    def __len__(self) -> int:
        return len(self.terms)


def _is_heading(text: str, layout: TextLayout, first: int, last: int) -> bool:
    end = int(layout.ends[last - 1])
    tail = text[end : end + 3].split("\n", 1)[0]
    return last - first <= _HEADING_WORDS and not any(mark in tail for mark in ".!?")


class SentenceSpace:
    """TF-IDF vectors of sentence units, with inverse frequencies from a corpus.

    Parameters
    ----------
    units : list of SentenceUnits
        Every document's units.
    statistics : TermStatistics, optional
        The corpus's stem statistics; learned from ``units`` when not given (the Dask
        engine gives the statistics of the whole corpus with the units of a few documents).

    Attributes
    ----------
    statistics : TermStatistics
    vectors_ : list of scipy.sparse.csr_matrix
        One L2-normalised matrix (units x terms) per document: sublinear term frequency
        times inverse sentence frequency times the topic weight.
    topic_weight_ : numpy.ndarray
        Per term: 1 for terms in at most two documents, less for terms in more.
    content_ : list of scipy.sparse.csr_matrix
        One binary matrix (units x terms) of content stems per document.
    sizes_ : list of numpy.ndarray
        The number of distinct content stems of each unit, per document.

    Examples
    --------
    >>> from dedup.text import analyze
    >>> docs = [SentenceUnits.from_layout(analyze(t), t) for t in (
    ...     "The storm closed every school in the county on Monday.",
    ...     "On Monday the storm shut all of the county's schools.",
    ...     "Prices of wheat rose again at the market this week.")]
    >>> space = SentenceSpace(docs)
    >>> bool(space.similarity(0, 1)[0, 0] > space.similarity(0, 2)[0, 0])
    True
    """

    def __init__(self, units: list[SentenceUnits], statistics: TermStatistics | None = None) -> None:
        self.statistics = statistics if statistics is not None else TermStatistics.of(units)
        self.topic_weight_ = self.statistics.topic_weight
        self.vectors_, self.content_, self.sizes_ = [], [], []
        for vectors, content, sizes in self.statistics.vectorise(units):
            self.vectors_.append(vectors)
            self.content_.append(content)
            self.sizes_.append(sizes)

    def similarity(self, a: int, b: int) -> np.ndarray:
        """Cosine similarity of every unit of document ``a`` with every unit of ``b``."""
        return _PairMatrices(self, a, b).similarity

    def overlap(self, a: int, b: int) -> np.ndarray:
        """Dice overlap of the content stems of every unit pair of documents ``a`` and ``b``."""
        return _PairMatrices(self, a, b).overlap()


class _PairMatrices:
    """Two documents' unit vectors restricted to the terms either uses (a few hundred
    columns, where the corpus vocabulary may hold a million), for the products and running
    sums that aligning the pair needs."""

    def __init__(self, space: SentenceSpace, a: int, b: int) -> None:
        self.space, self.a, self.b = space, a, b
        va, vb = space.vectors_[a], space.vectors_[b]
        self.columns = np.union1d(va.indices, vb.indices)
        # Small pairs (news articles) go faster as dense arrays, long ones stay sparse.
        self.dense = len(self.columns) * (va.shape[0] + vb.shape[0]) <= _DENSE_CELLS
        self.local_a, self.local_b = self._local(va), self._local(vb)
        self.similarity = _as_array(self.local_a @ self.local_b.T)
        self._prefix_a = self._prefix_b = None

    def _local(self, matrix: sp.csr_matrix):
        local = matrix[:, self.columns]
        return local.toarray() if self.dense else local

    @property
    def sizes(self) -> tuple[int, int]:
        return self.local_a.shape[0], self.local_b.shape[0]

    def overlap(self) -> np.ndarray:
        """Dice overlap of the content stems of every unit pair."""
        ca = self._local(self.space.content_[self.a])
        cb = self._local(self.space.content_[self.b])
        sizes = self.space.sizes_[self.a].reshape(-1, 1) + self.space.sizes_[self.b].reshape(1, -1)
        shared = _as_array(ca @ cb.T)
        return np.divide(2 * shared, sizes, out=np.zeros_like(shared), where=sizes > 0)

    def span_similarity(self, span: tuple[int, int, int, int]) -> float:
        """Cosine similarity of units ``a0..a1`` of ``a`` and ``b0..b1`` of ``b`` (inclusive),
        each run taken as a whole (the sum of its vectors)."""
        if self._prefix_a is None:
            zero = np.zeros((1, len(self.columns)))
            self._prefix_a = np.vstack([zero, np.cumsum(_as_array(self.local_a), axis=0)])
            self._prefix_b = np.vstack([zero, np.cumsum(_as_array(self.local_b), axis=0)])
        a0, a1, b0, b1 = span
        x, y = self._prefix_a[a1 + 1] - self._prefix_a[a0], self._prefix_b[b1 + 1] - self._prefix_b[b0]
        norm = float(np.linalg.norm(x) * np.linalg.norm(y))
        return float(x @ y) / norm if norm else 0.0


def _as_array(matrix) -> np.ndarray:
    return matrix.toarray() if sp.issparse(matrix) else matrix


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
    sentence split in two).
    """
    count = len(seeds)
    total = weights.astype(np.float64).copy()
    previous = np.full(count, -1)
    i, j = seeds[:, 0], seeds[:, 1]
    for k in range(1, count):
        di, dj = i[k] - i[:k], j[k] - j[:k]
        ok = ((di > 0) & (dj > 0) & (di <= max_gap + 1) & (dj <= max_gap + 1)) | ((di + dj == 1) & (di >= 0) & (dj >= 0))
        if ok.any():
            candidates = np.where(ok, total[:k], -np.inf)
            m = int(candidates.argmax())
            total[k] = weights[k] + candidates[m]
            previous[k] = m
    k = int(total.argmax())
    chain = []
    while k >= 0:
        chain.append(k)
        k = int(previous[k])
    return chain[::-1]


def _grow(pair: _PairMatrices, span: tuple[int, int, int, int]):
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
    floor = _WEAK_END * float(np.median(values))
    first, last = 0, len(chain)
    while last - first > 1 and values[first] < floor:
        first += 1
    while last - first > 1 and values[last - 1] < floor:
        last -= 1
    return chain[first:last]


def align_sentences(
    space: SentenceSpace, a: int, b: int, options: ParaphraseOptions = ParaphraseOptions()
) -> list[SentenceAlignment]:
    """Return the paraphrased passages of documents ``a`` and ``b`` in unit indices.

    Seeds are sentence pairs similar enough (cosine and Dice) that are each other's best
    match; the heaviest chain of seeds in the same order on both sides becomes a passage
    when its seeds add up to enough evidence, it pairs enough of the units it spans, and
    its two sides, grown over neighbouring units, are similar as wholes. Chains are taken
    until no seed is left.
    """
    if space.vectors_[a].shape[0] == 0 or space.vectors_[b].shape[0] == 0:
        return []
    pair = _PairMatrices(space, a, b)
    similarity = pair.similarity
    seed_mask = similarity >= options.seed_similarity
    if not seed_mask.any():
        return []
    seed_mask &= pair.overlap() >= options.seed_overlap
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
        evidence = float((similarity[chain[:, 0], chain[:, 1]] - options.base_similarity).sum())
        if evidence < options.min_evidence:
            continue
        (a_first, a_last, b_first, b_last), score = _grow(pair, (a_first, a_last, b_first, b_last))
        density = len(chain) / max(a_last - a_first + 1, b_last - b_first + 1)
        if score >= options.passage_similarity and density >= options.min_density:
            found.append(SentenceAlignment(a_first, a_last, b_first, b_last, round(score, 4), len(chain)))
    return sorted(found, key=lambda f: (f.a_first, f.b_first))


def sentence_neighbours(
    space: SentenceSpace,
    owners: np.ndarray,
    options: ParaphraseOptions = ParaphraseOptions(),
    *,
    max_frequency: int = NEIGHBOUR_MAX_FREQUENCY,
    block: int = 2048,
) -> dict[tuple[int, int], float]:
    """Document pairs whose similar sentences could make a paraphrased passage.

    Sentences are indexed by their content stems held by at most ``max_frequency`` units
    (a stem held by more says little, and would make the cost per document grow with the
    corpus); units sharing at least one such stem are compared exactly, a block of rows at
    a time, as sparse products. Sentence pairs that pass the seed thresholds count, each
    sentence with its best match only; a document pair is returned with that evidence
    (the smaller of its two sides' sums of similarity above ``options.base_similarity``)
    when it reaches ``options.min_evidence``.

    Parameters
    ----------
    space : SentenceSpace
        The vectors of every document's units.
    owners : numpy.ndarray of int
        The document index of each unit, in the order of ``space`` (non-decreasing).
    """
    vectors = sp.vstack(space.vectors_).tocsr()
    content = sp.vstack(space.content_).tocsr()
    sizes = np.concatenate(space.sizes_) if space.sizes_ else np.empty(0)
    keys = rare_stems(content, space.statistics, max_frequency)
    found_rows, found_cols, found_cosine = [], [], []
    for start in range(0, keys.shape[0], block):
        shared = (keys[start : start + block] @ keys.T).tocoo()
        rows, cols = shared.row + start, shared.col
        keep = (rows < cols) & (owners[rows] != owners[cols])
        rows, cols = rows[keep], cols[keep]
        if len(rows) == 0:
            continue
        cosine, seed = unit_seeds((vectors[rows], content[rows], sizes[rows]),
                                  (vectors[cols], content[cols], sizes[cols]), options)
        found_rows.append(rows[seed])
        found_cols.append(cols[seed])
        found_cosine.append(cosine[seed])
    if not found_rows:
        return {}
    rows, cols, cosine = np.concatenate(found_rows), np.concatenate(found_cols), np.concatenate(found_cosine)
    # rows < cols and owners are sorted, so each row unit belongs to the pair's first document.
    width = int(owners.max()) + 1
    pairs, evidence = neighbour_evidence(owners[rows].astype(np.int64) * width + owners[cols], rows, cols, cosine,
                                         options)
    return {(int(p // width), int(p % width)): float(e) for p, e in zip(pairs.tolist(), evidence.tolist())}


def rare_stems(content: sp.csr_matrix, statistics: TermStatistics, max_frequency: int) -> sp.csr_matrix:
    """The binary unit x stem matrix ``content`` kept to the stems that are content words
    of at most ``max_frequency`` units of the corpus (those index sentences for
    :func:`sentence_neighbours`)."""
    rare = (statistics.content_frequency <= max_frequency).astype(np.float64)
    keys = (content @ sp.diags(rare)).tocsr()
    keys.eliminate_zeros()
    return keys


def unit_seeds(a: tuple, b: tuple, options: ParaphraseOptions) -> tuple[np.ndarray, np.ndarray]:
    """Cosine similarity of row-aligned unit pairs, and whether each pair seeds a passage.

    ``a`` and ``b`` are ``(vectors, content, sizes)``: the units' rows of
    :attr:`SentenceSpace.vectors_` and :attr:`SentenceSpace.content_`, and their numbers of
    content stems, row ``k`` of ``a`` paired with row ``k`` of ``b``.
    """
    cosine = np.asarray(a[0].multiply(b[0]).sum(axis=1)).ravel()
    common = np.asarray(a[1].multiply(b[1]).sum(axis=1)).ravel()
    dice = 2 * common / np.maximum(a[2] + b[2], 1)
    return cosine, (cosine >= options.seed_similarity) & (dice >= options.seed_overlap)


def neighbour_evidence(pair: np.ndarray, rows: np.ndarray, cols: np.ndarray, cosine: np.ndarray,
                       options: ParaphraseOptions) -> tuple[np.ndarray, np.ndarray]:
    """The document pairs (``np.unique`` of ``pair``) whose seeding unit pairs ``(rows,
    cols)`` add up to ``options.min_evidence``, and that evidence: the smaller of the two
    sides' sums of each unit's best similarity above ``options.base_similarity``. Units
    are numbered in corpus order."""
    if len(pair) == 0:
        return np.empty(0, np.int64), np.empty(0)
    evidence = np.minimum(
        _best_match_evidence(pair, rows, cosine, options.base_similarity),
        _best_match_evidence(pair, cols, cosine, options.base_similarity),
    )
    pairs = np.unique(pair)
    keep = evidence >= options.min_evidence
    return pairs[keep], evidence[keep]


def _best_match_evidence(pair: np.ndarray, unit: np.ndarray, cosine: np.ndarray, base: float) -> np.ndarray:
    """Per document pair (in ``np.unique(pair)`` order): the sum, over the units of one side,
    of each unit's best similarity above ``base``."""
    order = np.lexsort((-cosine, unit, pair))
    pair, unit, cosine = pair[order], unit[order], cosine[order]
    first = np.r_[True, (np.diff(pair) != 0) | (np.diff(unit) != 0)]
    pairs, inverse = np.unique(pair[first], return_inverse=True)
    return np.bincount(inverse, weights=cosine[first] - base, minlength=len(pairs))
