"""``dedup render``: a saved report drawn again without scanning; the table's width and colour
from the terminal."""

import json

from click.testing import CliRunner

from dedup.cli import cli
from tests.conftest import SEEDS


def scan_to(path, *options):
    result = CliRunner().invoke(cli, ["scan", str(SEEDS), "-o", str(path), "-q", *options], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


def test_a_saved_report_renders_as_the_scan_would(tmp_path):
    runner = CliRunner()
    direct = scan_to(tmp_path / "direct.html")
    saved = scan_to(tmp_path / "report.jsonl", "--with-text")
    again = tmp_path / "again.html"
    assert runner.invoke(cli, ["render", str(saved), "-o", str(again)]).exit_code == 0
    assert again.read_text("utf-8") == direct.read_text("utf-8")
    # From a JSON report, the texts read from the corpus.
    report = scan_to(tmp_path / "report.json.gz")
    table = runner.invoke(cli, ["render", str(report), "--texts", str(SEEDS), "--format", "table", "--detail"])
    assert table.exit_code == 0 and "  1a The United States has launched" in table.stdout
    assert table.stdout.splitlines()[0].startswith("dedup: 5 documents; 3 document pairs share passages")
    same = runner.invoke(cli, ["render", str(report), "--format", "json"])
    data = json.loads(same.stdout)  # the saved report, read back and written again: the same passages
    assert data["passages"] == json.loads(runner.invoke(cli, ["render", str(saved), "--format", "json"]).stdout)["passages"]
    assert all("sentences" in p for p in data["passages"])
    # A gzipped report on stdin is known by its magic bytes.
    import gzip

    piped = runner.invoke(cli, ["render", "-", "--format", "json"], input=gzip.compress(saved.read_bytes()))
    assert piped.exit_code == 0 and json.loads(piped.stdout)["passages"] == data["passages"]


def test_what_render_cannot_use_is_one_line(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(cli, ["render", str(bad)])
    assert result.exit_code == 1 and "not a dedup report (invalid JSON at line 1)" in result.output
    for content in ("[1, 2]", '{"type": "document", "id": "x"}\n[3]\n'):
        odd = tmp_path / "odd.json"
        odd.write_text(content, encoding="utf-8")
        result = runner.invoke(cli, ["render", str(odd)])
        assert result.exit_code == 1 and "not a dedup report" in result.output and "Traceback" not in result.output
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"dedup_report": 2, "documents": []}), encoding="utf-8")
    result = runner.invoke(cli, ["render", str(other)])
    assert result.exit_code == 1 and "dedup_report 2" in result.output and "Traceback" not in result.output
    # A text that is not the one scanned would misplace every span.
    report = scan_to(tmp_path / "report.json")
    changed = tmp_path / "changed"
    changed.mkdir()
    for path in SEEDS.iterdir():
        (changed / path.name).write_text(path.read_text("utf-8") + " More.", encoding="utf-8")
    result = runner.invoke(cli, ["render", str(report), "--texts", str(changed), "--format", "html"])
    assert result.exit_code == 1 and "not the text that was scanned" in result.output


def test_the_table_takes_the_terminal_width_and_no_colour_when_piped(tmp_path):
    runner = CliRunner()
    for columns in (80, 120):
        result = runner.invoke(cli, ["scan", str(SEEDS), "--format", "table", "-q"], env={"COLUMNS": str(columns)})
        assert result.exit_code == 0
        widths = [len(line) for line in result.stdout.splitlines()]
        assert max(widths) <= columns and max(widths) > columns - 15
        assert "\x1b[" not in result.stdout  # not a terminal: no colour
    pair = [str(SEEDS / "003_7d410491a9d5865a.txt"), str(SEEDS / "004_b86f621bbed01eb0.txt")]
    result = runner.invoke(cli, ["compare", *pair, "--format", "table", "-q"], env={"COLUMNS": "80"})
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
