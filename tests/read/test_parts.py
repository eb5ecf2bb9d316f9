import json

import pytest

from dedup import CorpusReader
from tests.conftest import SEEDS

dask = pytest.importorskip("dask")


def read_parts(paths, **options):
    from dedup.read.parts import corpus_parts

    found = dask.compute(*corpus_parts([str(p) for p in paths], **options))
    return [doc for documents, _ in found for doc in documents], [p for _, problems in found for p in problems]


def test_parts_of_a_directory_hold_the_local_readers_documents_in_order():
    docs, problems = read_parts([SEEDS], files_per_part=2)
    local = list(CorpusReader().read([SEEDS]))
    assert [(d.id, d.text) for d in docs] == [(d.id, d.text) for d in local] and problems == []


def test_jsonl_blocks_keep_line_numbers_and_report_bad_lines(tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [json.dumps({"id": f"d{k}", "text": f"text number {k} " * 20}) for k in range(40)]
    lines[17] = "{not json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, problems = read_parts([path], blocksize=1024)
    assert len(docs) == 39 and [d.id for d in docs][:3] == ["d0", "d1", "d2"]
    assert [(p.line, p.reason) for p in problems] == [(18, "invalid-json")]


def test_a_missing_path_is_an_input_error(tmp_path):
    from dedup import InputError

    with pytest.raises(InputError, match="no such file"):
        read_parts([tmp_path / "missing.jsonl"])


def test_compressed_files_and_crawls_in_a_directory_are_read_as_the_local_reader_reads_them(tmp_path):
    import gzip

    from tests.read.test_parquet_warc import _warc

    lines = [json.dumps({"id": f"d{k}", "text": f"text number {k} " * 20}) for k in range(5)]
    (tmp_path / "docs.jsonl.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    (tmp_path / "note.txt.gz").write_bytes(gzip.compress(b"A note of a few words, compressed."))
    _warc(tmp_path / "crawl.warc.gz")
    docs, problems = read_parts([tmp_path])
    local_reader = CorpusReader()
    local = list(local_reader.read([tmp_path]))
    assert len(local) == 5 + 1 + 3
    assert [(d.id, d.text) for d in docs] == [(d.id, d.text) for d in local]
    assert [(p.source, p.reason) for p in problems] == [(p.source, p.reason) for p in local_reader.problems]
