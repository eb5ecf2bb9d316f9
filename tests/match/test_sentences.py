"""The sentence pairs of a passage (dedup.match.sentences)."""

import random

from dedup.match.sentences import sentence_pairs, sentence_pairs_of
from dedup.sketch.hashing import TokenHasher
from dedup.sketch.shingles import ShingledDocument
from dedup.text.layout import analyze


def prints(text: str) -> ShingledDocument:
    layout = analyze(text)
    return ShingledDocument(layout, TokenHasher().hash_layout(layout), 5)


SOURCE = ("Storms closed the northern highway overnight. Schools across the valley stayed shut on Monday. "
          "Power crews worked through the weekend to restore electricity.")
REWRITE = ("The northern highway was closed by storms overnight. Valley schools stayed shut Monday, officials said, "
           "and parents kept children home. Crews worked through the weekend. They restore electricity.")


def spans(pairs, a_text, b_text):
    return [(a_text[p.a_start:p.a_end], b_text[p.b_start:p.b_end]) for p in pairs]


def test_a_rewrite_pairs_sentence_by_sentence_and_a_split_sentence_is_one_pair():
    pairs = sentence_pairs(prints(SOURCE), prints(REWRITE), (0, len(SOURCE)), (0, len(REWRITE)))
    shown = spans(pairs, SOURCE, REWRITE)
    assert shown[0] == ("Storms closed the northern highway overnight", "The northern highway was closed by storms overnight")
    assert shown[1][0] == "Schools across the valley stayed shut on Monday"
    # The third sentence was split in two: one pair covers both halves.
    assert shown[2] == ("Power crews worked through the weekend to restore electricity",
                        "Crews worked through the weekend. They restore electricity")
    assert all(0.25 <= p.score <= 1 for p in pairs)


def test_pairs_keep_the_order_of_both_sides_and_stay_inside_the_passage():
    a = "First fact about the bridge repairs here. Second fact about the city budget vote."
    b = "Second fact about the city budget vote. First fact about the bridge repairs here."
    pairs = sentence_pairs(prints(a), prints(b), (0, len(a)), (0, len(b)))
    assert len(pairs) == 1  # the two pairs cross: only one order is kept
    cut = sentence_pairs(prints(SOURCE), prints(SOURCE), (20, 100), (20, 100))
    assert cut and all(20 <= p.a_start < p.a_end <= 100 and 20 <= p.b_start < p.b_end <= 100 for p in cut)


def test_long_passages_are_compared_in_parts_and_many_at_once_as_one_at_a_time():
    rng = random.Random(5)
    words = ["".join(rng.choice("aeioulmnrstkp") for _ in range(rng.randint(4, 9))) for _ in range(4000)]
    text = " ".join(" ".join(rng.choice(words) for _ in range(12)).capitalize() + "." for _ in range(1500))
    long_a, long_b = prints(text), prints("Added first. " + text)
    pairs = sentence_pairs(long_a, long_b, (0, len(text)), (13, len(text) + 13))
    assert len(pairs) == 1500 and all(p.score == 1.0 and p.b_start - p.a_start == 13 for p in pairs)
    items = [(prints(SOURCE), prints(REWRITE), (0, len(SOURCE)), (0, len(REWRITE))),
             (long_a, long_b, (0, 400), (13, 413)), (prints("No words in common here."), prints(SOURCE), (0, 24), (0, 40))]
    assert sentence_pairs_of(items) == [sentence_pairs(*item) for item in items]
    assert sentence_pairs_of(items)[2] == ()


def test_passages_are_compared_in_batches_of_bounded_size_with_the_same_pairs(monkeypatch):
    import dedup.match.sentences as sentences

    items = [(prints(SOURCE), prints(REWRITE), (0, len(SOURCE)), (0, len(REWRITE)))] * 5
    together = sentence_pairs_of(items)
    monkeypatch.setattr(sentences, "_BULK_CELLS", 1)  # every part alone
    assert sentence_pairs_of(items) == together and together[0]
