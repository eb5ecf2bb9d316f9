import numpy as np

from dedup.candidates import lsh_pairs, sentence_units, shared_shingle_pairs
from dedup.fingerprint import MinHasher


def test_lsh_pairs_find_identical_sets_and_skip_same_owner():
    rng = np.random.default_rng(1)
    common = rng.integers(0, 2**63, size=200, dtype=np.uint64)
    other = rng.integers(0, 2**63, size=200, dtype=np.uint64)
    hasher = MinHasher(num_perm=64, seed=1)
    signatures = hasher.signatures([common, common.copy(), other, common])
    pairs = lsh_pairs(signatures, [0, 1, 2, 0], hasher, threshold=0.8)
    assert pairs == {(0, 1)}


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


def test_lsh_pairs_are_the_pairs_datasketch_lsh_finds():
    """Band keys grouped with numpy find what MinHashLSH insert and query find."""
    import numpy as np
    from datasketch import MinHashLSH

    from dedup.candidates import lsh_pairs
    from dedup.fingerprint import MinHasher

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
