"""The persistent index through its Python API, on SQLite and on a real Redis server."""

import time

from dedup import Document
from dedup.engines.index.core import Index
from tests.conftest import news_stream
from tests.engines.index.conftest import STORY


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
    assert set(b.to_dict()) == {"id", "decision", "matches", "known", "updated"}


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


def test_planted_stream_decisions_are_right():
    planted = news_stream(400, seed=11)
    with Index(":memory:", paraphrase=False) as index:  # the verbatim tier's decisions
        decisions = index.check_and_add([Document(p.id, p.text) for p in planted])
    for p, d in zip(planted, decisions):
        if p.label == "duplicate":
            assert d.decision == "duplicate" and d.matches[0].doc == p.source, p.id
        elif p.label == "reuses":
            assert d.decision in ("reuses", "duplicate") and p.source in {m.doc for m in d.matches}, p.id


def test_a_stream_drops_expired_documents_before_each_batch(tmp_path):
    from datetime import timedelta

    docs = [Document(p.id, p.text) for p in news_stream(40)]
    with Index(str(tmp_path / "news.db")) as index:
        index.add(docs[:20])
        time.sleep(1.1)
        decided = [d for b in index.stream(docs[20:], batch_size=10, max_age=timedelta(seconds=1)) for d in b]
        assert len(decided) == 20
        assert index.stats()["documents"] == 20  # the 20 added before the pause expired


def test_a_document_delivered_again_is_known_and_answered_with_its_first_decision(location):
    copy = Document("b", STORY + " More soon.")
    with Index(location) as index:
        index.check_and_add([Document("a", STORY)])
        [first] = index.check_and_add([copy])
        index.check_and_add([Document("c", "An unrelated note about tomatoes, gardens and the summer's rains.")])
        again = index.check_and_add([copy, Document("a", STORY)])
        checked = index.check([copy])
        [updated] = index.check_and_add([Document("b", "A new lead for the story. " + STORY)])
        assert index.stats()["documents"] == 3
    assert first.decision == "duplicate" and not first.known
    # The same decision and matches as the first time, and the flag; nothing added twice.
    assert [d.to_dict() for d in again] == [{**first.to_dict(), "known": True},
                                            {"id": "a", "decision": "unique", "matches": [], "known": True,
                                             "updated": False}]
    assert checked[0].to_dict() == {**first.to_dict(), "known": True}
    assert updated.updated and not updated.known and updated.decision == "duplicate"


def test_a_known_document_without_a_kept_decision_is_decided_against_those_before_it(tmp_path):
    import sqlite3

    path = str(tmp_path / "news.db")
    with Index(path) as index:
        index.check_and_add([Document("a", STORY)])
        index.check_and_add([Document("b", STORY + " More soon.")])
        index.check_and_add([Document("c", STORY + " More soon, and later.")])
    with sqlite3.connect(path) as db:  # as if the process stopped before the decisions were kept
        db.execute("UPDATE docs SET decision = NULL")
    with Index(path) as index:
        answers = index.check_and_add([Document("a", STORY), Document("b", STORY + " More soon.")])
    # "a" came first: against nothing before it, it is unique again, not a copy of "b" or "c".
    assert [(d.id, d.decision, d.known, [m.doc for m in d.matches]) for d in answers] == [
        ("a", "unique", True, []), ("b", "duplicate", True, ["a"])]
