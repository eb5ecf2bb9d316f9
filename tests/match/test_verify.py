import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dedup.match.verify import overlap, verify_pairs


@given(st.sets(st.integers(0, 40)), st.sets(st.integers(0, 40)))
def test_overlap_is_the_exact_jaccard_and_containments(a, b):
    found = overlap(np.array(sorted(a), dtype=np.uint64), np.array(sorted(b), dtype=np.uint64))
    shared = len(a & b)
    assert found.shared == shared
    assert found.similarity == (shared / len(a | b) if a | b else 0.0)
    assert found.containment_a == (shared / len(a) if a else 0.0)
    assert found.containment_b == (shared / len(b) if b else 0.0)


def test_verify_pairs_keep_those_reaching_the_threshold_rounded():
    sets = [np.array([1, 2, 3], np.uint64), np.array([1, 2, 3, 4], np.uint64), np.array([9], np.uint64)]
    found = list(verify_pairs(np.array([[0, 1], [0, 2]]), sets, 0.5))
    assert found == [(0, 1, 0.75, (1.0, 0.75))]
    assert found[0].similarity == 0.75 and found[0].containment == (1.0, 0.75)


def test_verify_pairs_counts_the_exact_intersection():
    rng = np.random.default_rng(5)
    sets = [np.unique(rng.integers(0, 60, size=int(rng.integers(0, 50)))).astype(np.uint64) for _ in range(30)]
    pairs = np.array(list(itertools.combinations(range(30), 2)), dtype=np.int64)
    found = {(i, j): s for i, j, s, _ in verify_pairs(pairs, sets, 0.3)}
    for i, j in pairs.tolist():
        shared, union = len(np.intersect1d(sets[i], sets[j])), len(np.union1d(sets[i], sets[j]))
        similarity = shared / union if union else 0.0
        assert ((i, j) in found) == (union > 0 and len(sets[i]) > 0 and len(sets[j]) > 0 and similarity >= 0.3)
        if (i, j) in found:
            assert found[i, j] == round(similarity, 4)
