"""dedup check and dedup index: the commands, the crash case and concurrent writers."""

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import Document
from dedup.cli import cli
from dedup.engines.index.core import Index
from tests.conftest import ROOT, news_stream

STORY = ("The council approved the new budget on Tuesday after a long debate about roads, schools and the "
         "harbour, and spending on all three will rise next year, the mayor told reporters outside the hall.")


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def jsonl(records):
    return "".join(json.dumps(r) + "\n" for r in records)


def test_check_streams_one_decision_per_document_in_order(tmp_path):
    db = str(tmp_path / "news.db")
    records = [{"id": "a", "text": STORY}, {"id": "b", "text": STORY + " More soon."},
               {"id": "c", "text": "A different note about gardening, tomatoes and the summer rains."}]
    result = run("check", "--index", db, "--batch-size", "2", input=jsonl(records))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(d["id"], d["decision"]) for d in lines] == [("a", "unique"), ("b", "duplicate"), ("c", "unique")]
    assert lines[1]["matches"][0]["doc"] == "a" and lines[1]["matches"][0]["passages"][0]["kind"] == "copy"
    assert "checked 3 documents" in result.stderr
    # --no-add checks against what is there and adds nothing.
    result = run("check", "--index", db, "--no-add", "-q", input=jsonl([{"id": "d", "text": STORY}]))
    assert json.loads(result.stdout)["decision"] == "duplicate"
    assert json.loads(run("index", "stats", db).stdout)["documents"] == 3


def test_emit_unique_passes_documents_through_unchanged(tmp_path):
    db = str(tmp_path / "news.db")
    records = [{"id": "a", "text": STORY, "url": "https://example.org/a", "extra": [1, 2]},
               {"id": "b", "text": STORY, "extra": None},
               {"id": "c", "text": "Gardening, tomatoes and the summer rains, a note from the allotment."}]
    result = run("check", "--index", db, "--emit", "unique", "-q", input=jsonl(records))
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == [records[0], records[2]]


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_is_checked(tmp_path):
    db = str(tmp_path / "news.db")
    data = (json.dumps({"id": "a", "text": STORY}) + "\n" + "{not json\n" + json.dumps({"id": "x"}) + "\n"
            + json.dumps({"id": "b", "text": STORY}) + "\n")
    path = tmp_path / "in.jsonl"
    path.write_text(data)
    result = run("check", "--index", db, str(path))
    assert result.exit_code == 0
    assert f"{path}:2: invalid JSON" in result.stderr and f"{path}:3: no 'text' field" in result.stderr
    assert [json.loads(x)["decision"] for x in result.stdout.splitlines()] == ["unique", "duplicate"]
    assert "(2 skipped: 1 invalid-json, 1 no-text)" in result.stderr


def test_usage_and_runtime_errors_have_their_exit_codes(tmp_path):
    db = str(tmp_path / "news.db")
    assert run("index", "create", db, "--num-perm", "64").exit_code == 0
    mismatch = run("check", "--index", db, "--threshold", "0.5", input=jsonl([{"id": "a", "text": STORY}]))
    assert mismatch.exit_code == 2 and "threshold" in mismatch.stderr
    again = run("index", "create", db, "--num-perm", "128")
    assert again.exit_code == 2 and "num_perm=64, not 128" in again.stderr
    bad_age = run("check", "--index", db, "--max-age", "soon", input="")
    assert bad_age.exit_code == 2 and "30d" in bad_age.stderr
    missing = run("check", "--index", str(tmp_path / "none.db"), "--no-add", input=jsonl([{"id": "a", "text": STORY}]))
    assert missing.exit_code == 1 and "no index there" in missing.stderr
    nothing = run("check", "--index", db, input="{broken\n")
    assert nothing.exit_code == 1 and "<stdin>:1: invalid JSON" in nothing.stderr
    down = run("index", "stats", "redis://127.0.0.1:1/0")
    assert down.exit_code == 1 and "cannot reach the Redis server" in down.stderr
    assert "Traceback" not in down.output + mismatch.output + missing.output


def test_index_group_commands(tmp_path):
    db = str(tmp_path / "news.db")
    docs = tmp_path / "docs.jsonl"
    docs.write_text(jsonl([{"id": "a", "text": STORY}, {"id": "b", "text": STORY.replace("Tuesday", "Monday")}]))
    created = json.loads(run("index", "create", db, "--anchor-window", "16").stdout)
    assert created["settings"]["anchor_window"] == 16 and created["documents"] == 0
    assert "2 added" in run("index", "add", db, str(docs)).stderr
    assert "0 added" in run("index", "add", db, str(docs)).stderr  # idempotent
    assert "removed 1 of 2" in run("index", "remove", db, "a", "zzz").stderr
    assert "pruned 0" in run("index", "prune", db, "--max-age", "1d").stderr
    assert "pruned 1" in run("index", "prune", db, "--before", "2999-01-01").stderr
    assert run("index", "prune", db).exit_code == 2
    compacted = json.loads(run("index", "compact", db).stdout)
    assert compacted["documents"] == 0
    assert run("index", "stats", str(tmp_path / "none.db")).exit_code == 1


