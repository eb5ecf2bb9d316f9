"""Progress of long runs on stderr: one bar per stage, with counts and, where the total is
known, the time left; shown on a terminal only (a log file or a pipe gets none) and only for
a stage that lasts over two seconds."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from tqdm import tqdm

__all__ = ["progress_bar"]


def progress_bar(items: Iterable | None = None, *, label: str, unit: str, total: int | None = None,
                 enabled: bool = True) -> tqdm:
    """A tqdm bar for one stage (iterate it, or ``update`` it), disabled unless ``enabled``
    and stderr is a terminal.

    >>> bar = progress_bar(range(3), label="align", unit="pair")
    >>> sum(bar), bar.disable  # doctests write to a capture, not a terminal
    (3, True)
    """
    terminal = getattr(sys.stderr, "isatty", lambda: False)()
    return tqdm(items, desc=label, unit=unit, total=total, file=sys.stderr, delay=2.0, leave=False,
                disable=not (enabled and terminal))
