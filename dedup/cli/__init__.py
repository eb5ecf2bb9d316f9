"""The command line: ``dedup scan``, ``dedup compare``, ``dedup check`` and ``dedup index``.

Thin: each command parses its options, calls the library, renders, and maps errors to exit
codes in one place (:func:`dedup.cli.common.library_errors`): 0 success (problems with some
inputs are reported on stderr), 1 runtime error, 2 usage error.
"""

from __future__ import annotations

import click

from dedup.cli.compare import compare_command
from dedup.cli.index import check_command, index_group
from dedup.cli.scan import scan_command
from dedup.version import __version__

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dedup")
def cli() -> None:
    """Find copied and rewritten text: near-duplicate documents and reused passages.

    Exit codes: 0 success, 1 runtime error, 2 usage error.
    """


cli.add_command(scan_command)
cli.add_command(compare_command)
cli.add_command(check_command)
cli.add_command(index_group)


def main() -> None:
    """Entry point of the ``dedup`` console script."""
    cli(prog_name="dedup")
