"""Input of the Dask engine: the corpus cut into parts that the workers read themselves.

Paths may be anything fsspec opens (local paths, ``s3://...``, ``gs://...``; globs too):

- JSONL files are cut into blocks of about ``blocksize`` bytes at line ends; the newlines of
  each block are counted first (one small task per block), so every record keeps the line
  number the local reader gives it;
- Parquet files (``.parquet``, or a directory of them) are read a row group at a time;
- other files (text, Markdown, HTML, JSON, CSV, web crawls, and any compressed file) go
  ``files_per_part`` to a part, each read whole, in the order the local reader walks a
  directory.

Each part is a ``dask.delayed`` that yields ``(documents, problems)``; its documents are
in input order, and the parts are numbered in input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from dedup.errors import InputError
from dedup.read.compressed import COMPRESSED_SUFFIXES, inner_suffix
from dedup.read.corpus import EXTENSIONS, CorpusReader
from dedup.records import Document, InputProblem
from dedup.settings import BLOCKSIZES

__all__ = ["corpus_parts"]



def corpus_parts(paths: Sequence[str], *, blocksize: int = BLOCKSIZES["document"], files_per_part: int = 256,
                 id_field: str = "id", text_field: str = "text") -> list:
    """The parts of the corpus at ``paths``, as delayed ``(documents, problems)``, in order."""
    import fsspec
    from dask import delayed

    options = {"id_field": id_field, "text_field": text_field}
    prefixed = not (len(paths) == 1 and not _is_dir(paths[0]))
    parts: list = []
    for path in paths:
        fs, _, expanded = fsspec.get_fs_token_paths(path)
        if not expanded:
            raise InputError(f"{path}: no such file or directory.")
        for root in expanded:
            if fs.isdir(root):
                files = [f for f in fs.find(root) if not any(p.startswith(".") for p in _relative(f, root).parts)]
                files.sort(key=lambda f: _walk_order(_relative(f, root)))
                others: list[tuple[str, str]] = []
                for file in files:
                    kind = _kind(file)
                    if kind in ("jsonl", "parquet"):
                        parts += _flush(others, fs, options)
                        parts += _file_parts(fs, file, kind, blocksize, options, prefixed=True)
                    elif kind is not None:
                        others.append((file, _relative(file, root).as_posix()))
                        if len(others) >= files_per_part:
                            parts += _flush(others, fs, options)
                parts += _flush(others, fs, options)
            elif fs.exists(root):
                kind = _kind(root) or "text"
                if kind in ("jsonl", "parquet"):
                    parts += _file_parts(fs, root, kind, blocksize, options, prefixed)
                else:
                    parts.append(delayed(_read_files)(fs, [(root, PurePosixPath(root).name)], options))
            else:
                raise InputError(f"{path}: no such file or directory.")
    return parts


def _file_parts(fs, path: str, kind: str, blocksize: int, options: dict, prefixed: bool) -> list:
    import dask
    from dask import delayed

    if kind == "parquet":
        import dask.dataframe as dd

        frames = dd.read_parquet(fs.unstrip_protocol(path)).to_delayed()
        lengths = dask.compute(*[delayed(len)(frame) for frame in frames])
        firsts = [sum(lengths[:k]) + 1 for k in range(len(lengths))]
        return [delayed(_read_rows)(frame, path, first, options) for frame, first in zip(frames, firsts)]
    from dask.bytes import read_bytes

    _, [blocks] = read_bytes(fs.unstrip_protocol(path), delimiter=b"\n", blocksize=blocksize, sample=False)
    counts = dask.compute(*[delayed(_count_lines)(block) for block in blocks])
    firsts = [sum(counts[:k]) + 1 for k in range(len(counts))]
    return [delayed(_read_jsonl_block)(block, path, first, prefixed, options) for block, first in zip(blocks, firsts)]


def _flush(files: list[tuple[str, str]], fs, options: dict) -> list:
    from dask import delayed

    if not files:
        return []
    part = delayed(_read_files)(fs, list(files), options)
    files.clear()
    return [part]


def _count_lines(block: bytes) -> int:
    return block.count(b"\n") + (1 if block and not block.endswith(b"\n") else 0)


def _read_jsonl_block(block: bytes, path: str, first_line: int, prefixed: bool,
                      options: dict) -> tuple[list[Document], list[InputProblem]]:
    reader = CorpusReader(unique_ids=False, **options)
    lines = block.split(b"\n")  # as a binary file's lines: cut at "\n" only
    if block.endswith(b"\n"):
        lines.pop()
    documents = list(reader.read_jsonl_block(lines, path, first_line=first_line, prefix_line_ids=prefixed))
    return documents, reader.problems


def _read_files(fs, files: list[tuple[str, str]], options: dict) -> tuple[list[Document], list[InputProblem]]:
    reader = CorpusReader(unique_ids=False, **options)
    documents: list[Document] = []
    for path, doc_id in files:
        try:
            with fs.open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            reader.problems.append(InputProblem(path, f"cannot be read ({error.strerror or error}); skipped",
                                                "skipped"))
            continue
        documents.extend(reader.read_data(data, doc_id, path, inner_suffix(path)))
    return documents, reader.problems


def _read_rows(frame, path: str, first_row: int, options: dict) -> tuple[list[Document], list[InputProblem]]:
    """The rows of a Parquet part, as records (numbered from ``first_row``)."""
    reader = CorpusReader(unique_ids=False, **options)
    records = ((first_row + k, {key: _plain(value) for key, value in row.items()})
               for k, row in enumerate(frame.to_dict(orient="records")))
    # Rows without an id are NAME:ROW.
    return list(reader.read_records(records, path, prefix_line_ids=True)), reader.problems


def _plain(value):
    """Parquet cells as the JSON reader would give them (missing values are None)."""
    try:
        import pandas as pd

        if not isinstance(value, (list, dict)) and pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _kind(path: str) -> str | None:
    """How a file is cut into parts: ``"jsonl"`` (in blocks), ``"parquet"`` (by row group),
    another format (whole, with others), or None for a file the local reader passes over.
    A compressed file is read whole: its format is the extension under the compression's."""
    if PurePosixPath(path).suffix.lower() in COMPRESSED_SUFFIXES:
        kind = EXTENSIONS.get(inner_suffix(path))
        return "compressed" if kind is not None else None
    return EXTENSIONS.get(PurePosixPath(path).suffix.lower())


def _relative(path: str, root: str) -> PurePosixPath:
    return PurePosixPath(path).relative_to(PurePosixPath(root))


def _walk_order(relative: PurePosixPath) -> tuple:
    """Sort key giving ``os.walk`` order with sorted names: in each folder its files, then
    its subfolders."""
    *folders, name = relative.parts
    return tuple((1, folder) for folder in folders) + ((0, name),)


def _is_dir(path: str) -> bool:
    import fsspec

    fs, _, expanded = fsspec.get_fs_token_paths(path)
    return len(expanded) != 1 or fs.isdir(expanded[0])
