"""The command line of the persistent index: ``dedup check`` and the ``dedup index`` group.

Exit codes as everywhere in dedup (:mod:`dedup.cli.common`): 0 success (bad input lines are
reported on stderr and skipped), 1 runtime error (index unreadable or unwritable, server
down, nothing readable), 2 usage error (bad option, parameters that differ from the index's).
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import click

from dedup.cli.config import data_file_options
from dedup.cli.common import (
    enforce_strict,
    input_format_option,
    library_errors,
    record_options,
    report_problems,
    setting_option,
    strict_option,
)
from dedup.progress import progress_bar
from dedup.read.corpus import CorpusReader
from dedup.records import Document
from dedup.report.model import skipped_note
from dedup.settings import (
    ANCHOR_WINDOW,
    MIN_WORDS,
    NUM_PERM,
    PARAPHRASE,
    SEED,
    SHINGLE,
    THRESHOLD,
    default_jobs,
)
from dedup.unique import record_of

if TYPE_CHECKING:
    from dedup.engines.index.core import Index

__all__ = ["check_command", "index_group"]

_MISSING_IDS = {"field": "error", "hash": "hash", "line": "line"}  # --ids -> CorpusReader's missing_ids
_AGE_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$")
_AGE_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DEFAULT_JOBS = min(2, default_jobs())
_IDS_HELP = ("Ids of JSON, JSONL and CSV records: 'field', each record's --id-field (a record without one stops "
             "the command with an error naming it); 'hash', for records without one, 'sha1:' and 16 hex digits "
             "of the text's SHA-1 (a document sent again gets the same id); 'line', their line numbers.")
_INDEX_HELP = "The index: a SQLite file (created when missing) or redis://host:port/db[?prefix=NAME]."


def _open(location: str, *, create: bool = False, read_only: bool = False, **settings) -> Index:
    """The index at ``location``; its parameters' errors are usage errors naming the option
    (``--index`` when none), others end the command (exit 1)."""
    from dedup.engines.index.core import (
        Index,  # the engine loads when a command runs, not for --help
    )

    settings = {k: v for k, v in settings.items() if v is not None}
    with library_errors(usage=True, option="--index"):
        return Index(location, create=create, read_only=read_only, **settings)


@contextmanager
def _using(location: str, **options) -> Iterator[Index]:
    """An open index whose errors end the command with a one-line message (exit 1)."""
    index = _open(location, **options)
    try:
        with library_errors():
            yield index
    finally:
        index.close()


def _max_age(value: str | None) -> timedelta | None:
    if value is None:
        return None
    match = _AGE_RE.match(value.strip())
    if not match:
        raise click.BadParameter(f"{value!r} is not an age; use a number and a unit, like 30d, 12h or 2w.",
                                 param_hint="'--max-age'")
    return timedelta(**{_AGE_UNITS[match.group(2)]: float(match.group(1))})


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True))
@click.option("--index", "location", required=True, envvar="DEDUP_INDEX", show_envvar=True, help=_INDEX_HELP)
@click.option("--add/--no-add", default=True, show_default=True,
              help="Add each checked document to the index (check-and-add), or only check.")
@click.option("--emit", type=click.Choice(["decisions", "unique"]), default="decisions", show_default=True,
              help="'decisions': one JSON decision per document; 'unique': pass through, unchanged, only "
                   "the new documents that are not duplicates (a filter for pipelines: a document already "
                   "indexed with the same id and text is left out).")
@click.option("--resume", is_flag=True,
              help="With --emit unique: also pass through the documents already indexed whose first "
                   "decision let them through, for a pipeline that replays its input after a crash from the "
                   "first document whose decision it did not see.")
@setting_option(THRESHOLD, default=None,
                help="Jaccard similarity for 'duplicate'. A new index is tuned for it; on an existing index it "
                     "may only be raised.")
@setting_option(PARAPHRASE, default=None,
                help="For a new index: keep what finds rewritten articles (the rewrite tier, default on); "
                     "off: verbatim reuse only, about ten times faster. An existing index keeps its own "
                     "(giving the other is exit 2).")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=512, show_default=True,
              help="Documents per transaction: a crash loses at most the batch in flight.")
@click.option("--max-age", default=None,
              help="Retention (with --add): before each batch, drop entries added longer ago than this "
                   "(30d, 12h, 2w).")
@input_format_option
@click.option("--id-field", default="id", show_default=True,
              help="Field holding the id in JSON, JSONL, CSV and Parquet.")
@click.option("--text-field", default="text", show_default=True,
              help="Field holding the text in JSON, JSONL, CSV and Parquet.")
@click.option("--ids", "ids", type=click.Choice(["field", "hash", "line"]), default="field", show_default=True,
              help=_IDS_HELP)
@click.option("--jobs", type=click.IntRange(1, 64), default=_DEFAULT_JOBS, show_default=True,
              help="Processes that fingerprint and align: with 2 or more, helpers work on the next and the "
                   "previous batch while this process writes the current one (started only when the input "
                   "holds more than one batch). 1: everything in this process.")
@click.option("--strict", is_flag=True,
              help="Exit 1 when any input was skipped (a line, record or file that could not be read), "
                   "after checking what was read.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr (warnings are still shown).")
@data_file_options
def check_command(paths, location, add, emit, resume, threshold, paraphrase, batch_size, max_age, input_format,
                  id_field, text_field, ids, jobs, strict, quiet) -> None:
    """Check documents against a persistent index, streaming, and (by default) add them.

    Reads PATHS (files, directories, or '-' for stdin; stdin when none is given) as
    'dedup scan' does; JSONL is read a line at a time, so a stream of any length runs in
    constant memory. Writes one JSON line per document to stdout, in input order:

    \b
      {"id": .., "decision": "unique" | "duplicate" | "reuses",
       "matches": [{"doc": .., "similarity": .., "containment": .., "passages": [...]}]}

    'duplicate': the Jaccard similarity to an indexed document reaches the threshold;
    'reuses': it shares a copied passage with one, or rewrites one sentence by sentence
    ('paraphrase' passages, with an index made with the rewrite tier, the default);
    passages have side 'a' in the checked document and 'b' in the indexed one. "known": true: the id is indexed with the same
    text (delivered again), answered with its first decision; "updated": true: the id is
    indexed with another text, which this one replaces. Every line of a batch is written after the batch
    is committed (with --jobs 2 or more, up to two batches after it is read). As a pipeline
    filter:

    \b
      cat new.jsonl | dedup check --index news.db --emit unique > clean.jsonl
    """
    started = time.monotonic()
    age = _max_age(max_age)
    reader = CorpusReader(id_field=id_field, text_field=text_field, input_format=input_format,
                          unique_ids=False, keep_records=emit == "unique", missing_ids=_MISSING_IDS[ids])
    counts: Counter[str] = Counter()
    reported, shown = 0, Counter()
    originals: deque[Document] = deque()  # read, not yet decided (helpers work a batch or two ahead)

    def documents() -> Iterator[Document]:
        for doc in reader.read(paths or ["-"]):
            originals.append(doc)
            yield Document(doc.id, doc.text, {k: v for k, v in doc.meta.items() if k != "record"})

    with (_open(location, create=add, read_only=not add, threshold=threshold, paraphrase=paraphrase) as index,
          library_errors(), progress_bar(label="check", unit="doc", enabled=not quiet) as bar):
        try:
            for decisions in index.stream(documents(), add=add, batch_size=batch_size, jobs=jobs, max_age=age):
                lines = []
                for decision in decisions:
                    doc = originals.popleft()
                    counts["known" if decision.known else decision.decision] += 1
                    if emit == "decisions":
                        lines.append(json.dumps(decision.to_dict(), ensure_ascii=False))
                    elif decision.decision != "duplicate" and (resume or not decision.known):
                        lines.append(json.dumps(record_of(doc), ensure_ascii=False))
                bar.update(len(decisions))
                bar.set_postfix_str(_tally(counts), refresh=False)
                reported = report_problems(reader.problems, reported, shown)
                if lines:
                    sys.stdout.write("\n".join(lines) + "\n")
                    sys.stdout.flush()
        except BrokenPipeError:  # the consumer stopped reading: what was committed stays
            sys.stderr.close()
            return
    report_problems(reader.problems, reported, shown)
    total = sum(counts.values())
    if reader.stopped:
        raise click.ClickException(reader.stopped + (f" ({total} documents before it were checked)" if total else ""))
    if total == 0:
        raise click.ClickException(f"no readable documents in {', '.join(paths or ['-'])}.")
    if not quiet:
        click.echo(f"dedup: checked {total} documents ({skipped_note(reader.problems)}) in "
                   f"{time.monotonic() - started:.1f}s: {_tally(counts)}" + ("" if add else " (nothing added)"), err=True)
    if strict and reader.skipped:
        raise click.ClickException(f"--strict: {skipped_note(reader.problems)} (see the warnings above).")


def _tally(counts: Counter[str]) -> str:
    """The decisions so far, in documents: "3 unique, 1 document reuses passages, ..."."""
    reuses = counts["reuses"]
    return (f"{counts['unique']} unique, {reuses} {'document reuses' if reuses == 1 else 'documents reuse'} passages, "
            f"{counts['duplicate']} duplicates, {counts['known']} already indexed")


@click.group("index")
def index_group() -> None:
    """Create and look after a persistent index (checking against it: 'dedup check').

    An index keeps, per document, its id, metadata, MinHash signature, LSH band keys,
    passage anchors, compressed text and first decision, and (with the rewrite tier, the
    default) sentence keys and counts of sentence stems. INDEX is a SQLite file, or redis://host:port/db
    (with ?prefix=NAME to keep several indexes in one database) for workers on several
    machines.
    """


@index_group.command("create")
@click.argument("location", metavar="INDEX")
@setting_option(THRESHOLD, default=None, help="Jaccard similarity for 'duplicate'.")
@setting_option(NUM_PERM, default=None)
@setting_option(SHINGLE, default=None)
@setting_option(SEED, default=None)
@setting_option(MIN_WORDS, default=None)
@setting_option(ANCHOR_WINDOW, default=None)
@setting_option(PARAPHRASE, default=None,
                help="Keep sentence keys and stem counts to find rewritten articles (the rewrite tier, "
                     "default on); off: verbatim reuse only, about ten times faster to check.")
def create_command(location, **settings) -> None:
    """Create INDEX with these parameters (stored inside it), and print its stats as JSON.

    Opening an existing index with other parameters is an error (exit 2).
    """
    with _using(location, create=True, **settings) as index:
        _print_json(index.stats())


@index_group.command("add")
@click.argument("location", metavar="INDEX")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=1000, show_default=True,
              help="Documents per transaction.")
@click.option("--ids", "ids", type=click.Choice(["field", "hash", "line"]), default="field", show_default=True,
              help=_IDS_HELP)
@input_format_option
@strict_option
@record_options
@data_file_options
def add_command(location, paths, batch_size, ids, input_format, strict, id_field, text_field, quiet) -> None:
    """Add documents to INDEX without checking them (a known corpus, to check new ones against).

    Re-adding an id with the same text changes nothing; with another text, it replaces it.
    Exit codes as 'dedup check': 1 when nothing at all could be read, and with --strict
    when any input was skipped.
    """
    reader = CorpusReader(id_field=id_field, text_field=text_field, input_format=input_format, unique_ids=False,
                          missing_ids=_MISSING_IDS[ids])
    added = read = reported = 0
    shown: Counter[str] = Counter()
    with (_using(location, create=True) as index, library_errors(),
          progress_bar(label="add", unit="doc", enabled=not quiet) as bar):
        documents = reader.read(paths)
        while batch := list(itertools.islice(documents, batch_size)):
            added += index.add(batch)
            read += len(batch)
            bar.update(len(batch))
            reported = report_problems(reader.problems, reported, shown)
    report_problems(reader.problems, reported, shown)
    if reader.stopped:
        raise click.ClickException(reader.stopped + (f" ({read} documents before it were added)" if read else ""))
    if read == 0:
        raise click.ClickException(f"no readable documents in {', '.join(paths)}.")
    if not quiet:
        click.echo(f"dedup: read {read} documents ({skipped_note(reader.problems)}): {added} added or replaced",
                   err=True)
    enforce_strict(strict, reader.problems)


@index_group.command("remove")
@click.argument("location", metavar="INDEX")
@click.argument("ids", nargs=-1, required=True)
def remove_command(location, ids) -> None:
    """Remove the documents with these IDS from INDEX."""
    with _using(location) as index:
        removed = index.remove(ids)
    click.echo(f"dedup: removed {removed} of {len(ids)} documents", err=True)


@index_group.command("prune")
@click.argument("location", metavar="INDEX")
@click.option("--max-age", default=None, help="Drop entries added longer ago than this (30d, 12h, 2w).")
@click.option("--before", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), default=None,
              help="Drop entries added before this date (UTC).")
def prune_command(location, max_age, before) -> None:
    """Retention: drop the entries of INDEX added before a date or longer ago than an age."""
    if (max_age is None) == (before is None):
        raise click.UsageError("give one of --max-age or --before.")
    cutoff = (datetime.now(timezone.utc) - _max_age(max_age)) if max_age else before.replace(tzinfo=timezone.utc)
    with _using(location) as index:
        removed = index.prune(cutoff)
    click.echo(f"dedup: pruned {removed} documents added before {cutoff.isoformat(timespec='seconds')}", err=True)


@index_group.command("stats")
@click.argument("location", metavar="INDEX")
def stats_command(location) -> None:
    """Print the counts, sizes and parameters of INDEX as JSON (it is opened read-only)."""
    with _using(location, read_only=True) as index:
        _print_json(index.stats())


@index_group.command("check")
@click.argument("location", metavar="INDEX")
def verify_command(location) -> None:
    """Read all of INDEX and say what is wrong with it, as JSON (read-only).

    Exit 0 when it is whole, 1 when something is damaged (a table missing, a text that
    cannot be decompressed, postings naming no document, counts that disagree): restore it
    from a copy, or build it again from the documents.
    """
    from dedup.engines.index.backends import verify_index

    with library_errors():
        result = verify_index(location)
    _print_json(result)
    if not result["ok"]:
        raise click.ClickException(f"{location}: {len(result['problems'])} problem(s) found: "
                                   + "; ".join(result["problems"][:3]))
    click.echo(f"dedup: {location}: {result['documents']} documents, no problem found", err=True)


@index_group.command("compact")
@click.argument("location", metavar="INDEX")
def compact_command(location) -> None:
    """Give back the space of removed documents (SQLite: VACUUM), then print the stats."""
    with _using(location) as index:
        _print_json(index.compact())


def _print_json(data: dict) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
