"""The full scan on Dask (passages, paraphrase, attribution) on a real 2-worker LocalCluster:
the same report as the local engine, on the fixtures and on a generated corpus cut into many
parts, with pieces written per partition."""

import json

import pytest
from click.testing import CliRunner

from dedup import CorpusReader
from dedup import scan as local_scan
from tests.conftest import PLANTED, ROOT, SEEDS, news_stream

FIXTURES = ROOT / "fixtures"


KEYS = ("documents", "duplicates", "clusters", "passages", "attribution", "groups")


def local_report(paths, **settings):
    reader = CorpusReader()
    documents = list(reader.read([str(p) for p in paths]))
    return local_scan(documents, problems=reader.problems, **settings).to_dict()


def same_as_local(report, paths, **settings):
    """The merged Dask report equals the local engine's, the engine's name aside."""
    mine, local = report.to_dict(), local_report(paths, **settings)
    assert mine["parameters"].pop("engine") == "dask"
    assert mine["parameters"] == local["parameters"]
    for key in (*KEYS, "input"):
        assert mine[key] == local[key], key
    return mine


def mixed_corpus(path, count: int) -> None:
    """Generated news (copies, edits, reused paragraphs) with the fixtures' real articles
    (a copy citing CNN, a rewrite, independent reports, a syndication chain with URLs and
    dates) spread through it, as one JSONL file."""
    fixtures = [json.loads(line) for line in (FIXTURES / "syndication.jsonl").read_text("utf-8").splitlines()]
    fixtures += [{"id": f.name, "text": f.read_text("utf-8")} for f in sorted(SEEDS.iterdir())]
    stride = count // len(fixtures)
    with open(path, "w", encoding="utf-8") as handle:
        for k, item in enumerate(news_stream(count, seed=13)):
            if k % stride == 0 and fixtures:
                handle.write(json.dumps(fixtures.pop(0), ensure_ascii=False) + "\n")
            handle.write(json.dumps({"id": item.id, "text": item.text}) + "\n")


@pytest.mark.parametrize("folder", [SEEDS, PLANTED, FIXTURES / "multilingual", FIXTURES / "evasion"],
                         ids=lambda p: p.name)
def test_fixtures_give_the_local_report(dask_client, folder):
    from dedup import distributed

    same_as_local(distributed.scan([folder], client=dask_client), [folder])


def test_generated_corpus_in_many_parts_gives_the_local_report(dask_client, tmp_path):
    from dedup import distributed

    corpus = tmp_path / "mixed.jsonl"
    mixed_corpus(corpus, 700)
    report = distributed.scan([corpus], client=dask_client, blocksize=300_000)  # about 15 parts
    data = same_as_local(report, [corpus])
    kinds = {p["kind"] for p in data["passages"]}
    assert {"copy", "paraphrase"} <= kinds
    sources = {a["doc"]: [s["doc"] or s["outlet"] for s in a["sources"]] for a in data["attribution"]}
    assert sources["full-copy-credited"] == ["cnn-original"] and sources["wire-credited-copy"] == ["Reuters"]
    assert sum(1 for a in data["attribution"] if a["verdict"] == "original") >= 2
    assert len(data["duplicates"]) > 30 and len(data["passages"]) > 100


def test_syndication_in_small_parts(dask_client, tmp_path):
    """Two or three documents a part: most pairs meet across parts, and the stem statistics
    and repeated lines are summed over all of them. (A part per document, 39 parts for 11
    documents, gives the same report in two minutes: the engine's cost is per pair of
    parts.)"""
    from dedup import distributed

    corpus = FIXTURES / "syndication.jsonl"
    report = distributed.scan([corpus], client=dask_client, blocksize=8192, min_group=5)
    data = same_as_local(report, [corpus], min_group=5)
    # The original and its five copies make a group; its members' pairs are not aligned.
    assert [g["representative"] for g in data["groups"]] == ["cnn-original"]
    every = same_as_local(distributed.scan([corpus], client=dask_client, blocksize=8192, min_group=5,
                                           all_pairs=True), [corpus], min_group=5, all_pairs=True)
    assert every["groups"] == data["groups"] and len(every["passages"]) > len(data["passages"])


