"""Winnowed anchors: a long enough shared run always shares one."""

import numpy as np

from dedup.sketch.anchors import winnow


def test_winnowing_guarantees_an_anchor_for_a_long_enough_shared_run():
    rng = np.random.default_rng(3)
    shared = rng.integers(0, 2**63, size=40, dtype=np.uint64)
    a = np.concatenate([rng.integers(0, 2**63, size=100, dtype=np.uint64), shared])
    b = np.concatenate([shared, rng.integers(0, 2**63, size=70, dtype=np.uint64)])
    for window in (8, 16, 32, 40):
        anchors_a = winnow(a, np.ones(len(a), bool), window)
        anchors_b = winnow(b, np.ones(len(b), bool), window)
        assert set(anchors_a) & set(anchors_b), window
    # Chrome shingles are never anchors.
    assert len(winnow(a, np.zeros(len(a), bool), 8)) == 0


def test_winnowing_takes_the_minimum_of_every_window():
    rng = np.random.default_rng(5)
    for size, window in ((0, 4), (1, 4), (3, 8), (50, 1), (50, 7), (200, 32), (31, 32), (33, 32)):
        hashes = rng.integers(0, 2**64 - 1, size=size, dtype=np.uint64)
        valid = rng.random(size) < 0.8
        masked = np.where(valid, hashes, np.uint64(2**64 - 1))
        windows = [masked[k : k + window] for k in range(max(1, size - window + 1))] if size else []
        expected = {int(w.min()) >> 17 for w in windows if valid.any() and w.min() != 2**64 - 1}
        assert set(winnow(hashes, valid, window).tolist()) == expected, (size, window)
