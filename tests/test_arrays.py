import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dedup.arrays import distinct_pairs, equal_runs, expand, group_pairs, sorted_unique


@given(st.lists(st.integers(0, 50), max_size=60))
def test_sorted_unique_is_numpys_unique(values):
    array = np.array(values, dtype=np.int64)
    assert sorted_unique(array).tolist() == np.unique(array).tolist()


@given(st.lists(st.integers(0, 9), max_size=60))
def test_equal_runs_cover_the_sorted_array(values):
    ordered = np.sort(np.array(values, dtype=np.int64))
    starts, sizes = equal_runs(ordered)
    assert int(sizes.sum()) == len(ordered)
    assert ordered[starts].tolist() == np.unique(ordered).tolist()


def pairs_by_hand(members, starts, sizes, cap):
    found = []
    for start, size in zip(starts, sizes):
        group = members[start:start + size]
        kept = len(group) if cap is None else min(len(group), cap)
        found += [(min(x, y), max(x, y)) for i, x in enumerate(group[:kept]) for y in group[i + 1:kept]]
        found += [(min(group[0], y), max(group[0], y)) for y in group[kept:]]
    return sorted((a, b) for a, b in found if a != b)


@given(st.lists(st.lists(st.integers(0, 30), min_size=1, max_size=12), max_size=8), st.sampled_from([None, 2, 3]))
def test_group_pairs_pair_every_member_or_the_first_of_a_capped_group(groups, cap):
    members = np.array([m for g in groups for m in g], dtype=np.int64)
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    low, high = group_pairs(members, starts, sizes, cap)
    assert sorted(zip(low.tolist(), high.tolist())) == pairs_by_hand(members.tolist(), starts, sizes, cap)


@given(st.lists(st.tuples(st.integers(0, 2**40), st.integers(0, 2**40)), max_size=40), st.booleans())
def test_distinct_pairs_sorted_with_counts_in_both_ways(pairs, huge):
    shift = 2**62 if huge else 0  # huge values take the lexsort path
    low = np.array([a for a, _ in pairs], dtype=np.int64) + shift
    high = np.array([b for _, b in pairs], dtype=np.int64) + shift
    found, counts = distinct_pairs(low, high, counts=True)
    expected = sorted(set(zip(low.tolist(), high.tolist())))
    assert [tuple(p) for p in found.tolist()] == expected
    assert counts.tolist() == [list(zip(low.tolist(), high.tolist())).count(p) for p in expected]


def test_expand_finds_every_match_of_every_query():
    which, positions = expand(np.array([1, 3, 3, 8]), np.array([3, 5, 8, 1]))
    assert list(zip(which.tolist(), positions.tolist())) == [(0, 1), (0, 2), (2, 3), (3, 0)]
