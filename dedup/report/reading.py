"""What the views people read (the HTML page and the terminal table) lead with, worked out
once for both: the document pairs ranked by the text they share, repeats inside a document
apart, and the reuse groups (each source with the documents that carry its text)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from dedup.attribution.attribute import reused_spans, union_length
from dedup.records import Passage
from dedup.report.model import Report

__all__ = ["KINDS", "Reading", "SourceGroup", "kind_counts", "reused_chars", "share_of"]

KINDS = ("copy", "paraphrase", "quote")


@dataclass
class SourceGroup:
    """A source and the documents that carry its text.

    Attributes
    ----------
    doc : str or None
        The source document in the corpus; None for an outside outlet.
    outlet, url : str or None
        The outside outlet (and its URL) when ``doc`` is None.
    members : list of tuple
        ``(document, share of its text that is reused, confidence)``, in report order.
    """

    doc: str | None
    outlet: str | None = None
    url: str | None = None
    members: list[tuple[str, float, float]] = field(default_factory=list)


class Reading:
    """The ranked pairs and groups of one report.

    Attributes
    ----------
    by_pair : dict
        Each pair's passages, by ``(a, b)`` document ids, in report order.
    pairs : list of tuple
        Pairs of two documents, the most reused text first (copy and paraphrase; quotes
        count after, then report order).
    repeats : list of tuple
        ``(doc, doc)`` pairs: passages repeated inside one document, ranked alike.
    groups : list of SourceGroup
        Sources with what carries them, the most members first; empty when the command
        attributed nothing.
    independent : list of str
        Documents with no reuse either way (verdict ``independent``), in report order.
    """

    def __init__(self, report: Report) -> None:
        self.by_pair: dict[tuple[str, str], list[Passage]] = defaultdict(list)
        for p in report.passages:
            self.by_pair[(p.a.doc, p.b.doc)].append(p)
        quoted = {pair: sum(p.a.end - p.a.start for p in found) for pair, found in self.by_pair.items()}
        reused = {pair: reused_chars(found) for pair, found in self.by_pair.items()}
        ranked = sorted(self.by_pair, key=lambda pair: (-reused[pair], -quoted[pair]))  # sorted() is stable
        self.pairs = [pair for pair in ranked if pair[0] != pair[1]]
        self.repeats = [pair for pair in ranked if pair[0] == pair[1]]
        self.groups = _source_groups(report)
        self.independent = [e["doc"] for e in report.attribution if e["verdict"] == "independent"]


def reused_chars(passages: list[Passage], side: str = "a") -> int:
    """Characters of one side (``"a"`` or ``"b"``) in copy and paraphrase passages
    (quotes are not reuse), each counted once."""
    return union_length([(getattr(p, side).start, getattr(p, side).end) for p in passages if p.kind != "quote"])


def share_of(passages: list[Passage], side: str, chars: int | None) -> float:
    """The share of a document of ``chars`` characters that one side of ``passages`` reuses."""
    return reused_chars(passages, side) / max(chars or 0, 1)


def kind_counts(passages: list[Passage]) -> str:
    """``"2 copy, 1 quote"``: how many passages of each kind."""
    return ", ".join(f"{n} {kind}" for kind in KINDS if (n := sum(p.kind == kind for p in passages)))


def _source_groups(report: Report) -> list[SourceGroup]:
    chars = {doc.id: doc.chars for doc in report.documents}
    reused = reused_spans(report.passages)
    groups: dict[tuple, SourceGroup] = {}
    for entry in report.attribution:
        for source in entry["sources"]:
            key = ("doc", source["doc"]) if source["doc"] is not None else (
                "outlet", source["outlet"] or source["url"] or "?")
            group = groups.setdefault(key, SourceGroup(source["doc"], source.get("outlet"), source.get("url")))
            doc = entry["doc"]
            group.members.append((doc, union_length(reused.get(doc, [])) / max(chars.get(doc, 0), 1),
                                  source["confidence"]))
    return sorted(groups.values(), key=lambda g: -len(g.members))
