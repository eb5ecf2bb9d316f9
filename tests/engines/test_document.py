"""The document-level scan (dedup.engines.document) and its CLI, and the speed benchmark's corpus."""

import itertools
import json
import sys

import pytest
from click.testing import CliRunner

from dedup import Document
from dedup.cli import cli
from dedup.engines.document import near_duplicates
from dedup.errors import ParameterError
from tests.conftest import ROOT, SEEDS, news_stream


@pytest.fixture(scope="module")
def stream_docs():
    return [Document(d.id, d.text) for d in news_stream(400)]


def test_independent_reports_of_one_event_are_not_near_duplicates():
    docs = [Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.iterdir())]
    report = near_duplicates(docs + [Document("copy", docs[4].text + "\nShare this article")])
    assert [list(d.documents) for d in report.duplicates] == [[docs[4].id, "copy"]]


def test_bad_settings_and_duplicate_ids_are_refused():
    with pytest.raises(ParameterError, match="'jobs'"):
        near_duplicates(["a b c"], jobs=0)
    with pytest.raises(ParameterError, match="'min_words'"):
        near_duplicates(["a b c"], min_words=3)
    with pytest.raises(ParameterError, match="share the id"):
        near_duplicates([Document("x", "one two"), Document("x", "three four")])


def test_cli_document_level_streams_stdin_and_reports_problems(stream_docs):
    lines = [json.dumps({"id": d.id, "text": d.text}) for d in stream_docs[:120]]
    lines.insert(5, "{not json")
    result = CliRunner().invoke(cli, ["scan", "--level", "document", "--jobs", "1", "--format", "json", "-"],
                                input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["parameters"]["level"] == "document" and report["passages"] == []
    assert len(report["documents"]) == 120
    assert "<stdin>:6: invalid JSON" in result.stderr and "scanned 120 documents" in result.stderr
    expected = near_duplicates(stream_docs[:120]).to_dict()
    assert report["duplicates"] == expected["duplicates"] and report["clusters"] == expected["clusters"]


def test_cli_document_level_usage_errors(tmp_path):
    (tmp_path / "a.txt").write_text("some words here and there", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["scan", "--level", "document", "--with-text", str(tmp_path)]).exit_code == 2
    assert runner.invoke(cli, ["scan", "--level", "document", "--jobs", "0", str(tmp_path)]).exit_code == 2
    (tmp_path / "a.txt").unlink()
    (tmp_path / "b.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    result = runner.invoke(cli, ["scan", "--level", "document", str(tmp_path)])
    assert result.exit_code == 1 and "no readable documents" in result.stderr


def test_generated_corpus_truth_is_every_pair_over_the_threshold(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_corpus import _shingle_set, article_text, write_corpus

    truth = write_corpus(tmp_path / "c.jsonl", 150, prose=SEEDS, seed=1, dup_share=0.3)
    docs = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text("utf-8").splitlines()]
    assert len(docs) == 150 and {p["kind"] for p in truth["planted"]} >= {"edit", "reorder", "boilerplate"}
    for key, text_of in (("pairs", article_text), ("raw_pairs", lambda text: text)):
        sets = [_shingle_set(text_of(d["text"])) for d in docs]
        expected = []
        for i, j in itertools.combinations(range(len(docs)), 2):  # brute force: every pair
            shared = len(sets[i] & sets[j])
            if shared and shared / len(sets[i] | sets[j]) >= 0.8:
                expected.append([docs[i]["id"], docs[j]["id"], round(shared / len(sets[i] | sets[j]), 4)])
        assert truth[key] == expected and len(expected) >= 10
    chrome_added = [p["id"] for p in truth["planted"] if p["kind"] in ("boilerplate", "mixed")]
    text = next(d["text"] for d in docs if d["id"] == chrome_added[0])
    assert article_text(text) != text and article_text(article_text(text)) == article_text(text)
