"""Output that cannot attack its reader, options that act or are refused, and a batch that a
bad line does not lose (issue 22)."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from dedup.cli import cli

STORY = ("The council approved the new budget on Tuesday after a long debate about roads, schools and the "
         "harbour, and spending on all three will rise next year, the mayor told reporters outside the hall.")


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_csv_cells_that_a_spreadsheet_would_run_are_text(tmp_path):
    records = [{"id": "=HYPERLINK(\"http://evil\")", "text": STORY}, {"id": "+1-2", "text": STORY},
               {"id": "@SUM(A1)", "text": "-" + STORY}]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run("scan", str(tmp_path / "c.jsonl"), "--format", "csv", "-q")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    cells = [row[key] for row in rows for key in ("a_doc", "b_doc", "a_text", "b_text") if row[key]]
    assert cells and not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert {row["a_doc"] for row in rows} >= {"'=HYPERLINK(\"http://evil\")"}


def test_control_characters_are_escaped_in_the_table_and_in_warnings(tmp_path):
    hostile = "\x1b]0;owned\x07\x1b[2J\u202e"
    (tmp_path / f"a{hostile}.txt").write_text(STORY + hostile, encoding="utf-8")
    (tmp_path / f"b{hostile}.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / f"empty{hostile}.txt").write_text("", encoding="utf-8")
    result = run("scan", str(tmp_path), "--format", "table")
    assert result.exit_code == 0, result.output
    assert "empty document" in result.stderr and "\\x1b]0;owned\\x07" in result.stderr
    assert "\\x1b[2J" in result.stdout
    for stream in (result.stdout, result.stderr):
        assert not any(ch in stream for ch in "\x1b\x07\u202e")


@pytest.mark.parametrize("options, named", [
    (["--parts", "out"], "--parts"), (["--no-merge"], "--no-merge"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler"), (["--partition-size", "8"], "--partition-size"),
    (["--parts", "out", "--no-merge"], "--parts and --no-merge"),
])
def test_dask_options_without_the_dask_engine_are_usage_errors(options, named):
    result = run("scan", "fixtures/seeds", *options)
    assert result.exit_code == 2
    assert f"{named} only act" in result.output and "--engine dask" in result.output


def test_check_keeps_the_good_lines_of_a_batch_around_a_bad_one(tmp_path):
    good = [json.dumps({"id": f"g{i}", "text": f"Document {i} says something of its own about topic {i * 7919}."})
            for i in range(200)]
    lines = good[:100] + ["[" * 100_000 + "]" * 100_000, '{"id": "n", "text": "x", "v": ' + "9" * 5000 + "}"] + good[100:]
    db = str(tmp_path / "i.db")
    result = run("check", "--index", db, "-q", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    decisions = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["id"] for d in decisions] == [f"g{i}" for i in range(200)]
    assert json.loads(run("index", "stats", db).stdout)["documents"] == 200
