"""The command line: ``dedup scan``, ``dedup compare``, ``dedup check``, ``dedup index`` and
``dedup render``.

Thin: each command parses its options, calls the library, renders, and maps errors to exit
codes in one place (:func:`dedup.cli.common.library_errors`): 0 success (problems with some
inputs are reported on stderr), 1 runtime error, 2 usage error.
"""

from __future__ import annotations

import click

from dedup.cli.compare import compare_command
from dedup.cli.config import CONFIG_NAME, ENV_PREFIX, load_config, name_envvars
from dedup.cli.index import check_command, index_group
from dedup.cli.render import render_command
from dedup.cli.scan import scan_command
from dedup.version import __version__

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dedup")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              envvar=f"{ENV_PREFIX}_CONFIG",
              help=f"Defaults for the commands' options, a TOML table per command ([scan], [check], "
                   f"[index.add]); default: ./{CONFIG_NAME} when there is one. Also DEDUP_CONFIG.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """Find copied and rewritten text: near-duplicate documents and reused passages.

    Any option can also be set in a config file (--config, ./dedup.toml) or in an
    environment variable DEDUP_<COMMAND>_<OPTION> (DEDUP_SCAN_THRESHOLD=0.7,
    DEDUP_INDEX_ADD_BATCH_SIZE=1000); a flag wins over the variable, the variable over the
    file.

    Exit codes: 0 success, 1 runtime error, 2 usage error.
    """
    ctx.default_map = load_config(ctx.command, config_path)


cli.add_command(scan_command)
cli.add_command(compare_command)
cli.add_command(check_command)
cli.add_command(index_group)
cli.add_command(render_command)
name_envvars(cli)


def main() -> None:
    """Entry point of the ``dedup`` console script."""
    cli(prog_name="dedup")
