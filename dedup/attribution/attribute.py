"""Who took from whom: a verdict per document, with sources and evidence.

Inputs are the verified passages (quotes are not evidence of reuse), each document's
citations and publication date. For every pair of documents that share copied or
paraphrased passages, the direction is voted on:

- a document citing the other's URL or outlet took from it (weight 3);
- the earlier publication is the original (weight 2 from metadata, 1 when inferred);
- containment: the copy is mostly reused text (at least half of it), the original carries
  the passage in a larger context (weight 1 when the shares of reused text differ by 0.2
  or more).

A document that names its source (``Source: CNN``, a wire credit or dateline, a byline, a
link given as the source, ``via AFP``) is derived from that outlet. When two documents
share text and one of them is derived from an outside outlet while the pair's direction
is undecided, both took from that outlet (a common source), not from each other; a member
of a group carrying one text (a wire story in many outlets, aligned against the group's
representative) whose direction is undecided took it from the representative when others
in the group cite it. Chains
are followed: a rewrite of a copy of CNN is derived, ultimately, from CNN. A document
others derive from, and that derives from nothing, is an ``original``; one with no reuse
either way is ``independent``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dedup.attribution.citations import Citation, default_outlets, find_citations, resolve_host
from dedup.attribution.dates import PublicationDate, publication_date
from dedup.records import Document, Passage

__all__ = ["AttributionInput", "CarriedText", "attribute", "credits", "reused_spans", "union_length"]

# Citation forms by which a document names its own source.
_SOURCE_FORMS = {"source": 0.9, "credit": 0.9, "byline": 0.85, "via": 0.8}
_CITES_OTHER_WEIGHT = 3
_CONTAINMENT_GAP = 0.2
# Containment votes only when the would-be copy is mostly shared text ("little else").
_COPY_SHARE = 0.5
# A member of a group carrying one text, taking it from the representative others cite.
_GROUP_CONFIDENCE = 0.6


@dataclass
class AttributionInput:
    """What attribution knows of one document."""

    id: str
    chars: int
    url: str | None = None
    outlet: str | None = None
    published: PublicationDate | None = None
    citations: list[Citation] = field(default_factory=list)


@dataclass(frozen=True)
class CarriedText:
    """The group of documents carrying one text that a document is a member of (see
    :mod:`dedup.match.groups`): its representative's id, how many of the group cite the
    representative, and the group's size (the representative included)."""

    representative: str
    cited_by: int
    documents: int


@dataclass
class _Source:
    doc: str | None
    outlet: str | None
    url: str | None
    confidence: float
    evidence: list[str]

    def to_dict(self) -> dict:
        return {"doc": self.doc, "outlet": self.outlet, "url": self.url,
                "confidence": round(self.confidence, 2), "evidence": list(self.evidence)}


def reused_spans(passages: list[Passage]) -> dict[str, list[tuple[int, int]]]:
    """The spans of each document that are reused text: its sides of the copy and
    paraphrase passages it shares with another document (quotes are not reuse)."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for p in passages:
        if p.kind != "quote" and p.a.doc != p.b.doc:
            spans[p.a.doc].append((p.a.start, p.a.end))
            spans[p.b.doc].append((p.b.start, p.b.end))
    return spans


def union_length(spans: list[tuple[int, int]]) -> int:
    """Characters covered by the union of half-open spans.

    >>> union_length([(0, 10), (5, 20), (30, 31)])
    21
    """
    total, reach = 0, -1
    for start, end in sorted(spans):
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def _own_sources(doc: AttributionInput) -> list[_Source]:
    """Outside outlets a document names as its source."""
    found: dict[str, _Source] = {}
    own = doc.outlet or _outlet_of_url(doc.url)
    for citation in doc.citations:
        confidence = _SOURCE_FORMS.get(citation.form)
        if confidence is None or citation.outlet == own:
            continue
        how = f"names {citation.outlet} as its source ({citation.form}: “{citation.url or citation.outlet}” at {citation.start})"
        source = found.setdefault(citation.outlet, _Source(None, citation.outlet, citation.url, confidence, []))
        source.confidence = max(source.confidence, confidence)
        source.url = source.url or citation.url
        source.evidence.append(how)
    return list(found.values())


def _outlet_of_url(url: str | None) -> str | None:
    """The outlet a page's URL belongs to (its name when listed, else its host): an
    agency's own article crediting the agency names itself, not a source."""
    host = resolve_host(url) if url else None
    return (default_outlets().for_domain(host) or host) if host else None


