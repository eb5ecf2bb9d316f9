import io
import json

import pytest

from dedup import CorpusReader, InputError, read_documents


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_directory_ids_are_relative_paths(tmp_path):
    write(tmp_path / "b.txt", "Second text.")
    write(tmp_path / "sub" / "a.md", "First text.")
    write(tmp_path / ".hidden.txt", "Ignored dotfile.")
    docs, problems = read_documents([tmp_path])
    assert [d.id for d in docs] == ["b.txt", "sub/a.md"]
    assert problems == []


def test_single_file_id_is_its_name(tmp_path):
    docs, _ = read_documents([write(tmp_path / "dir" / "story.txt", "Text.")])
    assert docs[0].id == "story.txt"


def test_jsonl_fields_metadata_and_line_numbers(tmp_path):
    path = write(tmp_path / "c.jsonl", "\n".join([
        json.dumps({"id": "x1", "text": "Alpha text.", "url": "https://e.com/a", "published": "2024-02-02"}),
        "{not json",
        json.dumps({"id": "x2", "body": "No text field."}),
        json.dumps({"text": "Line-numbered."}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "x3", "text": "   "}),
    ]) + "\n")
    reader = CorpusReader()
    docs = list(reader.read([path]))
    assert [d.id for d in docs] == ["x1", "4"]
    assert docs[0].meta["url"] == "https://e.com/a" and docs[0].meta["published"] == "2024-02-02"
    messages = [str(p) for p in reader.problems]
    assert messages[0].startswith(f"{path}:2: invalid JSON")
    assert messages[1].startswith(f"{path}:3: no 'text' field")
    assert messages[2].startswith(f"{path}:5: expected an object")
    assert messages[3].startswith(f"{path}:6: empty text")
    assert reader.skipped == 4


def test_custom_fields(tmp_path):
    path = write(tmp_path / "c.jsonl", json.dumps({"key": "k", "body": "Body text."}) + "\n")
    docs, _ = read_documents([path], id_field="key", text_field="body")
    assert (docs[0].id, docs[0].text) == ("k", "Body text.")


def test_json_array_and_csv(tmp_path):
    j = write(tmp_path / "a.json", json.dumps([{"id": "j1", "text": "From JSON."}]))
    c = write(tmp_path / "b.csv", 'id,text,title\nc1,"From CSV, with a comma.",Headline\n')
    docs, problems = read_documents([j, c])
    assert [(d.id, d.text) for d in docs] == [("j1", "From JSON."), ("c1", "From CSV, with a comma.")]
    assert docs[1].meta["title"] == "Headline" and problems == []


def test_html_main_text_is_extracted(tmp_path):
    body = "<p>" + "The council approved the new library budget after a long debate on Tuesday. " * 4 + "</p>"
    html = f"<html><head><title>Budget</title></head><body><nav>Home | News</nav><article>{body}</article></body></html>"
    docs, _ = read_documents([write(tmp_path / "page.html", html)])
    assert "council approved" in docs[0].text and "Home | News" not in docs[0].text
    assert docs[0].meta["title"] == "Budget"


def test_bad_inputs_are_reported_and_the_rest_is_read(tmp_path):
    write(tmp_path / "good.txt", "A good document.")
    write(tmp_path / "binary.txt", b"\x00\x01\x02binary")
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "latin1.txt", "Caf\xe9 cr\xe8me br\xfbl\xe9e est d\xe9licieuse.".encode("latin-1"))
    write(tmp_path / "image.png", b"\x89PNG")
    reader = CorpusReader()
    docs = list(reader.read([tmp_path]))
    assert sorted(d.id for d in docs) == ["good.txt", "latin1.txt"]
    assert "é" in next(d for d in docs if d.id == "latin1.txt").text
    text = "\n".join(map(str, reader.problems))
    assert "binary.txt: binary file" in text
    assert "empty.txt: empty document" in text
    assert "latin1.txt: not valid UTF-8 (byte 3); decoded as" in text
    assert "1 file(s) with unsupported extensions not read (image.png)" in text


def test_duplicate_ids_are_kept_under_a_new_id(tmp_path):
    path = write(tmp_path / "d.jsonl", '{"id": "a", "text": "One."}\n{"id": "a", "text": "Two."}\n')
    reader = CorpusReader()
    docs = list(reader.read([path]))
    assert [d.id for d in docs] == ["a", "a#2"]
    assert "duplicate id 'a'" in str(reader.problems[0]) and reader.problems[0].action == "kept"


def test_stdin_is_sniffed():
    reader = CorpusReader(stdin=io.BytesIO(b'{"id": "s", "text": "From stdin."}\n'))
    assert [d.id for d in reader.read(["-"])] == ["s"]
    reader = CorpusReader(stdin=io.BytesIO("Plain text on stdin.".encode()))
    assert [d.id for d in reader.read(["-"])] == ["-"]


def test_missing_path_and_bad_format_raise():
    with pytest.raises(InputError, match="no such file"):
        list(CorpusReader().read(["/no/such/path"]))
    with pytest.raises(InputError, match="Unknown input format"):
        CorpusReader(input_format="pdf")
