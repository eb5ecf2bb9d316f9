"""``dedup scan``: the corpus scan, locally (either level) or on a Dask cluster."""

from __future__ import annotations

import json
import time

import click

from dedup.cli.config import data_file_options
from dedup.cli.common import (
    check_output_path,
    enforce_strict,
    input_format_option,
    library_errors,
    output_format,
    output_options,
    read_all,
    record_options,
    report_problems,
    setting_option,
    strict_option,
    table_view,
    view_options,
    warn,
    write_output,
    writing,
)
from dedup.read.corpus import CorpusReader
from dedup.report.model import skipped_note
from dedup.report.output import FORMATS
from dedup.settings import (
    ALL_PAIRS,
    BLOCKSIZES,
    BUCKET_CAP,
    DOCUMENT_LEVEL,
    MIN_GROUP,
    MIN_WORDS,
    NUM_PERM,
    PARAPHRASE,
    SEED,
    SHINGLE,
    THRESHOLD,
    ScanConfig,
    default_jobs,
)

__all__ = ["scan_command"]


def alignment_options(command):
    """Options shared by scan and compare: what counts as a reused passage."""
    for option in reversed([setting_option(MIN_WORDS), setting_option(SHINGLE), setting_option(PARAPHRASE)]):
        command = option(command)
    return command


@click.command("scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@setting_option(THRESHOLD)
@alignment_options
@setting_option(NUM_PERM)
@setting_option(SEED)
@output_options(FORMATS, "'json'")
@click.option("--with-text", is_flag=True, help="Include each document's text in jsonl output (what "
              "'dedup render' needs to show passages).")
@view_options
@click.option("--emit", type=click.Choice(["report", "unique"]), default="report", show_default=True,
              help="'report': the report of the scan. 'unique': the corpus itself, deduplicated: of each "
                   "cluster the earliest-dated document (else the first read) is kept and the others "
                   "dropped; each record is written as read, as JSON lines (compressed by the -o "
                   "extension) or Parquet (-o NAME.parquet).")
@click.option("--dropped", "dropped_path", metavar="FILE", default=None,
              help="With --emit unique: also write what was dropped, a JSON line per document: its "
                   "'id', the id 'kept' in its stead, and their 'cluster' (numbered from 1 in report order).")
@input_format_option
@click.option("--level", type=click.Choice(["passage", "document"]), default="passage", show_default=True,
              help="'passage': near-duplicates, reused passages and attribution. 'document': "
                   "near-duplicate documents only, in one streaming pass (much faster, memory "
                   "without the texts; no passages, paraphrase or attribution).")
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Processes that do the work (default: one per core): at --level document they "
                   "fingerprint; at --level passage they prepare documents, compare sentences and "
                   "align pairs (Linux; elsewhere the passage scan runs in one process). The report "
                   "is the same for any number.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="'dask': run the scan on a Dask cluster (the 'dask' extra), at either --level, "
                   "with the same results; paths are read by the workers (local, s3://, ...; "
                   "JSONL, Parquet, text, HTML, JSON, CSV).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler to run on (tcp://host:8786). Default: a LocalCluster on "
                   "loopback, one worker per core.")
@setting_option(BUCKET_CAP)
@setting_option(MIN_GROUP)
@setting_option(ALL_PAIRS)
@click.option("--partition-size", type=click.IntRange(1), default=None,
              help=f"Dask engine: megabytes of JSONL per part (default: {BLOCKSIZES['document'] >> 20} at "
                   f"--level document, {BLOCKSIZES['passage'] >> 20} at --level passage, whose parts hold "
                   "their texts and sentence data).")
@click.option("--parts", "parts_dir", metavar="DIR",
              help="Dask engine: also write the report's pieces there, a file per partition "
                   "(documents/, duplicates/, clusters/; passages/ and attribution/ at --level "
                   "passage).")
@click.option("--parts-format", type=click.Choice(["jsonl", "parquet"]), default="jsonl", show_default=True,
              help="Dask engine: format of the --parts files.")
@click.option("--merge/--no-merge", default=True, show_default=True,
              help="Dask engine: collect the whole report and write it (-o); --no-merge with "
                   "--parts leaves it in the pieces only.")
