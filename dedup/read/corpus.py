"""Reading documents: files, directories, stdin; txt, md, html, json, jsonl and csv, each
also compressed (gzip, bz2, xz, zstd: :mod:`dedup.read.compressed`); Parquet
(:mod:`dedup.read.parquet`) and WARC or ARC crawls (:mod:`dedup.read.warc`). HTML pages
are extracted in :mod:`dedup.read.html`, JSON and CSV records parsed in
:mod:`dedup.read.records_text`.

Readers never stop at a bad piece of input: what cannot be read is recorded as an
:class:`~dedup.records.InputProblem` (with its file and line) and the rest is read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from charset_normalizer import from_bytes

from dedup.errors import InputError
from dedup.read.compressed import (
    DECOMPRESSION_ERRORS,
    MAGIC_BYTES,
    compression_of,
    decompress,
    inner_suffix,
    open_decompressed,
)
from dedup.read.html import MAX_ATTRIBUTES, cap_attributes, extract_html
from dedup.read.parquet import PARQUET_MAGIC, parquet_records
from dedup.read.records_text import NOT_READ, csv_records, json_line, json_line_fast, json_records, jsonl_records
from dedup.read.warc import WarcPage, is_crawl, warc_pages
from dedup.records import Document, InputProblem, without_surrogates

__all__ = ["CorpusReader", "INPUT_FORMATS", "MISSING_IDS", "read_documents"]

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
    ".parquet": "parquet", ".warc": "warc", ".arc": "warc",
}  # fmt: skip
INPUT_FORMATS = ("auto", "text", "html", "json", "jsonl", "csv", "parquet", "warc")
# Formats read as records or pages from a binary file (not decoded as text).
_CONTAINERS = ("parquet", "warc")
# What a record without an id gets (CorpusReader's missing_ids).
MISSING_IDS = ("line", "hash", "error")
_META_FIELDS = ("url", "published", "title", "outlet")
_BINARY_PROBE = 8192


class CorpusReader:
    """Read documents from paths, recording every problem met on the way.

    Parameters
    ----------
    id_field, text_field : str
        Fields of JSON, JSONL and CSV records that hold the id and the text.
    input_format : str
        One of ``INPUT_FORMATS``; ``"auto"`` picks by file extension (by content for stdin).
    stdin : binary file, optional
        Where ``-`` reads from (``sys.stdin.buffer`` by default).
    unique_ids : bool
        Rename a repeated id to ``id#2``, ``id#3``... (True), or keep it as read (False:
        constant memory for a stream, where the consumer handles repeats).
    keep_records : bool
        Keep each JSON, JSONL or CSV record as read in ``meta["record"]``.
    missing_ids : str
        What a record without an id (``id_field``) gets: ``"line"``, its line number (counted
        in ``line_ids``); ``"hash"``, ``"sha1:"`` and the first 16 hex digits of its text's
        SHA-1; ``"error"``, none: reading stops there, with ``stopped`` saying why.

    Attributes
    ----------
    problems : list of InputProblem
        What could not be read as it was, in the order met.
    skipped : int
        How many documents or files were skipped.
    line_ids : int
        How many records were given their line numbers as ids.
    stopped : str or None
        With ``missing_ids="error"``: the record without an id that stopped the reading.

    Examples
    --------
    >>> reader = CorpusReader()
    >>> docs = list(reader.read(["fixtures/seeds"]))
    >>> len(docs), docs[0].id
    (5, '000_8932b4b4356b9590.txt')
    """

    def __init__(
        self,
        *,
        id_field: str = "id",
        text_field: str = "text",
        input_format: str = "auto",
        stdin: BinaryIO | None = None,
        unique_ids: bool = True,
        keep_records: bool = False,
        missing_ids: str = "line",
    ) -> None:
        if input_format not in INPUT_FORMATS:
            raise InputError(f"Unknown input format {input_format!r}; use one of {', '.join(INPUT_FORMATS)}.")
        self.id_field = id_field
        self.text_field = text_field
        self.input_format = input_format
        self.stdin = stdin
        self.unique_ids = unique_ids
        self.keep_records = keep_records
        if missing_ids not in MISSING_IDS:
            raise InputError(f"Unknown rule for missing ids {missing_ids!r}; use one of {', '.join(MISSING_IDS)}.")
        self.missing_ids = missing_ids
        self.problems: list[InputProblem] = []
        self.skipped = 0
        self.line_ids = 0
        self.stopped: str | None = None
        self._origins: dict[str, str] = {}
        self._line_ids_prefixed = False

    # -- public -------------------------------------------------------------------------

    def read(self, paths: Iterable[str | os.PathLike]) -> Iterator[Document]:
        """Yield the documents found under ``paths`` (files, directories or ``-``), ids unique."""
        paths = [str(p) for p in paths]
        # Line-number ids are only unambiguous when a single file is read.
        self._line_ids_prefixed = not (len(paths) == 1 and not os.path.isdir(paths[0]))
        for path in paths:
            if self.stopped:
                return
            if path == "-":
                yield from self._unique(self._read_stdin())
            elif os.path.isdir(path):
                yield from self._unique(self._read_directory(Path(path)))
            elif os.path.exists(path):
                yield from self._unique(self._read_file(Path(path), Path(path).name))
            else:
                raise InputError(f"{path}: no such file or directory.")

    def read_jsonl_block(self, lines: Iterable[bytes], source: str, *, first_line: int = 1,
                         prefix_line_ids: bool = False) -> Iterator[Document]:
        """Yield the documents of JSONL lines read elsewhere (a block of a larger file, say),
        the first of them line ``first_line`` of ``source``. Ids are not made unique across
        blocks. ``prefix_line_ids``: records without an id get ``NAME:LINE``, not ``LINE``."""
        self._line_ids_prefixed = prefix_line_ids
        yield from self._stream_jsonl(lines, source, first_line)

    def read_records(self, records: Iterable[tuple[int, Any]], source: str, *,
                     prefix_line_ids: bool = False) -> Iterator[Document]:
        """Yield the documents of ``(number, record)`` pairs read elsewhere (Parquet rows,
        say), as JSONL lines would give them; records without an id get their number."""
        self._line_ids_prefixed = prefix_line_ids
        yield from self._records(iter(records), source)

    def read_data(self, data: bytes, doc_id: str, source: str, suffix: str = "") -> Iterator[Document]:
        """Yield the documents of one file's bytes read elsewhere (``suffix``: its extension)."""
        yield from self._read_stream(data, doc_id, source, suffix)

    # -- sources ------------------------------------------------------------------------

    def _read_stdin(self) -> Iterator[Document]:
        handle = self.stdin or sys.stdin.buffer
        if self.input_format in ("auto", "jsonl"):
            # JSONL is read a line at a time, so a stream of any length takes constant memory.
            head: list[bytes] = []
            for line in iter(handle.readline, b""):
                head.append(line)
                if line.strip(b" \t\r\n\xef\xbb\xbf"):
                    break
            # Compressed, or UTF-16/32 (whose lines do not end in one b"\n"): read whole, below.
            whole = bool(head) and (compression_of("", head[0]) or _wide_encoding(head[0]))
            if not whole and (self.input_format == "jsonl" or _sniff(b"".join(head)) == "jsonl"):
                yield from self._stream_jsonl(itertools.chain(head, iter(handle.readline, b"")), "<stdin>")
                return
            data = b"".join(head) + handle.read()
        else:
            data = handle.read()
        yield from self._read_stream(data, "-", "<stdin>")

    def _stream_jsonl(self, lines: Iterable[bytes], source: str, first_line: int = 1) -> Iterator[Document]:
        def records() -> Iterator[tuple[int, Any]]:
            number = first_line - 1
            for raw in lines:
                number += 1
                if number == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                value = json_line_fast(raw)
                if value is not NOT_READ:
                    yield number, value
                    continue
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    self.problems.append(InputProblem(
                        source, f"not valid UTF-8 (byte {error.start}); undecodable bytes replaced with U+FFFD",
                        "kept", number, "encoding"))
                    line = raw.decode("utf-8", errors="replace")
                if not line or line.isspace():  # a line of a binary file: one "\n", at the end
                    continue
                value = json_line(line)
                body = line.rstrip("\r\n")
                if isinstance(value, Exception) and "\r" in body:
                    # Lines that end in a lone CR (old Mac files): each is a line of its own.
                    for piece in body.split("\r"):
                        if piece and not piece.isspace():
                            yield number, json_line(piece)
                        number += 1
                    number -= 1
                    continue
                yield number, value

        yield from self._records(records(), source)

    def _read_directory(self, root: Path) -> Iterator[Document]:
        unsupported: list[str] = []
        for folder, subfolders, files in os.walk(root, onerror=lambda e: self._problem(str(root), str(e))):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = Path(folder, name)
                relative = path.relative_to(root).as_posix()
                if not path.is_file() and path.exists():  # a FIFO, socket or device: reading could block
                    self._problem(str(path), "not a regular file (FIFO, socket or device); skipped",
                                  reason="not-a-regular-file")
                elif inner_suffix(name) in EXTENSIONS or self.input_format != "auto":
                    yield from self._read_file(path, relative)
                    if self.stopped:
                        return
                else:
                    unsupported.append(relative)
        if unsupported:
            shown = ", ".join(unsupported[:3]) + (", ..." if len(unsupported) > 3 else "")
            self.problems.append(InputProblem(
                str(root), f"{len(unsupported)} file(s) with unsupported extensions not read ({shown}); "
                f"use --input-format to read them as one format", "skipped", reason="unsupported-extension",
                count=len(unsupported)))
            self.skipped += len(unsupported)

    def _read_file(self, path: Path, doc_id: str) -> Iterator[Document]:
        try:
            # The head says the compression and the byte-order mark. A FIFO can be read once:
            # its head is not read (its compression is known by its name only).
            head = b""
            if path.is_file():
                with path.open("rb") as handle:
                    head = handle.read(MAGIC_BYTES)
            compression = compression_of(path.name, head)
        except OSError as error:
            self._problem(str(path), f"cannot be read ({error.strerror or error}); skipped")
            return
        container = self._container(inner_suffix(path.name), b"" if compression else head)
        if container:
            yield from self._read_container_file(path, container, compression)
            return
        if compression:
            yield from self._read_compressed(path, doc_id, compression)
            return
        suffix = path.suffix.lower()
        jsonl = self.input_format == "jsonl" or (self.input_format == "auto" and EXTENSIONS.get(suffix) == "jsonl")
        if jsonl and not _wide_encoding(head):  # UTF-16/32 JSONL is read whole, below
            try:
                with path.open("rb") as handle:
                    yield from self._stream_jsonl(handle, str(path))
            except OSError as error:
                self._problem(str(path), f"cannot be read ({error.strerror or error}); skipped")
            return
        try:
            data = path.read_bytes()
        except OSError as error:
            self._problem(str(path), f"cannot be read ({error.strerror or error}); skipped")
            return
        yield from self._read_stream(data, doc_id, str(path), path.suffix.lower())

    def _container(self, suffix: str, head: bytes) -> str | None:
        """``"parquet"`` or ``"warc"`` for a file read as one (by --input-format, else by its
        extension, else, for an unknown extension, by its first bytes); else None."""
        if self.input_format != "auto":
            return self.input_format if self.input_format in _CONTAINERS else None
        kind = EXTENSIONS.get(suffix)
        if kind is None and head.startswith(PARQUET_MAGIC):
            return "parquet"
        if kind is None and is_crawl(head):
            return "warc"
        return kind if kind in _CONTAINERS else None

    def _read_container_file(self, path: Path, container: str, compression: str | None) -> Iterator[Document]:
        """A Parquet or crawl file: read in place; under compression, decompressed first (a
        crawl as a stream, whether gzipped a member per record or whole; Parquet whole, as it
        seeks in its file)."""
        try:
            if compression is None:
                handle = path.open("rb")
            elif container == "parquet":
                with open_decompressed(path, compression) as stream:
                    handle = io.BytesIO(stream.read())
            else:
                handle = open_decompressed(path, compression)
        except DECOMPRESSION_ERRORS as error:  # OSError among them
            self._problem(str(path), f"cannot be read ({getattr(error, 'strerror', None) or error}); skipped")
            return
        with handle:
            yield from self._read_container(handle, container, str(path))

    def _read_container(self, handle: BinaryIO, container: str, source: str) -> Iterator[Document]:
        if container == "parquet":
            needed = None if self.keep_records else [self.text_field, self.id_field, *_META_FIELDS]
            yield from self._records(parquet_records(handle, needed=needed), source)
            return
        number = 0
        try:
            for number, page in warc_pages(handle):
                if isinstance(page, WarcPage):
                    where = f"{source}:{number}"
                    if page.cut:
                        self.problems.append(InputProblem(source, f"the record of {page.uri} is cut short; what it "
                                                          "holds is read", "kept", number, "truncated"))
                    yield from self._html(page.uri, self._decode(page.html, where, page.charset), where,
                                          {"url": page.uri})
                else:
                    self._problem(source, str(page), line=number, reason=getattr(page, "reason", "unreadable"))
        except DECOMPRESSION_ERRORS as error:  # a damaged compressed stream under the crawl
            self._problem(source, f"cannot be decompressed after record {number} ({error}); rest of file skipped")

    def _read_compressed(self, path: Path, doc_id: str, compression: str) -> Iterator[Document]:
        """A compressed file: JSONL streamed a line at a time, other formats read whole. A
        damaged or cut stream keeps what was read before the damage and reports the rest.

        gzip is read with ISA-L, which decompresses ahead in large blocks: when it meets
        damage, the lines not read yet are read again with the standard library's decoder,
        which gives every line before the damage."""
        suffix = inner_suffix(path.name)
        jsonl = self.input_format == "jsonl" or (self.input_format == "auto" and EXTENSIONS.get(suffix) == "jsonl")
        lines = 0  # lines of a JSONL stream read so far: each made its document or its problem
        for careful in (False, True):
            try:
                with open_decompressed(path, compression, careful=careful) as handle:
                    if not jsonl:
                        data = handle.read()
                        break

                    def counted(stream: Iterable[bytes]) -> Iterator[bytes]:
                        nonlocal lines
                        for line in stream:
                            lines += 1
                            yield line

                    yield from self._stream_jsonl(counted(itertools.islice(handle, lines, None)), str(path),
                                                  first_line=lines + 1)
                    return
            except DECOMPRESSION_ERRORS as error:
                if compression == "gzip" and not careful:
                    continue
                what = f"after line {lines}" if jsonl else "whole"
                self._problem(str(path), f"cannot be decompressed as {compression} ({error}); skipped {what}",
                              reason="unreadable")
                return
        yield from self._read_stream(data, doc_id, str(path), suffix)

    def _read_stream(self, data: bytes, doc_id: str, source: str, suffix: str = "") -> Iterator[Document]:
        compression = compression_of("", data[:MAGIC_BYTES])
        if compression:  # stdin, or bytes read elsewhere
            try:
                data = decompress(data, compression)
            except DECOMPRESSION_ERRORS as error:
                self._problem(source, f"cannot be decompressed as {compression} ({error}); skipped")
                return
        container = self._container(suffix, data[:MAGIC_BYTES])
        if container:
            yield from self._read_container(io.BytesIO(data), container, source)
            return
        kind = self.input_format
        wide = _wide_encoding(data)
        if wide:  # UTF-16 or UTF-32 with a byte-order mark: its NUL bytes are text
            text = self._decode_wide(data, wide, source)
            if kind == "auto":
                kind = EXTENSIONS.get(suffix) or _sniff(text[:_BINARY_PROBE].encode("utf-8", "replace"),
                                                        self.text_field)
        else:
            if kind == "auto":
                kind = EXTENSIONS.get(suffix) or _sniff(data, self.text_field)
            if b"\x00" in data[:_BINARY_PROBE] and kind in ("text", "html"):
                self._problem(source, "binary file (contains NUL bytes); skipped", reason="binary")
                return
            text = self._decode(data, source)
        if kind == "text":
            yield from self._single(doc_id, text, source, {})
        elif kind == "html":
            yield from self._html(doc_id, text, source, {})
        elif kind == "jsonl":
            yield from self._records(jsonl_records(text), source)
        elif kind == "json":
            yield from self._records(json_records(text), source)
        else:
            yield from self._records(csv_records(text), source)

    # -- helpers ------------------------------------------------------------------------

    def _single(self, doc_id: str, text: str, source: str, meta: dict) -> Iterator[Document]:
        if not text.strip():
            self._problem(source, "empty document; skipped", reason="empty")
            return
        if _has_surrogates(doc_id) or _has_surrogates(source):
            doc_id, source = without_surrogates(doc_id), self._readable_source(source)
        yield Document(id=doc_id, text=text, meta={**meta, "source": source})

    def _html(self, doc_id: str, html: str, source: str, meta: dict) -> Iterator[Document]:
        """The document of an HTML page: its main text, and its title, date and url (``meta``
        is kept over what the page says)."""
        html, cut = cap_attributes(html)
        if cut:
            self.problems.append(InputProblem(
                source, f"{cut} HTML tag(s) with more than {MAX_ATTRIBUTES} attributes cut to their first "
                f"{MAX_ATTRIBUTES} before extraction", "kept", reason="html-attributes"))
        body, found = extract_html(html)
        yield from self._single(doc_id, body, source, {**found, **meta})

    def _records(self, records: Iterator[tuple[int, Any]], source: str) -> Iterator[Document]:
        source = self._readable_source(source)
        for line, record in records:
            if isinstance(record, Exception):
                self._problem(source, str(record), line=line, reason=getattr(record, "reason", "invalid-json"))
                continue
            if not isinstance(record, dict):
                self._problem(source, f"expected an object, got {type(record).__name__}; skipped", line=line,
                              reason="not-an-object")
                continue
            text = record.get(self.text_field)
            if not isinstance(text, str):
                what = "no" if text is None else f"a non-string ({type(text).__name__})"
                fields = ", ".join(repr(k) for k in list(record)[:8]) + (", ..." if len(record) > 8 else "")
                self._problem(source, f"{what} {self.text_field!r} field (its fields: {fields or 'none'}); skipped "
                              "(see --text-field)", line=line, reason="no-text")
                continue
            if not text or text.isspace():  # as "not text.strip()", without the copy
                self._problem(source, "empty text; skipped", line=line, reason="empty")
                continue
            raw_id = record.get(self.id_field)
            if raw_id is None or isinstance(raw_id, (dict, list)):
                if self.missing_ids == "error":
                    fields = ", ".join(repr(k) for k in list(record)[:8]) or "none"
                    self.stopped = (f"{source}:{line}: the record has no {self.id_field!r} field (its fields: {fields}); "
                                    "name the id field with --id-field, or give such records ids with --ids hash "
                                    "or --ids line")
                    return
                if self.missing_ids == "hash":
                    doc_id = "sha1:" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
                else:
                    doc_id = f"{Path(source).name}:{line}" if self._line_ids_prefixed else str(line)
                    self.line_ids += 1
            else:
                doc_id = str(raw_id)
            meta = {k: record[k] for k in _META_FIELDS if isinstance(record.get(k), str)}
            if any(_has_surrogates(value) for value in (text, doc_id, *meta.values())):
                # JSON can escape halves of a surrogate pair alone ("\ud800"): not Unicode, and
                # nothing could write them out. One replacement character each keeps the offsets.
                text, doc_id = without_surrogates(text), without_surrogates(doc_id)
                meta = {k: without_surrogates(v) for k, v in meta.items()}
                self.problems.append(InputProblem(source, "lone surrogate escapes replaced with U+FFFD", "kept", line,
                                                  reason="encoding"))
            if self.keep_records:
                meta["record"] = record
            yield Document(id=doc_id, text=text, meta={**meta, "source": f"{source}:{line}"})

    def _unique(self, documents: Iterator[Document]) -> Iterator[Document]:
        if not self.unique_ids:
            yield from documents
            return
        for doc in documents:
            origin = doc.meta.get("source", "")
            if doc.id in self._origins:
                number = 2
                while f"{doc.id}#{number}" in self._origins:
                    number += 1
                new_id = f"{doc.id}#{number}"
                self.problems.append(
                    InputProblem(origin, f"duplicate id {doc.id!r} (first read from "
                                 f"{self._origins[doc.id]}); kept as {new_id!r}", "kept", reason="duplicate-id")
                )
                doc = Document(id=new_id, text=doc.text, meta=doc.meta)
            self._origins[doc.id] = origin
            yield doc

    def _decode(self, data: bytes, source: str, charset: str | None = None) -> str:
        if charset:  # named by the source (a crawl's HTTP headers)
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            guess = from_bytes(data).best()
            encoding = guess.encoding if guess is not None else None
            if encoding and encoding not in ("utf_8", "utf-8"):
                self.problems.append(InputProblem(
                    source, f"not valid UTF-8 (byte {error.start}); decoded as {encoding}", "kept", reason="encoding"))
                return str(guess)
            self.problems.append(InputProblem(
                source, f"not valid UTF-8 (byte {error.start}); undecodable bytes replaced with U+FFFD", "kept",
                reason="encoding"))
            return data.decode("utf-8", errors="replace")

    def _decode_wide(self, data: bytes, encoding: str, source: str) -> str:
        try:
            return data.decode(encoding)  # the "-16"/"-32" codecs read and drop the mark
        except UnicodeDecodeError as error:
            self.problems.append(InputProblem(
                source, f"not valid {encoding.upper()} (byte {error.start}); undecodable bytes replaced with U+FFFD",
                "kept", reason="encoding"))
            return data.decode(encoding, errors="replace")

    def _readable_source(self, source: str) -> str:
        """``source`` as every output writes it; a file name that is not valid UTF-8 is
        reported, once, with how it is written."""
        if not _has_surrogates(source):
            return source
        self.problems.append(InputProblem(source, "file name is not valid UTF-8; written with U+FFFD for the bytes "
                                          "that cannot be decoded", "kept", reason="encoding"))
        return without_surrogates(source)

    def _problem(self, source: str, message: str, line: int | None = None, reason: str = "unreadable") -> None:
        self.problems.append(InputProblem(source, message, "skipped", line, reason))
        self.skipped += 1