def test_redis_backend_from_the_command_line(redis_url):
    records = [{"id": "a", "text": STORY}, {"id": "b", "text": STORY}]
    result = run("check", "--index", redis_url, "-q", input=jsonl(records))
    assert [json.loads(x)["decision"] for x in result.stdout.splitlines()] == ["unique", "duplicate"]
    assert json.loads(run("index", "stats", redis_url).stdout)["backend"] == "redis"


def test_a_killed_stream_loses_at_most_its_batch_and_never_corrupts_the_index(tmp_path):
    db = str(tmp_path / "news.db")
    docs = news_stream(200, seed=5)
    child = subprocess.Popen(
        [sys.executable, "-m", "dedup", "check", "--index", db, "--batch-size", "10", "--jobs", "2", "-q"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT,
    )
    decided = []
    for doc in docs[:120]:
        child.stdin.write((json.dumps({"id": doc.id, "text": doc.text}) + "\n").encode())
    child.stdin.flush()
    deadline = time.monotonic() + 120
    while len(decided) < 40 and time.monotonic() < deadline:
        decided.append(json.loads(child.stdout.readline())["id"])
    helpers = _children(child.pid)
    os.kill(child.pid, signal.SIGKILL)  # mid-stream: batches after the 4th are in flight
    child.wait()
    assert len(decided) >= 40
    assert helpers, "two batches in: the helper processes were started"
    deadline = time.monotonic() + 30
    while any(os.path.exists(f"/proc/{pid}") for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if os.path.exists(f"/proc/{pid}")], "helpers outlived their parent"
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The rewrite tier's tables hold what the committed documents put there, no more.
        stored = check.execute("SELECT count(*) FROM docs").fetchone()[0]
        assert check.execute("SELECT value FROM upkeep WHERE name = 'stem_documents'").fetchone()[0] == stored
        for table in ("sentences", "fresh"):
            column = "doc" if table == "sentences" else "num"
            assert check.execute(f"SELECT count(*) FROM {table} WHERE {column} NOT IN (SELECT num FROM docs)"
                                 ).fetchone()[0] == 0
    with Index(db) as index:
        count = index.stats()["documents"]
        # Every decision written was committed; at most the batch in flight is lost.
        assert len(decided) <= count <= 120 and count % 10 == 0
        rest = index.check_and_add([Document(d.id, d.text) for d in docs[count:]])
        assert index.stats()["documents"] == 200
        assert any(d.decision == "duplicate" for d in rest)


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _add_near_copy(location, barrier, doc_id, text, out):
    with Index(location) as index:
        barrier.wait()
        out.put((doc_id, index.check_and_add([Document(doc_id, text)])[0].decision))


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_concurrent_writers_cannot_both_be_told_unique(backend, tmp_path, request):
    location = str(tmp_path / "news.db") if backend == "sqlite" else request.getfixturevalue("redis_url")
    Index(location).close()  # created once, so both workers open the same parameters
    context = multiprocessing.get_context("spawn")
    for round_number, planted in enumerate(news_stream(6, seed=21)[:3]):
        barrier, out = context.Barrier(2), context.Queue()
        texts = [planted.text, planted.text.replace(" the ", " a ", 2)]
        workers = [context.Process(target=_add_near_copy, args=(location, barrier, f"r{round_number}w{k}", t, out))
                   for k, t in enumerate(texts)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=120)
        results = sorted(out.get(timeout=5)[1] for _ in workers)
        assert results == ["duplicate", "unique"], round_number


def test_a_feed_polled_again_emits_nothing_new_and_resume_replays_what_was_let_through(tmp_path):
    db = str(tmp_path / "news.db")
    records = [{"id": "a", "text": STORY}, {"id": "b", "text": STORY + " More soon."},
               {"id": "c", "text": "Gardening, tomatoes and the summer rains, a note from the allotment."}]
    first = run("check", "--index", db, "--emit", "unique", "-q", input=jsonl(records))
    assert [json.loads(line)["id"] for line in first.stdout.splitlines()] == ["a", "c"]
    again = run("check", "--index", db, "--emit", "unique", input=jsonl(records))
    assert again.exit_code == 0 and again.stdout == ""
    assert "3 already indexed" in again.stderr
    resumed = run("check", "--index", db, "--emit", "unique", "--resume", "-q",
                  input=jsonl(records[1:] + [{"id": "d", "text": "A new note on the harbour's ferries and boats."}]))
    assert [json.loads(line)["id"] for line in resumed.stdout.splitlines()] == ["c", "d"]
    decisions = [json.loads(line) for line in run("check", "--index", db, "-q", input=jsonl(records)).stdout.splitlines()]
    assert [(d["decision"], d["known"]) for d in decisions] == [("unique", True), ("duplicate", True), ("unique", True)]


def test_a_sqlite_file_of_another_application_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (name TEXT)")
    before = path.read_bytes()
    for args in (["check", "--index", str(path)], ["check", "--index", str(path), "--no-add"],
                 ["index", "stats", str(path)], ["index", "add", str(path), "-"]):
        result = run(*args, input=jsonl([{"id": "a", "text": STORY}]))
        assert result.exit_code == 1, (args, result.output)
        assert "not a dedup index" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before


def test_stats_on_an_empty_file_writes_nothing_into_it(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    result = run("index", "stats", str(path))
    assert result.exit_code == 1 and "no index there" in result.stderr
    assert path.read_bytes() == b""


def test_records_without_the_id_field_are_an_error_unless_ids_are_asked_for(tmp_path):
    db = str(tmp_path / "news.db")
    poll = [{"guid": "g1", "text": STORY}, {"guid": "g2", "text": "Gardening, tomatoes and the summer rains."}]
    for command in (["check", "--index", db], ["index", "add", db, "-"]):
        result = run(*command, input=jsonl([{"id": "x", "text": "A note on the harbour's ferries and boats."}] + poll))
        assert result.exit_code == 1, result.output
        [error] = [line for line in result.stderr.splitlines() if line.startswith("Error")]
        assert "<stdin>:2: the record has no 'id' field (its fields: 'guid', 'text')" in error and "--ids hash" in error
    # What came before the record was checked and added.
    assert json.loads(run("index", "stats", db).stdout)["documents"] == 1
    # Ids from the text's hash: a feed polled twice is known the second time, not overwritten.
    first = run("check", "--index", db, "--ids", "hash", "-q", input=jsonl(poll))
    again = run("check", "--index", db, "--ids", "hash", "-q", input=jsonl(poll))
    ids = [json.loads(line)["id"] for line in first.stdout.splitlines()]
    assert len(set(ids)) == 2 and all(i.startswith("sha1:") and len(i) == 21 for i in ids)
    assert [(d["id"], d["known"]) for d in map(json.loads, again.stdout.splitlines())] == [(i, True) for i in ids]
    lines = run("check", "--index", db, "--ids", "line", "--no-add", "-q", input=jsonl(poll)).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["1", "2"]


def test_scan_warns_once_of_line_number_ids(tmp_path):
    corpus = tmp_path / "feed.jsonl"
    corpus.write_text(jsonl([{"guid": f"g{k}", "text": f"{STORY} Item {k}."} for k in range(3)]))
    result = run("scan", str(corpus), "-o", str(tmp_path / "report.json"))
    assert result.exit_code == 0
    assert result.stderr.count("3 records have no 'id' field: their ids are their line numbers") == 1


def test_the_summary_counts_documents_and_a_new_index_may_leave_out_the_rewrite_tier(tmp_path):
    db = str(tmp_path / "news.db")
    other = ("In other news a bakery opened on the corner of the square this week, and the queue reached the "
             "station by eight. Tickets for the concert on Friday are sold out already, organisers said, and the "
             "band will play a second night in the old theatre next month if the council agrees. ")
    records = [{"id": "a", "text": STORY}, {"id": "b", "text": other + STORY}]
    result = run("check", "--index", db, "--no-paraphrase", input=jsonl(records))
    assert "1 unique, 1 document reuses passages, 0 duplicates, 0 already indexed" in result.stderr
    assert json.loads(run("index", "stats", db).stdout)["settings"]["paraphrase"] is False


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_no_add_and_stats_work_on_an_index_in_a_folder_that_cannot_be_written():
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="dedup-media-"))  # in the temporary folder, which anyone may cross
    folder = base / "media"
    folder.mkdir()
    db = str(folder / "news.db")
    assert run("check", "--index", db, "-q", input=jsonl([{"id": "a", "text": STORY}])).exit_code == 0
    base.chmod(0o755)
    folder.chmod(0o555)
    feed = jsonl([{"id": "b", "text": STORY}])
    commands = [["check", "--index", db, "--no-add"], ["index", "stats", db]]
    try:
        if os.geteuid() == 0:
            # Root writes anywhere: run the commands as an unprivileged user, for real.
            def as_nobody():
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)

            try:
                probe = subprocess.run([sys.executable, "-c", "import dedup"], preexec_fn=as_nobody,
                                       capture_output=True, cwd="/").returncode
            except PermissionError:
                probe = 1
            if probe != 0:
                pytest.skip("this interpreter cannot be run by an unprivileged user here")
            results = [subprocess.run([sys.executable, "-m", "dedup", *args], preexec_fn=as_nobody, input=feed,
                                      capture_output=True, text=True, cwd="/") for args in commands]
            outputs = [(r.returncode, r.stdout, r.stderr) for r in results]
        else:
            outputs = [(r.exit_code, r.stdout, r.stderr) for r in (run(*args, input=feed) for args in commands)]
        names = sorted(p.name for p in folder.iterdir())
    finally:
        folder.chmod(0o755)
        shutil.rmtree(base)
    (check_code, check_out, check_err), (stats_code, stats_out, _) = outputs
    assert check_code == 0, check_err
    assert json.loads(check_out)["decision"] == "duplicate"
    assert stats_code == 0 and json.loads(stats_out)["documents"] == 1
    assert names == ["news.db"]
