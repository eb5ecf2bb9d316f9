"""The PAN evaluator in benchmarks/plagdet.py, on hand-made cases."""

import math
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from plagdet import Annotation, evaluate  # noqa: E402


def case(pair="p", t0=0, t1=100, s0=0, s1=100):
    return Annotation(pair, t0, t1, s0, s1)


def test_exact_detection_scores_one():
    scores = evaluate([case()], [case()])
    assert (scores.precision, scores.recall, scores.granularity, scores.plagdet) == (1.0, 1.0, 1.0, 1.0)


def test_half_detection_halves_recall_only():
    scores = evaluate([case()], [case(t1=50, s1=50)])
    assert (scores.precision, scores.recall) == (1.0, 0.5)
    assert scores.plagdet == pytest.approx(2 * 0.5 / 1.5, abs=1e-4)


def test_split_detection_costs_granularity():
    scores = evaluate([case()], [case(t1=50, s1=50), case(t0=50, s0=50)])
    assert (scores.recall, scores.granularity) == (1.0, 2.0)
    assert scores.plagdet == pytest.approx(1 / math.log2(3), abs=1e-4)


def test_detection_overlapping_one_side_only_detects_nothing():
    scores = evaluate([case()], [case(s0=500, s1=600)])
    assert (scores.precision, scores.recall, scores.plagdet) == (0.0, 0.0, 0.0)


def test_detection_twice_too_long_halves_precision():
    scores = evaluate([case()], [case(t1=200, s1=200)])
    assert (scores.precision, scores.recall) == (0.5, 1.0)


def test_characters_are_counted_on_both_sides():
    # Covers all of the suspicious side and none of the source beyond a sliver.
    scores = evaluate([case(t1=100, s1=300)], [case(t1=100, s0=0, s1=100)])
    assert scores.recall == pytest.approx((100 + 100) / (100 + 300))


def test_pairs_are_kept_apart_and_false_detections_cost_precision():
    scores = evaluate([case("p")], [case("p"), case("q")])
    assert (scores.precision, scores.recall) == (0.5, 1.0)


def test_overlapping_detections_count_characters_once():
    scores = evaluate([case()], [case(t1=60, s1=60), case(t0=40, s0=40)])
    assert scores.recall == 1.0 and scores.granularity == 2.0


def test_empty_inputs():
    assert evaluate([], []).plagdet == 1.0
    assert evaluate([case()], []).recall == 0.0
    assert evaluate([], [case()]).precision == 0.0
