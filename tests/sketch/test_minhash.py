import numpy as np
from datasketch import MinHash

from dedup.sketch.hashing import TokenHasher, shingle_hashes
from dedup.sketch.minhash import MinHasher


def test_signatures_equal_datasketch_minhash():
    shingles = shingle_hashes(TokenHasher().hash("one two three four five six seven".split()), 2)
    hasher = MinHasher(num_perm=64, seed=3)
    signature = hasher.signatures([shingles])[0]
    reference = MinHash(num_perm=64, seed=3, hashfunc=lambda value: value)
    reference.update_batch([int(v) for v in MinHasher.to_hash32(shingles)])
    assert np.array_equal(signature, reference.hashvalues)
    assert hasher.to_minhash(signature).jaccard(reference) == 1.0


def test_signatures_of_many_sets_match_one_at_a_time():
    rng = np.random.default_rng(0)
    sets = [rng.integers(0, 2**63, size=n, dtype=np.uint64) for n in (0, 1, 50, 40000, 3)]
    hasher = MinHasher(num_perm=32, seed=1)
    together = hasher.signatures(sets)
    alone = np.vstack([hasher.signatures([s]) for s in sets])
    assert np.array_equal(together, alone)
    assert (together[0] == np.iinfo(np.uint32).max).all()


def test_a_set_larger_than_a_block_has_datasketchs_signature():
    """A long document's set is reduced block by block (memory of one block, not of the
    whole permutations x shingles matrix); the signature is the same."""
    from dedup.sketch.minhash import _CHUNK_COLUMNS

    rng = np.random.default_rng(5)
    big = rng.integers(0, 2**63, size=3 * _CHUNK_COLUMNS + 17, dtype=np.uint64)
    hasher = MinHasher(num_perm=64, seed=3)
    signatures = hasher.signatures([np.arange(3, dtype=np.uint64), big, np.arange(7, dtype=np.uint64)])
    reference = MinHash(num_perm=64, seed=3, hashfunc=lambda value: value)
    reference.update_batch([int(v) for v in MinHasher.to_hash32(big)])
    assert np.array_equal(signatures[1], reference.hashvalues)
    assert np.array_equal(signatures[0], hasher.signatures([np.arange(3, dtype=np.uint64)])[0])


def test_the_permutations_are_datasketchs_without_importing_it():
    import numpy as np
    from datasketch import MinHash

    from dedup.sketch.minhash import affine_permutations

    for num_perm in (16, 128, 1024):
        for seed in (0, 1, 42):
            expected = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
            assert np.array_equal(affine_permutations(num_perm, seed), expected.astype(np.uint32))
