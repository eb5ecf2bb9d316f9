"""The command line: ``dedup scan``. Thin: parse, call the library, render, map errors.

Exit codes: 0 success (problems with some inputs are reported on stderr), 1 runtime error
(nothing readable, output cannot be written), 2 usage error (bad option, missing path).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import __version__
from .config import ScanConfig
from .errors import DedupError, ParameterError
from .io import INPUT_FORMATS, CorpusReader
from .render import FORMATS, render
from .scan import scan as run_scan

_SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
_DEFAULTS = ScanConfig()


def _warn(message: str) -> None:
    click.echo(f"dedup: warning: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dedup")
def cli() -> None:
    """Find copied and rewritten text: near-duplicate documents and reused passages.

    Exit codes: 0 success, 1 runtime error, 2 usage error.
    """


@cli.command("scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option("--threshold", type=float, default=_DEFAULTS.threshold, show_default=True,
              help="Jaccard similarity (0-1] of two documents' word shingles above which they are "
                   "near-duplicates.")
@click.option("--min-words", type=int, default=_DEFAULTS.min_words, show_default=True,
              help="Shortest reused passage reported, in words.")
@click.option("--shingle", type=int, default=_DEFAULTS.shingle, show_default=True,
              help="Words per shingle (1-16). Larger is stricter.")
@click.option("--num-perm", type=int, default=_DEFAULTS.num_perm, show_default=True,
              help="MinHash permutations (16-1024). More is more accurate and slower.")
@click.option("--seed", type=int, default=_DEFAULTS.seed, show_default=True,
              help="Seed of the MinHash permutations; the same seed gives the same results.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format. Default: from the -o file's extension, else 'table' on a "
                   "terminal and 'json' otherwise.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="Write the report to this file ('-' for stdout).")
@click.option("--with-text", is_flag=True, help="Include each document's text in jsonl output.")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True,
              help="Read every input as this format ('auto': by extension; stdin by content).")
@click.option("--id-field", default="id", show_default=True, help="Field holding the id in JSON, JSONL and CSV.")
@click.option("--text-field", default="text", show_default=True,
              help="Field holding the text in JSON, JSONL and CSV.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars and no summary on stderr.")
def scan_command(paths, threshold, min_words, shingle, num_perm, seed, fmt, output, with_text,
                 input_format, id_field, text_field, quiet) -> None:
    """Scan files, directories (recursively) or '-' (stdin) for reused text.

    Reads .txt, .md, .html, .json, .jsonl and .csv. Reports near-duplicate documents
    (clusters), and reused passages with exact character spans on both sides, each of kind
    'copy' or 'quote' (both quote a third party). Data goes to stdout (or -o), warnings,
    progress and the summary to stderr.
    """
    started = time.monotonic()
    settings = dict(threshold=threshold, min_words=min_words, shingle=shingle, num_perm=num_perm, seed=seed)
    try:
        ScanConfig(**settings)
    except ParameterError as error:
        option = "--" + (error.parameter or "").replace("_", "-")
        raise click.UsageError(f"Invalid value for '{option}': {error}") from None
    fmt = fmt or _SUFFIX_FORMATS.get(Path(output).suffix.lower()) or (
        "table" if output == "-" and sys.stdout.isatty() else "json")

    reader = CorpusReader(id_field=id_field, text_field=text_field, input_format=input_format)
    try:
        documents = list(reader.read(paths))
    except DedupError as error:
        raise click.ClickException(str(error)) from None
    for problem in reader.problems:
        _warn(str(problem))
    if not documents:
        raise click.ClickException(f"no readable documents in {', '.join(paths)}.")

    try:
        report = run_scan(documents, progress=not quiet, problems=reader.problems, **settings)
    except DedupError as error:
        raise click.ClickException(str(error)) from None
    text = render(report, fmt, with_text=with_text)
    try:
        if output == "-":
            click.echo(text, nl=False)
        else:
            Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}.") from None
    if not quiet:
        click.echo(
            f"dedup: scanned {len(documents)} documents ({reader.skipped} skipped) in "
            f"{time.monotonic() - started:.1f}s: {len(report.duplicates)} near-duplicate pairs, "
            f"{len(report.passages)} reused passages",
            err=True,
        )


def main() -> None:
    """Entry point of the ``dedup`` console script."""
    cli(prog_name="dedup")