@strict_option
@record_options
@data_file_options
def scan_command(paths, threshold, min_words, shingle, num_perm, seed, fmt, output, with_text, limit, detail, emit,
                 dropped_path, input_format, level, jobs, engine, scheduler, bucket_cap, min_group, all_pairs,
                 partition_size, parts_dir, parts_format, merge, strict, id_field, text_field, paraphrase,
                 quiet) -> None:
    """Scan files, directories (recursively) or '-' (stdin) for reused text.

    Reads .txt, .md, .html, .json, .jsonl, .csv, .parquet and web crawls (.warc, .arc),
    compressed or not (.gz, .bz2, .xz, .zst). Reports near-duplicate documents
    (clusters), and reused passages with exact character spans on both sides, each of kind
    'copy', 'paraphrase' (reworded, same content in the same order) or 'quote' (both quote a
    third party). A text carried by many documents (a wire story in dozens of outlets) makes
    a group: each member is aligned against the group's representative, and the report lists
    the group (--min-group, --all-pairs). Data goes to stdout (or -o), warnings, progress and
    the summary to stderr. With --emit unique, the data is the deduplicated corpus:

    \b
      dedup scan news.jsonl.gz --level document --emit unique -o clean.jsonl.gz --dropped dropped.jsonl
    """
    started = time.monotonic()
    settings = dict(threshold=threshold, min_words=min_words, shingle=shingle, num_perm=num_perm, seed=seed,
                    paraphrase=paraphrase, bucket_cap=bucket_cap, min_group=min_group, all_pairs=all_pairs)
    with library_errors(usage=True):
        ScanConfig(**settings)
    if level == "document":
        settings = {s.name: settings[s.name] for s in DOCUMENT_LEVEL}
        if with_text:
            raise click.UsageError("--with-text needs --level passage (the document level keeps no texts).")
    if emit == "unique":
        _refuse_with_unique(fmt, with_text, engine)
        fmt, with_text = None, False  # the report's options: set aside
    elif dropped_path:
        raise click.UsageError("--dropped only acts with --emit unique; add --emit unique or leave it out.")
    fmt = fmt or output_format(output)
    if with_text and fmt != "jsonl":
        raise click.UsageError(f"--with-text only acts with --format jsonl (the {fmt} format writes no texts).")
    check_output_path(output)
    if dropped_path:
        check_output_path(dropped_path)
    if engine != "dask":
        _refuse_dask_options(scheduler=scheduler, parts=parts_dir, no_merge=not merge,
                             partition_size=partition_size, parts_format=parts_format != "jsonl")
    if engine == "dask":
        _scan_on_dask(paths, scheduler, started, fmt, output, dict(with_text=with_text, limit=limit, detail=detail),
                      strict, quiet, dict(
            settings, level=level, blocksize=partition_size and partition_size * 2**20, output_dir=parts_dir,
            output_format=parts_format, merge=merge, id_field=id_field, text_field=text_field))
        return
    from dedup.engines.document import (
        near_duplicates,  # the engines load when a scan runs, not for --help
    )
    from dedup.engines.local import scan
    from dedup.report.render import render_parts

    options = dict(id_field=id_field, text_field=text_field, input_format=input_format)
    spool = _spool_stdin() if emit == "unique" and "-" in paths else None  # stdin is read twice
    reader = CorpusReader(**options, stdin=spool)
    if level == "document":
        with library_errors():
            report = near_duplicates(reader.read(paths), jobs=jobs or default_jobs(), progress=not quiet,
                                     problems=reader.problems, **settings)
        report_problems(reader.problems)
        if not report.documents:
            raise click.ClickException(f"no readable documents in {', '.join(map(str, paths))}.")
    else:
        documents = read_all(reader, paths, progress=not quiet)
        with library_errors():
            report = scan(documents, jobs=jobs or default_jobs(), progress=not quiet, problems=reader.problems,
                          **settings)
    if emit == "unique":
        _write_unique(report, paths, CorpusReader(**options, stdin=spool, keep_records=True), output,
                      dropped_path, quiet)
    else:
        write_output(render_parts(report, fmt, with_text=with_text, limit=limit, detail=detail, **table_view(output)),
                     output)
    if reader.line_ids:
        warn(f"{reader.line_ids} records have no {id_field!r} field: their ids are their line numbers "
             "(name the id field with --id-field)")
    _warn_capped(report)
    if not quiet:
        click.echo(f"dedup: scanned {len(report.documents)} documents ({skipped_note(reader.problems)}) in "
                   f"{time.monotonic() - started:.1f}s: {_found(report, level)}", err=True)
    enforce_strict(strict, reader.problems)


def _found(report, level: str) -> str:
    """What the summary line says was found, counted as the report and the table count it."""
    found = f"{len(report.duplicates)} near-duplicate pairs"
    if level == "document":
        return found
    repeats = sum(p.a.doc == p.b.doc for p in report.passages)
    return f"{found}, {len(report.passages) - repeats} passages between documents, {repeats} repeated inside one"


