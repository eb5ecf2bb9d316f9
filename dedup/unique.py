"""The deduplicated corpus: which document of each cluster of near-duplicates is kept, and
the records kept, written as JSON lines or Parquet.

The rule (documented in the README): of each cluster the report gives, the document kept is
the one with the earliest publication date the report gives it (from its record's or page's
metadata, else a dateline in its text); documents without a date come after those with one;
among equals, the first read. Every other member is dropped. A document in no cluster is
kept. A kept record is written as it was read: its JSON, JSONL, CSV or Parquet record
whole, or for a file (text, HTML, a crawl's page) its id, text and metadata.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from dedup.errors import DedupError
from dedup.read.compressed import COMPRESSED_SUFFIXES, inner_suffix, open_for_writing
from dedup.records import Document
from dedup.report.model import Report

__all__ = ["Dropped", "MISSING_PARQUET", "RecordWriter", "corpus_format", "dropped_members", "kept_records", "record_of"]

MISSING_PARQUET = "writing Parquet needs pyarrow: pip install 'dedup[parquet]'"
# Rows a Parquet row group holds (the writer keeps no more than this in memory).
PARQUET_ROWS = 10_000


class Dropped(NamedTuple):
    """A document left out of the deduplicated corpus: the one kept in its stead, and the
    number of their cluster (from 1, in report order)."""

    id: str
    kept: str
    cluster: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kept": self.kept, "cluster": self.cluster}


def dropped_members(report: Report) -> dict[str, Dropped]:
    """The documents of ``report`` that the deduplicated corpus leaves out, by id.

    Examples
    --------
    >>> from dedup.report.model import DocumentSummary
    >>> docs = [DocumentSummary(i, None, None, date, 10) for i, date in
    ...         [("a", None), ("b", "2024-02-03"), ("c", "2024-02-01"), ("d", None), ("e", None)]]
    >>> report = Report({}, docs, [], [["a", "b", "c"], ["d", "e"]], [])
    >>> sorted((d.id, d.kept, d.cluster) for d in dropped_members(report).values())
    [('a', 'c', 1), ('b', 'c', 1), ('e', 'd', 2)]
    """
    order = {summary.id: (summary.published or "\uffff", position)  # undated after every date
             for position, summary in enumerate(report.documents)}
    dropped: dict[str, Dropped] = {}
    for number, cluster in enumerate(report.clusters, start=1):
        kept = min(cluster, key=order.__getitem__)
        dropped.update((member, Dropped(member, kept, number)) for member in cluster if member != kept)
    return dropped


def record_of(doc: Document) -> dict[str, Any]:
    """The document as it came in: its record for JSON, JSONL, CSV and Parquet input (read
    with ``keep_records``), else its id, text and metadata (title, url, published).

    >>> record_of(Document("a.txt", "Some text.", {"source": "a.txt", "title": "A"}))
    {'id': 'a.txt', 'text': 'Some text.', 'title': 'A'}
    """
    record = doc.meta.get("record")
    if record is None:
        record = {"id": doc.id, "text": doc.text,
                  **{k: v for k, v in doc.meta.items() if k not in ("source", "record")}}
    return record


def corpus_format(path: str) -> str:
    """``"parquet"`` for a ``.parquet`` file (compressed or not), else ``"jsonl"``.

    >>> corpus_format("clean.parquet"), corpus_format("clean.jsonl.gz"), corpus_format("-")
    ('parquet', 'jsonl', 'jsonl')
    """
    return "parquet" if inner_suffix(path) == ".parquet" else "jsonl"


class RecordWriter:
    """Writes records to ``path`` (``-``: stdout) as JSON lines, compressed by the file's
    extension (``.gz``, ``.bz2``, ``.xz``, ``.zst``), or as Parquet for a ``.parquet`` file
    (row groups of :data:`PARQUET_ROWS`; the columns are those of the first row group, and
    a later record with other fields is an error naming them).

    Use as a context manager; ``count`` is how many records were written.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.format = corpus_format(path)
        self.count = 0
        self._text: TextIO | None = None
        self._rows: list[dict[str, Any]] = []
        self._parquet = None  # pyarrow.parquet.ParquetWriter, from the first row group

    def __enter__(self) -> RecordWriter:
        if self.format == "parquet":
            if Path(self.path).suffix.lower() in COMPRESSED_SUFFIXES:
                raise DedupError(f"cannot write {self.path}: Parquet compresses its own columns; "
                                 "name the file .parquet")
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise DedupError(MISSING_PARQUET) from None
        elif self.path != "-":
            self._text = open_for_writing(self.path)
        return self

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        """Write ``records``, in order."""
        if self.format == "jsonl":
            out = sys.stdout if self._text is None else self._text
            records = iter(records)
            while chunk := list(itertools.islice(records, 1024)):  # a chunk at a time: memory stays flat
                out.writelines([json.dumps(record, ensure_ascii=False) + "\n" for record in chunk])
                self.count += len(chunk)
            return
        for record in records:
            self._rows.append(record)
            if len(self._rows) >= PARQUET_ROWS:
                self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._rows:
            return
        try:
            if self._parquet is None:
                table = pa.Table.from_pylist(self._rows)
                self._parquet = pq.ParquetWriter(self.path, table.schema)
            else:
                schema = self._parquet.schema
                extra = sorted({key for row in self._rows for key in row} - set(schema.names))
                if extra:
                    raise DedupError(f"cannot write {self.path}: records from row {self.count + 1} on have fields "
                                     f"the first ones lack ({', '.join(map(repr, extra[:5]))}); Parquet holds one "
                                     "set of columns: write JSONL instead (-o NAME.jsonl)")
                table = pa.Table.from_pylist(self._rows, schema=schema)
            self._parquet.write_table(table)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as error:
            raise DedupError(f"cannot write {self.path} as Parquet: the records from row {self.count + 1} on do not "
                             f"fit one table ({error}); write JSONL instead (-o NAME.jsonl)") from None
        self.count += len(self._rows)
        self._rows.clear()

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if self.format == "parquet" and error is None:
                self._flush()
                if self._parquet is None:  # no record at all: an empty file still says so
                    import pyarrow as pa
                    import pyarrow.parquet as pq

                    pq.write_table(pa.table({}), self.path)
        finally:
            if self._parquet is not None:
                self._parquet.close()
            if self._text is not None:
                self._text.close()


def kept_records(documents: Iterator[Document], dropped: dict[str, Dropped]) -> Iterator[dict[str, Any]]:
    """The records of ``documents`` that are not ``dropped``, in order."""
    return (record_of(doc) for doc in documents if doc.id not in dropped)
