"""Stem statistics that add up part by part, and vectors that do not depend on grouping:
what lets the Dask engine give the local engine's sentence vectors."""

import numpy as np

from dedup.match.paraphrase.space import SentenceSpace
from dedup.match.paraphrase.statistics import TermCounts, TermStatistics
from dedup.match.paraphrase.units import SentenceUnits
from dedup.text.layout import analyze


def units_of(documents):
    return [SentenceUnits.from_layout(analyze(d.text), d.text) for d in documents]


def test_counts_of_parts_add_up_to_the_counts_of_the_whole(seed_documents):
    units = units_of(seed_documents)
    whole = TermCounts.of(units)
    parts = TermCounts.of(units[:2]).add(TermCounts.of(units[2:]))
    assert parts == whole
    assert whole.total_documents == 5 and whole.total_units == sum(len(u) for u in units)
    assert whole.documents["strike"] == 5 and whole.units["strike"] >= whole.documents["strike"]


def test_vectors_do_not_depend_on_how_documents_are_grouped(seed_documents):
    units = units_of(seed_documents)
    statistics = TermStatistics.of(units)
    together = statistics.vectorise(units)
    for k, unit in enumerate(units):
        (alone,) = statistics.vectorise([unit])
        for mine, theirs in zip(alone, together[k]):
            mine, theirs = (m.toarray() if hasattr(m, "toarray") else m for m in (mine, theirs))
            assert np.array_equal(mine, theirs)  # bit for bit, not approximately
    space = SentenceSpace(units[3:], statistics)  # a few documents with the corpus's statistics
    assert (space.vectors_[0] != SentenceSpace(units).vectors_[3]).nnz == 0


def test_rows_are_unit_vectors_weighted_by_rarity(seed_documents):
    units = units_of(seed_documents)
    statistics = TermStatistics.of(units)
    vectors, content, sizes = statistics.vectorise(units[:1])[0]
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0)
    assert np.array_equal(sizes, np.diff(content.indptr))
    column = statistics.vocabulary
    # A stem of every document weighs less than one of a single document.
    assert statistics.topic_weight[column["strike"]] < 1.0
    assert statistics.idf.shape == statistics.topic_weight.shape == (len(column),)


def test_a_corpus_without_sentences_has_one_unused_column():
    statistics = TermStatistics.of(units_of([]))
    assert statistics.width == 1 and statistics.idf.shape == statistics.content_frequency.shape == (1,)
    assert SentenceSpace([], statistics).vectors_ == []
