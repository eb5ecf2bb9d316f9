"""Paraphrase candidates across the corpus: document pairs whose sentences are similar
enough to hold a rewrite, found by indexing sentences on their rare content stems.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from dedup.arrays import sorted_unique
from dedup.helpers import Helpers
from dedup.match.paraphrase.options import ParaphraseOptions
from dedup.match.paraphrase.space import SentenceSpace
from dedup.match.paraphrase.statistics import TermStatistics

__all__ = ["NEIGHBOUR_MAX_FREQUENCY", "neighbour_evidence", "rare_stems", "sentence_neighbours", "unit_seeds"]

# Stems held by more units than this do not index sentences for sentence_neighbours.
NEIGHBOUR_MAX_FREQUENCY = 100


def sentence_neighbours(
    space: SentenceSpace,
    owners: np.ndarray,
    options: ParaphraseOptions = ParaphraseOptions(),
    *,
    max_frequency: int = NEIGHBOUR_MAX_FREQUENCY,
    block: int = 2048,
    helpers: Helpers | None = None,
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
    helpers : Helpers, optional
        Compare blocks of units on other cores (the result is the same).
    """
    if not space.vectors_:
        return {}
    vectors = sp.vstack(space.vectors_).tocsr()
    content = sp.vstack(space.content_).tocsr()
    sizes = np.concatenate(space.sizes_)
    keys = rare_stems(content, space.statistics, max_frequency)
    shared = (keys, vectors, content, sizes, owners, options, block)
    found = list((helpers or Helpers(1)).map(_block_seeds, shared, range(0, keys.shape[0], block)))
    found_rows, found_cols, found_cosine = ([part[k] for part in found if len(part[0])] for k in range(3))
    if not found_rows:
        return {}
    rows, cols, cosine = np.concatenate(found_rows), np.concatenate(found_cols), np.concatenate(found_cosine)
    # rows < cols and owners are sorted, so each row unit belongs to the pair's first document.
    width = int(owners.max()) + 1
    pairs, evidence = neighbour_evidence(owners[rows].astype(np.int64) * width + owners[cols], rows, cols, cosine,
                                         options)
    return {(int(p // width), int(p % width)): float(e) for p, e in zip(pairs.tolist(), evidence.tolist())}


def _block_seeds(shared: tuple, start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The seeding unit pairs ``(rows, cols, cosine)`` of the units ``start`` to
    ``start + block`` with the units after them in other documents."""
    keys, vectors, content, sizes, owners, options, block = shared
    pairs = (keys[start : start + block] @ keys.T).tocoo()
    rows, cols = pairs.row + start, pairs.col
    keep = (rows < cols) & (owners[rows] != owners[cols])
    rows, cols = rows[keep], cols[keep]
    if len(rows) == 0:
        return rows, cols, np.empty(0)
    return unit_seeds(vectors, content, sizes, rows, cols, options)


def rare_stems(content: sp.csr_matrix, statistics: TermStatistics, max_frequency: int) -> sp.csr_matrix:
    """The binary unit x stem matrix ``content`` kept to the stems that are content words
    of at most ``max_frequency`` units of the corpus (those index sentences for
    :func:`sentence_neighbours`)."""
    rare = (statistics.content_frequency <= max_frequency).astype(np.float64)
    keys = (content @ sp.diags(rare)).tocsr()
    keys.eliminate_zeros()
    return keys


def unit_seeds(vectors: sp.csr_matrix, content: sp.csr_matrix, sizes: np.ndarray, rows: np.ndarray,
               cols: np.ndarray, options: ParaphraseOptions) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The unit pairs ``(rows[k], cols[k])`` that seed a passage, with their cosine similarity.

    ``vectors``, ``content`` and ``sizes`` are the units' rows of
    :attr:`SentenceSpace.vectors_` and :attr:`SentenceSpace.content_` and their numbers of
    content stems. A pair seeds when its Dice overlap of content stems reaches
    ``options.seed_overlap`` and its cosine ``options.seed_similarity``. The overlap is
    counted first, on the binary stems: it rules out most pairs (about nine in ten that share
    one rare stem), whose vectors are then never compared.

    Returns
    -------
    rows, cols : numpy.ndarray
        The seeding pairs, in the order given.
    cosine : numpy.ndarray
    """
    common = np.asarray(content[rows].multiply(content[cols]).sum(axis=1)).ravel()
    close = np.flatnonzero(2 * common / np.maximum(sizes[rows] + sizes[cols], 1) >= options.seed_overlap)
    rows, cols = rows[close], cols[close]
    cosine = np.asarray(vectors[rows].multiply(vectors[cols]).sum(axis=1)).ravel()
    seed = cosine >= options.seed_similarity
    return rows[seed], cols[seed], cosine[seed]


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
    pairs = sorted_unique(pair)
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
