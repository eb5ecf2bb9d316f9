"""A damaged index is a one-line error naming it, never a traceback or an index silently
made again empty; ``dedup index check`` says what is wrong (issue 22)."""

import json
import sqlite3

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from dedup.engines.index.backends import verify_index
from dedup.engines.index.core import Index
from dedup.errors import IndexStoreError
from tests.engines.index.conftest import STORY

DOCS = [STORY, STORY.replace("Tuesday", "Monday") + " More later.",
        "A different note about gardening, tomatoes, the summer rains and the price of seed this year."]


def built(tmp_path):
    path = str(tmp_path / "news.db")
    with Index(path) as index:
        index.add(DOCS)
    return path


def damage(path, *statements):
    db = sqlite3.connect(path)
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


def test_a_whole_index_checks_clean(tmp_path, location):
    with Index(location) as index:
        index.add(DOCS)
    result = verify_index(location)
    assert result["ok"] and result["problems"] == [] and result["documents"] == 3


@pytest.mark.parametrize("table", ["docs", "texts", "bands", "anchors", "sentences", "fresh", "stem_counts", "upkeep"])
def test_a_dropped_table_is_an_error_not_an_empty_table_made_again(tmp_path, table):
    path = built(tmp_path)
    damage(path, f"DROP TABLE {table}")
    for read_only in (False, True):
        with pytest.raises(IndexStoreError) as raised:
            with Index(path, read_only=read_only) as index:
                index.check([STORY])
        assert str(raised.value).startswith(f"{path}: the index is damaged") and table in str(raised.value)
    assert table not in {row[0] for row in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert f"table {table} missing" in verify_index(path)["problems"]


@pytest.mark.parametrize("statement, found", [
    ("UPDATE texts SET text = X'789c0000ffff' WHERE num = 1", "cannot be decompressed"),
    ("DELETE FROM texts WHERE num = 1", "without a stored text"),
])
def test_a_damaged_text_is_a_one_line_error_and_the_check_finds_it(tmp_path, statement, found):
    path = built(tmp_path)
    damage(path, statement)
    with pytest.raises(IndexStoreError, match="stored text of document number 1 is damaged"):
        with Index(path) as index:
            index.check([STORY])
    result = CliRunner().invoke(cli, ["index", "check", path])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert not report["ok"] and any(found in problem for problem in report["problems"])
    assert result.stderr.startswith("Error:") and len(result.stderr.strip().splitlines()) == 1


def test_a_damaged_redis_document_is_found_by_the_check(redis_url):
    with Index(redis_url) as index:
        index.add(DOCS)
    from dedup.engines.index.redis_store import RedisStore

    store = RedisStore(redis_url)
    store._client.hset(store._key("doc", 1), "text", b"not zlib")
    store.close()
    with pytest.raises(IndexStoreError, match="document number 1 is damaged"):
        with Index(redis_url) as index:
            index.check([STORY])
    assert any("cannot be decompressed" in p for p in verify_index(redis_url)["problems"])


def test_the_page_cache_size_is_configurable_and_checked(tmp_path, monkeypatch):
    from dedup.engines.index.sqlite_store import cache_kib

    monkeypatch.setenv("DEDUP_SQLITE_CACHE_MB", "16")
    assert cache_kib() == 16 * 1024
    monkeypatch.setenv("DEDUP_SQLITE_CACHE_MB", "lots")
    with pytest.raises(IndexStoreError, match="DEDUP_SQLITE_CACHE_MB"):
        Index(str(tmp_path / "x.db"))
