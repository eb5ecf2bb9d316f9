"""Site chrome across a corpus: short lines that many documents repeat (a site's menus,
footers, share prompts) are chrome in every document that holds them, whatever the bundled
patterns say. The local scan counts them over the whole corpus, the Dask engine per part,
then sums.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from dedup.helpers import Helpers, chunked
from dedup.records import Document
from dedup.settings import ScanConfig
from dedup.text.layout import line_spans, normalize, wrapped_lines

__all__ = ["line_counts", "repeated_lines"]


def repeated_lines(docs: list[Document], config: ScanConfig, helpers: Helpers | None = None) -> frozenset[str]:
    """Short normalised lines found in ``repeated_line_docs`` or more documents (counted in
    chunks of documents by ``helpers``, when given)."""
    helpers = helpers or Helpers(1)
    counts: Counter[str] = Counter()
    for part in helpers.map(_chunk_line_counts, (docs, config.repeated_line_words),
                            chunked(range(len(docs)), helpers.jobs, most=2048, least=256)):
        counts.update(part)
    return frozenset(line for line, count in counts.items() if count >= config.repeated_line_docs)


def _chunk_line_counts(shared: tuple[list[Document], int], indices: range) -> Counter[str]:
    docs, max_words = shared
    return line_counts((docs[k].text for k in indices), max_words)


def line_counts(texts: Iterable[str], max_words: int) -> Counter[str]:
    """Per short normalised line (fewer than ``max_words`` spaces) that is not a piece of
    wrapped running text (:func:`~dedup.text.layout.wrapped_lines`): the texts holding it."""
    counts: Counter[str] = Counter()
    for text in texts:
        spans = line_spans(text)
        lines = {normalize(text[s:e]) for (s, e), wrapped in zip(spans, wrapped_lines(text, spans)) if not wrapped}
        counts.update(line for line in lines if line and line.count(" ") < max_words)
    return counts
