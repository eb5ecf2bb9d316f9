"""The document-level scan: near-duplicate documents only, in one streaming pass.

``dedup scan --level document`` for users who want clusters of near-duplicates and nothing
else (no passages, paraphrases or attribution), at the speed of MinHash alone::

    read (streaming) -> shingle sets and band keys (batches, on every core) -> documents that
    share a band key -> exact Jaccard of their shingle sets -> clusters

The shingle sets are the scan's (same words, shingles and site-chrome rule) except that
lines repeated across the corpus are not known in one pass, so only the bundled chrome
patterns apply; the LSH bands are the scan's. Memory holds, per document, its id, summary,
band keys and shingle set (the set is what exact verification needs), never its text.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import NamedTuple

import numpy as np

from dedup.errors import DedupError
from dedup.match.verify import verify_pairs
from dedup.progress import progress_bar
from dedup.read.intake import check_unique, numbered
from dedup.records import Document, Duplicate, InputProblem
from dedup.report.assemble import clusters_of, summarize, with_capped
from dedup.report.model import DocumentSummary, Report
from dedup.settings import BATCH_SIZE, DOCUMENT_LEVEL, JOBS, ScanConfig
from dedup.sketch.fingerprinter import Fingerprinter
from dedup.sketch.lsh import bucket_pairs, capped_bucket_records, crowded_buckets

__all__ = ["BatchFingerprints", "fingerprint_documents", "near_duplicates"]


class BatchFingerprints(NamedTuple):
    """What the document level keeps of a batch: each document's distinct valid shingle
    hashes, its ``(bands,)`` LSH band keys (rows of one matrix) and its report summary."""

    sets: list[np.ndarray]
    keys: np.ndarray
    summaries: list[DocumentSummary]


def fingerprint_documents(fingerprinter: Fingerprinter, docs: list[Document]) -> BatchFingerprints:
    """The fingerprints of a batch of documents (what a helper process, or a Dask partition, runs).

    >>> fingerprinter = Fingerprinter.of(ScanConfig())
    >>> docs = [Document("a", "The strikes lasted thirty minutes, officials said.")]
    >>> sets, keys, summaries = fingerprint_documents(fingerprinter, docs)
    >>> len(sets[0]), keys.shape, summaries[0].chars
    (3, (1, 16), 50)
    """
    sets = fingerprinter.shingle_sets([doc.text for doc in docs])
    return BatchFingerprints(sets, fingerprinter.band_keys(sets), [summarize(doc) for doc in docs])


def near_duplicates(
    documents: Iterable[Document | str],
    *,
    jobs: int = 1,
    batch_size: int = 512,
    progress: bool = False,
    problems: Iterable[InputProblem] = (),
    **settings,
) -> Report:
    """Find near-duplicate documents (and nothing else) in one streaming pass.

    Parameters
    ----------
    documents : iterable of Document or str
        The corpus, read once, lazily. Plain strings get ids ``"0"``, ``"1"``, ... in order.
    jobs : int
        Processes that fingerprint (1: this one only). Helpers start only when the input
        holds more than one batch.
    batch_size : int
        Documents fingerprinted together.
    progress : bool
        Show a progress bar on stderr.
    problems : iterable of InputProblem
        Problems met while reading (carried into the report; pass the reader's live list:
        it is read after the documents).
    **settings
        ``threshold``, ``num_perm``, ``shingle``, ``seed`` and ``bucket_cap`` (as :func:`dedup.scan`).

    Returns
    -------
    Report
        ``duplicates`` and ``clusters`` as the scan reports them, ``documents`` with every
        document's summary, and no passages or attribution; ``parameters["level"]`` is
        ``"document"``.

    Examples
    --------
    >>> story = "The strikes lasted thirty minutes and were successful, according to the White House."
    >>> report = near_duplicates([story, story + " More.", "An unrelated note on the weather today."])
    >>> report.clusters, report.duplicates[0].similarity
    ([['0', '1']], 0.9)
    """
    config = ScanConfig.from_settings(settings, "near_duplicates", DOCUMENT_LEVEL)
    JOBS.check(jobs, "near_duplicates")
    BATCH_SIZE.check(batch_size, "near_duplicates")
    fingerprinter = Fingerprinter.of(config)

    ids: list[str] = []
    summaries: list[DocumentSummary] = []
    sets: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    bar = progress_bar(label="documents", unit="doc", enabled=progress)
    for batch, prints in _fingerprinted(_batches(documents, batch_size), fingerprinter, jobs):
        ids.extend(doc.id for doc in batch)
        sets.extend(prints.sets)
        keys.append(prints.keys)
        summaries.extend(prints.summaries)
        bar.update(len(batch))
    bar.close()
    check_unique(ids)

    filled = np.array([k for k, s in enumerate(sets) if len(s)], dtype=np.int64)
    all_keys = np.concatenate(keys)[filled] if keys else np.empty((0, config.bands[0]), dtype=np.int64)
    duplicates = [Duplicate(documents=(ids[found.a], ids[found.b]), similarity=found.similarity,
                            containment=found.containment)
                  for found in verify_pairs(bucket_pairs(all_keys, filled, cap=config.bucket_cap), sets,
                                            config.threshold)]
    return Report(
        parameters=with_capped(config.document_parameters(),
                               capped_bucket_records(*crowded_buckets(all_keys, config.bucket_cap))),
        documents=summaries,
        duplicates=duplicates,
        clusters=clusters_of(duplicates, {doc_id: index for index, doc_id in enumerate(ids)}),
        passages=[],
        attribution=[],
        problems=list(problems),
    )


def _batches(documents: Iterable[Document | str], size: int) -> Iterator[list[Document]]:
    documents = numbered(documents)
    while batch := list(islice(documents, size)):
        yield batch


_FINGERPRINTER: list[Fingerprinter] = []  # in a helper process: the parent's fingerprinter


def _start(fingerprinter: Fingerprinter) -> None:
    _FINGERPRINTER.append(fingerprinter)


def _fingerprint_batch(docs: list[Document]):
    """In a helper: the fingerprints of a batch, the shingle sets in one array (one array pickles
    several times faster than hundreds)."""
    sets, keys, summaries = fingerprint_documents(_FINGERPRINTER[0], docs)
    lengths = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    return np.concatenate(sets) if sets else np.empty(0, np.uint64), lengths, keys, summaries


def _unpack(packed):
    flat, lengths, keys, summaries = packed
    return BatchFingerprints(np.split(flat, np.cumsum(lengths)[:-1]), keys, summaries)


def _fingerprinted(batches: Iterator[list[Document]], fingerprinter: Fingerprinter, jobs: int):
    """``(batch, prints)`` in input order; with ``jobs > 1`` and more than one batch,
    fingerprinted by helper processes (a few batches ahead) while this process reads."""
    head = list(islice(batches, 2))
    if jobs == 1 or len(head) < 2:
        for batch in chain(head, batches):
            yield batch, fingerprint_documents(fingerprinter, batch)
        return
    # "spawn": helpers start clean, and get the parent's fingerprinter (no datasketch import there).
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(fingerprinter,))
    try:
        pending: deque[tuple[list[Document], Future]] = deque()
        for batch in chain(head, batches):
            pending.append((batch, pool.submit(_fingerprint_batch, batch)))
            if len(pending) > 2 * jobs:
                done, future = pending.popleft()
                yield done, _unpack(_result(future))
        while pending:
            done, future = pending.popleft()
            yield done, _unpack(_result(future))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(future: Future):
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise DedupError(f"a helper process stopped ({error}); run again with --jobs 1.") from None
