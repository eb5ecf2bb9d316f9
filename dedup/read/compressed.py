"""Compressed inputs and outputs: gzip, bz2, xz and zstd, known by extension or by magic bytes.

A file named ``news.jsonl.gz`` is JSONL under gzip; a file whose first bytes are a
compressor's magic number is decompressed whatever its name (its format is then the
extension it has, else its content). Reading streams: a compressed JSONL file is read a
line at a time, in constant memory. gzip is read with ISA-L (``isal``, as the index's
texts are compressed), bz2 and xz with the standard library, zstd with ``zstandard``.

Examples
--------
>>> compression_of("news.jsonl.gz"), inner_suffix("news.jsonl.gz"), compression_of("a.txt", b"BZh91AY&SY")
('gzip', '.jsonl', 'bz2')
>>> compression_of("notes.txt", b"BZh is a word")
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from pathlib import Path
from typing import BinaryIO, TextIO

from isal import igzip

__all__ = ["COMPRESSED_SUFFIXES", "DECOMPRESSION_ERRORS", "MAGIC_BYTES", "compression_of", "decompress", "inner_suffix",
           "open_decompressed", "open_for_writing"]

COMPRESSED_SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd", ".zstd": "zstd"}
_MAGIC = ((b"\x1f\x8b", "gzip"), (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"))
MAGIC_BYTES = 10  # the most of a file's head that compression_of looks at


def _isal_errors() -> tuple[type[BaseException], ...]:
    from isal import isal_zlib

    return (isal_zlib.error,)


def _zstd_errors() -> tuple[type[BaseException], ...]:
    try:
        import zstandard
    except ImportError:  # pragma: no cover - zstandard is a dependency
        return ()
    return (zstandard.ZstdError,)


# What a damaged or truncated compressed file raises while it is read.
DECOMPRESSION_ERRORS: tuple[type[BaseException], ...] = (
    EOFError, OSError, zlib.error, lzma.LZMAError, *_isal_errors(), *_zstd_errors())


def compression_of(name: str, head: bytes = b"") -> str | None:
    """The compression of a file named ``name`` whose first bytes are ``head``: by its
    extension, else by its magic bytes; None for neither."""
    by_name = COMPRESSED_SUFFIXES.get(Path(name).suffix.lower())
    if by_name:
        return by_name
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    # bzip2: "BZh", the block size, then the first block's magic (text may start "BZh").
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[4:10] in (b"1AY&SY", b"\x17rE8P\x90"):
        return "bz2"
    return None


def inner_suffix(name: str) -> str:
    """The extension that says the format of ``name``: the one under a compression suffix
    (``.jsonl`` for ``news.jsonl.gz``), else its own."""
    path = Path(name)
    if path.suffix.lower() in COMPRESSED_SUFFIXES:
        path = path.with_suffix("")
    return path.suffix.lower()


def open_decompressed(path: str | Path, kind: str, *, careful: bool = False) -> BinaryIO:
    """A binary stream of the decompressed bytes of the file at ``path``. gzip is read with
    ISA-L (about 2.5 times the standard library's speed), or with the standard library when
    ``careful`` (it gives the lines before damage that ISA-L's larger blocks skip)."""
    if kind == "gzip":
        return gzip.open(path, "rb") if careful else igzip.open(path, "rb")
    if kind == "bz2":
        return bz2.open(path, "rb")
    if kind == "xz":
        return lzma.open(path, "rb")
    import zstandard

    raw = open(path, "rb")  # noqa: SIM115 - closed with the reader (closefd)
    return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True))


def decompress(data: bytes, kind: str) -> bytes:
    """The decompressed bytes of ``data`` (stdin, read whole)."""
    if kind == "zstd":
        import zstandard

        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
            return reader.read()
    return {"gzip": igzip.decompress, "bz2": bz2.decompress, "xz": lzma.decompress}[kind](data)


def open_for_writing(path: str) -> TextIO:
    """A UTF-8 text file at ``path``, compressed when its extension names a compressor."""
    kind = COMPRESSED_SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        return open(path, "w", encoding="utf-8")  # noqa: SIM115 - the caller closes it
    if kind == "gzip":  # ISA-L: about ten times zlib's default speed, for files 8% larger
        return igzip.open(path, "wt", encoding="utf-8")
    if kind == "bz2":
        return bz2.open(path, "wt", encoding="utf-8")
    if kind == "xz":
        return lzma.open(path, "wt", encoding="utf-8")
    import zstandard

    raw = open(path, "wb")  # noqa: SIM115 - closed with the writer
    return io.TextIOWrapper(zstandard.ZstdCompressor().stream_writer(raw, closefd=True), encoding="utf-8")
