"""WARC and ARC input (web crawls, such as Common Crawl's news crawl), read with warcio (the
``warc`` extra, imported when a crawl file is read).

Each HTML page a crawl holds (a ``response`` record with an HTTP status of 2xx, or a
``resource`` record, whose type is HTML or XHTML) is a document: its id and url are the
record's ``WARC-Target-URI``, its text and its title and date are what the page itself says
(extracted as any HTML file is; the crawl date is when it was fetched, not published). The
records that hold no page of their own (``warcinfo``, ``request``, ``metadata``) are passed
over; a response that is not an HTML page (an image, a PDF, a redirect), and a ``revisit``
(whose payload is an earlier record's), are reported as skipped. Records are numbered from
1 in the file: the number problems name. ``.warc.gz`` (a gzip member per record) and ARC
files (``.arc``, ``.arc.gz``) are read as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

__all__ = ["MISSING_EXTRA", "WarcPage", "is_crawl", "warc_pages"]

MISSING_EXTRA = "reading WARC and ARC files needs warcio: pip install 'dedup[warc]'"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_PASSED_OVER = {"warcinfo", "request", "metadata", "continuation", "conversion"}


class WarcPage(NamedTuple):
    """An HTML page of a crawl: where it was fetched from, its bytes, the charset its HTTP
    headers name (None when they name none), and whether its record is cut short."""

    uri: str
    html: bytes
    charset: str | None
    cut: bool = False


class WarcSkip(ValueError):
    """A record that is not a page (reported, with its reason)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def is_crawl(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes, decompressed) starts a WARC or an ARC file.

    >>> is_crawl(b"WARC/1.1\\r\\nWARC-Type: warcinfo"), is_crawl(b"filedesc://crawl.arc 0.0.0.0"), is_crawl(b"{")
    (True, True, False)
    """
    return head.startswith((b"WARC/", b"filedesc://"))


def warc_pages(stream: BinaryIO) -> Iterator[tuple[int, WarcPage | ValueError]]:
    """``(record number, page)`` for each HTML page of the crawl at ``stream``, and
    ``(record number, WarcSkip)`` for each record skipped; a file that cannot be read on
    gives ``(number, ValueError)`` and ends."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        yield 1, WarcSkip(f"{MISSING_EXTRA}; file skipped", "unreadable")
        return
    number, end = 0, 0  # records read; where the last one read ends
    records = ArchiveIterator(stream, arc2warc=True)
    try:
        for record in records:
            number += 1
            item = _page(record, number)  # reads the record's payload
            records.read_to_end()
            end = records.get_record_offset() + records.get_record_length()
            if item is not None:
                yield number, item
    # warcio meets damage with assorted errors (AttributeError among them): each ends the file.
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, AttributeError, TypeError) as error:
        yield number + 1, ValueError(f"not a readable WARC or ARC file from record {number + 1} on ({error}); "
                                     "rest of file skipped")
        return
    try:
        trailing = stream.tell() - end
    except (OSError, ValueError, AttributeError):  # a stream that cannot say where it is
        return
    if trailing > 4:  # more than the blank lines after the last record: a record whose headers are cut
        yield number + 1, ValueError(f"the file ends inside record {number + 1} ({trailing} bytes of it); "
                                     "that record is skipped")


def _page(record, number: int) -> WarcPage | WarcSkip | None:
    """The page a record holds, why it holds none, or None for a record that is not meant
    to hold one (``warcinfo``, ``request``, ``metadata``)."""
    kind = record.rec_type
    if kind in _PASSED_OVER:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or record.rec_headers.get_header("WARC-Record-ID")
    if kind == "revisit":
        return WarcSkip(f"revisit record of {uri} (its payload is an earlier record's); skipped", "warc-not-html")
    if kind not in ("response", "resource"):
        return WarcSkip(f"{kind!r} record of {uri}; skipped", "warc-not-html")
    headers = record.http_headers if kind == "response" else None
    status = (headers.get_statuscode() if headers is not None else None) or "200"
    content_type = (headers.get_header("Content-Type") if headers is not None
                    else record.rec_headers.get_header("Content-Type")) or ""
    media = content_type.split(";")[0].strip().lower()
    if not status.startswith("2"):
        return WarcSkip(f"HTTP status {status} for {uri}; skipped", "warc-not-html")
    if media not in HTML_TYPES:
        return WarcSkip(f"{media or 'untyped'} response for {uri}, not an HTML page; skipped", "warc-not-html")
    html = record.content_stream().read()
    cut = getattr(record.raw_stream, "limit", 0) > 0  # fewer bytes than its Content-Length
    return WarcPage(uri or f"record-{number}", html, _charset(content_type), cut)


def _charset(content_type: str) -> str | None:
    """The charset a Content-Type header names.

    >>> _charset("text/html; charset=ISO-8859-1"), _charset("text/html")
    ('iso-8859-1', None)
    """
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None
