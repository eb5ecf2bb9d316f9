"""CSV known by its header on stdin, and file names that are not valid UTF-8."""

import io
import json
import os
import sys

import pytest
from click.testing import CliRunner

from dedup import CorpusReader
from dedup.cli import cli


def test_csv_on_stdin_is_known_by_a_header_naming_the_text_field():
    data = b'id,text\na,"One text, with a comma"\nb,Another text\n'
    reader = CorpusReader(stdin=io.BytesIO(data))
    assert [(d.id, d.text) for d in reader.read(["-"])] == [("a", "One text, with a comma"), ("b", "Another text")]
    prose = b"Hello, world. A text whose first line holds a comma is still a text.\n"
    assert [d.id for d in CorpusReader(stdin=io.BytesIO(prose)).read(["-"])] == ["-"]
    named = CorpusReader(stdin=io.BytesIO(b"guid,body\nx,The body\n"), id_field="guid", text_field="body")
    assert [(d.id, d.text) for d in named.read(["-"])] == [("x", "The body")]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_a_file_name_that_is_not_utf8_is_written_the_same_in_every_format(tmp_path, fmt):
    folder = tmp_path / "docs"
    folder.mkdir()
    text = "A short article about the harbour, long enough to be read as a document of its own. " * 3
    bad = os.path.join(os.fsencode(folder), b"bad\xffcopy.txt")
    with open(bad, "w", encoding="utf-8") as handle:
        handle.write(text)
    (folder / "good.txt").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(folder), "--level", "document", "--format", fmt])
    assert result.exit_code == 0, result.output
    result.stdout_bytes.decode("utf-8")  # strict: no lone surrogate, no raw byte
    assert "bad\ufffdcopy.txt" in result.stdout
    assert "file name is not valid UTF-8" in result.stderr
    if fmt == "json":
        report = json.loads(result.stdout)
        assert report["input"]["kept_with_changes"] == 1
