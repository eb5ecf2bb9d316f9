"""Deciding a batch: candidates from the batch and the store, then verified and aligned."""

import numpy as np

from dedup import Document
from dedup.engines.index.decide import Aligner, BatchDecider, settle_all
from dedup.engines.index.fingerprints import fingerprint_texts
from dedup.engines.index.settings import IndexSettings
from dedup.engines.index.store import Postings
from dedup.sketch.fingerprinter import Fingerprinter
from tests.engines.index.conftest import STORY

NOTHING = Postings(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))


def decide(docs, sees_batch):
    settings = IndexSettings()
    fingerprinter = Fingerprinter.of(settings)
    prints = fingerprint_texts(fingerprinter, [d.text for d in docs])
    pending = BatchDecider(settings, settings.threshold, NOTHING, NOTHING, sees_batch=sees_batch).decide(
        docs, prints, lambda numbers: {})
    return pending, settle_all(pending, fingerprinter, Aligner(settings))


def test_a_document_meets_the_earlier_ones_of_its_batch_when_the_batch_is_added():
    docs = [Document("a", STORY), Document("b", STORY + " More soon."), Document("c", "A note on the weather.")]
    pending, decisions = decide(docs, sees_batch=True)
    assert [len(p.candidates) for p in pending] == [0, 1, 0]
    assert [d.decision for d in decisions] == ["unique", "duplicate", "unique"]
    assert decisions[1].matches[0].doc == "a" and decisions[1].matches[0].similarity >= 0.8


def test_a_check_alone_sees_only_the_store():
    pending, decisions = decide([Document("a", STORY), Document("b", STORY)], sees_batch=False)
    assert [p.candidates for p in pending] == [(), ()]
    assert [d.decision for d in decisions] == ["unique", "unique"]


def test_a_copied_passage_in_new_text_is_reuse_with_its_spans():
    copied = " ".join(STORY.split()[:45])
    other = "In other news a bakery opened on the corner of the square this week. " + copied
    _, decisions = decide([Document("a", STORY), Document("b", other)], sees_batch=True)
    [match] = decisions[1].matches
    [passage] = match.passages
    assert decisions[1].decision == "reuses" and passage.kind == "copy"
    assert other[passage.a.start:passage.a.end] == STORY[passage.b.start:passage.b.end]
