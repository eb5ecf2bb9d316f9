"""The corpus scan on one machine: documents in, a Report out (``dedup scan``).

A thin arrangement of the shared stages::

    intake -> repeated lines (site chrome) -> prepare (layouts, shingles, sentence vectors)
    -> candidate keys -> near-duplicates (bucket pairs, exact Jaccard) -> passage candidates
    (unit buckets, rare shingles, rewritten sentences) -> groups carrying one text (each member
    aligned against its representative, not every other member) -> align each pair and the
    repeats inside each document -> attribution -> report assembly

The stages that work document by document or pair by pair (repeated lines, prepare,
candidate keys, sentence comparisons, alignment, repeats) run in chunks on ``jobs`` forked
helper processes (:class:`dedup.helpers.Helpers`); the joins over the whole corpus and the
attribution run here. No I/O beyond optional progress bars.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from dedup.attribution.attribute import attribute, attribution_input
from dedup.engines.blas import one_blas_thread
from dedup.helpers import Helpers, chunked
from dedup.match.candidates import (
    CorpusKeys,
    corpus_keys,
    joined_keys,
    shared_shingle_pairs,
)
from dedup.match.groups import (
    carried_texts,
    carrying_pairs,
    find_groups,
    pairs_to_align,
)
from dedup.match.paraphrase.neighbours import sentence_neighbours
from dedup.match.prepared import PreparedCorpus, prepare
from dedup.match.verify import verify_pairs
from dedup.progress import progress_bar
from dedup.read.intake import as_documents
from dedup.records import Document, Duplicate, InputProblem, Passage
from dedup.report.assemble import (
    clusters_of,
    group_records,
    sort_passages,
    summarize,
    with_capped,
)
from dedup.report.model import Report
from dedup.settings import JOBS, ScanConfig
from dedup.sketch.fingerprinter import Fingerprinter
from dedup.sketch.lsh import bucket_pairs, capped_bucket_records, crowded_buckets
from dedup.sketch.shingles import ShingledDocument
from dedup.text.chrome import repeated_lines

__all__ = ["scan"]


def scan(
    documents: Iterable[Document | str],
    *,
    jobs: int = 1,
    progress: bool = False,
    problems: Iterable[InputProblem] = (),
    **settings,
) -> Report:
    """Find near-duplicate documents and reused passages in a corpus.

    Parameters
    ----------
    documents : iterable of Document or str
        The corpus. Plain strings get ids ``"0"``, ``"1"``, ... in order.
    jobs : int
        Processes that prepare documents, compare sentences and align pairs (1: this one
        only; more need Linux, where helpers are forked). The report is the same for any
        number.
    progress : bool
        Show progress bars on stderr for long runs.
    problems : iterable of InputProblem
        Problems met while reading (carried into the report).
    **settings
        Any field of :class:`dedup.ScanConfig` (``threshold``, ``num_perm``, ``shingle``,
        ``seed``, ``min_words``, ...).

    Returns
    -------
    Report

    Raises
    ------
    ParameterError
        When a setting is unknown or out of range, or two documents share an id.

    Examples
    --------
    >>> story = "The strikes lasted thirty minutes and were successful, according to the White House."
    >>> report = scan(["Breaking news. " + story, story + " More to come.", "An unrelated note."])
    >>> [(p.kind, p.a.doc, p.b.doc) for p in report.passages]
    [('copy', '0', '1')]
    """
    config = ScanConfig.from_settings(settings, "scan")
    JOBS.check(jobs, "scan")
    docs = as_documents(documents)
    with one_blas_thread(), Helpers(jobs) as helpers:
        return _scan(docs, config, helpers, progress, list(problems))


def _scan(docs: list[Document], config: ScanConfig, helpers: Helpers, progress: bool,
          problems: list[InputProblem]) -> Report:
    repeated = repeated_lines(docs, config, helpers)
    corpus = prepare(docs, config, repeated, progress=progress, helpers=helpers)
    steps = progress_bar(label="candidates", unit="step", total=4 if corpus.space is not None else 3,
                         enabled=progress)
    chunks = chunked(range(len(docs)), helpers.jobs, most=1024, least=128) or [range(0)]  # one, even if empty
    keys = joined_keys(list(helpers.map(_keys_chunk, (corpus.prints, Fingerprinter.of(config), config.passage_bands),
                                        chunks)), [len(c) for c in chunks])
    candidates = bucket_pairs(keys.document_keys, keys.filled, cap=config.bucket_cap)
    steps.update()
    duplicates = [Duplicate(documents=(docs[found.a].id, docs[found.b].id), similarity=found.similarity,
                            containment=found.containment)
                  for found in verify_pairs(candidates, keys.shingle_sets, config.threshold)]
    pairs = set(map(tuple, candidates.tolist()))
    pairs |= set(map(tuple, bucket_pairs(keys.unit_keys, keys.unit_owners, cap=config.bucket_cap).tolist()))
    steps.update()
    pairs |= shared_shingle_pairs(keys.shingle_sets, config.min_shared_shingles, config.max_shared_documents,
                                  helpers=helpers)
    steps.update()
    rewritten: set[tuple[int, int]] = set()
    if corpus.space is not None:
        unit_owners = np.repeat(np.arange(len(docs)), [len(u) for u in corpus.unit_bounds])
        rewritten = set(sentence_neighbours(corpus.space, unit_owners, corpus.paraphrase_options, helpers=helpers))
        pairs |= rewritten
        steps.update()
    steps.close()

    known = [attribution_input(doc) for doc in docs]
    ordered = sorted(pairs)
    groups = find_groups(carrying_pairs(ordered, keys.shingle_sets, config.min_group - 1, config.min_shared_shingles),
                         known, config.min_group)
    if not config.all_pairs:
        ordered = pairs_to_align(ordered, groups, keys.shingle_sets, config.min_shared_shingles)
    passages: list[Passage] = []
    with progress_bar(label="align", unit="pair", total=len(ordered), enabled=progress) as bar:
        for found in helpers.map(_align_chunk, (corpus, rewritten), chunked(ordered, helpers.jobs, most=256, least=16)):
            passages.extend(found.passages)
            bar.update(found.count)
    chrome: dict[str, list[tuple[int, int]]] = {}
    with progress_bar(label="repeats", unit="doc", total=len(docs), enabled=progress) as bar:
        for found in helpers.map(_repeats_chunk, corpus,
                                 chunked(range(len(docs)), helpers.jobs, most=256, least=64)):
            passages.extend(found.passages)
            chrome.update(found.chrome)
            bar.update(len(found.chrome))
    order = {doc.id: index for index, doc in enumerate(docs)}
    sort_passages(passages, order)
    with progress_bar(label="attribute", unit="step", total=1, enabled=progress) as bar:
        attribution = attribute(known, passages, carried_texts(groups, [doc.id for doc in docs]))
        bar.update()
    return Report(
        parameters=with_capped(config.as_dict(), capped_bucket_records(*crowded_buckets(keys.document_keys,
                                                                                        config.bucket_cap))),
        documents=[summarize(doc, facts) for doc, facts in zip(docs, known)],
        duplicates=duplicates,
        clusters=clusters_of(duplicates, order),
        passages=passages,
        attribution=attribution,
        groups=group_records(groups, known, passages),
        problems=problems,
        texts={doc.id: doc.text for doc in docs},
        chrome=chrome,
    )


class _Found(NamedTuple):
    """The passages a chunk of work found, and the number of items it held."""

    passages: list[Passage]
    count: int


def _align_chunk(shared: tuple[PreparedCorpus, set[tuple[int, int]]], pairs: list[tuple[int, int]]) -> _Found:
    corpus, rewritten = shared
    found = corpus.passages_among([(i, j, (i, j) in rewritten) for i, j in pairs])
    return _Found([p for passages in found for p in passages], len(pairs))


class _Repeats(NamedTuple):
    """The passages repeated inside a chunk of documents, and each one's site-chrome lines."""

    passages: list[Passage]
    chrome: dict[str, list[tuple[int, int]]]


def _repeats_chunk(corpus: PreparedCorpus, indices: range) -> _Repeats:
    return _Repeats([p for passages in corpus.repeats_among(indices) for p in passages],
                    {corpus.docs[i].id: list(map(tuple, corpus.prints[i].layout.chrome.tolist())) for i in indices})


def _keys_chunk(shared: tuple[list[ShingledDocument], Fingerprinter, tuple[int, int]], indices: range) -> CorpusKeys:
    prints, fingerprinter, unit_bands = shared
    return corpus_keys([prints[k] for k in indices], fingerprinter, unit_bands)
