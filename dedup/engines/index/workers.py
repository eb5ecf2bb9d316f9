"""Helper processes for a stream of batches: fingerprinting ahead, aligning behind.

While the index's own process looks candidates up and writes batch ``k`` in its
transaction, helper processes fingerprint batch ``k + 1`` and align the matches of batch
``k - 1``. Both are pure functions of the texts and the settings, so their results do not
depend on which process computes them.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from dedup.engines.index.decide import Aligner, Decision, Pending, settle_all
from dedup.engines.index.fingerprints import IndexFingerprint, fingerprint_texts
from dedup.engines.index.settings import IndexSettings
from dedup.errors import DedupError
from dedup.sketch.fingerprinter import Fingerprinter

__all__ = ["HelperPool"]

_TOOLS: list[tuple[Fingerprinter, Aligner]] = []  # in a helper: its fingerprinter and aligner


def _start(fingerprinter: Fingerprinter, settings: IndexSettings) -> None:
    """In a helper: keep the parent's fingerprinter (built there, so the helper never imports
    datasketch), and exit as soon as the parent is gone (killed, say)."""
    _TOOLS.append((fingerprinter, Aligner(settings)))
    parent = multiprocessing.parent_process()
    if parent is not None:
        def wait() -> None:
            multiprocessing.connection.wait([parent.sentinel])
            os._exit(1)

        threading.Thread(target=wait, daemon=True).start()


def _fingerprint(texts: list[str], pack: bool, stems: bool) -> list[IndexFingerprint]:
    return fingerprint_texts(_TOOLS[0][0], texts, pack=pack, stems=stems)


def _settle(pending: list[Pending]) -> list[Decision]:
    return settle_all(pending, *_TOOLS[0])


def _split(items: list, parts: int) -> list[list]:
    """``items`` in ``parts`` contiguous runs of nearly equal length (empty runs dropped)."""
    size, extra = divmod(len(items), parts)
    runs, at = [], 0
    for k in range(parts):
        end = at + size + (k < extra)
        if end > at:
            runs.append(items[at:end])
        at = end
    return runs


class HelperPool:
    """Processes that fingerprint and align for an index.

    Parameters
    ----------
    settings : IndexSettings
    processes : int
        Helper processes (at least 1).
    """

    def __init__(self, settings: IndexSettings, processes: int) -> None:
        self.settings = settings
        self.processes = processes
        # Decisions without candidates are settled here: there is nothing to verify or align.
        self._fingerprinter, self._aligner = Fingerprinter.of(settings), Aligner(settings)
        # "spawn": a helper never inherits the index's open file or connection.
        self._pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start, initargs=(self._fingerprinter, settings))

    def fingerprint(self, texts: list[str], *, pack: bool, stems: bool = False) -> Callable[[], list[IndexFingerprint]]:
        """Start fingerprinting ``texts`` (``stems``: with their sentence stems); the returned
        function waits for the prints."""
        futures = [self._pool.submit(_fingerprint, run, pack, stems) for run in _split(texts, self.processes)]
        return lambda: [p for future in futures for p in _result(future)]

    def settle(self, pending: list[Pending]) -> Callable[[], list[Decision]]:
        """Start settling ``pending``; the returned function waits for the decisions, in order.

        Decisions without candidates are settled here at once; the rest are shared out.
        """
        work = [k for k, p in enumerate(pending) if p.candidates or p.rewrites]
        idle = [k for k, p in enumerate(pending) if not (p.candidates or p.rewrites)]
        futures = [(run, self._pool.submit(_settle, [pending[k] for k in run]))
                   for run in _split(work, self.processes)]
        done: list[Decision | None] = [None] * len(pending)
        for k, decision in zip(idle, settle_all([pending[k] for k in idle], self._fingerprinter, self._aligner)):
            done[k] = decision

        def wait() -> list[Decision]:
            for run, future in futures:
                for k, decision in zip(run, _result(future)):
                    done[k] = decision
            return done  # type: ignore[return-value]

        return wait

    def close(self) -> None:
        """Stop the helpers (waiting for nothing more)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _result(future: Future):
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise DedupError(f"a helper process of the index stopped ({error}); run again with --jobs 1.") from None
