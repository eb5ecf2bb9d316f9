"""Parquet and WARC/ARC input of the local engine (issue 24): rows as records, a row group at
a time; a crawl's HTML pages as documents, other records skipped and reported."""

import datetime
import gzip
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dedup import CorpusReader, read_documents
from dedup.cli import cli

TEXTS = [f"Story {i}: the council approved budget number {i} after a long debate about the roads." for i in range(7)]


def _parquet(path, **columns):
    pq.write_table(pa.table(columns), path, row_group_size=3)  # three row groups for seven rows
    return path


def test_parquet_rows_are_records_read_row_group_by_row_group(tmp_path):
    path = _parquet(tmp_path / "news.parquet", guid=[f"g{i}" for i in range(7)], body=TEXTS,
                    published=[datetime.date(2024, 2, i + 1) for i in range(7)], extra=list(range(7)))
    assert pq.ParquetFile(path).num_row_groups == 3
    docs, problems = read_documents([path], id_field="guid", text_field="body")
    assert [d.id for d in docs] == [f"g{i}" for i in range(7)] and problems == []
    assert [d.text for d in docs] == TEXTS
    assert docs[3].meta["published"] == "2024-02-04"  # a date column, as ISO text
    assert docs[3].meta["source"] == f"{path}:4"  # the row's number


def test_parquet_records_kept_whole_are_json_safe(tmp_path):
    path = _parquet(tmp_path / "news.parquet", id=list(range(7)), text=TEXTS,
                    at=[datetime.datetime(2024, 2, 1, 12, 30)] * 7, blob=[b"\xff\x00"] * 7)
    docs = list(CorpusReader(keep_records=True).read([path]))
    assert [d.id for d in docs] == [str(i) for i in range(7)]  # integer ids, as JSON's would be
    record = docs[0].meta["record"]
    assert record["at"] == "2024-02-01T12:30:00" and json.dumps(record)


def test_parquet_without_the_text_column_is_one_problem_naming_its_columns(tmp_path):
    path = _parquet(tmp_path / "news.parquet", guid=["a"] * 7, body=TEXTS)
    docs, problems = read_documents([path])
    assert docs == [] and len(problems) == 1
    assert "no 'text' column (its columns: 'guid', 'body')" in problems[0].message
    assert problems[0].reason == "no-text"


def test_a_damaged_parquet_file_is_reported_and_the_rest_is_read(tmp_path):
    good = _parquet(tmp_path / "a.parquet", text=TEXTS)
    data = good.read_bytes()
    (tmp_path / "b.parquet").write_bytes(data[: len(data) // 2])
    docs, problems = read_documents([tmp_path])
    assert len(docs) == 7
    assert [p.reason for p in problems] == ["unreadable"] and "not a readable Parquet file" in problems[0].message


def test_parquet_is_known_by_its_magic_on_stdin(tmp_path):
    data = _parquet(tmp_path / "news.parquet", text=TEXTS).read_bytes()
    docs = list(CorpusReader(stdin=io.BytesIO(data)).read(["-"]))
    assert [d.text for d in docs] == TEXTS


def _html(title, text):
    return (f"<html><head><title>{title}</title></head><body><nav>Home | World</nav><article><h1>{title}</h1>"
            f"<p>{text}</p><p>{text} It was said twice, for the record.</p></article></body></html>")


def _warc(path, *, compress=True):
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for i, text in enumerate(TEXTS[:3]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=iso-8859-1")],
                                       protocol="HTTP/1.1")
            payload = _html(f"Café story {i}", text).encode("iso-8859-1")
            writer.write_record(writer.create_warc_record(f"https://example.org/news/{i}", "response",
                                                          payload=io.BytesIO(payload), http_headers=headers))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://example.org/logo.png", "response",
                                                      payload=io.BytesIO(b"\x89PNG\r\n"), http_headers=image))
        moved = StatusAndHeaders("301 Moved Permanently", [("Content-Type", "text/html"), ("Location", "/news/0")],
                                 protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://example.org/old", "response",
                                                      payload=io.BytesIO(b"<html>moved</html>"), http_headers=moved))
    return path


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_a_crawls_html_responses_are_documents_and_other_records_are_reported(tmp_path, name):
    path = _warc(tmp_path / name, compress=name.endswith(".gz"))
    docs, problems = read_documents([path])
    assert [d.id for d in docs] == [f"https://example.org/news/{i}" for i in range(3)]
    assert docs[0].meta["url"] == "https://example.org/news/0"
    assert docs[0].meta["title"] == "Café story 0"  # the page's own title, its charset from the headers
    assert TEXTS[0] in docs[0].text and "Home | World" not in docs[0].text
    assert docs[1].meta["source"] == f"{path}:3"  # the warcinfo record is number 1
    assert [(p.reason, p.action, p.line) for p in problems] == [("warc-not-html", "skipped", 5),
                                                                ("warc-not-html", "skipped", 6)]
    assert "image/png" in problems[0].message and "HTTP status 301" in problems[1].message


