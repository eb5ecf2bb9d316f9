"""The command line: ``dedup scan``, ``dedup compare`` (here), ``dedup check`` and ``dedup index`` (cli_index). Thin: parse, call the library, render, map errors.

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
from .cli_index import check_command, index_group
from .compare import compare_pairs, read_pairs
from .render import COMPARE_FORMATS, FORMATS, render, render_comparisons
from .report import skipped_note
from .near_duplicates import default_jobs, near_duplicates
from .scan import scan as run_scan

_SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".html": "html",
                   ".htm": "html"}
_DEFAULTS = ScanConfig()


def _warn(message: str) -> None:
    click.echo(f"dedup: warning: {message}", err=True)


def _alignment_options(command):
    """Options shared by scan and compare: what counts as a reused passage."""
    for option in reversed([
        click.option("--min-words", type=int, default=_DEFAULTS.min_words, show_default=True,
                     help="Shortest reused passage reported, in words."),
        click.option("--shingle", type=int, default=_DEFAULTS.shingle, show_default=True,
                     help="Words per shingle (1-16) of the copy tier. Larger is stricter."),
        click.option("--paraphrase/--no-paraphrase", default=_DEFAULTS.paraphrase, show_default=True,
                     help="Also find rewritten passages (sentence-level TF-IDF); off: verbatim only, "
                          "faster."),
    ]):
        command = option(command)
    return command


def _record_options(command):
    """Options shared by scan and compare: fields of records, and quiet."""
    for option in reversed([
        click.option("--id-field", default="id", show_default=True,
                     help="Field holding the id in JSON, JSONL and CSV."),
        click.option("--text-field", default="text", show_default=True,
                     help="Field holding the text in JSON, JSONL and CSV."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bars and no summary on stderr."),
    ]):
        command = option(command)
    return command


def _strict_option(command):
    return click.option("--strict", is_flag=True,
                        help="Exit 1 when any input was skipped (a line, record or file that could not be "
                             "read), after writing what was read.")(command)


def _warn_capped(report) -> None:
    capped = report.parameters.get("capped_buckets")
    if capped:
        _warn(f"{len(capped)} LSH bucket(s) held more than {report.parameters['bucket_cap']} documents (largest "
              f"{capped[0]['documents']}); their pairs were capped (--bucket-cap), their clusters are whole")


def _enforce_strict(strict: bool, problems) -> None:
    """With --strict, a skipped input is an error (exit 1); the output is already written."""
    if strict and any(problem.action == "skipped" for problem in problems):
        raise click.ClickException(f"--strict: {skipped_note(problems)} (see the warnings above).")


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
@_alignment_options
@click.option("--num-perm", type=int, default=_DEFAULTS.num_perm, show_default=True,
              help="MinHash permutations (16-1024). More is more accurate and slower.")
@click.option("--seed", type=int, default=_DEFAULTS.seed, show_default=True,
              help="Seed of the MinHash permutations; the same seed gives the same results.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format ('html': one self-contained page with the texts side by side). "
                   "Default: from the -o file's extension, else 'table' on a terminal and 'json' "
                   "otherwise.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="Write the report to this file ('-' for stdout).")
@click.option("--with-text", is_flag=True, help="Include each document's text in jsonl output.")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True,
              help="Read every input as this format ('auto': by extension; stdin by content).")
@click.option("--level", type=click.Choice(["passage", "document"]), default="passage", show_default=True,
              help="'passage': near-duplicates, reused passages and attribution. 'document': "
                   "near-duplicate documents only, in one streaming pass (much faster, memory "
                   "without the texts; no passages, paraphrase or attribution).")
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Processes that fingerprint at --level document (default: one per core). "
                   "The passage scan runs in one process.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="'dask': run the scan on a Dask cluster (the 'dask' extra), at either --level, "
                   "with the same results; paths are read by the workers (local, s3://, ...; "
                   "JSONL, Parquet, text, HTML, JSON, CSV).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler to run on (tcp://host:8786). Default: a LocalCluster on "
                   "loopback, one worker per core.")
@click.option("--bucket-cap", type=click.IntRange(2), default=1000, show_default=True,
              help="An LSH bucket of more documents than this (a template shared by thousands) pairs "
                   "only its first N with each other and the rest with its first: clusters stay whole, "
                   "fewer pairs are listed (reported on stderr and in parameters.capped_buckets).")
@click.option("--partition-size", type=click.IntRange(1), default=None,
              help="Dask engine: megabytes of JSONL per part (default: 64 at --level document, 8 at "
                   "--level passage, whose parts hold their texts and sentence data).")
@click.option("--parts", "parts_dir", metavar="DIR",
              help="Dask engine: also write the report's pieces there, a file per partition "
                   "(documents/, duplicates/, clusters/; passages/ and attribution/ at --level "
                   "passage).")
@click.option("--parts-format", type=click.Choice(["jsonl", "parquet"]), default="jsonl", show_default=True,
              help="Dask engine: format of the --parts files.")
@click.option("--merge/--no-merge", default=True, show_default=True,
              help="Dask engine: collect the whole report and write it (-o); --no-merge with "
                   "--parts leaves it in the pieces only.")
@_strict_option
@_record_options
def scan_command(paths, threshold, min_words, shingle, num_perm, seed, fmt, output, with_text,
                 input_format, level, jobs, engine, scheduler, bucket_cap, partition_size, parts_dir,
                 parts_format, merge, strict, id_field, text_field, paraphrase, quiet) -> None:
    """Scan files, directories (recursively) or '-' (stdin) for reused text.

    Reads .txt, .md, .html, .json, .jsonl and .csv. Reports near-duplicate documents
    (clusters), and reused passages with exact character spans on both sides, each of kind
    'copy', 'paraphrase' (reworded, same content in the same order) or 'quote' (both quote a
    third party). Data goes to stdout (or -o), warnings, progress and the summary to stderr.
    """
    started = time.monotonic()
    settings = dict(threshold=threshold, min_words=min_words, shingle=shingle, num_perm=num_perm, seed=seed,
                    paraphrase=paraphrase, bucket_cap=bucket_cap)
    _check_settings(settings)
    fmt = fmt or _output_format(output)
    if engine == "dask" or scheduler:
        if "-" in paths:
            raise click.UsageError("--engine dask reads paths on the workers; stdin ('-') cannot be read there.")
        if not merge and not parts_dir:
            raise click.UsageError("--no-merge needs --parts DIR (else the report goes nowhere).")
        if with_text and level == "document":
            raise click.UsageError("--with-text needs --level passage (the document level keeps no texts).")
        options = settings if level == "passage" else dict(threshold=threshold, shingle=shingle, num_perm=num_perm,
                                                           seed=seed, bucket_cap=bucket_cap)
        report = _scan_on_dask(paths, scheduler, quiet, dict(
            options, level=level, blocksize=partition_size and partition_size * 2**20, output_dir=parts_dir,
            output_format=parts_format, merge=merge, id_field=id_field, text_field=text_field))
        if report is not None:
            _write(render(report, fmt, with_text=with_text), output)
            _warn_capped(report)
            problems = report.problems
            passages = "" if level == "document" else f", {len(report.passages)} reused passages"
            what = (f"{len(report.documents)} documents ({skipped_note(problems)}): "
                    f"{len(report.duplicates)} near-duplicate pairs{passages}")
        else:  # the pieces only: the account of the input is beside them
            from .distributed import read_input

            section, problems = read_input(parts_dir)
            for problem in problems:
                _warn(str(problem))
            what = f"{section['documents_read']} documents ({skipped_note(problems)})"
        if not quiet:
            click.echo(f"dedup: dask scan in {time.monotonic() - started:.1f}s: {what}"
                       + (f"; pieces in {parts_dir}" if parts_dir else ""), err=True)
        _enforce_strict(strict, problems)
        return
    reader = CorpusReader(id_field=id_field, text_field=text_field, input_format=input_format)
    if level == "document":
        if with_text:
            raise click.UsageError("--with-text needs --level passage (the document level keeps no texts).")
        report = _scan_documents(reader, paths, jobs or default_jobs(), quiet,
                                 dict(threshold=threshold, shingle=shingle, num_perm=num_perm, seed=seed,
                                      bucket_cap=bucket_cap))
    else:
        documents = _read(reader, paths)
        try:
            report = run_scan(documents, progress=not quiet, problems=reader.problems, **settings)
        except DedupError as error:
            raise click.ClickException(str(error)) from None
    _write(render(report, fmt, with_text=with_text), output)
    _warn_capped(report)
    if not quiet:
        passages = "" if level == "document" else f", {len(report.passages)} reused passages"
        click.echo(
            f"dedup: scanned {len(report.documents)} documents ({skipped_note(reader.problems)}) in "
            f"{time.monotonic() - started:.1f}s: {len(report.duplicates)} near-duplicate pairs{passages}",
            err=True,
        )
    _enforce_strict(strict, reader.problems)


def _scan_documents(reader: CorpusReader, paths, jobs: int, quiet: bool, settings: dict):
    """The document-level scan, reading as it goes; problems are reported at the end."""
    try:
        report = near_duplicates(reader.read(paths), jobs=jobs, progress=not quiet, problems=reader.problems,
                                 **settings)
    except DedupError as error:
        raise click.ClickException(str(error)) from None
    for problem in reader.problems:
        _warn(str(problem))
    if not report.documents:
        raise click.ClickException(f"no readable documents in {', '.join(map(str, paths))}.")
    return report


def _scan_on_dask(paths, scheduler: str | None, quiet: bool, options: dict):
    from . import distributed

    client = None
    try:
        if scheduler:
            try:
                from distributed import Client
            except ImportError:
                raise click.ClickException(distributed.MISSING_EXTRA) from None
            try:
                client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as error:
                raise click.ClickException(f"cannot reach the Dask scheduler at {scheduler}: {error}.") from None
        report = distributed.scan(list(paths), client=client, progress=not quiet, **options)
    except DedupError as error:
        raise click.ClickException(str(error)) from None
    finally:
        if client is not None:
            client.close()
    if report is not None:
        for problem in report.problems:
            _warn(str(problem))
        if not report.documents:
            raise click.ClickException(f"no readable documents in {', '.join(map(str, paths))}.")
    return report


@cli.command("compare")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=False))
@click.option("--pairs", "pairs_path", type=click.Path(exists=True, dir_okay=False),
              help="File of document id pairs, two whitespace-separated ids per line.")
@click.option("--docs", "docs_paths", multiple=True, type=click.Path(exists=True),
              help="Directory or file (JSONL, JSON, CSV) holding the documents named in --pairs; "
                   "repeat for several.")
@_alignment_options
@click.option("--format", "fmt", type=click.Choice(COMPARE_FORMATS), default=None,
              help="Output format ('html': one self-contained page, the texts side by side). "
                   "Default: from the -o file's extension, else 'table' on a terminal, 'jsonl' with "
                   "--pairs and 'json' for two files.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="Write the result to this file ('-' for stdout).")
@_record_options
def compare_command(files, pairs_path, docs_paths, min_words, shingle, paraphrase, fmt, output, id_field,
                    text_field, quiet) -> None:
    """Show the passages that given documents share (the text alignment task).

    Either two files, 'dedup compare A B', shown side by side; or '--pairs PAIRS --docs DOCS':
    every pair of ids in PAIRS (ids as 'dedup scan' assigns them: paths relative to a
    directory, or the id field of JSONL/CSV records) is aligned, one JSON object per pair
    ({"a": id, "b": id, "passages": [...]}). Sentence statistics come from all documents read.
    A malformed line or an unknown id in PAIRS is reported with its line number and skipped.
    """
    if bool(files) == bool(pairs_path) or (files and len(files) != 2) or (pairs_path and not docs_paths):
        raise click.UsageError("give two files (dedup compare A B), or --pairs PAIRS with --docs DOCS.")
    settings = dict(min_words=min_words, shingle=shingle, paraphrase=paraphrase)
    _check_settings(settings)
    reader = CorpusReader(id_field=id_field, text_field=text_field)
    if files:
        documents = []
        for path in files:
            documents.extend(_read(reader, [path]))
        if len(documents) != 2:
            raise click.ClickException(f"expected one document in each of {files[0]} and {files[1]}; "
                                       f"read {len(documents)}.")
        pairs = [(documents[0].id, documents[1].id)]
        fmt = fmt or _compare_format(output, "json")
    else:
        documents = _read(reader, docs_paths)
        try:
            with open(pairs_path, encoding="utf-8") as handle:
                lines, problems = read_pairs(handle, pairs_path, {d.id for d in documents})
        except (OSError, UnicodeDecodeError) as error:
            raise click.ClickException(f"cannot read {pairs_path}: {error}.") from None
        for problem in problems:
            _warn(str(problem))
        if not lines:
            raise click.ClickException(f"no usable pairs in {pairs_path}.")
        pairs = [(line.a, line.b) for line in lines]
        fmt = fmt or _compare_format(output, "jsonl")
    try:
        results = list(compare_pairs(pairs, documents, progress=not quiet, **settings))
    except DedupError as error:
        raise click.ClickException(str(error)) from None
    _write(render_comparisons(results, {d.id: d.text for d in documents}, fmt), output)
    if not quiet:
        found = sum(len(r[2]) for r in results)
        click.echo(f"dedup: compared {len(results)} pair(s): {found} reused passages", err=True)


def _check_settings(settings: dict) -> None:
    try:
        ScanConfig(**settings)
    except ParameterError as error:
        option = "--" + (error.parameter or "").replace("_", "-")
        raise click.UsageError(f"Invalid value for '{option}': {error}") from None


def _output_format(output: str) -> str:
    return _SUFFIX_FORMATS.get(Path(output).suffix.lower()) or (
        "table" if output == "-" and sys.stdout.isatty() else "json")


def _compare_format(output: str, otherwise: str) -> str:
    suffix = _SUFFIX_FORMATS.get(Path(output).suffix.lower())
    if suffix in COMPARE_FORMATS:
        return suffix
    return "table" if output == "-" and sys.stdout.isatty() else otherwise


def _read(reader: CorpusReader, paths) -> list:
    before = len(reader.problems)
    try:
        documents = list(reader.read(paths))
    except DedupError as error:
        raise click.ClickException(str(error)) from None
    for problem in reader.problems[before:]:
        _warn(str(problem))
    if not documents:
        raise click.ClickException(f"no readable documents in {', '.join(map(str, paths))}.")
    return documents


def _write(text: str, output: str) -> None:
    try:
        if output == "-":
            click.echo(text, nl=False)
        else:
            Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}.") from None


cli.add_command(check_command)
cli.add_command(index_group)


def main() -> None:
    """Entry point of the ``dedup`` console script."""
    cli(prog_name="dedup")
