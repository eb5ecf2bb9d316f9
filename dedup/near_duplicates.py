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
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice

import numpy as np
from tqdm import tqdm

from .candidates import candidate_pairs, crowded_buckets, lsh_bands, verify_pairs
from .cluster import UnionFind
from .config import ScanConfig, check_setting
from .errors import DedupError, ParameterError
from .fingerprint import MinHasher, sorted_unique
from .records import Document, Duplicate, InputProblem
from .report import DocumentSummary, Report
from .shingling import band_keys, batch_shingles

__all__ = ["DocumentPrinter", "default_jobs", "document_config", "document_parameters", "near_duplicates"]


def default_jobs() -> int:
    """The processes a scan uses by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class DocumentPrinter:
    """Shingle sets and LSH band keys of batches of documents (what a helper process runs).

    Parameters
    ----------
    config : ScanConfig
        ``shingle``, ``num_perm``, ``seed`` and ``threshold`` are used.

    Examples
    --------
    >>> printer = DocumentPrinter(ScanConfig())
    >>> sets, keys, summaries = printer.prints([Document("a", "The strikes lasted thirty minutes, officials said.")])
    >>> len(sets[0]), keys.shape, summaries[0].chars
    (3, (1, 16), 50)
    """

    def __init__(self, config: ScanConfig) -> None:
        self.shingle = config.shingle
        self.minhasher = MinHasher(num_perm=config.num_perm, seed=config.seed)
        self.bands, self.rows = lsh_bands(config.threshold, config.num_perm)  # the scan's

    def prints(self, docs: list[Document]) -> tuple[list[np.ndarray], np.ndarray, list[DocumentSummary]]:
        """The distinct valid shingle hashes, the ``(n, bands)`` band keys and the report
        summary of each document."""
        from .scan import summarize

        sequences = batch_shingles([doc.text for doc in docs], self.shingle)
        sets = [sorted_unique(hashes[valid]) for hashes, valid in sequences]
        keys = band_keys(self.minhasher.signatures(sets), self.bands, self.rows)
        return sets, keys, [summarize(doc) for doc in docs]


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
    config = document_config(settings, "near_duplicates")
    check_setting("jobs", jobs, "int", 1, None, False, caller="near_duplicates")
    check_setting("batch_size", batch_size, "int", 1, None, False, caller="near_duplicates")
    printer = DocumentPrinter(config)

    ids: list[str] = []
    summaries: list[DocumentSummary] = []
    sets: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    bar = tqdm(desc="documents", unit="doc", file=sys.stderr, disable=not progress, delay=2.0, leave=False)
    for batch, (batch_sets, batch_keys, batch_summaries) in _fingerprinted(_batches(documents, batch_size),
                                                                          printer, jobs):
        ids.extend(doc.id for doc in batch)
        sets.extend(batch_sets)
        keys.append(batch_keys)
        summaries.extend(batch_summaries)
        bar.update(len(batch))
    bar.close()
    _check_unique(ids)

    filled = np.array([k for k, s in enumerate(sets) if len(s)], dtype=np.int64)
    all_keys = np.concatenate(keys) if keys else np.empty((0, printer.bands), dtype=np.int64)
    pairs = candidate_pairs(all_keys[filled], filled, config.bucket_cap)
    duplicates = [
        Duplicate(documents=(ids[i], ids[j]), similarity=similarity, containment=containment)
        for i, j, similarity, containment in verify_pairs(pairs, sets, config.threshold)
    ]
    order = {doc_id: index for index, doc_id in enumerate(ids)}
    clusters = UnionFind()
    for duplicate in duplicates:
        clusters.union(*duplicate.documents)
    return Report(
        parameters=document_parameters(config, crowded_buckets(all_keys[filled], config.bucket_cap)),
        documents=summaries,
        duplicates=duplicates,
        clusters=[sorted(group, key=order.get) for group in clusters.groups(min_size=2)],
        passages=[],
        attribution=[],
        problems=list(problems),
    )


def document_config(settings: dict, caller: str) -> ScanConfig:
    """The settings of a document-level scan (``threshold``, ``num_perm``, ``shingle``,
    ``seed``), checked; an unknown one is a ParameterError naming ``caller``."""
    unknown = sorted(set(settings) - {"threshold", "num_perm", "shingle", "seed", "bucket_cap"})
    if unknown:
        raise ParameterError(f"Unknown parameter {unknown[0]!r} of {caller}; known: threshold, num_perm, "
                             "shingle, seed, bucket_cap.", parameter=unknown[0])
    return ScanConfig(**settings)


def document_parameters(config: ScanConfig, capped: list[dict] = ()) -> dict:
    """The report's ``parameters`` of a document-level scan (``capped``: the crowded buckets)."""
    parameters = {"threshold": config.threshold, "num_perm": config.num_perm, "shingle": config.shingle,
                  "seed": config.seed, "bucket_cap": config.bucket_cap, "level": "document"}
    if capped:
        parameters["capped_buckets"] = list(capped)
    return parameters


def _batches(documents: Iterable[Document | str], size: int) -> Iterator[list[Document]]:
    numbered = (d if isinstance(d, Document) else Document(id=str(k), text=d) for k, d in enumerate(documents))
    while batch := list(islice(numbered, size)):
        for doc in batch:
            if not isinstance(doc.text, str):
                raise ParameterError(f"Document {doc.id!r} has no text string; got {type(doc.text).__name__}.")
        yield batch


def _check_unique(ids: list[str]) -> None:
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        for doc_id in ids:
            if doc_id in seen:
                raise ParameterError(f"Two documents share the id {doc_id!r}; ids must be unique.")
            seen.add(doc_id)


_PRINTER: list[DocumentPrinter] = []  # in a helper process: the parent's printer


def _start(printer: DocumentPrinter) -> None:
    _PRINTER.append(printer)


def _print_batch(docs: list[Document]):
    """In a helper: the prints of a batch, the shingle sets in one array (one array pickles
    several times faster than hundreds)."""
    sets, keys, summaries = _PRINTER[0].prints(docs)
    lengths = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    return np.concatenate(sets) if sets else np.empty(0, np.uint64), lengths, keys, summaries


def _unpack(packed):
    flat, lengths, keys, summaries = packed
    return np.split(flat, np.cumsum(lengths)[:-1]), keys, summaries


def _fingerprinted(batches: Iterator[list[Document]], printer: DocumentPrinter, jobs: int):
    """``(batch, prints)`` in input order; with ``jobs > 1`` and more than one batch,
    fingerprinted by helper processes (a few batches ahead) while this process reads."""
    head = list(islice(batches, 2))
    if jobs == 1 or len(head) < 2:
        for batch in chain(head, batches):
            yield batch, printer.prints(batch)
        return
    # "spawn": helpers start clean, and get the parent's printer (no datasketch import there).
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(printer,))
    try:
        pending: deque[tuple[list[Document], Future]] = deque()
        for batch in chain(head, batches):
            pending.append((batch, pool.submit(_print_batch, batch)))
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
