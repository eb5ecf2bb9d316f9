import numpy as np
from datasketch import MinHash

from dedup.fingerprint import DocumentPrint, MinHasher, TokenHasher, hash_byte_runs, shingle_hashes
from dedup.text import analyze


def _reference_token_hash(word: str) -> int:
    """The documented token hash, one byte at a time in Python integers."""
    prime, length_mix = 0xD6E8FEB86659FD93, 0xC2B2AE3D27D4EB4F
    data, total = word.encode("utf-8"), 0
    for byte in data:
        total = (total * prime + byte + 1) % 2**64
    value = total ^ (len(data) * length_mix % 2**64)
    for multiplier in (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53):  # MurmurHash3's fmix64
        value = ((value ^ (value >> 33)) * multiplier) % 2**64
    return value ^ (value >> 33)


def test_token_hashes_are_stable_and_follow_the_documented_function():
    words = ["the", "strikes", "began", "Ça", "中文", "x" * 70_000, "ab" * 40_000, "_"]
    first = TokenHasher().hash(words)
    assert first.dtype == np.uint64
    assert np.array_equal(first, TokenHasher().hash(words))
    assert first.tolist() == [_reference_token_hash(w) for w in words]
    assert len(set(first.tolist())) == len(words)
    assert TokenHasher().hash([]).tolist() == []


def test_token_hashes_are_the_same_in_passes_of_any_size(monkeypatch):
    import dedup.fingerprint as fingerprint

    words = ["the", "strikes", "x" * 700, "ab" * 400, "_", "Ça"]
    expected = [_reference_token_hash(w) for w in words]
    for span in (7, 64, 1000):  # runs longer than a pass are cut into pieces and joined
        monkeypatch.setattr(fingerprint, "_SPAN", span)
        monkeypatch.setattr(fingerprint, "_POWERS", {})
        assert TokenHasher().hash(words).tolist() == expected


def test_byte_runs_hash_like_words_wherever_they_sit():
    data = np.frombuffer(b"..the cat..the", dtype=np.uint8)
    hashes = hash_byte_runs(data, np.array([2, 6, 11]), np.array([5, 9, 14]))
    assert hashes.tolist() == TokenHasher().hash(["the", "cat", "the"]).tolist()


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


def test_a_set_larger_than_a_block_has_datasketchs_signature():
    """A long document's set is reduced block by block (memory of one block, not of the
    whole permutations x shingles matrix); the signature is the same."""
    from dedup.fingerprint import _CHUNK_COLUMNS

    rng = np.random.default_rng(5)
    big = rng.integers(0, 2**63, size=3 * _CHUNK_COLUMNS + 17, dtype=np.uint64)
    hasher = MinHasher(num_perm=64, seed=3)
    signatures = hasher.signatures([np.arange(3, dtype=np.uint64), big, np.arange(7, dtype=np.uint64)])
    reference = MinHash(num_perm=64, seed=3, hashfunc=lambda value: value)
    reference.update_batch([int(v) for v in MinHasher.to_hash32(big)])
    assert np.array_equal(signatures[1], reference.hashvalues)
    assert np.array_equal(signatures[0], hasher.signatures([np.arange(3, dtype=np.uint64)])[0])