def test_settings_reach_the_workers(dask_client):
    from dedup import distributed

    settings = dict(paraphrase=False, min_words=12, shingle=4, max_gap=6, repeated_line_docs=2, seed=3)
    same_as_local(distributed.scan([SEEDS], client=dask_client, **settings), [SEEDS], **settings)


def test_crowded_sentence_buckets_are_capped_as_locally(dask_client, tmp_path):
    from dedup import distributed

    template = ("The county fair opens on Friday with livestock shows, a tractor pull and a pie contest. "
                "Organisers expect more visitors than last year after the new parking field was built "
                "next to the old grain elevator on the east side of town.")
    corpus = tmp_path / "crowded.jsonl"
    with open(corpus, "w", encoding="utf-8") as handle:
        for k, item in enumerate(news_stream(40, seed=5)):
            handle.write(json.dumps({"id": item.id, "text": item.text + "\n\n" + template}) + "\n")
    report = distributed.scan([corpus], client=dask_client, bucket_cap=6, blocksize=50_000)  # 4 parts
    data = same_as_local(report, [corpus], bucket_cap=6)
    assert sum(1 for p in data["passages"] if p["a"]["doc"] != p["b"]["doc"]) >= 39
    # The first documents of the crowded buckets as hubs: their texts go to every worker
    # and their pairs are aligned in the partitions of the other documents.
    hubs = distributed.scan([corpus], client=dask_client, bucket_cap=6, blocksize=50_000, hub_pairs=4)
    assert hubs.to_dict() == report.to_dict()


def test_pieces_hold_the_report(dask_client, tmp_path):
    from dedup import distributed

    corpus = FIXTURES / "syndication.jsonl"
    out = tmp_path / "pieces"
    report = distributed.scan([corpus], client=dask_client, blocksize=4096, output_dir=str(out)).to_dict()

    def read(folder):
        files = sorted((out / folder).iterdir())
        return [json.loads(line) for f in files for line in f.read_text("utf-8").splitlines()]

    assert read("attribution") == report["attribution"]
    assert read("passages") == report["passages"]
    assert read("documents") == report["documents"]
    assert json.loads((out / "input.json").read_text("utf-8"))["input"] == report["input"]


def test_cli_full_scan_on_a_scheduler(dask_client, tmp_path):
    from dedup.cli import cli

    runner = CliRunner()
    args = ["scan", str(SEEDS), "--format", "json", "-q"]
    dask = runner.invoke(cli, [*args, "--engine", "dask", "--scheduler", dask_client.scheduler.address])
    local = runner.invoke(cli, args)
    assert dask.exit_code == 0 and local.exit_code == 0, dask.output
    mine, theirs = json.loads(dask.stdout), json.loads(local.stdout)
    assert mine["parameters"].pop("engine") == "dask"
    assert mine == theirs


def test_a_sites_own_footer_is_its_chrome_as_locally(dask_client, tmp_path, seed_documents):
    """Site chrome is learned from lines counted per part and summed: the same lines, the same
    report, and the footer links nothing."""
    from dedup import distributed
    from tests.text.test_chrome import _pages

    corpus = tmp_path / "sites.jsonl"
    with open(corpus, "w", encoding="utf-8") as handle:
        for doc in _pages(seed_documents, footer_elsewhere=False):
            handle.write(json.dumps({"id": doc.id, "text": doc.text, "url": doc.meta["url"]}) + "\n")
    report = distributed.scan([corpus], client=dask_client, blocksize=1024)  # a part per document
    same_as_local(report, [corpus])
    assert report.chrome == local_scan(list(CorpusReader().read([str(corpus)]))).chrome
    assert report.chrome["daily/2"] and not [p for p in report.passages if p.a.doc != p.b.doc]
