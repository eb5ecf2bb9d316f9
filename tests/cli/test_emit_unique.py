"""``dedup scan --emit unique``: the deduplicated corpus, records as read."""

import gzip
import json

import pytest
from click.testing import CliRunner

from dedup.cli import cli
from tests.conftest import SEEDS

SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]


def _corpus():
    """Each seed article, then a copy of two of them and of one twice, with other fields."""
    records = [{"id": f"s{k}", "text": text, "outlet": f"outlet {k}"} for k, text in enumerate(SEED_TEXTS)]
    records.append({"id": "copy-of-s0", "text": SEED_TEXTS[0], "outlet": "mirror", "published": "2020-01-01"})
    records.append({"id": "copy-of-s1", "text": SEED_TEXTS[1] + "\nShared by a reader.", "outlet": "forum"})
    records.append({"id": "again-s1", "text": SEED_TEXTS[1], "outlet": "aggregator", "tags": ["a", "b"]})
    return records


def _scan(args, **kwargs):
    result = CliRunner().invoke(cli, ["scan", *args], **kwargs)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("level", ["document", "passage"])
def test_the_corpus_keeps_one_record_per_cluster_unchanged(tmp_path, level):
    records = _corpus()
    source = tmp_path / "news.jsonl.gz"
    source.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    report = json.loads(_scan([str(source), "--level", level, "-q"]).stdout)
    clusters = report["clusters"]
    assert sorted(map(sorted, clusters)) == [["again-s1", "copy-of-s1", "s1"], ["copy-of-s0", "s0"]]

    _scan([str(source), "--level", level, "--emit", "unique", "-o", str(tmp_path / "clean.jsonl.gz"),
           "--dropped", str(tmp_path / "dropped.jsonl"), "-q"])
    kept = [json.loads(line) for line in gzip.decompress((tmp_path / "clean.jsonl.gz").read_bytes()).splitlines()]
    dropped = [json.loads(line) for line in (tmp_path / "dropped.jsonl").read_text().splitlines()]
    members = sum(len(cluster) for cluster in clusters)
    assert len(kept) == len(report["documents"]) - (members - len(clusters))
    assert len(dropped) == members - len(clusters)
    # The dated copy is kept over the undated s0 (whose text gives no dateline); s1 is read first.
    assert {d["id"]: d["kept"] for d in dropped} == {"s0": "copy-of-s0", "copy-of-s1": "s1", "again-s1": "s1"}
    assert kept == [r for r in records if r["id"] not in {"s0", "copy-of-s1", "again-s1"}]  # records whole


def test_the_corpus_as_parquet_and_from_stdin(tmp_path):
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    records = _corpus()[:6]
    lines = "".join(json.dumps(r) + "\n" for r in records)
    _scan(["-", "--level", "document", "--emit", "unique", "-o", str(tmp_path / "clean.parquet"), "-q"], input=lines)
    table = pyarrow_parquet.read_table(tmp_path / "clean.parquet")
    assert table.num_rows == 5 and table.column("id").to_pylist() == ["s1", "s2", "s3", "s4", "copy-of-s0"]
    assert table.column("outlet").to_pylist()[0] == "outlet 1"
    result = _scan(["-", "--level", "document", "--emit", "unique"], input=lines)  # JSON lines on stdout
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == table.column("id").to_pylist()
    assert "kept 5 of 6 documents; dropped 1" in result.stderr


def test_files_are_written_as_id_text_and_metadata(tmp_path):
    for name, text in [("a.txt", SEED_TEXTS[2]), ("b.txt", SEED_TEXTS[2]), ("c.txt", SEED_TEXTS[3])]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out" / "clean.jsonl"
    out.parent.mkdir()
    _scan([str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "c.txt"), "--level", "document",
           "--emit", "unique", "-o", str(out), "-q"])
    kept = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["id"], r["text"]) for r in kept] == [("a.txt", SEED_TEXTS[2]), ("c.txt", SEED_TEXTS[3])]


@pytest.mark.parametrize("args, message", [
    (["--dropped", "d.jsonl"], "--dropped only acts with --emit unique"),
    (["--emit", "unique", "--format", "csv"], "leave --format out"),
    (["--emit", "unique", "--engine", "dask"], "runs on the local engine"),
    (["--emit", "unique", "-o", "clean.parquet.gz"], "Parquet compresses its own columns"),
])
def test_options_that_do_not_act_with_the_corpus_are_refused(tmp_path, args, message):
    result = CliRunner().invoke(cli, ["scan", str(SEEDS), "--level", "document", *args, "-q"],
                                catch_exceptions=False)
    assert result.exit_code in (1, 2) and message in result.output


def test_parquet_rows_with_fields_the_first_lack_are_an_error_naming_them(tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    import dedup.unique
    from dedup import DedupError

    monkeypatch.setattr(dedup.unique, "PARQUET_ROWS", 2)
    rows = [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}, {"id": "c", "text": "z", "lang": "en"}]
    with pytest.raises(DedupError, match="records from row 3 on have fields the first ones lack \\('lang'\\)"):
        with dedup.unique.RecordWriter(str(tmp_path / "out.parquet")) as writer:
            writer.write(rows)
    with dedup.unique.RecordWriter(str(tmp_path / "ok.parquet")) as writer:
        writer.write(rows[:2] + [{"id": "c"}])  # a missing field is null
    import pyarrow.parquet

    assert pyarrow.parquet.read_table(tmp_path / "ok.parquet").column("text").to_pylist() == ["x", "y", None]


@pytest.mark.parametrize("args", [["--format", "jsonl"], ["--emit", "unique"]])
def test_a_reader_that_stops_reading_stdout_ends_the_scan_quietly(tmp_path, args):
    import subprocess
    import sys

    from tests.conftest import news_stream

    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in news_stream(2000)))
    scan = subprocess.Popen([sys.executable, "-m", "dedup", "scan", str(corpus), "--level", "document", "-q", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert scan.stdout.readline().startswith(b"{")
    scan.stdout.close()  # as `| head -1` does: far more than a pipe's buffer is left to write
    assert scan.wait(timeout=120) == 0
    assert scan.stderr.read() == b""
