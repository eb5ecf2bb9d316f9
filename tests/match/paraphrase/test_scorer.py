"""The learned sentence scorer: its features, the shipped model, and its place in the aligner."""

import sys

import numpy as np
import pytest

from dedup.match.paraphrase.align import align_sentences
from dedup.match.paraphrase.options import ParaphraseOptions
from dedup.match.paraphrase.scorer import FEATURES, SentenceScorer, SentenceView, pair_features, sentence_scorer
from dedup.match.paraphrase.space import SentenceSpace
from dedup.match.paraphrase.units import SentenceUnits
from dedup.text.layout import analyze
from tests.conftest import ROOT


def _view(text: str) -> SentenceView:
    layout = analyze(text)
    return SentenceView.of(layout, 0, len(layout))


def _probability(first: str, second: str, cosine: float, dice: float) -> float:
    features = pair_features(_view(first), _view(second), cosine, dice, lambda stem: 3.0)
    return float(sentence_scorer().probability(features)[0])


def test_a_view_keeps_case_stems_and_content_words():
    view = _view("The Senate passed 3 bills on Monday.")
    assert view.tokens == ["The", "Senate", "passed", "3", "bills", "on", "Monday"]
    assert view.stems[2:5] == ["pass", "3", "bill"]
    assert "the" not in view.content and {"senat", "pass", "bill", "monday"} <= view.content


def test_features_see_numbers_names_and_negations_that_differ():
    same = pair_features(_view("Smith won 52 votes."), _view("Smith won 52 votes."), 1.0, 1.0, lambda s: 2.0)
    other = pair_features(_view("On Monday Smith won 52 votes."), _view("On Monday Jones did not win 61 votes."),
                          0.3, 0.2, lambda s: 2.0)
    named = dict(zip(FEATURES, other))
    assert len(same) == len(FEATURES) and dict(zip(FEATURES, same))["precision_4_least"] == 1.0
    assert named["numbers_differing"] == 2 and named["names_differing"] == 2 and named["names_shared"] == 1 and named["negation_differs"] == 1
    assert dict(zip(FEATURES, same))["unmatched_weight_most"] == 0 < named["unmatched_weight_most"]


def test_the_shipped_scorer_tells_a_reworded_sentence_from_one_with_other_facts():
    source = "The storm closed every school in the county on Monday, officials said."
    assert _probability(source, "Officials said the storm closed all schools in the county on Monday.", 0.8, 0.7) \
        > sentence_scorer().threshold
    assert _probability(source, "A second storm closed 14 roads in the north of the state on Friday, "
                                "and the governor did not say when they would open.", 0.3, 0.2) \
        < sentence_scorer().threshold


def test_a_model_trained_for_other_features_is_refused():
    with pytest.raises(ValueError, match="train it again"):
        SentenceScorer({**sentence_scorer().model, "features": ["cosine"]})


def test_the_scorer_gives_the_trained_models_probabilities():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    from train_sentence_scorer import LOGGED, fit

    from dedup.match.paraphrase.scorer import input_columns

    rng = np.random.default_rng(0)
    features = rng.gamma(2.0, 1.0, size=(300, len(FEATURES)))
    labels = (features[:, 0] + rng.normal(0, 0.5, 300) > 2).astype(int)
    scorer = SentenceScorer(fit(features, labels))
    x = input_columns(features, LOGGED)
    scaler = StandardScaler().fit(x)
    expected = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(x), labels)
    assert np.allclose(scorer.probability(features), expected.predict_proba(scaler.transform(x))[:, 1])
    assert 0.3 <= scorer.threshold <= 0.7


def _one_sentence_pair() -> SentenceSpace:
    """Two documents sharing one reworded sentence, each beside a sentence of its own."""
    texts = ["The storm closed every school in the county on Monday, officials said. Prices of wheat rose again.",
             "Markets were calm in Asia overnight. Officials said the storm closed all schools in the county on Monday."]
    units = [SentenceUnits.from_layout(analyze(t), t) for t in texts]
    return SentenceSpace(units)


def test_a_one_seed_chain_with_the_evidence_is_kept_only_when_the_lone_judge_agrees():
    space = _one_sentence_pair()
    asked = []

    def judge(unit_a, unit_b, cosine, dice):
        asked.append((unit_a, unit_b, cosine >= 0.6, dice > 0))
        return True

    alone = align_sentences(space, 0, 1, ParaphraseOptions())
    assert [(f.a_first, f.b_first, f.seeds) for f in alone] == [(0, 1, 1)]
    assert align_sentences(space, 0, 1, ParaphraseOptions(), judge) == alone and asked == [(0, 1, True, True)]
    assert align_sentences(space, 0, 1, ParaphraseOptions(), lambda *pair: False) == []
    # Without the evidence the judge is not asked.
    assert align_sentences(space, 0, 1, ParaphraseOptions(min_evidence=10.0), judge) == [] and len(asked) == 1
