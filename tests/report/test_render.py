import csv
import dataclasses
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import render
from dedup.report.model import Report


def test_json_is_schema_1(seed_report):
    data = json.loads(render(seed_report, "json"))
    assert list(data) == ["dedup_report", "parameters", "documents", "duplicates", "clusters", "passages", "attribution",
                          "groups", "input"]
    assert data["dedup_report"] == 1
    doc = data["documents"][0]
    assert list(doc) == ["id", "title", "url", "published", "chars", "citations", "published_inferred"]
    assert doc["chars"] == len(seed_report.texts[doc["id"]])
    passage = data["passages"][0]
    assert list(passage) == ["kind", "score", "a", "b", "sentences"]
    assert list(passage["a"]) == ["doc", "start", "end"]
    assert passage["kind"] in {"copy", "paraphrase", "quote"}
    for entry in data["passages"]:  # sentence pairs: inside the passage, in order on both sides
        pairs = entry["sentences"]
        assert (pairs == []) == (entry["kind"] == "quote")
        for pair, after in zip(pairs, pairs[1:] + [None]):
            assert list(pair) == ["a", "b", "score"] and 0 < pair["score"] <= 1
            for side in "ab":
                assert entry[side]["start"] <= pair[side][0] < pair[side][1] <= entry[side]["end"]
                assert after is None or pair[side][1] <= after[side][0]


def test_jsonl_records_and_text(seed_report):
    lines = [json.loads(line) for line in render(seed_report, "jsonl", with_text=True).splitlines()]
    assert lines[0]["type"] == "report" and lines[0]["dedup_report"] == 1
    documents = [line for line in lines if line["type"] == "document"]
    assert len(documents) == 5 and documents[0]["text"] == seed_report.texts[documents[0]["id"]]
    assert sum(line["type"] == "passage" for line in lines) == len(seed_report.passages)


def test_csv_has_passage_text(seed_report):
    rows = list(csv.DictReader(io.StringIO(render(seed_report, "csv"))))
    assert len(rows) == len(seed_report.passages) + len(seed_report.duplicates)
    row = rows[0]
    text = seed_report.texts[row["a_doc"]]
    assert row["a_text"] == text[int(row["a_start"]) : int(row["a_end"])]


def test_table_leads_with_the_groups_and_the_largest_reuse(seed_report):
    table = render(seed_report, "table")
    assert table.startswith("dedup: 5 documents; 3 document pairs share passages (2 paraphrase, 3 quote); 3\n")
    lines = table.splitlines()
    assert lines.index("Reuse groups: each source and the documents that carry its text") < lines.index(
        "Pairs sharing passages, most reused text first") < lines.index("Repeats inside a document")
    assert "  CNN (outside the corpus) -> 2 documents" in lines
    assert "    003_7d410491a9d5865a.txt: 52% reused text, confidence 0.70" in lines
    # The paraphrase of 003 and 004 is the first pair; quotations only come after it.
    first = lines.index("Pairs sharing passages, most reused text first") + 1
    assert lines[first] == "  1. 003_7d410491a9d5865a.txt <-> 004_b86f621bbed01eb0.txt"
    assert lines[first + 1].startswith("     2,290 characters reused")
    assert "The United States has launched a series of major" in table


@pytest.mark.parametrize("width", [40, 80, 200])
def test_table_fits_the_width(seed_report, width):
    table = render(seed_report, "table", width=width, detail=True)
    assert max(len(line) for line in table.splitlines()) <= width
    assert max(len(line) for line in render(seed_report, "table", width=200).splitlines()) > 100  # wide is used


def test_table_limit_detail_and_colour(seed_report):
    limited = render(seed_report, "table", limit=1)
    assert "  2. " not in limited and "... and 2 more pairs (--limit 1" in limited
    detail = render(seed_report, "table", detail=True)
    assert "  1a The United States has launched" in detail and "  1b The US conducted major airstrikes" in detail
    assert "\x1b[" not in render(seed_report, "table")
    assert "\x1b[34mparaphrase\x1b[0m" in render(seed_report, "table", color=True)


def test_unknown_format():
    with pytest.raises(ValueError, match="Unknown format"):
        render(None, "xml")


def test_json_and_jsonl_are_written_a_record_at_a_time_with_the_same_bytes(seed_report):
    from dedup import scan
    from dedup.report.render import render_parts

    for report in (seed_report, scan([]), scan(["one short text"])):
        pieces = list(render_parts(report, "json"))
        text = "".join(pieces)
        assert json.loads(text) == report.to_dict()
        # Laid out as json.dumps(..., indent=2), but each sentence pair on a line of its own.
        pairs = sum(len(p.sentences) for p in report.passages)
        assert text.count('\n        {"a": [') == pairs
        plain = report.to_dict() | {"passages": [dict(p, sentences=[]) for p in report.to_dict()["passages"]]}
        assert "".join(render_parts(Report(**{**vars(report), "passages": [
            dataclasses.replace(p, sentences=()) for p in report.passages]}), "json")) == json.dumps(
            plain, ensure_ascii=False, indent=2) + "\n"
        lines = list(render_parts(report, "jsonl"))
        assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
        records = [json.loads(line) for line in lines]
        assert [r for r in records if r["type"] == "passage"] == [
            {"type": "passage", **p} for p in report.to_dict()["passages"]]
    assert len(list(render_parts(seed_report, "json"))) > len(seed_report.passages)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text() | st.integers() | st.booleans(), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_JSON_VALUES, st.integers(min_value=0, max_value=6))
def test_the_fast_indented_writer_writes_what_json_dumps_does(value, level):
    from dedup.report.render import _indented

    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * level)
    assert _indented(value, level) == expected
