"""Render a Report as a table, JSON (schema 1), JSONL or CSV; and the results of compare."""

from __future__ import annotations

import csv
import io
import json
import math
import textwrap
from collections.abc import Iterator
from itertools import zip_longest
from typing import Any

from dedup.errors import ParameterError
from dedup.records import Passage
from dedup.report.html import render_html
from dedup.report.model import (
    DocumentSummary,
    Report,
    duplicate_to_dict,
    passage_to_dict,
)
from dedup.report.output import COMPARE_FORMATS, FORMATS, printable, spreadsheet_safe
from dedup.report.table import DEFAULT_WIDTH, render_table
from dedup.text.layout import boilerplate_lines

__all__ = ["COMPARE_FORMATS", "FORMATS", "render", "render_comparisons", "render_parts"]


def render(report: Report, fmt: str, *, with_text: bool = False, limit: int | None = None, detail: bool = False,
           width: int = DEFAULT_WIDTH, color: bool = False) -> str:
    """Return ``report`` rendered in ``fmt`` (one of ``FORMATS``), ending with a newline.

    ``with_text`` adds each document's text to the JSONL ``document`` records. For the
    table and HTML, ``limit`` shows only the pairs sharing the most text; for the table,
    ``detail`` lists each passage's sentence pairs, ``width`` is the columns to fit and
    ``color`` colours the kinds (:func:`dedup.report.table.render_table`).
    """
    return "".join(render_parts(report, fmt, with_text=with_text, limit=limit, detail=detail, width=width,
                                color=color))


def render_parts(report: Report, fmt: str, *, with_text: bool = False, limit: int | None = None,
                 detail: bool = False, width: int = DEFAULT_WIDTH, color: bool = False) -> Iterator[str]:
    """``report`` rendered in ``fmt`` as consecutive pieces of text (what :func:`render`
    joins, with the same options): JSON, JSONL and CSV a record at a time, so that a report
    of millions of passages is written out without being held as one string; the table and
    HTML in one piece."""
    if fmt not in FORMATS:
        raise ParameterError(f"Unknown format {fmt!r}: the 'fmt' parameter of render must be one of "
                             f"{', '.join(FORMATS)}.", parameter="format")
    if fmt == "json":
        yield from _json(report)
    elif fmt == "jsonl":
        yield from _jsonl(report, with_text)
    elif fmt == "csv":
        yield from _csv(report)
    elif fmt == "table":
        yield render_table(report, width=width, limit=limit, detail=detail, color=color)
    else:
        yield render_html(report, limit=limit)


def _json(report: Report) -> Iterator[str]:
    """The schema-1 JSON object, laid out as ``json.dumps(report.to_dict(),
    ensure_ascii=False, indent=2)`` but for the passages' sentence pairs, one a line
    (:func:`_passage_json`), one document, pair or passage at a time."""
    yield "{"
    for k, (key, value) in enumerate(report.to_dict(lists=False).items()):
        yield ("," if k else "") + "\n  " + json.dumps(key, ensure_ascii=False) + ": "
        if not isinstance(value, Iterator):
            yield _indented(value, 2)
            continue
        first = next(value, _END)
        if first is _END:
            yield "[]"
            continue
        entry = _passage_json if key == "passages" else _indented
        yield "[\n    " + entry(first, 4)
        for item in value:
            yield ",\n    " + entry(item, 4)
        yield "\n  ]"
    yield "\n}\n"


_END = object()


def _passage_json(passage: dict, level: int) -> str:
    """A ``passages`` entry as :func:`_indented` writes it, but each of its sentence pairs
    on one line (a passage may hold dozens: a pair takes a line, not twelve)."""
    sentences = passage.get("sentences")
    if not sentences:
        return _indented(passage, level)
    rest = _indented({key: value for key, value in passage.items() if key != "sentences"}, level)
    inner = " " * (level + 2)
    rows = (",\n" + inner + "  ").join(json.dumps(pair, ensure_ascii=False) for pair in sentences)
    return (rest[: -(level + 2)] + ",\n" + inner + '"sentences": [\n' + inner + "  " + rows + "\n" + inner + "]\n"
            + " " * level + "}")


