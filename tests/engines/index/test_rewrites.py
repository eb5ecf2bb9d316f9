"""The index's rewrite tier: a rewritten article found among the indexed ones, on both backends."""

import numpy as np
import pytest

from dedup import Document
from dedup.engines.index.core import Index
from dedup.engines.index.rewrites import SENTENCE_BANDS, sentence_stems
from dedup.engines.index.store import StemCounts
from tests.conftest import ROOT, news_stream

SEEDS = {path.name[:3]: path.read_text("utf-8") for path in sorted((ROOT / "fixtures" / "seeds").iterdir())}


def _passages(decision, kind):
    return [p for m in decision.matches for p in m.passages if p.kind == kind]


def test_a_rewrite_of_an_indexed_article_is_found_with_spans_on_both_sides(location):
    with Index(location) as index:
        index.check_and_add([Document("004", SEEDS["004"])])  # the CNN copy
        independent = index.check_and_add([Document(k, SEEDS[k]) for k in ("000", "001", "002")])
        [rewrite] = index.check([Document("003", SEEDS["003"])])  # the same text, rewritten
    assert [d.decision for d in independent] == ["unique", "unique", "unique"]
    assert rewrite.decision == "reuses" and [m.doc for m in rewrite.matches] == ["004"]
    found = _passages(rewrite, "paraphrase")
    assert found and not _passages(rewrite, "copy")
    for passage in found:
        assert passage.a.doc == "003" and passage.b.doc == "004"
        assert 0 <= passage.a.start < passage.a.end <= len(SEEDS["003"])
        assert 0 <= passage.b.start < passage.b.end <= len(SEEDS["004"])
    # Most of the rewritten article is covered, on both sides.
    assert sum(p.a.end - p.a.start for p in found) > 0.4 * len(SEEDS["003"])
    assert sum(p.b.end - p.b.start for p in found) > 0.4 * len(SEEDS["004"])


def test_removing_and_pruning_take_back_the_counts_and_sentence_keys(tmp_path):
    with Index(str(tmp_path / "news.db")) as index:
        index.add([Document(k, SEEDS[k]) for k in ("000", "004")])
        stats = index.stats()
        assert stats["sentence_keys"] > 0 and stats["stems_counted"] > 0
        index.remove(["004"])
        assert index.check([Document("003", SEEDS["003"])])[0].decision == "unique"
        assert index.prune(float("inf")) == 1
        stats = index.compact()
        assert (stats["documents"], stats["sentence_keys"], stats["stems_counted"]) == (0, 0, 0)
        assert index._store.stem_counts(np.array([1, 2])).total_units == 0


def test_an_updated_text_replaces_its_sentence_keys(location):
    with Index(location) as index:
        index.add([Document("x", SEEDS["004"])])
        index.add([Document("x", SEEDS["000"])])  # the same id, another article
        [rewrite] = index.check([Document("003", SEEDS["003"])])
        assert rewrite.decision == "unique"
        index.add([Document("y", SEEDS["004"])])
        assert [m.doc for m in index.check([Document("003", SEEDS["003"])])[0].matches] == ["y"]


def test_an_index_without_the_tier_finds_verbatim_reuse_only(tmp_path):
    path = str(tmp_path / "news.db")
    with Index(path, paraphrase=False) as index:
        index.add([Document("004", SEEDS["004"])])
        assert index.check([Document("003", SEEDS["003"])])[0].decision == "unique"
        assert index.stats()["sentence_keys"] == 0
    with Index(path) as reopened:  # the stored setting holds
        assert reopened.settings.paraphrase is False
        assert reopened.check([Document("004b", SEEDS["004"])])[0].decision == "duplicate"


def test_sentence_keys_are_made_from_rare_stems_only():
    [stems] = sentence_stems([SEEDS["004"]])
    nothing = StemCounts(np.empty(0, np.int64), np.empty((0, 3), np.int64))
    units, keys = stems.sentence_keys(stems.rare(nothing))
    assert keys.shape == (len(units), SENTENCE_BANDS) and 0 < len(units) <= stems.units
    assert (np.diff(units) > 0).all() and (keys >= 0).all() and (keys < 2**31).all()
    again = sentence_stems([SEEDS["004"]])[0]
    assert np.array_equal(keys, again.sentence_keys(again.rare(nothing))[1])
    # Once every stem is common in the index, no sentence makes a key.
    common = StemCounts(np.sort(stems.keys), np.full((len(stems.keys), 3), 10_000))
    assert stems.sentence_keys(stems.rare(common))[1].shape == (0, SENTENCE_BANDS)


@pytest.mark.parametrize("text", ["", "Short.", "word " * 50])
def test_texts_without_sentences_make_no_keys(text):
    [stems] = sentence_stems([text])
    nothing = StemCounts(np.empty(0, np.int64), np.empty((0, 3), np.int64))
    assert stems.sentence_keys(stems.rare(nothing))[1].shape[1] == SENTENCE_BANDS


def test_decisions_and_keys_do_not_depend_on_the_batches(tmp_path):
    docs = [Document(p.id, p.text) for p in news_stream(60, seed=3)]
    docs[20:20] = [Document(k, SEEDS[k]) for k in ("004", "000", "001")]
    docs[50:50] = [Document("003", SEEDS["003"])]
    answers, keys = [], []
    for size in (1, 7, 64):
        with Index(str(tmp_path / f"batches{size}.db")) as index:
            answers.append([d.to_dict() for k in range(0, len(docs), size)
                            for d in index.check_and_add(docs[k:k + size])])
            stored = index._store.documents(range(1, len(docs) + 1))
            keys.append({found.id: found.rare_stems for found in stored.values()})
    assert answers[0] == answers[1] == answers[2]
    assert keys[0] == keys[1] == keys[2]
    rewrite = next(d for d in answers[0] if d["id"] == "003")
    assert rewrite["decision"] == "reuses" and rewrite["matches"][0]["doc"] == "004"


def test_a_document_is_removed_with_its_keys_after_its_stems_grew_common(tmp_path, monkeypatch):
    import sqlite3

    from dedup.engines.index import sqlite_store

    monkeypatch.setattr(sqlite_store, "_MIN_FRESH", 2)  # its keys in the large table, not the fresh tier
    path = str(tmp_path / "news.db")
    with Index(path) as index:
        index.add([Document("004", SEEDS["004"]), Document("000", SEEDS["000"])])
        num = index._store.numbers(["004"])["004"]
        index.add([Document(f"c{k}", SEEDS["003"]) for k in range(30)])  # 004's stems, in many units since
        with sqlite3.connect(path) as db:
            posted = db.execute("SELECT count(*) FROM sentences WHERE doc = ?", (num,)).fetchone()[0]
        before = index.stats()["sentence_keys"]
        index.remove(["004"])  # its keys are made again from the stems that were rare when it was added
        assert posted > 0 and index.stats()["sentence_keys"] == before - posted
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM sentences WHERE doc = ?", (num,)).fetchone()[0] == 0
