"""Compressed inputs and outputs (issue 24): gzip, bz2, xz and zstd by extension and by magic
bytes, streamed; a damaged stream keeps what came before it."""

import bz2
import gzip
import json
import lzma

import pytest
import zstandard
from click.testing import CliRunner

from dedup import CorpusReader, read_documents
from dedup.cli import cli

RECORDS = [{"id": f"d{i}", "text": f"The council approved budget number {i} after a long debate about roads."}
           for i in range(30)]
JSONL = "".join(json.dumps(r) + "\n" for r in RECORDS).encode()
COMPRESSORS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress,
               ".zst": zstandard.ZstdCompressor().compress}


@pytest.mark.parametrize("suffix", COMPRESSORS)
def test_each_compression_is_read_by_extension(tmp_path, suffix):
    (tmp_path / f"news.jsonl{suffix}").write_bytes(COMPRESSORS[suffix](JSONL))
    (tmp_path / f"rows.csv{suffix}").write_bytes(COMPRESSORS[suffix](b'id,text\nc1,"A row, compressed."\n'))
    (tmp_path / f"note.txt{suffix}").write_bytes(COMPRESSORS[suffix]("Une note compressée.".encode()))
    docs, problems = read_documents([tmp_path])
    assert sorted(d.id for d in docs) == sorted([r["id"] for r in RECORDS] + ["c1", f"note.txt{suffix}"])
    assert next(d.text for d in docs if d.id.startswith("note")) == "Une note compressée."
    assert problems == []


def test_compression_is_known_by_magic_bytes_on_a_file_and_on_stdin(tmp_path):
    path = tmp_path / "news.jsonl"  # gzip under a plain name
    path.write_bytes(gzip.compress(JSONL))
    assert len(read_documents([path])[0]) == 30
    import io

    docs = list(CorpusReader(stdin=io.BytesIO(lzma.compress(JSONL))).read(["-"]))
    assert len(docs) == 30


def test_a_cut_stream_keeps_the_records_before_the_damage(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    whole = gzip.compress(JSONL)
    path.write_bytes(whole[: len(whole) // 2])
    docs, problems = read_documents([path])
    assert 0 < len(docs) < 30 and [d.id for d in docs] == [f"d{i}" for i in range(len(docs))]
    assert [(p.reason, p.action) for p in problems] == [("unreadable", "skipped")]
    assert "cannot be decompressed as gzip" in problems[0].message


@pytest.mark.parametrize("suffix", COMPRESSORS)
def test_output_is_compressed_by_the_extension(tmp_path, suffix):
    source = tmp_path / "news.jsonl"
    source.write_bytes(JSONL)
    out = tmp_path / f"report.json{suffix}"
    result = CliRunner().invoke(cli, ["scan", str(source), "--level", "document", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    plain = {".gz": gzip.decompress, ".bz2": bz2.decompress, ".xz": lzma.decompress,
             ".zst": lambda d: zstandard.ZstdDecompressor().decompressobj().decompress(d)}[suffix](data)
    report = json.loads(plain)
    assert report["dedup_report"] == 1 and len(report["documents"]) == 30
