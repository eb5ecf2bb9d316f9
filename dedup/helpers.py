"""Helper processes for the stages of the full scan: one kernel over chunks of work, on
every core.

A scan's prepared corpus (layouts, shingles, sentence vectors) is large and made of many
small objects; sending it to helpers would cost more than the work. Helpers are therefore
forked from this process once a stage's inputs exist, read them where they lie (the pages
are shared until written), and send back only their results, which come back in the order
of the chunks: the outcome does not depend on the number of helpers. Forking is used on
Linux only (elsewhere it is unsafe or missing); there, and with one job, the chunks run in
this process. A scan that runs its stages through one ``with Helpers(jobs)`` block also keeps
its long-lived data out of the garbage collector's sweeps.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from dedup.errors import DedupError

__all__ = ["Helpers", "chunked"]

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")

# What the forked helpers read: set just before they are forked, cleared after.
_shared: Any = None


class Helpers:
    """Runs a stage's kernel over chunks, in ``jobs`` forked helper processes or here.

    Parameters
    ----------
    jobs : int
        Helper processes (1: run in this process).

    Examples
    --------
    >>> def total(offset, chunk):
    ...     return sum(chunk) + offset
    >>> list(Helpers(1).map(total, 10, [[1, 2], [3]]))
    [13, 13]
    """

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = max(1, int(jobs))
        self._holding = False

    def __enter__(self) -> Helpers:
        """Hold what each stage starts from out of the garbage collector's sweeps (see
        :meth:`map`) until the block ends; not when the program holds objects there itself
        (``gc.freeze``), which the end of the block would release."""
        self._holding = gc.get_freeze_count() == 0
        return self

    def __exit__(self, *exc) -> None:
        if self._holding:
            gc.unfreeze()
        self._holding = False

    @property
    def parallel(self) -> bool:
        """Whether chunks run in helper processes."""
        return self.jobs > 1 and sys.platform.startswith("linux")

    def map(self, kernel: Callable[[Any, Chunk], Result], shared: Any, chunks: Sequence[Chunk]) -> Iterator[Result]:
        """``kernel(shared, chunk)`` for every chunk, in the order of ``chunks``.

        ``kernel`` must be a module-level function; ``shared`` (any object) is read by the
        helpers without being sent to them.
        """
        # What exists when a stage starts (the corpus, its layouts, the passages found so far)
        # lives until the end of the scan: within ``with Helpers(...)``, the collector stops
        # sweeping it over and over (its full sweeps took seconds on a large corpus), and
        # forked helpers do not copy the pages it would otherwise touch.
        if self._holding:
            gc.freeze()
        if not self.parallel or len(chunks) < 2:
            for chunk in chunks:
                yield kernel(shared, chunk)
            return
        yield from self._forked(kernel, shared, chunks)

    def _forked(self, kernel, shared, chunks) -> Iterator:
        global _shared
        _shared = shared
        froze = not self._holding and gc.get_freeze_count() == 0
        if froze:
            gc.freeze()
        pool = ProcessPoolExecutor(min(self.jobs, len(chunks)), mp_context=multiprocessing.get_context("fork"))
        try:
            pending: deque = deque()
            for chunk in chunks:
                pending.append(pool.submit(_run, kernel, chunk))
                if len(pending) > 2 * self.jobs:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            _shared = None
            if froze:
                gc.unfreeze()


def chunked(items: Sequence[Chunk], jobs: int, *, most: int, least: int = 1) -> list[Sequence[Chunk]]:
    """``items`` cut into consecutive chunks: about eight per job (so helpers stay busy to
    the end), each of ``least`` to ``most`` items.

    >>> [list(c) for c in chunked(range(5), 1, most=2, least=2)]
    [[0, 1], [2, 3], [4]]
    """
    size = max(least, min(most, -(-len(items) // (8 * max(1, jobs)))))
    return [items[start : start + size] for start in range(0, len(items), size)]


def _run(kernel, chunk):
    return kernel(_shared, chunk)


def _result(future):
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise DedupError(f"a helper process stopped ({error}); run again with --jobs 1.") from None
