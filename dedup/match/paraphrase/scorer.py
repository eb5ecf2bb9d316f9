"""A learned judge of one sentence pair: is one sentence a rewrite of the other?

A logistic regression over lexical features of the pair (after the feature-based
paraphrase classifiers of Madnani, Tetreault and Chodorow, 2012): the pair's TF-IDF cosine
and Dice overlap, n-gram precisions of their stems, character 4-grams, what each side says
that the other does not (weighted by rarity), numbers, capitalised names and negations that
differ, and lengths. Its coefficients are trained on the MRPC training file by
``benchmarks/train_sentence_scorer.py`` and shipped in ``dedup/data/sentence_scorer.json``;
scoring needs numpy only.

The scan asks it about a passage made of one sentence pair alone (a chain of one seed
whose similarity is already enough): several sentences in a row carry their own evidence,
one sentence must also be judged on its words. Measured on PAN 2013 in corpus mode, the
scorer as a veto beside the similarity bar raises precision (0.911 to 0.929) and plagdet;
in place of the bar it lets through topical sentence pairs that MRPC's pairs, all of them
close rewordings or near misses, never taught it to refuse.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

import numpy as np

from dedup.match.paraphrase.align import LoneJudge
from dedup.match.paraphrase.units import stem_words, stop_words
from dedup.text.layout import TextLayout

__all__ = ["FEATURES", "SentenceScorer", "SentenceView", "input_columns", "lone_judge", "pair_features",
           "sentence_scorer"]

# The features, in the order of :func:`pair_features` and of the shipped coefficients.
FEATURES = (
    "cosine", "dice", "unmatched_weight_most", "unmatched_weight_least", "length_difference",
    "length_log_ratio", "precision_1_least", "precision_2_least", "precision_3_least", "precision_4_least",
    "precision_1_most", "precision_2_most", "precision_3_most", "precision_4_most", "sequence_ratio",
    "character_dice", "numbers_differing", "numbers_shared", "names_differing", "names_shared",
    "content_differing", "shorter_length", "unmatched_content_most", "unmatched_content_least",
    "shared_weight_share", "negation_differs", "names_unmatched_most", "numbers_unmatched_most",
)

_NEGATIONS = frozenset({"not", "no", "never", "nor", "none", "nobody", "nothing", "without", "cannot"})


@dataclass(frozen=True)
class SentenceView:
    """What the scorer reads of one sentence (or sentence unit).

    Attributes
    ----------
    tokens : list of str
        The word tokens as written (case kept: capitalised names are told by it).
    stems : list of str
        The Snowball stem of each token's matching form.
    content : frozenset of str
        The stems of its content words (stop words left out).
    """

    tokens: list[str]
    stems: list[str]
    content: frozenset[str]

    @classmethod
    def of(cls, layout: TextLayout, first: int, last: int) -> SentenceView:
        """Tokens ``first`` to ``last`` (exclusive) of a text layout."""
        text = layout.text
        tokens = [text[s:e] for s, e in zip(layout.starts[first:last].tolist(), layout.ends[first:last].tolist())]
        words = layout.words[first:last]
        stems = stem_words(words)
        stopped = stop_words()
        return cls(tokens, stems, frozenset(s for w, s in zip(words, stems) if w not in stopped))


def pair_features(a: SentenceView, b: SentenceView, cosine: float, dice: float,
                  weight: Callable[[str], float]) -> np.ndarray:
    """The features (:data:`FEATURES`) of a sentence pair.

    Parameters
    ----------
    a, b : SentenceView
    cosine, dice : float
        The pair's TF-IDF cosine and Dice overlap of content stems, as the paraphrase tier
        computes them (:class:`~dedup.match.paraphrase.space.PairMatrices`).
    weight : callable
        The rarity (inverse frequency) of a stem in the corpus.
    """
    weights_a = {s: weight(s) for s in a.content}
    weights_b = {s: weight(s) for s in b.content}
    only_a = sum(w for s, w in weights_a.items() if s not in b.content)
    only_b = sum(w for s, w in weights_b.items() if s not in a.content)
    shared = sum(w for s, w in weights_a.items() if s in b.content)
    length_a, length_b = max(len(a.stems), 1), max(len(b.stems), 1)
    least, most = [], []
    for n in (1, 2, 3, 4):
        grams_a, grams_b = _grams(a.stems, n), _grams(b.stems, n)
        common = len(grams_a & grams_b)
        precisions = (common / max(len(grams_a), 1), common / max(len(grams_b), 1))
        least.append(min(precisions))
        most.append(max(precisions))
    chars_a, chars_b = _characters(a.tokens), _characters(b.tokens)
    numbers_a, numbers_b = _numbers(a.tokens), _numbers(b.tokens)
    names_a, names_b = _names(a.tokens), _names(b.tokens)
    return np.array([
        cosine, dice, max(only_a, only_b), min(only_a, only_b), abs(length_a - length_b),
        abs(math.log(length_a / length_b)), *least, *most,
        SequenceMatcher(None, a.stems, b.stems, autojunk=False).ratio(),
        2 * len(chars_a & chars_b) / max(len(chars_a) + len(chars_b), 1),
        len(numbers_a ^ numbers_b), len(numbers_a & numbers_b), len(names_a ^ names_b), len(names_a & names_b),
        len(a.content ^ b.content), min(length_a, length_b),
        max(len(a.content - b.content), len(b.content - a.content)),
        min(len(a.content - b.content), len(b.content - a.content)),
        shared / max(sum(weights_a.values()) + only_b, 1e-9),
        float(_negated(a.tokens) != _negated(b.tokens)),
        max(len(names_a - names_b), len(names_b - names_a)), max(len(numbers_a - numbers_b), len(numbers_b - numbers_a)),
    ], dtype=np.float64)


def _grams(stems: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(stems[k : k + n]) for k in range(len(stems) - n + 1)}


def _characters(tokens: list[str]) -> set[str]:
    joined = " ".join(tokens).casefold()
    return {joined[k : k + 4] for k in range(len(joined) - 3)}


def _numbers(tokens: list[str]) -> set[str]:
    return {t for t in tokens if any(c.isdigit() for c in t)}


def _names(tokens: list[str]) -> set[str]:
    """Capitalised tokens after the first (the first is capitalised as a sentence's start)."""
    return {t for t in tokens[1:] if t[:1].isupper()}


def _negated(tokens: list[str]) -> bool:
    return any(t.casefold() in _NEGATIONS or t.casefold().endswith("n't") for t in tokens)


def input_columns(features: np.ndarray, logged) -> np.ndarray:
    """A model's input columns for rows of features: each feature, then ``log1p`` of the
    absolute value of each feature named in ``logged``."""
    features = np.atleast_2d(features)
    return np.hstack([features, np.log1p(np.abs(features[:, [FEATURES.index(name) for name in logged]]))])


class SentenceScorer:
    """A logistic regression over :func:`pair_features`.

    Parameters
    ----------
    model : dict
        ``features`` (the names, which must be :data:`FEATURES`), ``logged`` (features taken
        as ``log1p`` as well, appended in that order), ``mean`` and ``scale`` (the
        standardisation of the columns), ``coefficients``, ``intercept`` and ``threshold``
        (the probability from which a pair is a paraphrase).
    """

    def __init__(self, model: dict) -> None:
        if tuple(model["features"]) != FEATURES:
            raise ValueError("sentence scorer: its features are not this version's; train it again "
                             "(benchmarks/train_sentence_scorer.py)")
        self.model = model
        self._mean, self._scale = np.asarray(model["mean"]), np.asarray(model["scale"])
        self._coefficients = np.asarray(model["coefficients"])
        self._intercept = float(model["intercept"])
        self.threshold = float(model["threshold"])

    def probability(self, features: np.ndarray) -> np.ndarray:
        """The probability that each row of features is a paraphrase pair."""
        columns = input_columns(features, self.model["logged"])
        z = (columns - self._mean) / self._scale @ self._coefficients + self._intercept
        return np.exp(-np.logaddexp(0.0, -z))  # the logistic function, without overflow

    def is_paraphrase(self, features: np.ndarray) -> bool:
        """Whether one pair's features reach the threshold."""
        return bool(self.probability(features)[0] >= self.threshold)


@lru_cache(maxsize=1)
def sentence_scorer() -> SentenceScorer:
    """The shipped scorer (``dedup/data/sentence_scorer.json``), loaded once per process."""
    text = resources.files("dedup").joinpath("data/sentence_scorer.json").read_text(encoding="utf-8")
    return SentenceScorer(json.loads(text))


def lone_judge(layout_a: TextLayout, units_a: np.ndarray, layout_b: TextLayout, units_b: np.ndarray,
               rarity: Callable[[str], float], probability: float) -> LoneJudge:
    """The judge of one-seed chains (:func:`~dedup.match.paraphrase.align.align_sentences`)
    for two documents: the shipped scorer on their units.

    Parameters
    ----------
    layout_a, layout_b : TextLayout
    units_a, units_b : numpy.ndarray
        Each document's sentence units as token ranges ``[first, last)``.
    rarity : callable
        The corpus's inverse frequency of a stem (:meth:`TermStatistics.rarity`).
    probability : float
        The scorer's probability from which the pair is a rewrite
        (:attr:`~dedup.match.paraphrase.options.ParaphraseOptions.lone_probability`).
    """
    scorer = sentence_scorer()

    def judge(unit_a: int, unit_b: int, cosine: float, dice: float) -> bool:
        a = SentenceView.of(layout_a, int(units_a[unit_a, 0]), int(units_a[unit_a, 1]))
        b = SentenceView.of(layout_b, int(units_b[unit_b, 0]), int(units_b[unit_b, 1]))
        return bool(scorer.probability(pair_features(a, b, cosine, dice, rarity))[0] >= probability)

    return judge
