"""The Dask engine at the document level on a real 2-worker LocalCluster (the ``dask_client``
fixture of conftest): the same duplicates, clusters and documents as the local engine, capped
buckets, connected components, Parquet in and out."""

import json
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from dedup import CorpusReader, read_documents
from dedup.engines.document import near_duplicates
from tests.conftest import PLANTED, SEEDS, news_stream


def local_report(paths):
    return near_duplicates(CorpusReader().read([str(p) for p in paths])).to_dict()


def same_as_local(report, paths):
    """The merged Dask report equals the local engine's, parameters aside."""
    mine, local = report.to_dict(), local_report(paths)
    assert mine["parameters"]["engine"] == "dask"
    for key in ("documents", "duplicates", "clusters", "passages", "attribution"):
        assert mine[key] == local[key], key
    return mine


def write_stream(path, count, seed=7):
    with open(path, "w", encoding="utf-8") as handle:
        for item in news_stream(count, seed=seed):
            handle.write(json.dumps({"id": item.id, "text": item.text}) + "\n")


def test_fixtures_give_the_local_results(dask_client):
    from dedup import distributed

    for folder in (SEEDS, PLANTED):
        report = distributed.scan([folder], client=dask_client, level="document")
        same_as_local(report, [folder])
    assert local_report([PLANTED])["clusters"]  # the planted fixtures do hold near-duplicates


def test_generated_corpus_in_many_parts_gives_the_local_results(dask_client, tmp_path):
    from dedup import distributed

    corpus = tmp_path / "news.jsonl"
    write_stream(corpus, 3000)
    report = distributed.scan([corpus], client=dask_client, level="document", blocksize=400_000)  # about 25 parts
    data = same_as_local(report, [corpus])
    assert len(data["duplicates"]) > 100 and len(data["clusters"]) > 50
    assert "capped_buckets" not in data["parameters"]


def test_records_without_ids_keep_their_line_numbers_across_blocks(dask_client, tmp_path):
    from dedup import distributed

    corpus = tmp_path / "noid.jsonl"
    with open(corpus, "w", encoding="utf-8") as handle:
        for k, item in enumerate(news_stream(300, seed=3)):
            handle.write(("\n" if k % 50 == 7 else "") + json.dumps({"text": item.text}) + "\n")
        handle.write("{not json\n")
    report = distributed.scan([corpus], client=dask_client, level="document", blocksize=50_000)
    same_as_local(report, [corpus])
    assert [str(p) for p in report.problems] == [str(p) for p in read_documents([corpus])[1]]


@pytest.mark.parametrize("hub_pairs", [10_000, 5], ids=["star-joined", "hub-broadcast"])
def test_a_crowded_bucket_is_capped_and_reported(dask_client, tmp_path, hub_pairs):
    from dedup import distributed

    template = ("The county fair opens on Friday with livestock shows, a tractor pull and a pie contest, "
                "and organisers expect more visitors than last year after the new parking field was built "
                "next to the old grain elevator on the east side of town.")  # one press release, 40 copies
    corpus = tmp_path / "crowded.jsonl"
    with open(corpus, "w", encoding="utf-8") as handle:
        for k in range(40):
            handle.write(json.dumps({"id": f"t{k:02d}", "text": template}) + "\n")
        for item in news_stream(60, seed=5):
            handle.write(json.dumps({"id": item.id, "text": item.text}) + "\n")
    report = distributed.scan([corpus], client=dask_client, level="document", bucket_cap=10, hub_pairs=hub_pairs)
    capped = report.parameters["capped_buckets"]
    assert capped and all(bucket["documents"] == 40 for bucket in capped)
    template_pairs = [d for d in report.duplicates if d.documents[0].startswith("t")]
    assert len(template_pairs) == 45 + 30  # the first 10 among themselves, the other 30 with the first
    assert [len(c) for c in report.clusters if c[0] == "t00"] == [40]  # the star keeps the cluster whole
    # The local engine caps the same buckets the same way.
    local = near_duplicates(CorpusReader().read([str(corpus)]), bucket_cap=10).to_dict()
    mine = report.to_dict()
    assert mine["duplicates"] == local["duplicates"] and mine["clusters"] == local["clusters"]
    assert mine["parameters"]["capped_buckets"] == local["parameters"]["capped_buckets"]


