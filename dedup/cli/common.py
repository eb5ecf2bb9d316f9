"""What every command shares: options made from the settings' declarations, the one mapping of
library errors to exit codes, reading inputs and writing outputs.

Exit codes: 0 success (problems with some inputs are reported on stderr), 1 runtime error
(nothing readable, output cannot be written, an index or server that cannot be used), 2
usage error (bad option, parameters that differ from an index's).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from dedup.errors import DedupError, ParameterError
from dedup.progress import progress_bar
from dedup.read.compressed import inner_suffix, open_for_writing
from dedup.read.corpus import INPUT_FORMATS, CorpusReader
from dedup.records import Document, InputProblem
from dedup.report.model import skipped_note
from dedup.report.output import printable
from dedup.settings import Setting

__all__ = ["SUFFIX_FORMATS", "WARNINGS_PER_REASON", "check_output_path", "discard_stdout", "enforce_strict", "input_format_option", "library_errors", "output_format", "output_options", "read_all", "record_options",
           "report_problems", "setting_option", "strict_option", "table_view", "view_options", "warn",
           "write_output", "writing"]

# Output formats by the extension of the -o file.
SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".html": "html",
                  ".htm": "html"}


@contextmanager
def library_errors(*, usage: bool = False, option: str | None = None) -> Iterator[None]:
    """Map the library's errors to exit codes, the one place that does.

    Inside, a :class:`~dedup.errors.DedupError` ends the command with its message (exit 1).
    With ``usage`` (settings being checked), a :class:`~dedup.errors.ParameterError` is a
    usage error naming the option (exit 2): the parameter's own option, else ``option``.
    """
    try:
        yield
    except ParameterError as error:
        if not usage:
            raise click.ClickException(printable(str(error))) from None
        name = f"--{error.parameter.replace('_', '-')}" if error.parameter else option or ""
        raise click.UsageError(printable(f"Invalid value for '{name}': {error}")) from None
    except DedupError as error:
        raise click.ClickException(printable(str(error))) from None


def setting_option(setting: Setting, *, default=..., help: str | None = None, **options):
    """A click option for a declared setting: its name, type and help; the setting's default
    (shown) unless ``default`` is given (``None``: the setting's default is named in the help
    instead, for values that an existing index decides)."""
    text = setting.help if help is None else help
    if default is ...:
        default, shown = setting.default, True
    else:
        shown = False
        if default is None and setting.default is not None:
            text = f"{text} (default {setting.default})"
    if setting.kind is bool:
        flag = setting.name.replace("_", "-")
        return click.option(f"--{flag}/--no-{flag}", setting.name, default=default, show_default=shown, help=text,
                            **options)
    return click.option(setting.option, setting.name, type=setting.kind, default=default, show_default=shown,
                        help=text, **options)


def output_options(formats, when_piped: str, what: str = "report"):
    """``--format`` (one of ``formats``) and ``-o``/``--output``; ``when_piped`` says the
    default format when stdout is not a terminal."""
    def decorate(command):
        command = click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
                               show_default=True, help=f"Write the {what} to this file ('-' for stdout).")(command)
        return click.option("--format", "fmt", type=click.Choice(formats), default=None,
                            help="Output format ('html': one self-contained page, each passage sentence by sentence). "
                                 "Default: from the -o file's extension, else 'table' on a terminal and "
                                 f"{when_piped} otherwise.")(command)
    return decorate


def view_options(command):
    """``--limit`` and ``--detail``: how much the table and the HTML page show."""
    command = click.option("--detail", is_flag=True,
                           help="Table: list each passage sentence pair by sentence pair.")(command)
    return click.option("--limit", type=click.IntRange(1), default=None, metavar="N",
                        help="Table and HTML: show only the N document pairs that share the most text "
                             "(JSON, JSONL and CSV always hold every passage).")(command)


def table_view(output: str) -> dict:
    """The table's width and colour for ``output``: the terminal's width (``COLUMNS``, else
    the terminal, else 80 columns), colour only on a terminal without ``NO_COLOR``."""
    on_terminal = output == "-" and sys.stdout.isatty()
    return {"width": shutil.get_terminal_size((80, 24)).columns,
            "color": on_terminal and not os.environ.get("NO_COLOR")}


def input_format_option(command):
    """``--input-format``: read every input as one format, whatever its name."""
    return click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True,
                        help="Read every input as this format ('auto': by extension, else by content; "
                             "stdin by content).")(command)


def record_options(command):
    """Options of every command that reads records: the id and text fields, and quiet."""
    for option in reversed([
        click.option("--id-field", default="id", show_default=True,
                     help="Field holding the id in JSON, JSONL, CSV and Parquet."),
        click.option("--text-field", default="text", show_default=True,
                     help="Field holding the text in JSON, JSONL, CSV and Parquet."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bars and no summary on stderr."),
    ]):
        command = option(command)
    return command


def strict_option(command):
    """``--strict``: a skipped input is an error, after the output is written."""
    return click.option("--strict", is_flag=True,
                        help="Exit 1 when any input was skipped (a line, record or file that could not be "
                             "read), after writing what was read.")(command)


def warn(message: str) -> None:
    """One warning line on stderr."""
    click.echo(f"dedup: warning: {printable(message)}", err=True)


# Warnings shown per reason; the rest are counted in the command's summary line.
WARNINGS_PER_REASON = 10


def report_problems(problems: list[InputProblem], reported: int = 0, shown: Counter | None = None) -> int:
    """Warn of the problems not reported yet (from ``reported`` on); return how many are now.

    The first :data:`WARNINGS_PER_REASON` problems of each reason get a line each, then one
    line says that the others are counted in the summary. ``shown`` counts the lines by
    reason across calls (for a command that reports batch by batch).
    """
    shown = Counter() if shown is None else shown
    for problem in problems[reported:]:
        shown[problem.reason] += 1
        if shown[problem.reason] <= WARNINGS_PER_REASON:
            warn(str(problem))
        elif shown[problem.reason] == WARNINGS_PER_REASON + 1:
            warn(f"more '{problem.reason}' problems: not shown one by one; the summary line counts them all")
    return len(problems)


def check_output_path(output: str) -> None:
    """Exit 1 before any work when the ``-o`` file could not be written (a missing or
    read-only folder), rather than after a long scan."""
    if output == "-":
        return
    folder = Path(output).resolve().parent
    if not folder.is_dir():
        raise click.ClickException(f"cannot write {output}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK) or (Path(output).exists() and not os.access(output, os.W_OK)):
        raise click.ClickException(f"cannot write {output}: permission denied.")


def enforce_strict(strict: bool, problems: Iterable[InputProblem]) -> None:
    """With --strict, a skipped input is an error (exit 1); the output is already written."""
    problems = list(problems)
    if strict and any(problem.action == "skipped" for problem in problems):
        raise click.ClickException(f"--strict: {skipped_note(problems)} (see the warnings above).")


def read_all(reader: CorpusReader, paths, *, progress: bool = False) -> list[Document]:
    """Every document at ``paths``, its problems reported; none at all is an error (exit 1)."""
    before = len(reader.problems)
    with library_errors():
        documents = list(progress_bar(reader.read(paths), label="read", unit="doc", enabled=progress))
    report_problems(reader.problems, before)
    if not documents:
        raise click.ClickException(f"no readable documents in {', '.join(map(str, paths))}.")
    return documents


def output_format(output: str, allowed: Iterable[str] | None = None, otherwise: str = "json") -> str:
    """The format of ``-o``: by its extension (when ``allowed``), else ``table`` on a terminal
    and ``otherwise`` when piped."""
    suffix = SUFFIX_FORMATS.get(inner_suffix(output))  # report.json.gz: json
    if suffix and (allowed is None or suffix in allowed):
        return suffix
    return "table" if output == "-" and sys.stdout.isatty() else otherwise


def discard_stdout() -> None:
    """After the reader of stdout stopped reading (``dedup scan ... | head``): what is left
    is not wanted, and is dropped without an error (as ``dedup check`` does)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # a stdout that is not a file (a test's capture)


@contextmanager
def writing(output: str) -> Iterator[None]:
    """Map a failure to write ``output`` (``-``: stdout) to exit 1 with one line; a reader of
    stdout that stops reading ends the writing quietly (:func:`discard_stdout`)."""
    try:
        yield
    except BrokenPipeError:
        if output != "-":
            raise click.ClickException(f"cannot write {output}: broken pipe.") from None
        discard_stdout()
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}.") from None


def write_output(text: str | Iterable[str], output: str) -> None:
    """Write ``text`` (a string, or its pieces in order) to ``output`` (``-``: stdout); a
    file that cannot be written is exit 1."""
    pieces = [text] if isinstance(text, str) else text
    with writing(output):
        if output == "-":
            for piece in pieces:
                click.echo(piece, nl=False)
        else:
            with open_for_writing(output) as handle:  # compressed by the extension: .gz, .bz2, .xz, .zst
                handle.writelines(pieces)
