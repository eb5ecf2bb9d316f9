import numpy as np

from dedup.match.candidates import sentence_units, shared_shingle_pairs


def test_shared_shingle_pairs_counts_and_caps():
    sets = [np.array([1, 2, 3, 9], np.uint64), np.array([1, 2, 3], np.uint64), np.array([3, 9], np.uint64),
            np.array([7], np.uint64)]
    assert shared_shingle_pairs(sets, min_shared=2, max_documents=10) == {(0, 1), (0, 2)}
    assert shared_shingle_pairs(sets, min_shared=1, max_documents=10) == {(0, 1), (0, 2), (1, 2)}
    # Shingle 3 is in three documents: with a cap of two it is ignored.
    assert shared_shingle_pairs(sets, min_shared=2, max_documents=2) == {(0, 1)}
    assert shared_shingle_pairs([np.array([], np.uint64)], 1, 5) == set()


def test_sentence_units_join_short_sentences():
    sentences = np.array([[0, 3], [3, 20], [20, 22], [22, 40]])
    valid = np.ones(36, dtype=bool)
    units = sentence_units(sentences, valid, size=5, min_shingles=4)
    assert [(u[0], u[-1]) for u in units] == [(0, 15), (20, 35)]