@pytest.mark.parametrize("partitions", [1, 7, 20])
def test_connected_components_match_union_find(dask_client, partitions):
    import dask.dataframe as dd
    import pandas as pd

    from dedup.engines.dask.graph import connected_components
    from dedup.match.cluster import UnionFind

    rng = np.random.default_rng(partitions)
    edges = pd.DataFrame({"a": rng.integers(0, 400, 500), "b": rng.integers(0, 400, 500)})
    edges = edges[edges.a != edges.b].reset_index(drop=True) + (5 << 32)  # keys as large as the engine's
    labels = connected_components(dd.from_pandas(edges, npartitions=partitions)).compute()
    groups = UnionFind()
    for a, b in zip(edges.a.tolist(), edges.b.tolist()):
        groups.union(a, b)
    assert len(labels) == len(set(edges.a) | set(edges.b))
    found = sorted(sorted(g.node.tolist()) for _, g in labels.groupby("label"))
    assert found == groups.groups()
    assert all(label == min(group.node) for label, group in labels.groupby("label"))


def test_parquet_in_and_report_pieces_out(dask_client, tmp_path):
    import pandas as pd

    from dedup import distributed

    documents, _ = read_documents([PLANTED])
    frame = pd.DataFrame({"id": [d.id for d in documents], "text": [d.text for d in documents]})
    frame.to_parquet(tmp_path / "planted.parquet", index=False)
    out = tmp_path / "pieces"
    report = distributed.scan([tmp_path / "planted.parquet"], client=dask_client, level="document",
                              output_dir=str(out), output_format="parquet")
    local = local_report([PLANTED])
    assert report.to_dict()["duplicates"] == local["duplicates"]
    pieces = {folder: pd.concat([pd.read_parquet(f) for f in sorted((out / folder).iterdir())])
              for folder in ("documents", "duplicates", "clusters")}
    assert list(pieces["documents"]["id"]) == [d["id"] for d in local["documents"]]
    assert len(pieces["duplicates"]) == len(local["duplicates"])
    clustered = sorted(sorted(g["doc"]) for _, g in pieces["clusters"].groupby("cluster"))
    assert clustered == sorted(sorted(c) for c in local["clusters"])


def test_cli_runs_on_a_scheduler_and_writes_pieces(dask_client, tmp_path):
    from dedup.cli import cli

    runner = CliRunner()
    out = tmp_path / "parts"
    result = runner.invoke(cli, ["scan", str(PLANTED), "--level", "document", "--engine", "dask", "--scheduler",
                                 dask_client.scheduler.address, "--parts", str(out), "--format", "json", "-q"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["clusters"] == local_report([PLANTED])["clusters"]
    lines = [json.loads(line) for f in sorted((out / "duplicates").iterdir()) for line in f.read_text().splitlines()]
    assert len(lines) == len(json.loads(result.stdout)["duplicates"])


@pytest.mark.parametrize("args, message", [
    (["--engine", "dask", "--level", "document", "--with-text"], "--with-text needs --level passage"),
    (["--engine", "dask", "--level", "document", "--no-merge"], "--no-merge needs --parts"),
])
def test_cli_usage_errors(args, message):
    from dedup.cli import cli

    result = CliRunner().invoke(cli, ["scan", str(SEEDS), *args])
    assert result.exit_code == 2 and message in result.output


def test_missing_extra_is_named(monkeypatch):
    from dedup import distributed
    from dedup.errors import DedupError

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(DedupError, match=r"pip install 'dedup\[dask\]'"):
        distributed.scan([SEEDS])


def test_pieces_only_still_account_for_the_input(dask_client, tmp_path):
    from dedup.cli import cli

    corpus = tmp_path / "bad.jsonl"
    write_stream(corpus, 50, seed=11)
    with open(corpus, "a", encoding="utf-8") as handle:
        handle.write('{"id": "broken", "text": "cut\n')
    out = tmp_path / "parts"
    result = CliRunner().invoke(cli, ["scan", str(corpus), "--level", "document", "--engine", "dask", "--scheduler",
                                      dask_client.scheduler.address, "--parts", str(out), "--no-merge", "--strict"])
    assert result.exit_code == 1
    assert "bad.jsonl:51: invalid JSON" in result.stderr and "--strict: 1 skipped: 1 invalid-json" in result.stderr
    account = json.loads((out / "input.json").read_text("utf-8"))
    assert account["input"]["documents_read"] == 50 and account["input"]["skipped_by_reason"] == {"invalid-json": 1}
