"""The SQLite backend: its fresh tier and merges, concurrent connections, errors and reopening."""

import sqlite3

import pytest

from dedup import Document
from dedup.engines.index.core import Index
from dedup.errors import IndexStoreError
from tests.conftest import news_stream
from tests.engines.index.conftest import STORY


def test_postings_merged_into_the_large_tables_answer_as_fresh_ones(tmp_path, monkeypatch):
    from dedup.engines.index import sqlite_store

    docs = [Document(p.id, p.text) for p in news_stream(160)]
    answers, counts = [], []
    for name, least in (("merged.db", 8), ("fresh.db", 10**9)):  # merge every few batches, or never
        monkeypatch.setattr(sqlite_store, "_MIN_FRESH", least)
        monkeypatch.setattr(sqlite_store, "_FRESH_SHARE", 2)
        with Index(str(tmp_path / name)) as index:
            added = [d.to_dict() for k in range(0, 160, 32) for d in index.check_and_add(docs[k:k + 32])]
            index.remove([d.id for d in docs[::2]])  # from both tiers
            checked = [d.to_dict() for d in index.check(docs)]
            stats = index.stats()
        answers.append((added, checked))
        counts.append((stats["documents"], stats["band_keys"], stats["anchors"], stats["sentence_keys"]))
        with sqlite3.connect(str(tmp_path / name)) as db:
            fresh = db.execute("SELECT count(*) FROM fresh").fetchone()[0]
        assert (fresh < stats["documents"]) if least == 8 else (fresh == stats["documents"])
    assert answers[0] == answers[1] and counts[0] == counts[1]
    # The removed documents are checked as new, against what is left; the others are known
    # and answered with their first decisions.
    checked = answers[0][1]
    assert [d["known"] for d in checked] == [k % 2 == 1 for k in range(160)]
    assert counts[0][0] == 80 and counts[0][3] > 0 and not {m["doc"] for d in checked[::2] for m in d["matches"]} & {d.id for d in docs[::2]}


def test_each_connection_sees_what_another_added_removed_and_merged(tmp_path, monkeypatch):
    from dedup.engines.index import sqlite_store

    monkeypatch.setattr(sqlite_store, "_MIN_FRESH", 3)
    path = str(tmp_path / "news.db")
    other = STORY.replace("council", "board")
    with Index(path) as writer, Index(path, read_only=True) as reader:
        assert reader.check([Document("x", STORY)])[0].decision == "unique"  # the reader has read the tier
        writer.add([Document("a", STORY)])  # fresh
        assert [m.doc for m in reader.check([Document("x", STORY)])[0].matches] == ["a"]
        writer.remove(["a"])  # gone from the fresh tier
        assert reader.check([Document("x", STORY)])[0].decision == "unique"
        assert len(reader._store._fresh.anchors) == 0  # the reader forgot it, not just skipped it
        writer.add([Document("b", other), Document("c", "Weather: rain."), Document("d", "Sport: a draw.")])  # merged
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT count(*) FROM fresh").fetchone()[0] == 0
        assert [m.doc for m in reader.check([Document("x", other)])[0].matches] == ["b"]
        assert len(reader._store._fresh.anchors) == 0  # merged: found in the large tables only
        writer.add([Document("e", STORY)])
        assert {m.doc for m in reader.check([Document("x", STORY)])[0].matches} == {"b", "e"}


def test_read_only_and_full_disk_are_clear_errors(tmp_path):
    path = str(tmp_path / "news.db")
    with pytest.raises(IndexStoreError, match="no index there"):
        Index(path, read_only=True)
    with Index(path) as index:
        index.add([Document("a", STORY)])
    with Index(path, read_only=True) as index:
        assert index.check([Document("b", STORY)])[0].decision == "duplicate"
        with pytest.raises(IndexStoreError, match="read-only"):
            index.add([Document("c", STORY)])
    with Index(path) as index:
        # SQLite's page limit fails a write exactly as a full disk does (SQLITE_FULL).
        pages = index._store._db.execute("PRAGMA page_count").fetchone()[0]
        index._store._db.execute(f"PRAGMA max_page_count = {pages + 1}")
        texts = [Document(f"n{k}", p.text) for k, p in enumerate(news_stream(40))]
        with pytest.raises(IndexStoreError, match="full.*batch in flight was not added"):
            index.check_and_add(texts)
    with Index(path) as index:  # the failed batch left nothing behind
        assert index.stats()["documents"] == 1


def test_a_file_that_is_not_an_index(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("just some notes, not a database\n" * 200)
    with pytest.raises(IndexStoreError, match="not a dedup index"):
        Index(str(path))


def test_sqlite_index_survives_reopening(tmp_path):
    path = str(tmp_path / "news.db")
    with Index(path) as index:
        index.check_and_add([Document("a", STORY)])
    with Index(path) as index:
        assert index.check([Document("b", STORY)])[0].matches[0].doc == "a"
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
