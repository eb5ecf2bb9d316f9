"""The corpus scan: documents in, a Report out. No I/O here beyond optional progress."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable

import numpy as np
from tqdm import tqdm

from .attribute import AttributionInput, attribute
from .candidates import (candidate_pairs, crowded_buckets, lsh_bands, lsh_pairs, passage_units,
                         shared_shingle_pairs, verify_pairs)
from .cluster import UnionFind
from .citations import find_citations
from .config import ScanConfig
from .dates import publication_date
from .errors import ParameterError
from .fingerprint import MinHasher
from .paraphrase import sentence_neighbours
from .passages import prepare
from .records import Document, Duplicate, InputProblem, Passage
from .report import DocumentSummary, Report
from .shingling import band_keys
from .text import boilerplate_lines, guess_title, line_spans, normalize

__all__ = ["attribution_input", "line_counts", "scan", "summarize"]


def scan(
    documents: Iterable[Document | str],
    *,
    progress: bool = False,
    problems: Iterable[InputProblem] = (),
    **settings,
) -> Report:
    """Find near-duplicate documents and reused passages in a corpus.

    Parameters
    ----------
    documents : iterable of Document or str
        The corpus. Plain strings get ids ``"0"``, ``"1"``, ... in order.
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
    docs = _as_documents(documents)
    repeated = _repeated_lines(docs, config)
    corpus = prepare(docs, config, repeated, progress=progress)
    prints = corpus.prints

    minhasher = MinHasher(num_perm=config.num_perm, seed=config.seed)
    shingle_sets = [p.shingle_set() for p in prints]
    filled = [i for i, s in enumerate(shingle_sets) if len(s)]
    doc_signatures = minhasher.signatures([shingle_sets[i] for i in filled])
    doc_keys = band_keys(doc_signatures, *lsh_bands(config.threshold, config.num_perm))
    candidates = candidate_pairs(doc_keys, np.array(filled, dtype=np.int64), config.bucket_cap)
    document_pairs = set(zip(candidates[:, 0].tolist(), candidates[:, 1].tolist()))
    duplicates = [
        Duplicate(documents=(docs[i].id, docs[j].id), similarity=similarity, containment=containment)
        for i, j, similarity, containment in verify_pairs(candidates, shingle_sets, config.threshold)
    ]

    units, owners = [], []
    for index, p in enumerate(prints):
        found = passage_units(p)
        units += found
        owners += [index] * len(found)
    pairs = lsh_pairs(minhasher.signatures(units), owners, minhasher, config.passage_threshold, config.bucket_cap)
    min_shared = max(1, config.min_words - config.shingle + 1)
    pairs |= shared_shingle_pairs(shingle_sets, min_shared, config.max_shared_documents)
    pairs |= document_pairs
    rewritten: set[tuple[int, int]] = set()
    if corpus.space is not None:
        unit_owners = np.repeat(np.arange(len(docs)), [len(u) for u in corpus.units])
        rewritten = set(sentence_neighbours(corpus.space, unit_owners, corpus.paraphrase_options))
        pairs |= rewritten

    passages: list[Passage] = []
    for i, j in _progress(sorted(pairs), progress, "align"):
        passages.extend(corpus.passages_between(i, j, rewrites=(i, j) in rewritten))
    for i in range(len(docs)):
        passages.extend(corpus.self_passages(i))
    order = {doc.id: index for index, doc in enumerate(docs)}
    passages.sort(key=lambda p: (order[p.a.doc], order[p.b.doc], p.a.start, p.b.start))

    clusters = UnionFind()
    for duplicate in duplicates:
        clusters.union(*duplicate.documents)
    known = [attribution_input(doc) for doc in docs]
    parameters = config.as_dict()
    capped = crowded_buckets(doc_keys, config.bucket_cap)
    if capped:
        parameters["capped_buckets"] = capped
    return Report(
        parameters=parameters,
        documents=[summarize(doc, facts) for doc, facts in zip(docs, known)],
        duplicates=duplicates,
        clusters=[sorted(group, key=order.get) for group in clusters.groups(min_size=2)],
        passages=passages,
        attribution=attribute(known, passages),
        problems=list(problems),
        texts={doc.id: doc.text for doc in docs},
        chrome={doc.id: boilerplate_lines(doc.text, repeated) for doc in docs},
    )


def _as_documents(documents: Iterable[Document | str]) -> list[Document]:
    docs = [d if isinstance(d, Document) else Document(id=str(i), text=d) for i, d in enumerate(documents)]
    seen: set[str] = set()
    for doc in docs:
        if not isinstance(doc.text, str):
            raise ParameterError(f"Document {doc.id!r} has no text string; got {type(doc.text).__name__}.")
        if doc.id in seen:
            raise ParameterError(f"Two documents share the id {doc.id!r}; ids must be unique.")
        seen.add(doc.id)
    return docs


def _progress(items, enabled: bool, label: str):
    return tqdm(items, desc=label, unit="pair",
                file=sys.stderr, disable=not enabled, delay=2.0, leave=False)


def _repeated_lines(docs: list[Document], config: ScanConfig) -> frozenset[str]:
    """Short normalised lines found in ``repeated_line_docs`` or more documents."""
    counts = line_counts((doc.text for doc in docs), config.repeated_line_words)
    return frozenset(line for line, count in counts.items() if count >= config.repeated_line_docs)


def line_counts(texts: Iterable[str], max_words: int) -> Counter[str]:
    """Per short normalised line (fewer than ``max_words`` spaces): the texts holding it."""
    counts: Counter[str] = Counter()
    for text in texts:
        lines = {normalize(text[s:e]) for s, e in line_spans(text)}
        counts.update(line for line in lines if line and line.count(" ") < max_words)
    return counts


def summarize(doc: Document, facts: AttributionInput | None = None) -> DocumentSummary:
    """What the report says of one document: title, URL, publication date and citations
    (``facts``: its :func:`attribution_input`, when already made)."""
    return _summary(doc, facts or attribution_input(doc))


def attribution_input(doc: Document) -> AttributionInput:
    """What attribution needs of a document: its citations and publication date."""
    return AttributionInput(
        id=doc.id,
        chars=len(doc.text),
        url=doc.meta.get("url"),
        outlet=doc.meta.get("outlet"),
        published=publication_date(doc.text, doc.meta.get("published")),
        citations=find_citations(doc.text),
    )


def _summary(doc: Document, facts: AttributionInput) -> DocumentSummary:
    meta = doc.meta
    return DocumentSummary(
        id=doc.id,
        title=meta.get("title") or guess_title(doc.text),
        url=meta.get("url"),
        published=facts.published.value if facts.published else None,
        published_inferred=bool(facts.published and facts.published.inferred),
        chars=len(doc.text),
        citations=[c.to_dict() for c in facts.citations],
    )