def read_documents(paths: Iterable[str | os.PathLike], **options) -> tuple[list[Document], list[InputProblem]]:
    """Read every document under ``paths``; return them with the problems met.

    ``options`` are those of :class:`CorpusReader`.
    """
    reader = CorpusReader(**options)
    documents = list(reader.read(paths))
    return documents, reader.problems


_WIDE_MARKS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
               (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _wide_encoding(head: bytes) -> str | None:
    """``"utf-16"`` or ``"utf-32"`` when ``head`` starts with that encoding's byte-order mark.

    >>> _wide_encoding("hi".encode("utf-16")), _wide_encoding("hi".encode("utf-32")), _wide_encoding(b"hi")
    ('utf-16', 'utf-32', None)
    """
    for mark, encoding in _WIDE_MARKS:  # UTF-32's little-endian mark starts like UTF-16's
        if head.startswith(mark):
            return encoding
    return None


def _has_surrogates(text: str) -> bool:
    """True when ``text`` holds a lone surrogate (it cannot be encoded): a check several
    times faster than a regex search, and at once for ASCII."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _sniff(data: bytes, text_field: str = "text") -> str:
    """The format of ``data`` read without a name (stdin, a file of an unknown extension):
    JSON lines or JSON by their first character, HTML by a tag, CSV by a header line of two
    or more fields naming the text field, else text.

    >>> [_sniff(b) for b in (b'{"id": 1}', b"[1]", b"<p>Hi</p>", b'id,text\\n1,"Hi, there"', b"Hi, there")]
    ['jsonl', 'json', 'html', 'csv', 'text']
    """
    head = data[:_BINARY_PROBE].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"["):
        return "json"
    if head[:1] == b"<" and b">" in head:
        return "html"
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    if b"," in first:
        try:
            header = next(csv.reader([first.decode("utf-8")]))
        except (UnicodeDecodeError, csv.Error, StopIteration):
            header = []
        if len(header) >= 2 and text_field in (cell.strip() for cell in header):
            return "csv"
    return "text"
