"""Input that stopped a read or a scan, or lost records silently (issue 22): each case is
read record by record, the rest of the input kept."""

import json
import signal
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import CorpusReader, read_documents

GOOD = [json.dumps({"id": f"g{i}", "text": f"Good document number {i} about topic {i * 7919}."}) for i in range(6)]


@contextmanager
def finishes_within(seconds: int):
    """Fail, rather than hang, when the work inside does not end (it takes about a second;
    before the bound it ran for minutes). Not a speed limit: a guard against a wedge."""
    def stop(*_):
        raise AssertionError(f"still running after {seconds} s: the work is not bounded")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("bad", [
    "[" * 100_000 + "]" * 100_000,  # RecursionError in the decoder
    '{"id": "big", "text": "x", "n": ' + "9" * 5000 + "}",  # ValueError: over 4,300 digits
    '{"id": "deep", "text": "x", "a": ' + "[" * 50_000 + "]" * 50_000 + "}",
])
def test_a_json_line_past_the_decoders_limits_is_one_skipped_line(tmp_path, bad):
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(GOOD[:3] + [bad] + GOOD[3:]) + "\n", encoding="utf-8")
    docs, problems = read_documents([path])
    assert [d.id for d in docs] == [f"g{i}" for i in range(6)]
    assert [(p.line, p.reason, p.action) for p in problems] == [(4, "invalid-json", "skipped")]


def test_a_json_file_past_the_decoders_limits_is_reported_not_raised(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    docs, problems = read_documents([path])
    assert docs == [] and problems[0].reason == "invalid-json" and "nested too deeply" in problems[0].message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_text(tmp_path, encoding):
    mark = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}.get(encoding, b"")
    story = "Le conseil a voté le budget mardi après un long débat sur les routes et les écoles."
    (tmp_path / "story.txt").write_bytes(mark + story.encode(encoding))
    (tmp_path / "lines.jsonl").write_bytes(mark + "\n".join(GOOD[:2]).encode(encoding))
    docs, problems = read_documents([tmp_path])
    assert [d.text for d in docs if d.id == "story.txt"] == [story]
    assert sorted(d.id for d in docs if d.id != "story.txt") == ["g0", "g1"]
    assert problems == []


def test_utf16_jsonl_on_stdin_is_read():
    data = "\n".join(GOOD[:3]).encode("utf-16")
    docs = list(CorpusReader(stdin=__import__("io").BytesIO(data)).read(["-"]))
    assert [d.id for d in docs] == ["g0", "g1", "g2"]


def test_jsonl_with_lone_carriage_returns_is_one_record_a_line(tmp_path):
    path = tmp_path / "mac.jsonl"
    path.write_bytes(("\r".join(GOOD[:3] + ["{broken"] + GOOD[3:5]) + "\r").encode())
    docs, problems = read_documents([path])
    assert [d.id for d in docs] == ["g0", "g1", "g2", "g3", "g4"]
    assert [(p.line, p.reason) for p in problems] == [(4, "invalid-json")]
    text_read, _ = read_documents([path], input_format="json")  # the whole-text path agrees
    assert [d.id for d in text_read] == [d.id for d in docs]


def test_an_unterminated_csv_quote_is_reported_on_its_line_and_the_rest_is_read(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text('id,text\na,first row of text\nb,"a quote never closed\nc,third row\nd,"fourth, quoted"\n',
                    encoding="utf-8")
    docs, problems = read_documents([path])
    assert [(d.id, d.text) for d in docs] == [("a", "first row of text"), ("c", "third row"),
                                              ("d", "fourth, quoted")]
    assert [(p.line, p.reason, p.action) for p in problems] == [(3, "malformed-csv", "skipped")]
    assert "unterminated quote" in problems[0].message


def test_a_quoted_csv_field_over_several_lines_is_still_one_field(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('id,text\na,"two lines\nof one ""field"""\nb,next\n', encoding="utf-8")
    docs, problems = read_documents([path])
    assert [(d.id, d.text) for d in docs] == [("a", 'two lines\nof one "field"'), ("b", "next")]
    assert problems == []


def test_an_html_attribute_bomb_is_cut_and_reported(tmp_path):
    attributes = " ".join(f'a{i}="v{i}"' for i in range(200_000))
    page = (f"<html><head><title>Bomb</title></head><body><p {attributes}>The council approved the budget on "
            "Tuesday after a long debate.</p><p>Work on the harbour wall starts in March.</p></body></html>")
    (tmp_path / "bomb.html").write_text(page, encoding="utf-8")
    with finishes_within(120):  # about 1 s; minutes before the cap
        docs, problems = read_documents([tmp_path])
    assert "council approved the budget" in docs[0].text
    assert [(p.reason, p.action) for p in problems] == [("html-attributes", "kept")]


_RECORD_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=2**63 - 10, max_value=2**70)
    | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_RECORD_VALUES, st.sampled_from(["", "\n", "\r\n", " \t\n"]))
def test_the_fast_json_line_reads_what_the_standard_decoder_reads_or_leaves_it(value, ending):
    from dedup.read.records_text import NOT_READ, json_line, json_line_fast

    line = json.dumps(value, ensure_ascii=bool(len(ending) % 2)) + ending
    fast = json_line_fast(line.encode("utf-8", "surrogatepass"))
    assert fast is NOT_READ or repr(fast) == repr(json_line(line))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40) | st.sampled_from([b'"\xed\xa0\x80"', b'"\\ud800"', b'[' * 1020 + b']' * 1020,
                                                 b'\xef\xbb\xbf{}', b'NaN', b'{"a": 1}\r{"a": 2}']))
def test_the_fast_json_line_leaves_every_line_it_cannot_read_exactly(raw):
    from dedup.read.records_text import NOT_READ, json_line, json_line_fast

    fast = json_line_fast(raw)
    if fast is not NOT_READ:
        assert repr(fast) == repr(json_line(raw.decode("utf-8")))
