"""Nothing lost: every input is read, or skipped with a reason that the report counts; hostile
files (FIFOs, deep HTML, NUL bytes, truncated lines) are processed or refused, never hung on."""

import json
import os
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from dedup import read_documents
from dedup.cli import cli

STORY = ("The harbour authority said on Monday that the new ferry terminal would open in the spring, "
         "two years later than planned, after delays in the delivery of the steel frame.")


def make_corpus(folder):
    folder.mkdir()
    (folder / "good.txt").write_text(STORY, encoding="utf-8")
    (folder / "copy.txt").write_text("Reposted: " + STORY, encoding="utf-8")
    (folder / "records.jsonl").write_bytes(
        b'{"id": "r1", "text": "A fine record about the weather in the north of the country today."}\n'
        b'{"id": "r2", "text": "a NUL \x00 inside the string"}\n'
        b'{"id": "r3", "body": "no text field"}\n'
        b'["not", "an", "object"]\n'
        b'{"id": "r4", "text": "   "}\n'
        b'{"id": "r5", "text": "cut off in the midd')
    (folder / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n")
    os.mkfifo(folder / "pipe.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_report_counts_what_was_read_and_skipped_and_why(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    # A separate process with a deadline: a FIFO in the directory must not block the walk.
    done = subprocess.run([sys.executable, "-m", "dedup", "scan", str(corpus), "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    section = json.loads(done.stdout)["input"]
    assert section["documents_read"] == section["documents_scanned"] == 3
    assert section["skipped_by_reason"] == {"empty": 2, "invalid-json": 2, "no-text": 1, "not-a-regular-file": 1,
                                            "not-an-object": 1, "unsupported-extension": 1}
    assert section["skipped"] == 8
    assert "(8 skipped: 2 empty, 2 invalid-json, 1 no-text, 1 not-a-regular-file" in done.stderr
    assert "pipe.txt: not a regular file (FIFO, socket or device); skipped" in done.stderr
    assert "records.jsonl:2: invalid JSON (Invalid control character at column" in done.stderr  # one "at"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_strict_writes_the_report_then_fails(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    out = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "dedup", "scan", str(corpus), "--strict", "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "--strict: 8 skipped" in done.stderr and "Traceback" not in done.stderr
    assert json.loads(out.read_text("utf-8"))["input"]["documents_read"] == 3  # what was read is kept
    clean = subprocess.run([sys.executable, "-m", "dedup", "scan", str(corpus / "good.txt"), "--strict", "-q"],
                           capture_output=True, text=True, timeout=120)
    assert clean.returncode == 0


def test_check_strict(tmp_path):
    stream = tmp_path / "in.jsonl"
    stream.write_text(json.dumps({"id": "a", "text": STORY}) + "\n{broken\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(stream), "--index", str(tmp_path / "i.db"), "--strict"])
    assert result.exit_code == 1 and "--strict: 1 skipped: 1 invalid-json" in result.output
    assert json.loads(result.stdout.splitlines()[0])["id"] == "a"  # the readable document was checked


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_on_the_command_line_is_read(tmp_path):
    pipe = tmp_path / "stream.txt"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_text(STORY, encoding="utf-8"))
    writer.start()
    documents, problems = read_documents([pipe])
    writer.join(timeout=30)
    assert [d.text for d in documents] == [STORY] and problems == []


def test_deeply_nested_html_keeps_its_text(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 5000 + STORY + "</div>" * 5000 + "<script>x()</script></body></html>",
                    encoding="utf-8")
    documents, problems = read_documents([page])
    assert problems == [] and documents[0].text == STORY


def test_broken_html_keeps_its_text(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><p>" + STORY + " <b>bold <i>italic <p>next paragraph</body", encoding="utf-8")
    documents, _ = read_documents([page])
    assert STORY in documents[0].text and "next paragraph" in documents[0].text


def test_a_hundred_thousand_identical_documents(tmp_path):
    """One crowded LSH bucket per band: capped, so the scan stays linear, and reported."""
    corpus = tmp_path / "same.jsonl"
    line = json.dumps({"text": STORY})
    corpus.write_text((line + "\n") * 100_000, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "dedup", "scan", "--level", "document", str(corpus),
                           "--bucket-cap", "50", "--format", "json", "-q"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert [len(cluster) for cluster in report["clusters"]] == [100_000]
    assert len(report["duplicates"]) == 50 * 49 // 2 + (100_000 - 50)
    assert report["parameters"]["capped_buckets"][0]["documents"] == 100_000
    assert "LSH bucket(s) held more than 50 documents" in done.stderr


def test_the_full_scan_caps_crowded_buckets_too():
    from dedup import scan

    report = scan([STORY] * 300, bucket_cap=20)
    assert [len(cluster) for cluster in report.clusters] == [300]
    assert len(report.duplicates) == 20 * 19 // 2 + 280
    assert report.parameters["capped_buckets"]


def test_a_ten_megabyte_line_without_a_space(tmp_path):
    page = tmp_path / "line.txt"
    page.write_text("x" * 10_000_000, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(STORY, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "dedup", "scan", str(tmp_path), "--format", "json", "-q"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert sorted(d["id"] for d in report["documents"]) == ["line.txt", "other.txt"]
    assert report["documents"][0]["chars"] == 10_000_000


def test_punctuation_only_and_boilerplate_only_documents_are_read_and_match_nothing(tmp_path):
    (tmp_path / "punct.txt").write_text("!!! ??? ... --- *** ,,, ;;; ((( )))\n" * 20, encoding="utf-8")
    (tmp_path / "chrome.txt").write_text("Share this article\nLeave a comment\nAll rights reserved\n", encoding="utf-8")
    (tmp_path / "chrome2.txt").write_text("Share this article\nLeave a comment\nAll rights reserved\n", encoding="utf-8")
    documents, problems = read_documents([tmp_path])
    assert len(documents) == 3 and problems == []
    from dedup import scan

    report = scan(documents)
    assert report.duplicates == [] and report.passages == []  # site chrome is never evidence of reuse


def test_a_symbolic_link_loop_is_refused_with_a_message(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY, encoding="utf-8")
    os.symlink(folder / "b.txt", folder / "a.txt")
    os.symlink(folder / "a.txt", folder / "b.txt")
    documents, problems = read_documents([folder])
    assert [d.id for d in documents] == ["good.txt"]
    assert sorted((p.reason, "symbolic links" in p.message) for p in problems) == [("unreadable", True)] * 2
    named = CliRunner().invoke(cli, ["scan", str(folder / "a.txt")])
    assert named.exit_code == 2 and "a.txt" in named.output  # a usage error naming the path