def _page(url: str) -> tuple[str | None, str]:
    """A URL as the page it names: resolved host and path, without a trailing slash."""
    return resolve_host(url), urlsplit(url if "://" in url else "http://" + url).path.rstrip("/")


def _cites(doc: AttributionInput, other: AttributionInput) -> Citation | None:
    """A citation in ``doc`` of ``other``'s page (URL) or outlet."""
    page = _page(other.url) if other.url else None
    for citation in doc.citations:
        if page and citation.url and page[1] and _page(citation.url) == page:
            return citation
        if other.outlet and citation.outlet == other.outlet:
            return citation
    return None


def credits(doc: AttributionInput, other: AttributionInput) -> bool:
    """Whether ``doc`` cites ``other``'s page or outlet, or names as its source the outlet
    whose own article ``other`` is (a copy crediting AFP, and AFP's article)."""
    if _cites(doc, other):
        return True
    own = other.outlet or _outlet_of_url(other.url)
    return bool(own) and any(source.outlet == own for source in _own_sources(doc))


def _direction(
    a: AttributionInput, b: AttributionInput, share_a: float, share_b: float
) -> tuple[int, list[str], bool]:
    """Votes that ``a`` took from ``b`` (positive) or ``b`` from ``a`` (negative), the
    reasons, and whether a citation or a date took part (not containment alone)."""
    score, reasons = 0, []
    for x, y, sign in ((a, b, 1), (b, a, -1)):
        citation = _cites(x, y)
        if citation:
            score += sign * _CITES_OTHER_WEIGHT
            reasons.append(f"{x.id} cites {y.id} (“{citation.url or citation.outlet}” at {citation.start})")
    if a.published and b.published and a.published.value != b.published.value:
        weight = 1 if (a.published.inferred or b.published.inferred) else 2
        later, earlier = (a, b) if a.published.value > b.published.value else (b, a)
        score += weight if later is a else -weight
        how = "inferred from the text" if weight == 1 else "from metadata"
        reasons.append(f"{later.id} was published {later.published.value}, after {earlier.id} "
                       f"({earlier.published.value}; dates {how})")
    strong = bool(reasons)
    if abs(share_a - share_b) >= _CONTAINMENT_GAP and max(share_a, share_b) >= _COPY_SHARE:
        copy, original, share_copy, share_original = (a, b, share_a, share_b) if share_a > share_b else (b, a, share_b, share_a)
        score += 1 if copy is a else -1
        reasons.append(f"{share_copy:.0%} of {copy.id} is text shared with {original.id}, "
                       f"which carries it among other text ({share_original:.0%} shared)")
    return score, reasons, strong


