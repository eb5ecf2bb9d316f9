import numpy as np

from dedup import ScanConfig
from dedup.engines.index.fingerprints import fingerprint_texts
from dedup.engines.index.settings import IndexSettings
from dedup.sketch.fingerprinter import Fingerprinter
from dedup.sketch.hashing import TokenHasher
from dedup.sketch.lsh import band_keys, lsh_bands
from dedup.sketch.shingles import ShingledDocument
from dedup.text.layout import analyze

TEXTS = ["Share this article\nThe strikes lasted thirty minutes and were called a success by officials.",
         "An unrelated note on the weather, which stayed dry all week long in the valley.", ""]


def test_one_fingerprint_for_the_scan_the_document_level_and_the_index():
    scan_prints = Fingerprinter.of(ScanConfig())
    index_prints = fingerprint_texts(Fingerprinter.of(IndexSettings()), TEXTS)
    sets = scan_prints.shingle_sets(TEXTS)
    keys = scan_prints.band_keys(sets)
    hasher = TokenHasher()
    for text, shingles, row, stored in zip(TEXTS, sets, keys, index_prints):
        layout = analyze(text)
        assert shingles.tolist() == ShingledDocument(layout, hasher.hash_layout(layout), 5).shingle_set().tolist()
        assert shingles.tolist() == stored.shingles.tolist()
        if len(shingles):
            assert row.tolist() == stored.band_keys.tolist()


def test_band_keys_follow_the_settings_bands():
    fingerprinter = Fingerprinter.of(ScanConfig(threshold=0.5))
    sets = fingerprinter.shingle_sets(TEXTS[:2])
    expected = band_keys(fingerprinter.signatures(sets), *lsh_bands(0.5, 128))
    assert np.array_equal(fingerprinter.band_keys(sets), expected)
    assert fingerprinter.band_keys(sets, (4, 8)).shape == (2, 4)
