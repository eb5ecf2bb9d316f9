from dedup.match.align import Alignment
from dedup.match.combine import combine
from dedup.text.layout import analyze

TEXT = " ".join(f"w{k:03d}" for k in range(200)) + "."  # word k spans [5k, 5k + 4)
LAYOUT = analyze(TEXT)


def words(kind: str, first: int, last: int, score: float = 1.0) -> Alignment:
    """A piece over words ``first .. last - 1`` on both sides."""
    return Alignment(kind, score, 5 * first, 5 * last - 1, 5 * first, 5 * last - 1)


def test_verbatim_pieces_a_few_words_apart_are_one_copy():
    found = combine([words("copy", 0, 20), words("copy", 25, 45)], [], LAYOUT, LAYOUT, 12)
    assert [(al.kind, al.a_start, al.a_end) for al in found] == [("copy", 0, 5 * 45 - 1)]


def test_pieces_far_apart_stay_two_passages():
    found = combine([words("copy", 0, 20), words("copy", 100, 120)], [], LAYOUT, LAYOUT, 12)
    assert [(al.a_start, al.a_end) for al in found] == [(0, 99), (500, 599)]


def test_a_rewrite_around_a_short_copy_is_a_paraphrase():
    found = combine([words("copy", 20, 26)], [words("paraphrase", 0, 60, 0.6)], LAYOUT, LAYOUT, 12)
    assert [(al.kind, al.a_start, al.a_end) for al in found] == [("paraphrase", 0, 5 * 60 - 1)]


def test_a_shared_quotation_apart_from_reuse_keeps_its_own_passage():
    found = combine([words("copy", 0, 20), words("quote", 120, 140)], [], LAYOUT, LAYOUT, 12)
    assert [al.kind for al in found] == ["copy", "quote"]
