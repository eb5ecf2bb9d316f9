"""Site chrome across a corpus: short lines that many documents repeat (a site's menus,
footers, share prompts) are chrome in every document that holds them, whatever the bundled
patterns say. The local scan counts them over the whole corpus, the Dask engine per part,
then sums.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from dedup.records import Document
from dedup.settings import ScanConfig
from dedup.text.layout import line_spans, normalize

__all__ = ["line_counts", "repeated_lines"]


def repeated_lines(docs: list[Document], config: ScanConfig) -> frozenset[str]:
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