def _refuse_with_unique(fmt: str | None, with_text: bool, engine: str) -> None:
    """A usage error for what --emit unique cannot do: the report's options given on the
    command line (from a config file or the environment they are set aside), and the Dask
    engine."""
    from click.core import ParameterSource

    context = click.get_current_context()
    typed = {name for name in ("fmt", "with_text") if context.get_parameter_source(name) == ParameterSource.COMMANDLINE}
    if fmt and "fmt" in typed:
        raise click.UsageError("--format sets the report's format; with --emit unique the corpus is written as "
                               "JSON lines, or Parquet for -o NAME.parquet: leave --format out.")
    if with_text and "with_text" in typed:
        raise click.UsageError("--with-text acts on the report; --emit unique writes each record whole: "
                               "leave --with-text out.")
    if engine == "dask":
        raise click.UsageError("--emit unique runs on the local engine; leave --engine dask out.")


def _spool_stdin():
    """Standard input copied to a temporary file, to be read once to scan it and again to
    write the records kept."""
    import shutil
    import sys
    import tempfile

    spool = tempfile.TemporaryFile()
    shutil.copyfileobj(sys.stdin.buffer, spool, 1 << 20)
    spool.seek(0)
    return spool


def _write_unique(report, paths, reader: CorpusReader, output: str, dropped_path: str | None,
                  quiet: bool) -> None:
    """Write the deduplicated corpus (a second reading of ``paths``, records kept whole) and,
    with ``dropped_path``, what was dropped."""
    from dedup.progress import progress_bar
    from dedup.unique import RecordWriter, dropped_members, kept_records

    dropped = dropped_members(report)
    if reader.stdin is not None:
        reader.stdin.seek(0)
    with writing(output), library_errors(), RecordWriter(output) as writer, progress_bar(
            reader.read(paths), label="write", unit="doc", total=len(report.documents), enabled=not quiet) as documents:
        writer.write(kept_records(documents, dropped))
    if dropped_path:
        write_output((json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in dropped.values()), dropped_path)
    if not quiet:
        click.echo(f"dedup: kept {writer.count} of {len(report.documents)} documents; dropped {len(dropped)} "
                   f"near-duplicates of {len(report.clusters)} clusters", err=True)


def _warn_capped(report) -> None:
    capped = report.parameters.get("capped_buckets")
    if capped:
        warn(f"{len(capped)} LSH bucket(s) held more than {report.parameters['bucket_cap']} documents (largest "
             f"{capped[0]['documents']}); their pairs were capped (--bucket-cap), their clusters are whole")


def _refuse_dask_options(**given) -> None:
    """A usage error for options of the Dask engine given without ``--engine dask``."""
    names = [f"--{name.replace('_', '-')}" for name, value in given.items() if value]
    if len(names) == 1:
        raise click.UsageError(f"{names[0]} only acts with --engine dask; add --engine dask or leave it out.")
    if names:
        raise click.UsageError(f"{', '.join(names[:-1])} and {names[-1]} only act with --engine dask; add "
                               "--engine dask or leave them out.")


def _scan_on_dask(paths, scheduler: str | None, started: float, fmt: str, output: str, view: dict,
                  strict: bool, quiet: bool, options: dict) -> None:
    if "-" in paths:
        raise click.UsageError("--engine dask reads paths on the workers; stdin ('-') cannot be read there.")
    if not options["merge"] and not options["output_dir"]:
        raise click.UsageError("--no-merge needs --parts DIR (else the report goes nowhere).")
    from dedup import distributed
    from dedup.report.render import render_parts

    client = None
    try:
        with library_errors():
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
    finally:
        if client is not None:
            client.close()
    parts_dir = options["output_dir"]
    if report is not None:
        report_problems(report.problems)
        if not report.documents:
            raise click.ClickException(f"no readable documents in {', '.join(map(str, paths))}.")
        write_output(render_parts(report, fmt, **view, **table_view(output)), output)
        _warn_capped(report)
        problems = report.problems
        what = f"{len(report.documents)} documents ({skipped_note(problems)}): {_found(report, options['level'])}"
    else:  # the pieces only: the account of the input is beside them
        section, problems = distributed.read_input(parts_dir)
        report_problems(problems)
        what = f"{section['documents_read']} documents ({skipped_note(problems)})"
    if not quiet:
        click.echo(f"dedup: dask scan in {time.monotonic() - started:.1f}s: {what}"
                   + (f"; pieces in {parts_dir}" if parts_dir else ""), err=True)
    enforce_strict(strict, problems)
