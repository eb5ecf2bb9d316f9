"""Report assembly: the one place where a driver's findings become a :class:`Report` in
report order.

Every driver (the local scan, the document level, the Dask engine's merge) orders documents
as read, duplicates as verified, clusters and passages by these rules, and describes each
document with :func:`summarize`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from dedup.attribution.attribute import (
    AttributionInput,
    attribution_input,
    union_length,
)
from dedup.match.cluster import UnionFind
from dedup.match.groups import Group
from dedup.records import Document, Duplicate, Passage
from dedup.report.model import DocumentSummary
from dedup.text.layout import guess_title

__all__ = ["clusters_of", "group_records", "ordered_clusters", "pairs_through_groups", "sort_passages", "summarize",
           "with_capped"]


def summarize(doc: Document, facts: AttributionInput | None = None) -> DocumentSummary:
    """What the report says of one document: title, URL, publication date and citations
    (``facts``: its :func:`~dedup.attribution.attribute.attribution_input`, when already made)."""
    facts = facts or attribution_input(doc)
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


def ordered_clusters(groups: Iterable[Iterable[str]], order: Mapping[str, int]) -> list[list[str]]:
    """Clusters in report order: sorted by their sorted ids, each in input order (``order``:
    a document's position in the input).

    >>> ordered_clusters([["b", "c"], ["z", "a"]], {"z": 0, "a": 1, "b": 2, "c": 3})
    [['z', 'a'], ['b', 'c']]
    """
    return [sorted(group, key=order.get) for group in sorted(sorted(group) for group in groups)]


def clusters_of(duplicates: Iterable[Duplicate], order: Mapping[str, int]) -> list[list[str]]:
    """The clusters (connected near-duplicate pairs) of ``duplicates``, in report order."""
    sets = UnionFind()
    for duplicate in duplicates:
        sets.union(*duplicate.documents)
    return ordered_clusters(sets.groups(min_size=2), order)


def sort_passages(passages: list[Passage], order: Mapping[str, int]) -> list[Passage]:
    """``passages`` sorted in place into report order: by their documents' positions, then
    their starts (a stable sort: ties keep the order found)."""
    passages.sort(key=lambda p: (order[p.a.doc], order[p.b.doc], p.a.start, p.b.start))
    return passages


def with_capped(parameters: dict, capped: Sequence[dict]) -> dict:
    """``parameters`` with ``capped_buckets`` when some buckets were capped."""
    if capped:
        parameters["capped_buckets"] = list(capped)
    return parameters


def group_records(groups: Sequence[Group], facts: Mapping[int, AttributionInput] | Sequence[AttributionInput],
                  passages: Iterable[Passage]) -> list[dict]:
    """The report's ``groups``: each group's representative, why it was chosen, how many
    members cite it, and each member (input order) with the share of its text that it
    shares with the representative (its sides of their copy and paraphrase passages);
    ``facts``: each document's, by number."""
    sides = _member_sides({(facts[m].id, facts[g.representative].id) for g in groups for m in g.members}, passages)
    return [{"representative": facts[g.representative].id, "basis": g.basis, "cited_by": g.cited_by,
             "members": [{"doc": facts[m].id,
                          "share": round(union_length(sides[facts[m].id, facts[g.representative].id][0])
                                         / max(facts[m].chars, 1), 4)} for m in g.members]}
            for g in groups]


def pairs_through_groups(groups: Iterable[dict], passages: Iterable[Passage]) -> set[tuple[str, str]]:
    """The pairs of members of one group (report ``groups`` entries) that carry some of the
    same text of their representative: their sides of it, in its copy and paraphrase
    passages with each, overlap. What a scan without ``all_pairs`` says of two members'
    relation (pairs as sorted ids)."""
    groups = list(groups)
    sides = _member_sides({(m["doc"], g["representative"]) for g in groups for m in g["members"]}, passages)
    found = set()
    for g in groups:
        spans = [(m["doc"], _merged(sides[m["doc"], g["representative"]][1])) for m in g["members"]]
        for k, (a, a_spans) in enumerate(spans):
            for b, b_spans in spans[k + 1:]:
                if _overlap(a_spans, b_spans):
                    found.add((min(a, b), max(a, b)))
    return found


def _member_sides(wanted: set[tuple[str, str]], passages: Iterable[Passage]) -> dict:
    """For each ``(member, representative)`` of ``wanted``: the spans of the member and of
    the representative in their copy and paraphrase passages."""
    sides: dict[tuple[str, str], tuple[list, list]] = defaultdict(lambda: ([], []))
    for p in passages:
        if p.kind == "quote":
            continue
        for side, other in ((p.a, p.b), (p.b, p.a)):
            if (side.doc, other.doc) in wanted:
                mine, theirs = sides[side.doc, other.doc]
                mine.append((side.start, side.end))
                theirs.append((other.start, other.end))
    return sides


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    """Whether two sorted lists of disjoint spans overlap."""
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i][0] < b[j][1] and b[j][0] < a[i][1]:
            return True
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return False
