"""The document-level scan (dedup/near_duplicates.py) and its CLI, and the speed benchmark's corpus."""

import itertools
import json
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from dedup import Document, scan
from dedup.cli import cli
from dedup.errors import ParameterError
from dedup.candidates import candidate_pairs, verify_pairs
from dedup.near_duplicates import near_duplicates
from tests.conftest import ROOT, SEEDS, news_stream


@pytest.fixture(scope="module")
def stream_docs():
    return [Document(d.id, d.text) for d in news_stream(400)]


def test_same_duplicates_clusters_and_summaries_as_the_scan(stream_docs):
    report = near_duplicates(stream_docs)
    full = scan(stream_docs, paraphrase=False)
    assert len(report.duplicates) > 10
    assert report.duplicates == full.duplicates
    assert report.clusters == full.clusters
    assert [d.to_dict() for d in report.documents] == [d.to_dict() for d in full.documents]
    assert report.passages == [] and report.attribution == []
    assert report.parameters["level"] == "document"


def test_helper_processes_give_the_same_report(stream_docs):
    one = near_duplicates(stream_docs, batch_size=64)
    two = near_duplicates(iter(stream_docs), jobs=2, batch_size=64)  # any iterable, read once
    assert one.to_dict() == two.to_dict()


def test_independent_reports_of_one_event_are_not_near_duplicates():
    docs = [Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.iterdir())]
    report = near_duplicates(docs + [Document("copy", docs[4].text + "\nShare this article")])
    assert [list(d.documents) for d in report.duplicates] == [[docs[4].id, "copy"]]


def test_candidate_pairs_are_the_pairs_sharing_a_band_key():
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 6, size=(40, 3))
    owners = np.arange(40) * 2  # document numbers need not be dense
    expected = sorted({(owners[i], owners[j]) for i, j in itertools.combinations(range(40), 2)
                       if (keys[i] == keys[j]).any()})
    assert [tuple(p) for p in candidate_pairs(keys, owners).tolist()] == expected
    assert candidate_pairs(np.empty((0, 3), dtype=np.int64), np.empty(0, dtype=np.int64)).shape == (0, 2)


def test_verify_pairs_counts_the_exact_intersection():
    rng = np.random.default_rng(5)
    sets = [np.unique(rng.integers(0, 60, size=int(rng.integers(0, 50)))).astype(np.uint64) for _ in range(30)]
    pairs = np.array(list(itertools.combinations(range(30), 2)), dtype=np.int64)
    found = {(i, j): s for i, j, s, _ in verify_pairs(pairs, sets, 0.3)}
    for i, j in pairs.tolist():
        shared, union = len(np.intersect1d(sets[i], sets[j])), len(np.union1d(sets[i], sets[j]))
        similarity = shared / union if union else 0.0
        assert ((i, j) in found) == (union > 0 and len(sets[i]) > 0 and len(sets[j]) > 0 and similarity >= 0.3)
        if (i, j) in found:
            assert found[i, j] == round(similarity, 4)


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
