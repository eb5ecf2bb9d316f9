"""Parquet input of the local engine: rows as records, read a row group at a time with
pyarrow (the ``parquet`` extra, imported when a Parquet file is read).

Each row is a record as a JSONL line would give it: ``--id-field`` and ``--text-field``
name columns, rows are numbered from 1 (the number a problem names, and the id of a row
without one). Only the columns the documents need are read, unless the records are kept
whole (``--emit unique``, ``--with-text``). Cells that JSON cannot hold are made plain:
dates and times in ISO 8601, decimals as strings, binary as UTF-8 text.
"""

from __future__ import annotations

import base64
import datetime
import decimal
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

__all__ = ["MISSING_EXTRA", "PARQUET_MAGIC", "parquet_records"]

PARQUET_MAGIC = b"PAR1"
MISSING_EXTRA = "reading Parquet needs pyarrow: pip install 'dedup[parquet]'"
_ROWS_PER_BATCH = 2048


class ParquetError(ValueError):
    """A Parquet file (or a part of one) that cannot be read."""

    reason = "unreadable"


class NoTextColumn(ValueError):
    """The file has no column of the text field."""

    reason = "no-text"


def parquet_records(handle: BinaryIO, *, needed: Sequence[str] | None) -> Iterator[tuple[int, Any]]:
    """``(row number, record)`` for each row of the Parquet file open at ``handle``, row
    group by row group; a part that cannot be read gives ``(row, ParquetError)`` and ends
    the file. ``needed``: the columns to read (those of them the file has; the first is the
    text field, whose absence is one ``NoTextColumn`` for the file); None: all of them."""
    try:
        import pyarrow.parquet as pq
        from pyarrow import ArrowException
    except ImportError:
        yield 1, ParquetError(f"{MISSING_EXTRA}; file skipped")
        return
    row = 0
    try:
        table = pq.ParquetFile(handle)
        names = table.schema_arrow.names
        columns = None
        if needed is not None:
            if needed[0] not in names:
                shown = ", ".join(repr(name) for name in names[:8]) + (", ..." if len(names) > 8 else "")
                yield 1, NoTextColumn(f"no {needed[0]!r} column (its columns: {shown or 'none'}); file skipped "
                                      "(see --text-field)")
                return
            columns = [name for name in dict.fromkeys(needed) if name in names]
        for batch in table.iter_batches(batch_size=_ROWS_PER_BATCH, columns=columns):
            for record in batch.to_pylist():
                row += 1
                yield row, {key: _plain(value) for key, value in record.items()}
    except (ArrowException, OSError, ValueError) as error:
        where = f"after row {row}" if row else "whole"
        yield row + 1, ParquetError(f"not a readable Parquet file ({error}); skipped {where}")


def _plain(value: Any) -> Any:
    """A cell as JSON would hold it (lists and structs cell by cell).

    >>> _plain(datetime.date(2024, 2, 4)), _plain(decimal.Decimal("1.50")), _plain([b"ab"])
    ('2024-02-04', '1.50', ['ab'])
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (datetime.date, datetime.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        # A map column comes as a list of (key, value) pairs.
        return [_plain(item) for item in value]
    return str(value)
