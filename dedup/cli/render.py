"""``dedup render``: a saved report drawn again (HTML, the table, or another format) without
scanning again."""

from __future__ import annotations

import json
import sys

import click

from dedup.cli.common import (
    check_output_path,
    output_format,
    output_options,
    read_all,
    record_options,
    table_view,
    view_options,
    write_output,
)
from dedup.read.corpus import CorpusReader
from dedup.report.output import FORMATS

__all__ = ["render_command"]


@click.command("render")
@click.argument("report_path", metavar="REPORT", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--texts", "text_paths", multiple=True, type=click.Path(exists=True), metavar="PATH",
              help="The scanned corpus (files, directories, JSONL...; repeat for several), read for the "
                   "documents' texts when REPORT holds none (a JSONL report written with --with-text "
                   "holds them). Without texts the page lists pairs and spans only.")
@output_options(FORMATS, "'json'")
@view_options
@record_options
def render_command(report_path, text_paths, fmt, output, limit, detail, id_field, text_field, quiet) -> None:
    """Draw a saved report again: 'dedup render report.json -o report.html'.

    REPORT is what 'dedup scan' wrote as JSON or JSONL (compressed or not; '-' for stdin).
    The format comes from --format, else the -o file's extension, else 'table' on a
    terminal. Site chrome is dimmed as the bundled patterns find it (the scan's lines
    repeated across the corpus are not in the report).
    """
    from dedup.report.model import report_from_dict
    from dedup.report.render import render_parts
    from dedup.text.layout import boilerplate_lines

    fmt = fmt or output_format(output)
    check_output_path(output)
    data, texts = _read_report(report_path)
    try:
        report = report_from_dict(data, texts)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise click.ClickException(f"{report_path}: not a dedup report ({_what(error)}); give the JSON or JSONL "
                                   "that 'dedup scan' wrote.") from None
    if text_paths:
        wanted = {doc.id for doc in report.documents} - set(report.texts)
        reader = CorpusReader(id_field=id_field, text_field=text_field)
        report.texts.update({doc.id: doc.text for doc in read_all(reader, text_paths, progress=not quiet)
                             if doc.id in wanted})
        missing = wanted - set(report.texts)
        if missing and not quiet:
            click.echo(f"dedup: warning: {len(missing)} of the report's documents are not in {', '.join(text_paths)} "
                       "(check --id-field): they are shown without their texts", err=True)
    for doc in report.documents:  # a text that changed since the scan would misplace every span
        text = report.texts.get(doc.id)
        if text is not None and len(text) != doc.chars:
            raise click.ClickException(f"the text of {doc.id} has {len(text)} characters, the report's {doc.chars}: "
                                       "it is not the text that was scanned.")
    report.chrome = {doc: boilerplate_lines(text) for doc, text in report.texts.items()}
    write_output(render_parts(report, fmt, limit=limit, detail=detail, **table_view(output)), output)


def _read_report(path: str) -> tuple[dict, dict[str, str]]:
    """The report's schema-1 object and the texts it holds: a JSON report whole, or a JSONL
    report's typed records gathered into one."""
    from dedup.read.compressed import DECOMPRESSION_ERRORS, compression_of, decompress

    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
        kind = compression_of(path, raw[:10])  # by the extension, else the magic bytes (stdin too)
        content = (decompress(raw, kind) if kind else raw).decode("utf-8")
    except (OSError, UnicodeDecodeError, EOFError, *DECOMPRESSION_ERRORS) as error:
        raise click.ClickException(f"cannot read {path}: {error}.") from None
    try:
        if content.lstrip().startswith("{\"type\""):  # JSONL: a record per line
            return _from_records(content)
        return json.loads(content), {}
    except json.JSONDecodeError as error:
        raise click.ClickException(f"{path}: not a dedup report (invalid JSON at line {error.lineno}); give the "
                                   "JSON or JSONL that 'dedup scan' wrote.") from None
    except (AttributeError, KeyError, TypeError) as error:
        raise click.ClickException(f"{path}: not a dedup report ({_what(error)}); give the JSON or JSONL that "
                                   "'dedup scan' wrote.") from None


_SECTIONS = {"document": "documents", "duplicate": "duplicates", "cluster": "clusters", "passage": "passages",
             "attribution": "attribution", "group": "groups"}


def _from_records(content: str) -> tuple[dict, dict[str, str]]:
    """A JSONL report's records gathered into the schema-1 object, and the texts they hold."""
    data: dict = {section: [] for section in _SECTIONS.values()}
    texts = {}
    for line in content.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        kind = record.pop("type", None)
        if kind == "report":
            data.update(record)
        elif kind == "cluster":
            data["clusters"].append(record["documents"])
        elif kind in _SECTIONS:
            if kind == "document" and "text" in record:
                text = record.pop("text")
                if text is not None:
                    texts[record["id"]] = text
            data[_SECTIONS[kind]].append(record)
    return data, texts


def _what(error: Exception) -> str:
    return f"no {error} field" if isinstance(error, KeyError) else str(error)
