import numpy as np

from dedup.sketch.hashing import TokenHasher, hash_byte_runs, shingle_hashes


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
    import dedup.sketch.hashing as fingerprint

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
