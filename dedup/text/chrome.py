"""Site chrome learned from the corpus, beside the bundled patterns.

Two kinds of lines are chrome in the documents that hold them, whatever their words:

- **short lines that many documents repeat** (a site's menus, footers, share prompts):
  fewer than ``repeated_line_words`` words, in ``repeated_line_docs`` documents or more;
- **lines of one site** (the host of a document's ``url``, else its ``outlet``, else the
  host of an id that is a URL: :func:`site_of`), of any length, held by at least
  ``repeated_line_docs`` of the site's documents and :data:`SITE_LINE_SHARE` of them, and
  by no document of any other site: a newsletter sign-up or a legal footer that one outlet
  prints under every article. A wire story that the site carries is carried elsewhere too,
  and stays text.

Pieces of wrapped running text are never chrome, and a text made mostly of such lines keeps
them (:func:`~dedup.text.layout.boilerplate_lines`). The local scan counts over the whole
corpus; the Dask engine counts per part with the same kernels, then sums.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dedup.helpers import Helpers, chunked
from dedup.records import Document
from dedup.settings import ScanConfig
from dedup.text.layout import line_spans, normalize, wrapped_lines

__all__ = ["SITE_LINE_SHARE", "RepeatedLines", "candidate_site_lines", "document_lines", "line_counts",
           "lines_elsewhere", "repeated_lines", "site_chrome", "site_line_counts", "site_of"]

# Share of a site's documents that must hold a line for it to be that site's chrome.
SITE_LINE_SHARE = 0.25


@dataclass(frozen=True)
class RepeatedLines:
    """The lines learned to be chrome: across the corpus, and per document from its site.

    Attributes
    ----------
    corpus : frozenset of str
        Short normalised lines repeated across the corpus (chrome in every document).
    by_document : dict of str to frozenset of str
        Per document id: its site's chrome lines (documents of sites without any are left out).
    """

    corpus: frozenset[str] = frozenset()
    by_document: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def of(self, doc_id: str) -> Container[str]:
        """The lines that are chrome in document ``doc_id``."""
        site = self.by_document.get(doc_id)
        return _Either(self.corpus, site) if site else self.corpus


class _Either:
    """Lines in either of two sets (without building their union for every document)."""

    __slots__ = ("first", "second")

    def __init__(self, first: frozenset[str], second: frozenset[str]) -> None:
        self.first, self.second = first, second

    def __contains__(self, line: object) -> bool:
        return line in self.first or line in self.second

    def __bool__(self) -> bool:
        return bool(self.first or self.second)


def site_of(doc: Document) -> str | None:
    """The site a document comes from: the host of its ``url`` (without ``www.``), else its
    ``outlet`` (case-folded), else the host of its id when the id is a URL; None if none is
    known."""
    url = doc.meta.get("url")
    host = _host(url) if isinstance(url, str) else None
    if host is None:
        outlet = doc.meta.get("outlet")
        if isinstance(outlet, str) and outlet.strip():
            return outlet.strip().casefold()
        host = _host(doc.id) if "://" in doc.id else None
    return host


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # a malformed address names no site
        return None
    return host.removeprefix("www.") if host else None


def document_lines(text: str, max_words: int | None = None) -> set[str]:
    """The normalised lines of ``text`` that can be chrome (not pieces of wrapped running
    text), with fewer than ``max_words`` spaces when given."""
    spans = line_spans(text)
    lines = {normalize(text[s:e]) for (s, e), wrapped in zip(spans, wrapped_lines(text, spans)) if not wrapped}
    return {line for line in lines if line and (max_words is None or line.count(" ") < max_words)}


def line_counts(texts: Iterable[str], max_words: int) -> Counter[str]:
    """Per short normalised line (:func:`document_lines`): the texts holding it."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(document_lines(text, max_words))
    return counts


def site_line_counts(texts: Iterable[str], sites: Iterable[str | None]) -> Counter[tuple[str, str]]:
    """Per ``(site, line)``: the documents of the site holding the line (documents with no
    site are left out)."""
    counts: Counter[tuple[str, str]] = Counter()
    for text, site in zip(texts, sites):
        if site is not None:
            counts.update((site, line) for line in document_lines(text))
    return counts


