import numpy as np
import xxhash
from datasketch import MinHash

from dedup.fingerprint import DocumentPrint, MinHasher, TokenHasher, shingle_hashes
from dedup.text import analyze


def test_token_hashes_are_stable_across_instances():
    words = ["the", "strikes", "began"]
    first = TokenHasher().hash(words)
    assert first.dtype == np.uint64
    assert np.array_equal(first, TokenHasher().hash(words))
    assert int(first[0]) == xxhash.xxh3_64_intdigest(b"the")


def test_shingles_are_order_sensitive_and_cover_short_texts():
    h = TokenHasher().hash(["a", "b", "c", "d"])
    assert len(shingle_hashes(h, 3)) == 2
    assert len(shingle_hashes(h[:2], 3)) == 1
    assert len(shingle_hashes(h[:0], 3)) == 0
    assert shingle_hashes(h[[0, 1, 2]], 3)[0] != shingle_hashes(h[[2, 1, 0]], 3)[0]


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


def test_document_print_invalidates_boilerplate_shingles():
    layout = analyze("Leave a comment\none two three four five")
    doc = DocumentPrint(layout, TokenHasher().hash(layout.words), 3)
    # Shingles starting at tokens 0..2 touch the chrome line; 3..5 do not.
    assert doc.valid.tolist() == [False, False, False, True, True, True]
    assert len(doc.shingle_set()) == 3
