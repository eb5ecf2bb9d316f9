import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from tests.conftest import ROOT, SEEDS


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, *args, input=None):
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def test_every_command_has_help(runner):
    result = invoke(runner, "--help")
    assert result.exit_code == 0 and "Exit codes" in result.output
    for name, command in cli.commands.items():
        assert command.help, name
        result = invoke(runner, name, "--help")
        assert result.exit_code == 0
        for param in command.params:
            if isinstance(param, __import__("click").Option):
                assert param.help, f"{name} {param.name}"


def test_scan_json_to_stdout_and_summary_to_stderr(runner):
    result = invoke(runner, "scan", str(SEEDS), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["dedup_report"] == 1 and len(data["documents"]) == 5
    assert "dedup: scanned 5 documents (0 skipped)" in result.stderr
    assert "dedup:" not in result.stdout.splitlines()[0]


def test_default_format_is_json_when_piped_and_from_suffix(runner, tmp_path):
    result = invoke(runner, "scan", str(SEEDS), "-q")
    assert json.loads(result.stdout)["dedup_report"] == 1 and result.stderr == ""
    out = tmp_path / "report.csv"
    result = invoke(runner, "scan", str(SEEDS), "-q", "-o", str(out))
    assert result.stdout == "" and out.read_text().startswith("record,kind,score")


def test_stdin_jsonl(runner):
    lines = "".join(json.dumps({"id": f"d{i}", "text": text}) + "\n" for i, text in enumerate([
        "The committee approved the budget after a long debate that lasted until midnight on Tuesday.",
        "Reports said the committee approved the budget after a long debate that lasted until midnight.",
    ]))
    result = invoke(runner, "scan", "-", "--format", "jsonl", "-q", input=lines)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    passages = [r for r in records if r["type"] == "passage"]
    assert result.exit_code == 0 and len(passages) == 1 and passages[0]["kind"] == "copy"


@pytest.mark.parametrize("option, value, name", [
    ("--threshold", "1.5", "--threshold"),
    ("--num-perm", "8", "--num-perm"),
    ("--shingle", "0", "--shingle"),
    ("--min-words", "0", "--min-words"),
    ("--seed", "-1", "--seed"),
])
def test_out_of_range_option_is_a_usage_error(runner, option, value, name):
    result = invoke(runner, "scan", str(SEEDS), option, value)
    assert result.exit_code == 2
    assert f"Invalid value for '{name}'" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_path_is_a_usage_error(runner):
    result = invoke(runner, "scan", "/no/such/dir")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_directory_without_readable_documents_is_a_runtime_error(runner, tmp_path):
    (tmp_path / "a.bin").write_bytes(b"\x00")
    (tmp_path / "empty.txt").write_text("")
    result = invoke(runner, "scan", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"Error: no readable documents in {tmp_path}."
    assert "empty.txt: empty document; skipped" in result.stderr


def test_bad_documents_are_reported_and_the_rest_scanned(runner, tmp_path):
    good = (SEEDS / "004_b86f621bbed01eb0.txt").read_text()
    (tmp_path / "good.txt").write_text(good)
    (tmp_path / "copy.txt").write_text(good)
    (tmp_path / "bin.txt").write_bytes(b"abc\x00def")
    (tmp_path / "bad.txt").write_bytes(b"Bad \xff\xfe bytes in an otherwise fine document.")
    (tmp_path / "lines.jsonl").write_text('{"id": "good.txt", "text": "Duplicate id."}\n{broken\n')
    result = invoke(runner, "scan", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("dedup: warning:")]
    joined = "\n".join(warnings)
    assert "bin.txt: binary file" in joined
    assert "bad.txt: not valid UTF-8" in joined
    assert "lines.jsonl:2: invalid JSON" in joined
    assert "duplicate id 'good.txt'" in joined
    data = json.loads(result.stdout)
    ids = {d["id"] for d in data["documents"]}
    assert {"good.txt", "copy.txt", "bad.txt", "good.txt#2"} == ids
    assert data["duplicates"][0]["similarity"] == 1.0


def test_unwritable_output_is_a_runtime_error(runner, tmp_path):
    result = invoke(runner, "scan", str(SEEDS), "-q", "-o", str(tmp_path / "missing" / "out.json"))
    assert result.exit_code == 1 and result.stderr.startswith("Error: cannot write")


def test_python_dash_m_and_results_stable_across_processes():
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-m", "dedup", "scan", str(SEEDS), "--format", "json", "-q"],
                              capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and json.loads(outputs[0])["passages"]
