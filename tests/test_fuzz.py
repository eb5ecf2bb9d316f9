"""Fuzzing the readers, the CLI's input parsing and the span mapping with hypothesis.

The budget is fixed (``DEDUP_FUZZ_EXAMPLES`` examples per test, 200 by default: under a
minute here); raise it to fuzz longer, e.g. ``DEDUP_FUZZ_EXAMPLES=20000 pytest
tests/test_fuzz.py``. Nothing may raise, every problem must carry a known reason, and every
span must slice the text it points into.
"""

import json
import os

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup import CorpusReader
from dedup.cli import cli
from dedup.records import REASONS
from dedup.text.layout import analyze, tokenize

BUDGET = settings(max_examples=int(os.environ.get("DEDUP_FUZZ_EXAMPLES", "200")), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".csv", ""]

# Bytes that look like the formats dedup reads, broken in every way hypothesis finds.
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "text", "url", "title", "published", "body", ""]) | st.text(max_size=5), children,
        max_size=5),
    max_leaves=12)
LINES = st.one_of(JSONISH.map(lambda v: json.dumps(v).encode()), st.binary(max_size=60),
                  st.sampled_from([b"", b"\x00", b"\xef\xbb\xbf{", b'{"text": "cut', b"<html><body><p>x",
                                   b"a,b\n1,2,3", b"\r", b'"\xff\xfe"',
                                   b'{"id": "s", "text": "a lone \\ud800 surrogate, escaped in JSON"}']))
# Values past the JSON decoder's limits: nesting deeper than the recursion limit, integers
# longer than Python converts (4,300 digits), in records among good ones.
LIMITS = st.one_of(
    st.integers(900, 5000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(900, 5000).map(lambda depth: b'{"id": "n", "text": "deep", "x": ' + b"[" * depth + b"]" * depth + b"}"),
    st.integers(4000, 6000).map(lambda digits: b'{"id": "big", "text": "a number", "n": ' + b"7" * digits + b"}"),
)
# CSV with quotes in every place: opened and never closed, doubled, inside and outside fields.
CSV_CELLS = st.text(alphabet='ab ,"\n\r=', max_size=12)
CSV = st.lists(st.lists(CSV_CELLS, min_size=1, max_size=4).map(",".join), max_size=6).map(
    lambda rows: ("id,text\n" + "\n".join(rows)).encode())
INPUTS = (st.lists(LINES | LIMITS, max_size=8).map(b"\n".join) | st.binary(max_size=300) | CSV
          | st.lists(LINES, max_size=4).map(lambda lines: b"\r".join(lines))
          | st.lists(LINES, max_size=4).map(lambda lines: b"\n".join(lines).decode("utf-8", "replace").encode("utf-16")))


def check_reading(documents, problems) -> None:
    for doc in documents:
        assert isinstance(doc.id, str) and isinstance(doc.text, str) and doc.text.strip()
    for problem in problems:
        assert problem.reason in REASONS and problem.count >= 1 and str(problem)


@BUDGET
@given(data=INPUTS, suffix=st.sampled_from(SUFFIXES))
def test_reading_any_bytes_never_raises(data, suffix):
    reader = CorpusReader()
    documents = list(reader.read_data(data, f"doc{suffix}", f"fuzz{suffix}", suffix))
    check_reading(documents, reader.problems)
    lines = list(CorpusReader().read_jsonl_block(data.split(b"\n"), "fuzz.jsonl", first_line=7))
    check_reading(lines, [])


@BUDGET
@given(data=INPUTS, suffix=st.sampled_from(SUFFIXES), level=st.sampled_from(["passage", "document"]))
def test_the_cli_answers_any_file_with_a_report_or_a_one_line_error(tmp_path_factory, data, suffix, level):
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["scan", str(path), "--level", level, "--format", "json", "-q"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 0:
        report = json.loads(result.stdout)
        assert report["input"]["documents_read"] == len(report["documents"]) >= 1
    else:
        assert result.stderr.strip().startswith("Error:") or "Error:" in result.output


@BUDGET
@given(st.text(max_size=120))
def test_every_token_and_sentence_slices_the_text(text):
    words, starts, ends = tokenize(text)
    assert len(words) == len(starts) == len(ends)
    for start, end in zip(starts.tolist(), ends.tolist()):
        assert 0 <= start < end <= len(text)
    layout = analyze(text)
    for first, last in layout.sentences.tolist():
        assert 0 <= first < last <= len(layout)
    assert layout.words == words
