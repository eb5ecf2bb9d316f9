import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.sketch.hashing import TokenHasher
from dedup.sketch.shingles import ShingledDocument, batch_shingles, window_starts
from dedup.text.layout import analyze


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ab cd\nShare this article.é", max_size=80), min_size=1, max_size=5),
       st.integers(1, 6))
def test_a_batch_shingles_each_text_as_its_print_does(texts, size):
    hasher = TokenHasher()
    for text, found in zip(texts, batch_shingles(texts, size)):
        layout = analyze(text)
        alone = ShingledDocument(layout, hasher.hash_layout(layout), size)
        assert found.hashes.tolist() == alone.shingles.tolist()
        assert found.valid.tolist() == alone.valid.tolist()


def test_window_starts_stay_inside_each_sequence():
    starts, per = window_starts(np.array([4, 1, 3]), 2)
    assert starts.tolist() == [0, 1, 2, 5, 6] and per.tolist() == [3, 0, 2]


def test_document_print_invalidates_boilerplate_shingles():
    layout = analyze("Leave a comment\none two three four five")
    doc = ShingledDocument(layout, TokenHasher().hash(layout.words), 3)
    # Shingles starting at tokens 0..2 touch the chrome line; 3..5 do not.
    assert doc.valid.tolist() == [False, False, False, True, True, True]
    assert len(doc.shingle_set()) == 3