def attribute(documents: list[AttributionInput], passages: list[Passage],
              carried: Mapping[str, CarriedText] | None = None) -> list[dict]:
    """Return the schema-1 ``attribution`` entries, one per document, in input order.

    Parameters
    ----------
    documents : list of AttributionInput
    passages : list of Passage
        Verified passages; quotes and repeats inside one document are ignored.
    carried : mapping of str to CarriedText, optional
        The group each member of a group carrying one text is in (by member id). A member
        whose direction against the representative is undecided took the text from it when
        others in the group cite the representative (its members were aligned against the
        representative only, not against the siblings that cite it).
    """
    carried = carried or {}
    by_id = {doc.id: doc for doc in documents}
    spans: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in passages:
        if p.kind == "quote" or p.a.doc == p.b.doc:
            continue
        key = tuple(sorted((p.a.doc, p.b.doc)))
        spans[key][p.a.doc].append((p.a.start, p.a.end))
        spans[key][p.b.doc].append((p.b.start, p.b.end))
        counts[key][p.kind] += 1

    outside = {doc.id: _own_sources(doc) for doc in documents}
    inside: dict[str, list[_Source]] = defaultdict(list)
    undecided: list[tuple[str, str, str]] = []
    for (a_id, b_id), sides in sorted(spans.items()):
        a, b = by_id[a_id], by_id[b_id]
        share_a = union_length(sides[a_id]) / max(a.chars, 1)
        share_b = union_length(sides[b_id]) / max(b.chars, 1)
        shared = ", ".join(f"{n} {kind} passage{'s' if n > 1 else ''}" for kind, n in sorted(counts[(a_id, b_id)].items()))
        score, reasons, strong = _direction(a, b, share_a, share_b)
        if score == 0 or (not strong and (outside[a_id] or outside[b_id])):
            # Containment alone does not outweigh a named outside source: the shared text
            # came from that outlet, and the other document may have it from there too.
            undecided.append((a_id, b_id, shared))
            continue
        copy, original = (a, b) if score > 0 else (b, a)
        confidence = min(0.95, 0.5 + 0.1 * abs(score))
        evidence = [f"shares {shared} with {original.id}"] + reasons
        inside[copy.id].append(_Source(original.id, None, None, confidence, evidence))

    # Undecided pairs where one side names as its source the outlet whose own article the
    # other is: it has the text from that article. Else, where one side took from an outside
    # outlet: both took from it.
    own_outlet = {doc.id: doc.outlet or _outlet_of_url(doc.url) for doc in documents}
    for a_id, b_id, shared in undecided:
        for x, y in ((a_id, b_id), (b_id, a_id)):
            credit = next((root for root in outside[y] if own_outlet[x] and root.outlet == own_outlet[x]), None)
            if credit is not None:
                inside[y].append(_Source(x, None, None, credit.confidence, [
                    f"shares {shared} with {x}, an article of {credit.outlet}, and " + credit.evidence[0]]))
                break
            group = carried.get(y)
            if group is not None and group.representative == x and group.cited_by:
                inside[y].append(_Source(x, None, None, _GROUP_CONFIDENCE, [
                    f"shares {shared} with {x}, the representative of {group.documents} documents carrying one "
                    f"text, {group.cited_by} of which cite it"]))
                break
            if outside[y] and not outside[x] and not inside[x]:
                for root in outside[y]:
                    outside[x].append(_Source(None, root.outlet, root.url, min(root.confidence, 0.7), [
                        f"shares {shared} with {y}, which " + root.evidence[0]]))

    outlet_of = {doc.id: doc.outlet or (default_outlets().for_domain(resolve_host(doc.url) or "") if doc.url else None)
                 for doc in documents}
    sources_of_others = {s.doc for found in inside.values() for s in found}
    return [_verdict(doc.id, inside, outside, outlet_of, sources_of_others) for doc in documents]


def _ultimate(doc_id: str, inside: dict, outside: dict, seen: set[str]) -> list[_Source]:
    """Outside outlets reached by following in-corpus sources (a copy of a copy of CNN)."""
    found = []
    for source in inside.get(doc_id, []):
        if source.doc in seen:
            continue
        seen.add(source.doc)
        for root in outside.get(source.doc, []) + _ultimate(source.doc, inside, outside, seen):
            found.append(_Source(None, root.outlet, root.url, min(root.confidence, source.confidence),
                                 [f"through {source.doc}: " + root.evidence[0]]))
    return found


def _ancestors(doc_id: str, inside: dict, seen: set[str]) -> list[str]:
    found = []
    for source in inside.get(doc_id, []):
        if source.doc not in seen:
            seen.add(source.doc)
            found += [source.doc] + _ancestors(source.doc, inside, seen)
    return found


def _verdict(doc_id: str, inside: dict, outside: dict, outlet_of: dict, sources_of_others: set[str]) -> dict:
    candidates = inside.get(doc_id, [])
    ancestors = {s.doc: _ancestors(s.doc, inside, {doc_id}) for s in candidates}
    # Of the documents this one shares text with, keep those not themselves derived from
    # another of them: siblings copied from one original share text too.
    direct = [
        s for s in candidates
        if not any(o.doc != s.doc and o.doc in ancestors[s.doc] for o in candidates)
    ]
    # An outlet whose own article is in the corpus is cited through that document.
    in_corpus = {outlet_of.get(s.doc) for s in direct} | {outlet_of.get(a) for s in direct for a in ancestors[s.doc]}
    sources = direct + [s for s in outside.get(doc_id, []) if s.outlet not in in_corpus]
    known = {s.outlet for s in sources if s.outlet} | in_corpus
    for root in _ultimate(doc_id, inside, outside, {doc_id}):
        if root.outlet not in known:
            known.add(root.outlet)
            sources.append(root)
    if sources:
        return {"doc": doc_id, "verdict": "derived", "sources": [s.to_dict() for s in sources]}
    return {"doc": doc_id, "verdict": "original" if doc_id in sources_of_others else "independent", "sources": []}


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