def _indented(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, nested
    ``level`` spaces deep.

    The report's own data (dicts with string keys, lists, strings, ints, finite floats,
    booleans and None) is written by :func:`_pretty`, several times faster than the
    standard library's indenting encoder (which is pure Python); anything else goes through
    ``json.dumps`` itself (JSON strings hold no raw line breaks, so indenting the lines of
    its text is exact)."""
    try:
        return _pretty(value, " " * level)
    except _Unusual:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * level)


class _Unusual(Exception):
    """A value :func:`_pretty` leaves to ``json.dumps``."""


def _pretty(value: Any, pad: str) -> str:
    """``value`` as indented JSON whose closing bracket is indented by ``pad``; the same
    bytes as ``json.dumps(..., indent=2)``: ``,`` and ``": "`` separators, ``{}`` and ``[]``
    for empty containers, floats by ``repr``."""
    kind = type(value)
    if kind is str:
        return _quoted(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = pad + "  "
        if not all(type(key) is str for key in value):
            raise _Unusual
        return ("{\n" + inner + (",\n" + inner).join(_quoted(key) + ": " + _pretty(item, inner)
                                                     for key, item in value.items()) + "\n" + pad + "}")
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = pad + "  "
        return "[\n" + inner + (",\n" + inner).join(_pretty(item, inner) for item in value) + "\n" + pad + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    raise _Unusual


_quoted = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) writes a string as


def _jsonl(report: Report, with_text: bool) -> Iterator[str]:
    data = report.to_dict(lists=False)
    yield _line({"type": "report", "dedup_report": data["dedup_report"], "parameters": data["parameters"]})
    for doc in data["documents"]:
        record = {"type": "document", **doc}
        if with_text:
            record["text"] = report.texts.get(doc["id"])
        yield _line(record)
    yield from (_line({"type": "duplicate", **d}) for d in data["duplicates"])
    yield from (_line({"type": "cluster", "documents": c}) for c in data["clusters"])
    yield from (_line({"type": "passage", **p}) for p in data["passages"])
    yield from (_line({"type": "attribution", **a}) for a in data["attribution"])
    yield from (_line({"type": "group", **g}) for g in data["groups"])
    yield _line({"type": "input", **data["input"]})


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


_CSV_COLUMNS = ["record", "kind", "score", "a_doc", "a_start", "a_end", "b_doc", "b_start", "b_end", "a_text", "b_text"]


class _SafeWriter(csv.DictWriter):
    """A DictWriter whose cells cannot run as spreadsheet formulas."""

    def writerow(self, rowdict):
        return super().writerow({key: spreadsheet_safe(value) for key, value in rowdict.items()})


def _csv(report: Report) -> Iterator[str]:
    out = io.StringIO()
    writer = _SafeWriter(out, fieldnames=_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for duplicate in report.duplicates:
        d = duplicate_to_dict(duplicate)
        writer.writerow({"record": "duplicate", "kind": "", "score": d["similarity"],
                         "a_doc": d["documents"][0], "b_doc": d["documents"][1]})
    for passage in report.passages:
        p = passage_to_dict(passage)
        writer.writerow({
            "record": "passage", "kind": p["kind"], "score": p["score"],
            "a_doc": p["a"]["doc"], "a_start": p["a"]["start"], "a_end": p["a"]["end"],
            "b_doc": p["b"]["doc"], "b_start": p["b"]["start"], "b_end": p["b"]["end"],
            "a_text": report.texts.get(passage.a.doc, "")[passage.a.start : passage.a.end],
            "b_text": report.texts.get(passage.b.doc, "")[passage.b.start : passage.b.end],
        })  # fmt: skip
        if out.tell() > 1 << 16:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    for group in report.groups:  # one row per member: the representative's share of it
        for member in group["members"]:
            writer.writerow({"record": "group", "kind": group["basis"], "score": member["share"],
                             "a_doc": group["representative"], "b_doc": member["doc"]})
    yield out.getvalue()


def render_comparisons(
    comparisons: list[tuple[str, str, list[Passage]]], texts: dict[str, str], fmt: str, *, width: int = DEFAULT_WIDTH
) -> str:
    """Render the results of ``dedup compare``: one object per pair (``jsonl``), a list of
    them (``json``), the passages side by side in ``width`` columns (``table``), or the
    HTML page of the pairs (``html``)."""
    objects = [{"a": a, "b": b, "passages": [passage_to_dict(p) for p in found]} for a, b, found in comparisons]
    if fmt == "jsonl":
        return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)
    if fmt == "json":
        return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return _comparisons_html(comparisons, texts)
    if fmt != "table":
        raise ParameterError(f"Unknown format {fmt!r}: the 'fmt' parameter of render_comparisons must be one of "
                             f"{', '.join(COMPARE_FORMATS)}.", parameter="format")
    column = max((width - 7) // 2, 16)
    lines = []
    for a, b, found in comparisons:
        lines += textwrap.wrap(f"== {a}  <->  {b}: {len(found)} passage(s)", width, subsequent_indent="   ",
                               break_long_words=True)
        for p in found:
            lines.append(f"  {p.kind:<10} score {p.score:.2f}   a[{p.a.start}:{p.a.end}]  b[{p.b.start}:{p.b.end}]")
            left = textwrap.wrap(" ".join(texts[a][p.a.start : p.a.end].split()), column, break_long_words=True)
            right = textwrap.wrap(" ".join(texts[b][p.b.start : p.b.end].split()), column, break_long_words=True)
            for x, y in zip_longest(left, right, fillvalue=""):
                lines.append(f"    {x:<{column}} | {y}".rstrip())
        lines.append("")
    return printable("\n".join(lines).rstrip("\n") + "\n")


def _comparisons_html(comparisons: list[tuple[str, str, list[Passage]]], texts: dict[str, str]) -> str:
    """The compared pairs as an HTML report of their documents and passages (no verdicts)."""
    ids = list(dict.fromkeys(doc for a, b, _ in comparisons for doc in (a, b)))
    report = Report(
        parameters={},
        documents=[DocumentSummary(id=doc, title=None, url=None, published=None, chars=len(texts[doc])) for doc in ids],
        duplicates=[],
        clusters=[],
        passages=[p for _, _, found in comparisons for p in found],
        texts={doc: texts[doc] for doc in ids},
        chrome={doc: boilerplate_lines(texts[doc]) for doc in ids},
    )
    title = f"dedup: {comparisons[0][0]} and {comparisons[0][1]}" if len(comparisons) == 1 else "dedup: compared pairs"
    return render_html(report, title=title)
