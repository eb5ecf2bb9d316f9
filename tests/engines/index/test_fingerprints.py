"""What the index keeps of a text: the scan's shingle sets, the same whatever the batch."""

import numpy as np

from dedup import read_documents
from dedup.engines.index.fingerprints import fingerprint_texts
from dedup.engines.index.settings import IndexSettings
from dedup.sketch.anchors import winnow
from dedup.sketch.fingerprinter import Fingerprinter
from dedup.sketch.hashing import TokenHasher
from dedup.sketch.shingles import ShingledDocument
from dedup.text.layout import analyze
from tests.conftest import PLANTED, SEEDS


def test_shingle_sets_are_the_scans():
    docs, _ = read_documents([SEEDS, PLANTED])
    fingerprinter = Fingerprinter.of(IndexSettings())
    for doc, p in zip(docs, fingerprint_texts(fingerprinter, [d.text for d in docs])):
        layout = analyze(doc.text)
        expected = ShingledDocument(layout, TokenHasher().hash(layout.words), 5).shingle_set()
        assert np.array_equal(p.shingles, expected), doc.id


def test_a_batch_is_fingerprinted_as_each_text_alone():
    from dedup.sketch.anchors import anchor_grams
    from dedup.sketch.hashing import hash_byte_runs, shingle_hashes
    from dedup.text.words import matching_word_runs

    rng = np.random.default_rng(8)
    vocabulary = "the council approved budget roads schools harbour mayor said Leave a comment".split()
    lengths = [0, 1, 3, 4, 5, 6, 9, 10, 11, 30, 40, 41, 42, 45, 60, 300]
    texts = [" ".join(rng.choice(vocabulary, size=n)) for n in lengths]
    texts += ["Leave a comment\n" + texts[-1], texts[9] + "\nLeave a comment\n" + texts[10], "Ça va, merci " * 20, ""]
    for shingle, window in ((5, 32), (3, 4), (1, 1), (2, 64)):
        settings = IndexSettings(shingle=shingle, anchor_window=window)
        fingerprinter = Fingerprinter.of(settings)
        order = rng.permutation(len(texts))
        batch = dict(zip(order.tolist(), fingerprint_texts(fingerprinter, [texts[k] for k in order])))
        for k, text in enumerate(texts):
            runs = matching_word_runs([text])
            hashes = shingle_hashes(hash_byte_runs(runs.data, runs.starts, runs.ends), shingle)
            size = min(shingle, len(runs.chrome))
            valid = (np.convolve(runs.chrome.astype(int), np.ones(size, int), mode="valid") == 0 if len(hashes)
                     else np.zeros(0, bool))
            assert batch[k].shingles.tolist() == np.unique(hashes[valid]).tolist(), (k, shingle)
            expected = winnow(*anchor_grams(hashes, valid, shingle), window)
            assert batch[k].anchors.tolist() == expected.tolist(), (k, shingle, window)