def candidate_site_lines(counts: Mapping[tuple[str, str], int], site_documents: Mapping[str, int],
                         min_documents: int) -> dict[str, str]:
    """Per line held by enough of one site's documents (``min_documents`` and
    :data:`SITE_LINE_SHARE` of the site's ``site_documents``): that site. A line that
    qualifies in two sites keeps one of them: the other's documents hold it, and
    :func:`lines_elsewhere` drops it."""
    return {line: site for (site, line), count in counts.items()
            if count >= max(min_documents, math.ceil(SITE_LINE_SHARE * site_documents[site]))}


def lines_elsewhere(texts: Iterable[str], sites: Iterable[str | None], candidates: Mapping[str, str]) -> set[str]:
    """The candidate lines (:func:`candidate_site_lines`) that a document of another site,
    or of no known site, holds too."""
    found: set[str] = set()
    for text, site in zip(texts, sites):
        found.update(line for line in document_lines(text) if line in candidates and candidates[line] != site)
    return found


def site_chrome(ids: Sequence[str], sites: Sequence[str | None], candidates: Mapping[str, str],
                elsewhere: set[str]) -> dict[str, frozenset[str]]:
    """Per document id of a site with chrome lines: those lines (one set per site, shared)."""
    per_site: dict[str, set[str]] = defaultdict(set)
    for line, site in candidates.items():
        if line not in elsewhere:
            per_site[site].add(line)
    frozen = {site: frozenset(lines) for site, lines in per_site.items()}
    return {doc_id: frozen[site] for doc_id, site in zip(ids, sites) if site in frozen}


def repeated_lines(docs: list[Document], config: ScanConfig, helpers: Helpers | None = None) -> RepeatedLines:
    """The chrome lines the corpus shows (counted in chunks by ``helpers``, when given)."""
    helpers = helpers or Helpers(1)
    chunks = chunked(range(len(docs)), helpers.jobs, most=2048, least=256)
    counts: Counter[str] = Counter()
    for part in helpers.map(_chunk_line_counts, (docs, config.repeated_line_words), chunks):
        counts.update(part)
    corpus = frozenset(line for line, count in counts.items() if count >= config.repeated_line_docs)
    sites = [site_of(doc) for doc in docs]
    members: dict[str, list[int]] = defaultdict(list)
    for k, site in enumerate(sites):
        if site is not None:
            members[site].append(k)
    crowded = [indices for indices in members.values() if len(indices) >= config.repeated_line_docs]
    # Each site's lines are counted on its own documents, a chunk of sites at a time.
    candidates: dict[str, str] = {}
    for found in helpers.map(_sites_candidates, (docs, sites, config.repeated_line_docs),
                             chunked(crowded, helpers.jobs, most=256, least=16)):
        candidates.update(found)
    if not candidates:
        return RepeatedLines(corpus)
    elsewhere: set[str] = set()
    for found in helpers.map(_chunk_elsewhere, (docs, sites, candidates), chunks):
        elsewhere |= found
    return RepeatedLines(corpus, site_chrome([doc.id for doc in docs], sites, candidates, elsewhere))


def _chunk_line_counts(shared: tuple[list[Document], int], indices: range) -> Counter[str]:
    docs, max_words = shared
    return line_counts((docs[k].text for k in indices), max_words)


def _sites_candidates(shared: tuple[list[Document], list[str | None], int], sites: list[list[int]]) -> dict[str, str]:
    docs, site_names, min_documents = shared
    members = [k for indices in sites for k in indices]
    counts = site_line_counts((docs[k].text for k in members), (site_names[k] for k in members))
    return candidate_site_lines(counts, {site_names[indices[0]]: len(indices) for indices in sites}, min_documents)


def _chunk_elsewhere(shared: tuple[list[Document], list[str | None], dict[str, str]], indices: range) -> set[str]:
    docs, sites, candidates = shared
    return lines_elsewhere((docs[k].text for k in indices), (sites[k] for k in indices), candidates)
