"""The data files a user adds to the bundled ones: site chrome patterns (``--boilerplate``)
and outlets (``--outlets``), added to the bundled lists or replacing them.

The files are read once, where the scan starts, and their texts travel with the scan: the
local engine's helper processes are forked after they are set, and the Dask engine sends
them to every worker (a worker plugin, :mod:`dedup.engines.dask.driver`). The bundled lists are
``dedup/data/boilerplate.txt`` and ``dedup/data/outlets.txt``; their formats are in their
headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from dedup.errors import ParameterError

__all__ = ["DataFiles", "boilerplate_text", "current_data_files", "outlets_text", "read_data_files",
           "use_data_files"]


@dataclass(frozen=True)
class DataFiles:
    """The texts of the user's data files (``(name, text)`` each), and whether the bundled
    lists are kept under them."""

    boilerplate: tuple[tuple[str, str], ...] = ()
    outlets: tuple[tuple[str, str], ...] = ()
    bundled_boilerplate: bool = True
    bundled_outlets: bool = True


_current = DataFiles()


def use_data_files(files: DataFiles) -> None:
    """Make ``files`` the data files of the scans this process runs from now on."""
    global _current
    _current = files


def current_data_files() -> DataFiles:
    """The data files in use (the bundled lists alone unless :func:`use_data_files` said otherwise)."""
    return _current


def read_data_files(boilerplate=(), outlets=(), *, bundled_boilerplate: bool = True,
                    bundled_outlets: bool = True) -> DataFiles:
    """The data files at the paths given, read and checked: a file that cannot be read, or a
    boilerplate line that is not a regular expression, is a :class:`ParameterError` naming
    the file and line.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "chrome.txt")
    >>> _ = open(path, "w").write("# our site\\nread more on our app\\n(unclosed\\n")
    >>> read_data_files([path])
    Traceback (most recent call last):
    ...
    dedup.errors.ParameterError: ...chrome.txt line 3: not a regular expression (missing ), unterminated subpattern at position 0); fix or remove the line.
    """
    files = DataFiles(tuple(_read(p, "--boilerplate") for p in boilerplate),
                      tuple(_read(p, "--outlets") for p in outlets), bundled_boilerplate, bundled_outlets)
    for name, text in files.boilerplate:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip() and not line.lstrip().startswith("#"):
                try:
                    re.compile(line.strip())
                except re.error as error:
                    raise ParameterError(f"{name} line {number}: not a regular expression ({error}); fix or "
                                         "remove the line.", parameter="boilerplate") from None
    return files


def boilerplate_text(files: DataFiles) -> str:
    """The boilerplate patterns ``files`` give, one file after another."""
    bundled = [_bundled("boilerplate.txt")] if files.bundled_boilerplate else []
    return "\n".join(bundled + [text for _, text in files.boilerplate])


def outlets_text(files: DataFiles) -> str:
    """The outlet lines ``files`` give (a later line for a domain or name wins)."""
    bundled = [_bundled("outlets.txt")] if files.bundled_outlets else []
    return "\n".join(bundled + [text for _, text in files.outlets])


def _bundled(name: str) -> str:
    return resources.files("dedup").joinpath(f"data/{name}").read_text(encoding="utf-8")


def _read(path, option: str) -> tuple[str, str]:
    try:
        return str(path), Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ParameterError(f"{option} {path}: cannot be read ({reason}); give a UTF-8 text file.",
                             parameter=option.lstrip("-")) from None
