"""Defaults other than flags: a config file (``dedup.toml`` in the working directory, or
``--config FILE``), ``DEDUP_<COMMAND>_<OPTION>`` environment variables (:func:`name_envvars`), and
the options that name the user's data files (``--boilerplate``, ``--outlets``).

A flag wins over an environment variable, which wins over the config file, which wins over
the built-in default. The config file holds a table per command (``[scan]``, ``[check]``,
``[index.add]``) of its options by their long names (``min-words = 8``, ``format =
"jsonl"``); a key outside any table sets that option for every command that has it. Paths
of data files in the config file are relative to the file.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

import click

from dedup.cli.common import library_errors
from dedup.userdata import current_data_files, read_data_files, use_data_files

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["CONFIG_NAME", "ENV_PREFIX", "config_defaults", "data_file_options", "load_config", "name_envvars"]

CONFIG_NAME = "dedup.toml"
ENV_PREFIX = "DEDUP"
# Options whose values are paths, resolved against the config file's folder.
_PATH_OPTIONS = ("boilerplate", "outlets")


def data_file_options(command):
    """``--boilerplate FILE``, ``--outlets FILE`` (each repeatable) and ``--no-default-...``:
    the user's data files, set for the command's run (:mod:`dedup.userdata`)."""

    @functools.wraps(command)
    def run(*args, boilerplate, outlets, no_default_boilerplate, no_default_outlets, **kwargs):
        with library_errors(usage=True):
            files = read_data_files(boilerplate, outlets, bundled_boilerplate=not no_default_boilerplate,
                                    bundled_outlets=not no_default_outlets)
        before = current_data_files()
        use_data_files(files)
        try:
            return command(*args, **kwargs)
        finally:
            use_data_files(before)

    file_type = click.Path(exists=True, dir_okay=False)
    for option in reversed([
        click.option("--boilerplate", multiple=True, type=file_type, metavar="FILE",
                     help="More site-chrome line patterns (a Python regular expression per line, matched "
                          "against whole lines, '#' comments), added to the bundled list; repeatable."),
        click.option("--no-default-boilerplate", is_flag=True,
                     help="Leave the bundled site-chrome patterns out (only --boilerplate files count)."),
        click.option("--outlets", multiple=True, type=file_type, metavar="FILE",
                     help="More outlets to recognise in citations ('Name | domains | other names' per "
                          "line), added to the bundled list; repeatable."),
        click.option("--no-default-outlets", is_flag=True,
                     help="Leave the bundled outlets out (only --outlets files count)."),
    ]):
        run = option(run)
    return run


def load_config(group: click.Group, path: str | None) -> dict[str, Any] | None:
    """The ``default_map`` of the config file at ``path`` (else ``dedup.toml`` in the working
    directory, when there is one), or None. A file that is not TOML, or a key that names no
    option, is a usage error naming the file and the key."""
    if path is None:
        if not Path(CONFIG_NAME).is_file():
            return None
        path = CONFIG_NAME
    try:
        with open(path, "rb") as handle:
            table = tomllib.load(handle)
    except OSError as error:
        raise click.UsageError(f"--config {path}: cannot be read ({error.strerror or error}).") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise click.UsageError(f"--config {path}: not a TOML file ({error}).") from None
    return config_defaults(group, table, path)


def config_defaults(group: click.Group, table: dict[str, Any], source: str) -> dict[str, Any]:
    """The ``default_map`` of a config file's ``table`` for the commands of ``group``.

    >>> from dedup.cli import cli
    >>> config_defaults(cli, {"quiet": True, "scan": {"min-words": 8, "format": "jsonl"}}, "dedup.toml")["scan"]
    {'quiet': True, 'min_words': 8, 'fmt': 'jsonl'}
    """
    shared = {key: value for key, value in table.items() if not isinstance(value, dict)}
    for key in shared:
        if not any(_param(command, key) for command in _commands(group)):
            raise click.UsageError(f"{source}: {key!r} is not an option of any dedup command.")
    return _defaults(group, table, shared, Path(source).resolve().parent, source, "")


def _defaults(group: click.Group, table: dict[str, Any], shared: dict[str, Any], base: Path, source: str,
              prefix: str) -> dict[str, Any]:
    for key, value in table.items():
        if isinstance(value, dict) and key not in group.commands:
            raise click.UsageError(f"{source}: [{prefix}{key}] is not a dedup command; the tables are "
                                   f"{', '.join(f'[{prefix}{name}]' for name in sorted(group.commands))}.")
    defaults: dict[str, Any] = {}
    for name, command in group.commands.items():
        own = table.get(name, {})
        if isinstance(command, click.Group):
            nested = _defaults(command, own, shared, base, source, f"{prefix}{name}.")
            if nested:
                defaults[name] = nested
            continue
        values: dict[str, Any] = {}
        for key, value in [*((k, v) for k, v in shared.items() if _param(command, k)), *own.items()]:
            found = _param(command, key)
            if found is None:
                raise click.UsageError(f"{source}: [{prefix}{name}] {key!r} is not an option of "
                                       f"'dedup {prefix.replace('.', ' ')}{name}' (see its --help).")
            param, negated = found
            if negated and isinstance(value, bool):  # no-merge = true
                value = not value
            if param.multiple and not isinstance(value, list):
                value = [value]
            if param.name in _PATH_OPTIONS:
                if not all(isinstance(item, str) for item in value):
                    raise click.UsageError(f"{source}: [{prefix}{name}] {key!r} takes file names (strings).")
                value = [str(base / item) for item in value]
            values[param.name] = value
        if values:
            defaults[name] = values
    return defaults


def name_envvars(group: click.Group, prefix: str = ENV_PREFIX) -> None:
    """Give each option of the commands under ``group`` the environment variable
    ``DEDUP_<COMMAND>_<OPTION>`` by its long name (``DEDUP_SCAN_FORMAT`` for ``--format``,
    whose parameter is ``fmt``; ``DEDUP_INDEX_ADD_BATCH_SIZE``). Click's ``auto_envvar_prefix``
    would name them by parameter name (``DEDUP_SCAN_FMT``)."""
    for name, command in group.commands.items():
        where = f"{prefix}_{name.upper().replace('-', '_')}"
        if isinstance(command, click.Group):
            name_envvars(command, where)
            continue
        for param in command.params:
            if isinstance(param, click.Option) and param.envvar is None and _long_names(param.opts):
                param.envvar = f"{where}_{_long_names(param.opts)[0].upper().replace('-', '_')}"


def _commands(group: click.Group):
    for command in group.commands.values():
        if isinstance(command, click.Group):
            yield from _commands(command)
        else:
            yield command


def _param(command: click.Command, key: str) -> tuple[click.Option, bool] | None:
    """The option of ``command`` a config key names, by its long name (``min-words``,
    ``no-merge``) or its parameter name (``min_words``), and whether the name is its
    negative form."""
    wanted = key.replace("_", "-")
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        if wanted in _long_names(param.opts) or key == param.name:
            return param, False
        if wanted in _long_names(param.secondary_opts):
            return param, True
    return None


def _long_names(opts: list[str]) -> list[str]:
    return [opt[2:] for opt in opts if opt.startswith("--")]
