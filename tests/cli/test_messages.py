"""Messages people can act on (issue 24): warnings capped per reason, a missing field named
with the fields the record has, the output path checked before the scan, 'index add' with
check's input options and exit codes, --with-text refused where it does nothing."""

import json

from click.testing import CliRunner

from dedup.cli import cli
from dedup.cli.common import WARNINGS_PER_REASON


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_warnings_are_capped_per_reason_and_name_the_records_fields(tmp_path):
    path = tmp_path / "body.jsonl"
    records = [{"id": f"d{i}", "body": f"Text number {i}."} for i in range(50)]
    records.append({"id": "ok", "text": "One record with a text field, long enough to be read on its own."})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run("scan", str(path), "-o", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("dedup: warning:")]
    assert len(warnings) == WARNINGS_PER_REASON + 1
    assert "no 'text' field (its fields: 'id', 'body')" in warnings[0]
    assert "more 'no-text' problems" in warnings[-1]
    assert "50 no-text" in result.stderr  # the summary counts them all


def test_the_output_path_is_checked_before_the_scan(tmp_path):
    result = run("scan", "fixtures/seeds", "-o", str(tmp_path / "missing" / "r.json"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and "scanned" not in result.stderr


def test_with_text_is_refused_where_it_writes_nothing():
    result = run("scan", "fixtures/seeds", "--with-text", "--format", "csv")
    assert result.exit_code == 2 and "--format jsonl" in result.output


def test_index_add_reads_like_check_and_exits_1_when_nothing_is_read(tmp_path):
    index = str(tmp_path / "i.db")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("{not json\n", encoding="utf-8")
    nothing = run("index", "add", index, str(empty))
    assert nothing.exit_code == 1 and "no readable documents" in nothing.stderr
    notes = tmp_path / "notes.data"
    notes.write_text(json.dumps({"id": "n1", "text": "A note about the harbour wall and the ferries in March."}) + "\n"
                     + "{broken\n", encoding="utf-8")
    strict = run("index", "add", index, str(notes), "--input-format", "jsonl", "--strict", "-q")
    assert strict.exit_code == 1 and "--strict" in strict.stderr
    assert "read 1 documents" not in strict.stderr  # -q: no summary
    assert json.loads(run("index", "stats", index).stdout)["documents"] == 1
