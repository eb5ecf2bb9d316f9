"""Records of JSON, JSON lines and CSV text, each with the line it ends on, or the
``ValueError`` that says why it could not be read (the reader reports it and reads on).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import sys
from collections.abc import Iterator
from typing import Any

import orjson

__all__ = ["NOT_READ", "CsvError", "csv_records", "json_line", "json_line_fast", "json_records", "jsonl_records"]


class CsvError(ValueError):
    reason = "malformed-csv"


def json_message(error: json.JSONDecodeError) -> str:
    """The decoder's message without its dangling "at" (ours says where)."""
    return error.msg.removesuffix(" at")


def jsonl_records(text: str, first: int = 1) -> Iterator[tuple[int, Any]]:
    # Universal newlines: a line may end in "\n", "\r\n" or a lone "\r" (JSON strings
    # cannot hold a raw CR or LF, so none is split inside a record).
    for number, line in enumerate(io.StringIO(text, newline=None), start=first):
        if not line.strip():
            continue
        yield number, json_line(line)


def json_line(line: str) -> Any:
    """The value of one JSON line, or the ValueError that says why it is not one."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        return ValueError(f"invalid JSON ({json_message(error)} at column {error.colno}); line skipped")
    except (RecursionError, ValueError) as error:
        return ValueError(f"unreadable JSON ({limit_message(error)}); line skipped")


NOT_READ = object()  # what json_line_fast returns for a line it leaves to json_line


def json_line_fast(raw: bytes) -> Any:
    """The value of one JSON line of UTF-8 bytes as :func:`json_line` would read it, read by
    orjson (several times faster, and no decoding to ``str`` first), or :data:`NOT_READ`.

    orjson rejects what the standard decoder reads differently or reports (invalid UTF-8,
    lone surrogate escapes, ``NaN``, numbers out of range, deep nesting, blank lines), and
    it reads integers beyond 64 bits as floats: a line it rejects, and a value holding a
    float, are left to :func:`json_line`, so the values are always the standard decoder's.

    >>> json_line_fast(b'{"id": 7, "text": "cafe"}'), json_line_fast(b'{"id": 1e400}') is NOT_READ
    ({'id': 7, 'text': 'cafe'}, True)
    """
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return NOT_READ
    return NOT_READ if _holds_float(value) else value


def _holds_float(value: Any) -> bool:
    pending = [value]  # a loop, not recursion: orjson reads values nested 1,000 deep
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is float:
            return True
        if kind is dict:
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
    return False


def limit_message(error: Exception) -> str:
    """What a JSON value beyond the decoder's limits is: nested too deep, or a number too long."""
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return f"a number of more than {sys.get_int_max_str_digits()} digits" if "digits" in str(error) else str(error)


def json_records(text: str) -> Iterator[tuple[int, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":  # one object per line, named .json
            yield from jsonl_records(text)
        else:
            yield error.lineno, ValueError(f"invalid JSON ({json_message(error)} at column {error.colno}); file skipped")
        return
    except (RecursionError, ValueError) as error:
        if text.lstrip().startswith("{"):  # perhaps one object per line: read them one by one
            yield from jsonl_records(text)
        else:
            yield 1, ValueError(f"unreadable JSON ({limit_message(error)}); file skipped")
        return
    items = data if isinstance(data, list) else [data]
    yield from enumerate(items, start=1)


def csv_records(text: str) -> Iterator[tuple[int, Any]]:
    """Records of CSV text with the line each ends on. A quote left open swallows every line
    after it; that record is reported at the line it starts on, and the lines after it are
    read again as records."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    lines = io.StringIO(text, newline="").readlines()
    fields: list[str] | None = None
    offset = 0  # lines before the ones the current reader reads
    while offset < len(lines):
        reader = csv.reader(lines[offset:])
        ended = 0
        try:
            for row in reader:
                start, ended = offset + ended + 1, reader.line_num
                end = offset + ended
                if end == len(lines) and end > start and sum(line.count('"') for line in lines[start - 1:end]) % 2:
                    yield start, CsvError(f"unterminated quote (the record starting on this line runs to the end "
                                           f"of the file); record skipped, the {end - start} line(s) after it read "
                                           "as records")
                    offset = start
                    break
                if not row:
                    continue  # a blank line
                if fields is None:
                    fields = row
                    continue
                if len(row) > len(fields):
                    yield end, CsvError("more fields than the header names; row skipped")
                    continue
                yield end, dict(itertools.zip_longest(fields, row))
            else:
                return
        except csv.Error as error:
            yield offset + reader.line_num, CsvError(f"malformed CSV ({error}); rest of file skipped")
            return
