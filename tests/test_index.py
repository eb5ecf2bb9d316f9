"""The persistent index through its Python API, on SQLite and on a real Redis server."""

import sqlite3
import time

import numpy as np
import pytest

from dedup import Document, ParameterError, read_documents, scan
from dedup.fingerprint import DocumentPrint, TokenHasher
from dedup.index import Index, IndexStoreError
from dedup.index.prints import Printer, winnow
from dedup.index.settings import IndexSettings
from dedup.text import analyze
from tests.conftest import PLANTED, SEEDS, news_stream

STORY = ("The council approved the new budget on Tuesday after a long debate about roads, schools and the "
         "harbour, and spending on all three will rise next year, the mayor told reporters outside the hall. "
         "Work on the harbour wall starts in March and should end before the summer, when the ferries and "
         "the fishing boats need the quays.")


@pytest.fixture(params=["sqlite", "redis"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    return request.getfixturevalue("redis_url")


def test_shingle_sets_are_the_scans():
    docs, _ = read_documents([SEEDS, PLANTED])
    printer = Printer(IndexSettings())
    for doc, p in zip(docs, printer.prints([d.text for d in docs])):
        layout = analyze(doc.text)
        expected = DocumentPrint(layout, TokenHasher().hash(layout.words), 5).shingle_set()
        assert np.array_equal(p.shingles, expected), doc.id


def test_winnowing_guarantees_an_anchor_for_a_long_enough_shared_run():
    rng = np.random.default_rng(3)
    shared = rng.integers(0, 2**63, size=40, dtype=np.uint64)
    a = np.concatenate([rng.integers(0, 2**63, size=100, dtype=np.uint64), shared])
    b = np.concatenate([shared, rng.integers(0, 2**63, size=70, dtype=np.uint64)])
    for window in (8, 16, 32, 40):
        anchors_a = winnow(a, np.ones(len(a), bool), window)
        anchors_b = winnow(b, np.ones(len(b), bool), window)
        assert set(anchors_a) & set(anchors_b), window
    # Chrome shingles are never anchors.
    assert len(winnow(a, np.zeros(len(a), bool), 8)) == 0


def test_winnowing_takes_the_minimum_of_every_window():
    rng = np.random.default_rng(5)
    for size, window in ((0, 4), (1, 4), (3, 8), (50, 1), (50, 7), (200, 32), (31, 32), (33, 32)):
        hashes = rng.integers(0, 2**64 - 1, size=size, dtype=np.uint64)
        valid = rng.random(size) < 0.8
        masked = np.where(valid, hashes, np.uint64(2**64 - 1))
        windows = [masked[k : k + window] for k in range(max(1, size - window + 1))] if size else []
        expected = {int(w.min()) >> 17 for w in windows if valid.any() and w.min() != 2**64 - 1}
        assert set(winnow(hashes, valid, window).tolist()) == expected, (size, window)


def test_a_batch_is_fingerprinted_as_each_text_alone():
    from dedup.fingerprint import hash_byte_runs, shingle_hashes
    from dedup.index.prints import anchor_grams
    from dedup.text import matching_word_runs

    rng = np.random.default_rng(8)
    vocabulary = "the council approved budget roads schools harbour mayor said Leave a comment".split()
    lengths = [0, 1, 3, 4, 5, 6, 9, 10, 11, 30, 40, 41, 42, 45, 60, 300]
    texts = [" ".join(rng.choice(vocabulary, size=n)) for n in lengths]
    texts += ["Leave a comment\n" + texts[-1], texts[9] + "\nLeave a comment\n" + texts[10], "Ça va, merci " * 20, ""]
    for shingle, window in ((5, 32), (3, 4), (1, 1), (2, 64)):
        settings = IndexSettings(shingle=shingle, anchor_window=window)
        printer = Printer(settings)
        order = rng.permutation(len(texts))
        batch = dict(zip(order.tolist(), printer.prints([texts[k] for k in order])))
        for k, text in enumerate(texts):
            runs = matching_word_runs([text])
            hashes = shingle_hashes(hash_byte_runs(runs.data, runs.starts, runs.ends), shingle)
            size = min(shingle, len(runs.chrome))
            valid = (np.convolve(runs.chrome.astype(int), np.ones(size, int), mode="valid") == 0 if len(hashes)
                     else np.zeros(0, bool))
            assert batch[k].shingles.tolist() == np.unique(hashes[valid]).tolist(), (k, shingle)
            expected = winnow(*anchor_grams(hashes, valid, shingle), window)
            assert batch[k].anchors.tolist() == expected.tolist(), (k, shingle, window)


def test_check_and_add_decides_unique_duplicate_and_reuses(location):
    copied = " ".join(STORY.split()[:45])  # anchors are sure to catch a copied run of 41 words
    with Index(location) as index:
        first = index.check_and_add([Document("a", STORY)])
        later = index.check_and_add([
            Document("b", STORY + " More soon."),
            Document("c", "In other news a bakery opened on the corner of the square this week. " + copied
                     + " Tickets for the concert on Friday are sold out already, organisers said."),
            Document("d", "A completely different note about gardening, tomatoes and the summer rains."),
        ])
    assert first[0].decision == "unique" and first[0].matches == []
    b, c, d = later
    assert b.decision == "duplicate" and b.matches[0].doc == "a" and b.matches[0].similarity >= 0.8
    assert b.matches[0].passages and b.matches[0].passages[0].kind == "copy"
    assert c.decision == "reuses" and c.matches[0].doc == "a"
    passage = c.matches[0].passages[0]
    assert passage.a.doc == "c" and passage.b.doc == "a"
    assert "approved the new budget" in STORY[passage.b.start:passage.b.end]
    assert d.decision == "unique"
    assert b.to_dict()["matches"][0]["passages"][0]["b"]["doc"] == "a"
    assert set(b.to_dict()) == {"id", "decision", "matches"}


def test_check_adds_nothing_and_ignores_earlier_documents_of_its_batch(location):
    with Index(location) as index:
        decisions = index.check([Document("a", STORY), Document("b", STORY)])
        assert [d.decision for d in decisions] == ["unique", "unique"]
        assert index.stats()["documents"] == 0
        decisions = index.check_and_add([Document("a", STORY), Document("b", STORY)])
        assert [d.decision for d in decisions] == ["unique", "duplicate"]


def test_readding_an_id_is_idempotent_and_a_new_text_replaces_the_old(location):
    with Index(location) as index:
        assert index.add([Document("a", STORY)]) == 1
        assert index.add([Document("a", STORY)]) == 0
        again = index.check_and_add([Document("a", STORY)])
        assert again[0].decision == "unique"  # never a match of itself
        assert index.stats()["documents"] == 1
        assert index.add([Document("a", "An unrelated text about gardening and tomatoes in the summer rain.")]) == 1
        assert index.stats()["documents"] == 1
        assert index.check([Document("z", STORY)])[0].decision == "unique"


def test_remove_prune_compact_and_stats(location):
    with Index(location) as index:
        index.add([Document("a", STORY), Document("b", STORY.replace("Tuesday", "Monday"))])
        assert index.remove(["a", "missing"]) == 1
        assert index.check([Document("x", STORY)])[0].matches[0].doc == "b"
        assert index.prune(time.time() - 3600) == 0
        assert index.prune(time.time() + 1) == 1
        stats = index.compact()
        assert stats["documents"] == 0 and stats["settings"]["num_perm"] == 128
        assert index.check([Document("x", STORY)])[0].decision == "unique"


def test_parameters_are_stored_and_a_mismatch_is_refused(location):
    with Index(location, num_perm=64, threshold=0.7) as index:
        index.add([Document("a", STORY)])
    with Index(location) as index:
        assert index.settings.num_perm == 64 and index.settings.threshold == 0.7
    with pytest.raises(ParameterError, match="num_perm=64, not 128"):
        Index(location, num_perm=128)
    with pytest.raises(ParameterError, match="threshold"):
        Index(location, threshold=0.5)  # looser than the stored LSH tuning
    with Index(location, threshold=0.9, max_matches=1) as index:  # stricter: allowed for one run
        assert index.threshold == 0.9 and index.settings.threshold == 0.7
    with pytest.raises(ParameterError, match="'shingle' parameter of index"):
        Index(location, shingle=0)
    with pytest.raises(ParameterError, match="Unknown parameter 'bands'"):
        Index(location, bands=3)


def test_decisions_agree_with_the_scan():
    docs, _ = read_documents([SEEDS, PLANTED])
    report = scan(docs, paraphrase=False)
    with Index(":memory:") as index:
        decisions = index.check_and_add(docs)
    found = {tuple(sorted((d.id, m.doc))) for d in decisions for m in d.matches if m.similarity >= 0.8}
    assert found == {tuple(sorted(d.documents)) for d in report.duplicates}
    reused = {tuple(sorted((d.id, m.doc))) for d in decisions for m in d.matches
              if any(p.kind == "copy" for p in m.passages)}
    scanned = {tuple(sorted((p.a.doc, p.b.doc))) for p in report.passages if p.kind == "copy" and p.a.doc != p.b.doc}
    # The index finds copied passages through anchors (grams of two shingles), so only
    # those with a verbatim run of at least anchor_window grams are sure to be found; every
    # such pair must be.
    assert reused <= scanned
    texts = {d.id: d.text for d in docs}
    settings = index.settings
    for a, b in scanned - reused:
        assert _longest_shared_run(texts[a], texts[b]) - settings.shingle < settings.anchor_window, (a, b)
    assert len(reused) >= len(scanned) - 3


def _longest_shared_run(a: str, b: str) -> int:
    """The longest run of consecutive valid shingles of ``a`` that are all shingles of ``b``."""
    (hashes_a, valid_a), (hashes_b, valid_b) = Printer(IndexSettings()).shingles([a, b])
    inside = valid_a & np.isin(hashes_a, hashes_b[valid_b])
    longest = run = 0
    for flag in inside.tolist():
        run = run + 1 if flag else 0
        longest = max(longest, run)
    return longest


def test_sqlite_and_redis_give_identical_decisions(tmp_path, redis_url):
    docs = [Document(p.id, p.text) for p in news_stream(300)]
    results = []
    for location in (str(tmp_path / "a.db"), redis_url):
        with Index(location) as index:
            results.append([d.to_dict() for k in range(0, 300, 64) for d in index.check_and_add(docs[k:k + 64])])
    assert results[0] == results[1]
    assert {d["decision"] for d in results[0]} == {"unique", "duplicate", "reuses"}


def test_postings_merged_into_the_large_tables_answer_as_fresh_ones(tmp_path, monkeypatch):
    from dedup.index import sqlite_store

    docs = [Document(p.id, p.text) for p in news_stream(300)]
    answers, counts = [], []
    for name, least in (("merged.db", 8), ("fresh.db", 10**9)):  # merge every few batches, or never
        monkeypatch.setattr(sqlite_store, "_MIN_FRESH", least)
        monkeypatch.setattr(sqlite_store, "_FRESH_SHARE", 2)
        with Index(str(tmp_path / name)) as index:
            added = [d.to_dict() for k in range(0, 300, 32) for d in index.check_and_add(docs[k:k + 32])]
            index.remove([d.id for d in docs[::2]])  # from both tiers
            checked = [d.to_dict() for d in index.check(docs)]
            stats = index.stats()
        answers.append((added, checked))
        counts.append((stats["documents"], stats["band_keys"], stats["anchors"]))
        with sqlite3.connect(str(tmp_path / name)) as db:
            fresh = db.execute("SELECT count(*) FROM fresh").fetchone()[0]
        assert (fresh < stats["documents"]) if least == 8 else (fresh == stats["documents"])
    assert answers[0] == answers[1] and counts[0] == counts[1]
    assert counts[0][0] == 150 and not {m["doc"] for d in answers[0][1] for m in d["matches"]} & {d.id for d in docs[::2]}


def test_each_connection_sees_what_another_added_removed_and_merged(tmp_path, monkeypatch):
    from dedup.index import sqlite_store

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


def test_planted_stream_decisions_are_right():
    planted = news_stream(400, seed=11)
    with Index(":memory:") as index:
        decisions = index.check_and_add([Document(p.id, p.text) for p in planted])
    for p, d in zip(planted, decisions):
        if p.label == "duplicate":
            assert d.decision == "duplicate" and d.matches[0].doc == p.source, p.id
        elif p.label == "reuses":
            assert d.decision in ("reuses", "duplicate") and p.source in {m.doc for m in d.matches}, p.id


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


def test_redis_server_down_is_a_clear_error():
    with pytest.raises(IndexStoreError, match="cannot reach the Redis server"):
        Index("redis://127.0.0.1:1/0")


def test_a_stream_with_helper_processes_decides_as_one_process(tmp_path):
    docs = [Document(p.id, p.text) for p in news_stream(300)]
    results = []
    for jobs in (1, 2):
        with Index(str(tmp_path / f"jobs{jobs}.db")) as index:
            batches = list(index.stream(iter(docs), batch_size=64, jobs=jobs))
            assert [len(b) for b in batches] == [64, 64, 64, 64, 44]
            results.append([d.to_dict() for batch in batches for d in batch])
            assert index.stats()["documents"] == 300
            # Checking copies of the first documents (nothing added) finds each one's original.
            copies = [Document(d.id + "-copy", d.text) for d in docs[:100]]
            again = [d for batch in index.stream(copies, add=False, batch_size=30, jobs=jobs) for d in batch]
            assert [d.decision for d in again] == ["duplicate"] * 100
            assert all(d.id == c.id and c.id[:-5] in [m.doc for m in d.matches] for d, c in zip(again, copies))
            assert index.stats()["documents"] == 300
    assert results[0] == results[1]
    assert [d["id"] for d in results[0]] == [d.id for d in docs]
    assert {"unique", "duplicate", "reuses"} <= {d["decision"] for d in results[0]}
    with Index(str(tmp_path / "jobs1.db")) as index, pytest.raises(ParameterError, match="'batch_size'"):
        next(index.stream(docs, batch_size=0))


def test_a_stream_drops_expired_documents_before_each_batch(tmp_path):
    from datetime import timedelta

    docs = [Document(p.id, p.text) for p in news_stream(40)]
    with Index(str(tmp_path / "news.db")) as index:
        index.add(docs[:20])
        time.sleep(1.1)
        decided = [d for b in index.stream(docs[20:], batch_size=10, max_age=timedelta(seconds=1)) for d in b]
        assert len(decided) == 20
        assert index.stats()["documents"] == 20  # the 20 added before the pause expired
