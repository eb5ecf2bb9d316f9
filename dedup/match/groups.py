"""Groups of documents carrying one text (a wire story in dozens of outlets), found before
alignment so that each member is aligned against the group's representative, not against
every other member.

A dense news corpus holds the same story in many outlets; aligning every pair of its
copies costs the square of their number, and tells little more than aligning each copy
against one of them. Among the candidate pairs, a *carrying* pair is one where most of the
smaller document's shingles are in the other (:data:`CARRIES`). Documents are taken in
order of rank (the one most of its carrying neighbours cite first, then the earliest
published, then the longest): each one not yet in a group, with at least ``min_size - 1``
carrying neighbours not yet in a group, becomes a group's representative with them as its
members. A pair of members is then aligned only when it shares text that the
representative does not hold (:func:`pairs_to_align`), so that nothing two members share
beyond the group's text is lost; the pairs they share through it are the ones
``--all-pairs`` aligns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.attribution.attribute import CarriedText
from dedup.records import Document

__all__ = ["CARRIES", "Group", "carried_texts", "carrying_pairs", "find_groups", "pairs_to_align"]

# A pair carries one text when at least this share of the smaller document's shingles are
# in the other.
CARRIES = 0.5


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


def carrying_pairs(pairs: Sequence[tuple[int, int]], shingle_sets: Sequence[np.ndarray], min_degree: int,
                   min_shared: int) -> list[tuple[int, int]]:
    """The candidate ``pairs`` that carry one text (see :data:`CARRIES`), among those with
    a document in at least ``min_degree`` candidate pairs (the representative of a group of
    ``min_degree + 1`` is); ``min_shared``: the fewest shared shingles that count.

    >>> sets = [np.array([1, 2, 3, 4]), np.array([1, 2, 3, 9]), np.array([7, 8, 9])]
    >>> carrying_pairs([(0, 1), (0, 2), (1, 2)], sets, min_degree=1, min_shared=1)
    [(0, 1)]
    """
    degree = np.bincount(np.asarray(pairs, dtype=np.int64).ravel(), minlength=len(shingle_sets)) if pairs else []
    found = []
    for i, j in pairs:
        if degree[i] < min_degree and degree[j] < min_degree:
            continue
        shared = len(np.intersect1d(shingle_sets[i], shingle_sets[j], assume_unique=True))
        if shared >= max(min_shared, CARRIES * min(len(shingle_sets[i]), len(shingle_sets[j]))):
            found.append((i, j))
    return found


def find_groups(carrying: Sequence[tuple[int, int]], count: int, min_size: int,
                cites: Callable[[int, int], bool], published: Sequence[str | None],
                chars: Sequence[int]) -> list[Group]:
    """Groups of at least ``min_size`` documents joined to their representative by
    ``carrying`` pairs (see the module's docstring), in order of representative.

    Parameters
    ----------
    carrying : sequence of (int, int)
        Pairs that carry one text (:func:`carrying_pairs`).
    count : int
        Documents in the corpus.
    min_size : int
        Fewest documents, the representative included, that make a group.
    cites : callable
        ``cites(i, j)``: whether document ``i`` cites document ``j`` (its page or outlet).
    published : sequence of str or None
        Each document's publication date (ISO, comparable as text), or None.
    chars : sequence of int
        Each document's length.

    >>> carrying = [(0, 1), (0, 2), (1, 2), (3, 4)]
    >>> find_groups(carrying, 5, 3, lambda i, j: False, [None] * 5, [10, 30, 20, 5, 5])
    [Group(representative=1, members=(0, 2), basis='longest')]
    """
    neighbours: list[list[int]] = [[] for _ in range(count)]
    for i, j in carrying:
        neighbours[i].append(j)
        neighbours[j].append(i)
    hubs = [k for k in range(count) if len(neighbours[k]) >= min_size - 1]
    cited_by = {k: sum(cites(n, k) for n in neighbours[k]) for k in hubs}
    hubs.sort(key=lambda k: (-cited_by[k], published[k] is None, published[k] or "", -chars[k], k))
    grouped = np.zeros(count, dtype=bool)
    groups = []
    for k in hubs:
        if grouped[k]:
            continue
        members = sorted(n for n in neighbours[k] if not grouped[n])
        if len(members) + 1 < min_size:
            continue
        grouped[k] = True
        grouped[members] = True
        basis = "cited" if cited_by[k] else "earliest" if published[k] is not None else "longest"
        groups.append(Group(k, tuple(members), basis, sum(cites(m, k) for m in members)))
    return sorted(groups, key=lambda g: g.representative)


def pairs_to_align(pairs: Sequence[tuple[int, int]], groups: Sequence[Group],
                   shingle_sets: Sequence[np.ndarray], min_shared: int) -> list[tuple[int, int]]:
    """``pairs`` without those of two members of one group that share fewer than
    ``min_shared`` shingles besides the ones their representative holds (their shared
    text is the group's, aligned against the representative)."""
    group_of: dict[int, Group] = {m: g for g in groups for m in g.members}
    kept = []
    for i, j in pairs:
        group = group_of.get(i)
        if group is not None and group_of.get(j) is group:
            shared = np.intersect1d(shingle_sets[i], shingle_sets[j], assume_unique=True)
            beyond = np.setdiff1d(shared, shingle_sets[group.representative], assume_unique=True)
            if len(beyond) < min_shared:
                continue
        kept.append((i, j))
    return kept


def carried_texts(groups: Sequence[Group], docs: Sequence[Document]) -> dict[str, CarriedText]:
    """What attribution knows of the groups: each member's group, by the member's id."""
    return {docs[m].id: CarriedText(docs[g.representative].id, g.cited_by, len(g.members) + 1)
            for g in groups for m in g.members}