def test_a_crawl_is_read_from_stdin_and_in_a_directory(tmp_path):
    path = _warc(tmp_path / "crawl.warc.gz")
    assert len(list(CorpusReader(stdin=io.BytesIO(path.read_bytes())).read(["-"]))) == 3
    (tmp_path / "note.txt").write_text("A note beside the crawl.")
    assert len(read_documents([tmp_path])[0]) == 4


@pytest.mark.parametrize("compress", [False, True])
def test_a_crawl_cut_in_a_records_headers_keeps_the_pages_before_and_says_so(tmp_path, compress):
    path = _warc(tmp_path / "crawl.warc", compress=False)
    data = path.read_bytes()
    data = data[:data.index(b"https://example.org/news/2") + 40]
    path.write_bytes(gzip.compress(data) if compress else data)
    docs, problems = read_documents([path])
    assert [d.id for d in docs] == [f"https://example.org/news/{i}" for i in range(2)]
    assert [(p.action, p.line) for p in problems] == [("skipped", 4)]
    assert "ends inside record 4" in problems[0].message


def test_a_page_cut_short_is_read_and_reported(tmp_path):
    path = _warc(tmp_path / "crawl.warc", compress=False)
    data = path.read_bytes()
    path.write_bytes(data[:data.index(b"It was said twice", data.index(b"https://example.org/news/2"))])
    docs, problems = read_documents([path])
    assert len(docs) == 3 and TEXTS[2] in docs[2].text
    assert [(p.reason, p.action, p.line) for p in problems] == [("truncated", "kept", 4)]


def test_scan_reads_parquet_and_warc_from_the_command_line(tmp_path):
    crawl = _warc(tmp_path / "crawl.warc.gz")
    table = _parquet(tmp_path / "rows.parquet", id=[f"r{i}" for i in range(7)], text=TEXTS)
    result = CliRunner().invoke(cli, ["scan", str(crawl), str(table), "--level", "document", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(report["documents"]) == 10
    assert gzip.decompress(crawl.read_bytes()).startswith(b"WARC/1.")


@pytest.mark.parametrize("per_record", [True, False])
def test_a_gzipped_crawl_cut_short_keeps_the_pages_before_the_cut(tmp_path, per_record):
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=per_record)
    for i in range(200):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        page = _html(f"Story {i}", f"Story number {i} says " + " ".join(f"w{i}x{j}" for j in range(150)))
        writer.write_record(writer.create_warc_record(f"https://example.org/{i}", "response",
                                                      payload=io.BytesIO(page.encode()), http_headers=headers))
    data = buffer.getvalue() if per_record else gzip.compress(buffer.getvalue())
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data[:len(data) // 2])  # a download cut half way
    docs, problems = read_documents([path])
    assert 80 <= len(docs) < 100 and [d.id for d in docs] == [f"https://example.org/{i}" for i in range(len(docs))]
    assert len(problems) == 1 and problems[0].action == "skipped" and problems[0].line > len(docs)
