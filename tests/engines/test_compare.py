import json

import pytest
from click.testing import CliRunner

import dedup
from dedup.cli import cli
from tests.conftest import SEEDS

CNN_COPY = "004_b86f621bbed01eb0.txt"


REWRITE = "003_7d410491a9d5865a.txt"


INDEPENDENT = "000_8932b4b4356b9590.txt"


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, *args):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_compare_two_files_side_by_side(runner):
    result = invoke(runner, "compare", str(SEEDS / REWRITE), str(SEEDS / CNN_COPY), "--format", "table", "-q")
    assert result.exit_code == 0
    assert f"== {REWRITE}  <->  {CNN_COPY}" in result.stdout
    assert "paraphrase" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "The United States has launched" in line)
    assert " | The US conducted major airstrikes" in row  # the two sides on one line


def test_compare_two_files_json_spans_slice_the_texts(runner):
    result = invoke(runner, "compare", str(SEEDS / REWRITE), str(SEEDS / CNN_COPY), "-q")
    [pair] = json.loads(result.stdout)
    assert (pair["a"], pair["b"]) == (REWRITE, CNN_COPY)
    text_b = (SEEDS / CNN_COPY).read_text(encoding="utf-8")
    assert {p["kind"] for p in pair["passages"]} <= {"copy", "paraphrase", "quote"}
    assert any("The US conducted major airstrikes" in text_b[p["b"]["start"]:p["b"]["end"]] for p in pair["passages"])


def test_compare_pairs_writes_one_object_per_pair(runner, tmp_path):
    pairs = tmp_path / "pairs.txt"
    pairs.write_text(f"{REWRITE} {CNN_COPY}\n\n# comment\n{INDEPENDENT}\t{CNN_COPY}\n", encoding="utf-8")
    result = invoke(runner, "compare", "--pairs", str(pairs), "--docs", str(SEEDS), "-q")
    assert result.exit_code == 0 and result.stderr == ""
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["a"], o["b"]) for o in objects] == [(REWRITE, CNN_COPY), (INDEPENDENT, CNN_COPY)]
    assert any(p["kind"] == "paraphrase" for p in objects[0]["passages"])
    assert all(p["kind"] == "quote" for p in objects[1]["passages"])


def test_bad_pairs_lines_are_reported_with_line_numbers_and_skipped(runner, tmp_path):
    pairs = tmp_path / "pairs.txt"
    pairs.write_text(f"{REWRITE}\n{REWRITE} missing.txt\n{REWRITE} {CNN_COPY} extra\n{REWRITE} {CNN_COPY}\n",
                     encoding="utf-8")
    result = invoke(runner, "compare", "--pairs", str(pairs), "--docs", str(SEEDS), "-q")
    assert result.exit_code == 0
    warnings = result.stderr.splitlines()
    assert warnings[0] == (f"dedup: warning: {pairs}:1: expected two document ids separated by whitespace, "
                           "found 1; line skipped")
    assert warnings[1].startswith(f"dedup: warning: {pairs}:2: unknown document id 'missing.txt'")
    assert warnings[2].startswith(f"dedup: warning: {pairs}:3: expected two document ids")
    assert len(result.stdout.splitlines()) == 1


def test_pairs_file_without_usable_pairs_is_a_runtime_error(runner, tmp_path):
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("a.txt b.txt\n", encoding="utf-8")
    result = invoke(runner, "compare", "--pairs", str(pairs), "--docs", str(SEEDS), "-q")
    assert result.exit_code == 1
    assert f"Error: no usable pairs in {pairs}." in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [[], ["--pairs", "PAIRS"], ["ONE"], ["ONE", "--pairs", "PAIRS", "--docs", "DOCS"]])
def test_compare_needs_two_files_or_pairs_with_docs(runner, tmp_path, args):
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("x y\n", encoding="utf-8")
    replace = {"PAIRS": str(pairs), "DOCS": str(SEEDS), "ONE": str(SEEDS / REWRITE)}
    result = invoke(runner, "compare", *[replace.get(a, a) for a in args])
    assert result.exit_code == 2
    assert "give two files" in result.stderr


def test_compare_api_finds_a_reworded_passage_and_not_an_unrelated_one():
    source = ("The council approved the new budget on Tuesday after a long debate. "
              "Spending on roads will rise by ten percent next year.")
    rewrite = ("After lengthy discussion, the council passed the new budget on Tuesday. "
               "Next year road spending is set to rise ten percent.")
    other = "The river flooded three villages overnight. Rescue teams evacuated hundreds of residents by boat."
    assert [p.kind for p in dedup.compare(source, rewrite)] == ["paraphrase"]
    assert dedup.compare(source, other) == []


def test_compare_pairs_rejects_unknown_ids():
    with pytest.raises(dedup.ParameterError, match="Unknown document id 'z'"):
        list(dedup.compare_pairs([("a", "z")], [dedup.Document("a", "text")]))
