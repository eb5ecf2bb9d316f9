import itertools

import numpy as np

from dedup.sketch.lsh import band_keys, bucket_pairs, lsh_bands
from dedup.sketch.minhash import MinHasher


def lsh_pairs(signatures, owners, hasher, threshold):
    """The owner pairs whose signatures share a band key of the LSH tuned for ``threshold``
    (the kernels the scan composes for its sentence units)."""
    keys = band_keys(np.asarray(signatures), *lsh_bands(threshold, hasher.num_perm))
    return set(map(tuple, bucket_pairs(keys, np.asarray(owners, dtype=np.int64)).tolist()))


def test_lsh_pairs_find_identical_sets_and_skip_same_owner():
    rng = np.random.default_rng(1)
    common = rng.integers(0, 2**63, size=200, dtype=np.uint64)
    other = rng.integers(0, 2**63, size=200, dtype=np.uint64)
    hasher = MinHasher(num_perm=64, seed=1)
    signatures = hasher.signatures([common, common.copy(), other, common])
    pairs = lsh_pairs(signatures, [0, 1, 2, 0], hasher, threshold=0.8)
    assert pairs == {(0, 1)}


def test_lsh_pairs_are_the_pairs_datasketch_lsh_finds():
    """Band keys grouped with numpy find what MinHashLSH insert and query find."""
    import numpy as np
    from datasketch import MinHashLSH


    rng = np.random.default_rng(11)
    hasher = MinHasher(num_perm=64, seed=3)
    base = [rng.integers(0, 10**12, size=80).astype(np.uint64) for _ in range(30)]
    sets = base + [np.concatenate((s[: int(rng.integers(40, 80))], rng.integers(0, 10**12, size=10).astype(np.uint64)))
                   for s in base]  # near-copies at many similarities
    signatures = hasher.signatures(sets)
    owners = [k // 2 for k in range(len(sets))]  # two units per owner
    lsh = MinHashLSH(threshold=0.5, num_perm=64, weights=(0.05, 0.95))
    minhashes = [hasher.to_minhash(s) for s in signatures]
    for key, m in enumerate(minhashes):
        lsh.insert(key, m)
    expected = {(min(owners[k], owners[o]), max(owners[k], owners[o]))
                for k, m in enumerate(minhashes) for o in lsh.query(m) if owners[o] != owners[k]}
    assert lsh_pairs(signatures, owners, hasher, 0.5) == expected and len(expected) >= 20


def test_candidate_pairs_are_the_pairs_sharing_a_band_key():
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 6, size=(40, 3))
    owners = np.arange(40) * 2  # document numbers need not be dense
    expected = sorted({(owners[i], owners[j]) for i, j in itertools.combinations(range(40), 2)
                       if (keys[i] == keys[j]).any()})
    assert [tuple(p) for p in bucket_pairs(keys, owners).tolist()] == expected
    assert bucket_pairs(np.empty((0, 3), dtype=np.int64), np.empty(0, dtype=np.int64)).shape == (0, 2)


def test_lsh_bands_are_datasketchs_choice_without_importing_it():
    """The bands come from exact quadrature here and from scipy's quad in datasketch: the
    same pair on a grid of thresholds and permutation counts."""
    import numpy as np
    from datasketch.lsh import _optimal_param

    from dedup.sketch.lsh import _LSH_WEIGHTS, lsh_bands

    for num_perm in (16, 64, 100, 128, 256):
        for threshold in np.round(np.arange(0.05, 1.0001, 0.05), 4).tolist() + [0.33, 0.99]:
            assert lsh_bands.__wrapped__(threshold, num_perm) == _optimal_param(threshold, num_perm, *_LSH_WEIGHTS)
