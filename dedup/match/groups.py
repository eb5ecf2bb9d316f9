"""Groups of documents carrying one text (a wire story in dozens of outlets), found before
alignment so that each member is aligned against the group's representative, not against
every other member.

A dense news corpus holds the same story in many outlets; aligning every pair of its
copies costs the square of their number, and tells little more than aligning each copy
against one of them. Among the candidate pairs, a *carrying* pair is one where most of the
smaller document's shingles, and a few sentences' worth at least, are in the other
(:data:`CARRIES`, :data:`MIN_CARRIED`). Documents are taken in
order of rank (the one most of its carrying neighbours cite first, then the earliest
published, then the longest): each one not yet in a group, with at least ``min_size - 1``
carrying neighbours not yet in a group, becomes a group's representative with them as its
members. A pair of members is then aligned only when it shares text that the
representative does not hold (:func:`pairs_to_align`), so that nothing two members share
beyond the group's text is lost; the pairs they share through it are the ones
``--all-pairs`` aligns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.attribution.attribute import AttributionInput, CarriedText, credits

__all__ = ["CARRIES", "MIN_CARRIED", "Group", "carried_texts", "carries", "carrying_pairs", "find_groups", "member_pairs",
           "pairs_to_align", "shared_beyond"]

# A pair carries one text when at least this share of the smaller document's shingles are
# in the other,
CARRIES = 0.5
# and at least this many (a few sentences: a sign-off line or a tagline that many short
# documents end with is a passage they share, not a story they carry).
MIN_CARRIED = 30


@dataclass(frozen=True)
class Group:
    """Documents carrying one text: a representative and its members (positions).

    Attributes
    ----------
    representative : int
    members : tuple of int
        The other documents of the group, in input order.
    basis : str
        Why the representative was chosen: ``"cited"`` (members cite it or its outlet),
        ``"earliest"`` (the earliest published) or ``"longest"``.
    cited_by : int
        Members that cite the representative.
    """

    representative: int
    members: tuple[int, ...]
    basis: str
    cited_by: int = 0


def carries(a: np.ndarray, b: np.ndarray, min_shared: int) -> bool:
    """Whether two documents' shingle sets (sorted, distinct) carry one text: they share at
    least ``min_shared`` and :data:`MIN_CARRIED` shingles, and :data:`CARRIES` of the
    smaller set's.

    >>> story = np.arange(100)
    >>> carries(story[:60], np.concatenate([story, np.arange(500, 900)]), 4)
    True
    >>> carries(story[:20], story, 4)  # a shared line, not a story
    False
    """
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared >= max(min_shared, MIN_CARRIED, CARRIES * min(len(a), len(b)))


def shared_beyond(a: np.ndarray, b: np.ndarray, representative: np.ndarray) -> int:
    """How many shingles two members share that their representative does not hold.

    >>> shared_beyond(np.array([1, 2, 3, 8]), np.array([1, 2, 3, 8, 9]), np.array([1, 2, 3]))
    1
    """
    shared = np.intersect1d(a, b, assume_unique=True)
    return len(np.setdiff1d(shared, representative, assume_unique=True))


def carrying_pairs(pairs: Sequence[tuple[int, int]], shingle_sets: Sequence[np.ndarray], min_degree: int,
                   min_shared: int) -> list[tuple[int, int]]:
    """The candidate ``pairs`` that :func:`carries`, among those with a document in at
    least ``min_degree`` candidate pairs (the representative of a group of ``min_degree +
    1`` is).

    >>> sets = [np.arange(40), np.arange(5, 45), np.arange(100, 140)]
    >>> carrying_pairs([(0, 1), (0, 2), (1, 2)], sets, min_degree=1, min_shared=4)
    [(0, 1)]
    """
    degree = np.bincount(np.asarray(pairs, dtype=np.int64).ravel(), minlength=len(shingle_sets)) if pairs else []
    return [(i, j) for i, j in pairs if (degree[i] >= min_degree or degree[j] >= min_degree)
            and carries(shingle_sets[i], shingle_sets[j], min_shared)]


def find_groups(carrying: Iterable[tuple[int, int]], facts: Mapping[int, AttributionInput] | Sequence[AttributionInput],
                min_size: int) -> list[Group]:
    """Groups of at least ``min_size`` documents joined to their representative by
    ``carrying`` pairs (see the module's docstring), in order of representative.

    Parameters
    ----------
    carrying : iterable of (int, int)
        Pairs of documents that carry one text (:func:`carries`).
    facts : mapping or sequence of AttributionInput
        What attribution knows of each document of those pairs (its citations, date and
        length), by its number.
    min_size : int
        Fewest documents, the representative included, that make a group.

    >>> from dedup.attribution.attribute import AttributionInput
    >>> facts = [AttributionInput(str(k), chars) for k, chars in enumerate([10, 30, 20, 5, 5])]
    >>> find_groups([(0, 1), (0, 2), (1, 2), (3, 4)], facts, 3)
    [Group(representative=1, members=(0, 2), basis='longest', cited_by=0)]
    """
    neighbours: dict[int, list[int]] = defaultdict(list)
    for i, j in carrying:
        neighbours[i].append(j)
        neighbours[j].append(i)
    hubs = [k for k, found in neighbours.items() if len(found) >= min_size - 1]
    cited_by = {k: sum(credits(facts[n], facts[k]) for n in neighbours[k]) for k in hubs}

    def published(k: int) -> str | None:
        return facts[k].published.value if facts[k].published else None

    hubs.sort(key=lambda k: (-cited_by[k], published(k) is None, published(k) or "", -facts[k].chars, k))
    grouped: set[int] = set()
    groups = []
    for k in hubs:
        if k in grouped:
            continue
        members = sorted(n for n in neighbours[k] if n not in grouped)
        if len(members) + 1 < min_size:
            continue
        grouped.add(k)
        grouped.update(members)
        basis = "cited" if cited_by[k] else "earliest" if published(k) is not None else "longest"
        groups.append(Group(k, tuple(members), basis, sum(credits(facts[m], facts[k]) for m in members)))
    return sorted(groups, key=lambda g: g.representative)


def member_pairs(pairs: Iterable[tuple[int, int]], groups: Sequence[Group]) -> Iterator[tuple[int, int, int]]:
    """The pairs ``(i, j)`` of ``pairs`` whose two documents are members of one group, with
    its representative: ``(i, j, representative)``."""
    representative_of = {m: g.representative for g in groups for m in g.members}
    for i, j in pairs:
        representative = representative_of.get(i)
        if representative is not None and representative_of.get(j) == representative:
            yield i, j, representative


def pairs_to_align(pairs: Sequence[tuple[int, int]], groups: Sequence[Group],
                   shingle_sets: Sequence[np.ndarray], min_shared: int) -> list[tuple[int, int]]:
    """``pairs`` without those of two members of one group that share fewer than
    ``min_shared`` shingles besides the ones their representative holds (their shared
    text is the group's, aligned against the representative)."""
    skipped = {(i, j) for i, j, r in member_pairs(pairs, groups)
               if shared_beyond(shingle_sets[i], shingle_sets[j], shingle_sets[r]) < min_shared}
    return [pair for pair in pairs if pair not in skipped]


def carried_texts(groups: Sequence[Group], ids: Mapping[int, str] | Sequence[str]) -> dict[str, CarriedText]:
    """What attribution knows of the groups: each member's group, by the member's id
    (``ids``: each document's id by its number)."""
    return {ids[m]: CarriedText(ids[g.representative], g.cited_by, len(g.members) + 1)
            for g in groups for m in g.members}
