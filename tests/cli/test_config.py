"""User data files (--boilerplate, --outlets), dedup.toml and DEDUP_* environment variables."""

import json

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from tests.conftest import SEEDS

SEED_PATHS = sorted(SEEDS.glob("*.txt"))
CHROME_LINE = ("Sign up for the Valley Gazette morning briefing and get every story that matters to the valley "
               "delivered before breakfast")


@pytest.fixture()
def corpus(tmp_path):
    """Two unrelated articles that share a site's sign-up line; the second cites a local paper."""
    for name, seed, tail in [("a.txt", SEED_PATHS[0], ""),
                             ("b.txt", SEED_PATHS[4], "\nAn official told the Valley Gazette on Friday that it was over.\n")]:
        headline, body = seed.read_text(encoding="utf-8").split("\n", 1)
        (tmp_path / name).write_text(f"{headline}\n{CHROME_LINE}\n{body}{tail}", encoding="utf-8")
    (tmp_path / "chrome.txt").write_text("# our site\nsign up for the valley gazette morning briefing.*\n")
    (tmp_path / "outlets.txt").write_text("Valley Gazette | valleygazette.com |\n")
    return tmp_path


def _report(corpus, *args, config=()):
    result = CliRunner().invoke(cli, [*config, "scan", str(corpus / "a.txt"), str(corpus / "b.txt"), "-q", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _between(report):
    """The passages between the two documents, and the outlets the second cites."""
    passages = [p for p in report["passages"] if p["a"]["doc"] != p["b"]["doc"]]
    return passages, [c["outlet"] for c in report["documents"][1]["citations"]]


def test_the_users_boilerplate_and_outlets_are_added_to_the_bundled_ones(corpus):
    passages, outlets = _between(_report(corpus, "--format", "json"))
    assert len(passages) == 1 and "Valley Gazette" not in outlets and "CNN" in outlets
    passages, outlets = _between(_report(corpus, "--format", "json", "--boilerplate", str(corpus / "chrome.txt"),
                                         "--outlets", str(corpus / "outlets.txt")))
    assert passages == [] and "Valley Gazette" in outlets and "CNN" in outlets
    _, outlets = _between(_report(corpus, "--format", "json", "--outlets", str(corpus / "outlets.txt"),
                                  "--no-default-outlets"))
    assert "Valley Gazette" in outlets and "CNN" not in outlets  # CNN is the bundled list's: cited by name no more


def test_a_config_file_in_the_working_directory_sets_defaults_with_paths_relative_to_it(corpus, monkeypatch,
                                                                                        tmp_path_factory):
    (corpus / "dedup.toml").write_text('format = "json"\n[scan]\nboilerplate = ["chrome.txt"]\n'
                                       'outlets = "outlets.txt"\n')
    monkeypatch.chdir(corpus)
    passages, outlets = _between(_report(corpus))
    assert passages == [] and "Valley Gazette" in outlets
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)  # --config names it from anywhere; its paths stay relative to it
    passages, outlets = _between(_report(corpus, config=["--config", str(corpus / "dedup.toml")]))
    assert passages == [] and "Valley Gazette" in outlets


def test_a_flag_wins_over_the_environment_which_wins_over_the_config_file(corpus, monkeypatch):
    (corpus / "dedup.toml").write_text('[scan]\nformat = "csv"\nlevel = "document"\n')
    monkeypatch.chdir(corpus)
    runner = CliRunner()
    args = ["scan", "a.txt", "b.txt", "-q"]
    assert runner.invoke(cli, args).stdout.startswith("record,")
    assert runner.invoke(cli, args, env={"DEDUP_SCAN_FORMAT": "jsonl"}).stdout.startswith('{"type": "report"')
    flagged = runner.invoke(cli, [*args, "--format", "json"], env={"DEDUP_SCAN_FORMAT": "jsonl"})
    assert json.loads(flagged.stdout)["parameters"]["level"] == "document"  # the file's level still holds
    env = {"DEDUP_SCAN_BOILERPLATE": "chrome.txt", "DEDUP_SCAN_LEVEL": "passage", "DEDUP_SCAN_FORMAT": "json"}
    assert _between(json.loads(runner.invoke(cli, args, env=env).stdout))[0] == []


@pytest.mark.parametrize("config, message", [
    ('[scan]\nlevell = "document"\n', "[scan] 'levell' is not an option of 'dedup scan'"),
    ('[scna]\nlevel = "document"\n', "[scna] is not a dedup command"),
    ('[index.ad]\nbatch-size = 9\n', "[index.ad] is not a dedup command"),
    ("[scan\n", "not a TOML file"),
    ('[scan]\nthreshold = 3\n', "Invalid value for '--threshold'"),
    ('[scan]\nboilerplate = 3\n', "'boilerplate' takes file names"),
])
def test_a_bad_config_file_is_a_usage_error_naming_it(tmp_path, config, message):
    (tmp_path / "my.toml").write_text(config)
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "my.toml"), "scan", str(SEEDS), "-q"])
    assert result.exit_code == 2 and message in result.output


def test_a_boilerplate_line_that_is_not_a_pattern_is_named_by_file_and_line(corpus):
    (corpus / "chrome.txt").write_text("fine line\n(unclosed\n")
    result = CliRunner().invoke(cli, ["scan", str(corpus / "a.txt"), "--boilerplate", str(corpus / "chrome.txt")])
    assert result.exit_code == 2 and "chrome.txt line 2: not a regular expression" in result.output


def test_the_data_files_reach_the_dask_workers(corpus, dask_client):
    result = CliRunner().invoke(cli, ["scan", str(corpus), "--engine", "dask", "--scheduler",
                                      dask_client.scheduler.address, "--format", "json", "-q",
                                      "--boilerplate", str(corpus / "chrome.txt"), "--outlets",
                                      str(corpus / "outlets.txt")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    cited = {d["id"]: [c["outlet"] for c in d["citations"]] for d in report["documents"]}
    assert "Valley Gazette" in cited["b.txt"]
    assert not [p for p in report["passages"] if p["a"]["doc"] != p["b"]["doc"]]


def test_a_report_format_from_the_config_file_does_not_stop_emit_unique(corpus, monkeypatch):
    (corpus / "dedup.toml").write_text('format = "csv"\n')
    monkeypatch.chdir(corpus)
    result = CliRunner().invoke(cli, ["scan", "a.txt", "b.txt", "--level", "document", "--emit", "unique", "-q"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a.txt", "b.txt"]
