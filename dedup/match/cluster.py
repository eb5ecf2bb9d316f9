"""Union-find, to turn verified near-duplicate pairs into clusters."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

__all__ = ["UnionFind"]


class UnionFind:
    """Disjoint sets with path halving and union by size.

    Examples
    --------
    >>> sets = UnionFind()
    >>> sets.union("a", "b"); sets.union("c", "d"); sets.union("b", "a")
    >>> sets.groups()
    [['a', 'b'], ['c', 'd']]
    """

    def __init__(self, items: Iterable[Hashable] = ()) -> None:
        self._parent: dict[Hashable, Hashable] = {}
        self._size: dict[Hashable, int] = {}
        for item in items:
            self.add(item)

    def add(self, item: Hashable) -> None:
        """Add ``item`` as a set of its own (no-op when present)."""
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1

    def find(self, item: Hashable) -> Hashable:
        """Return the representative of the set holding ``item``."""
        self.add(item)
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: Hashable, b: Hashable) -> None:
        """Merge the sets holding ``a`` and ``b``."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        if self._size[root_a] < self._size[root_b]:
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        self._size[root_a] += self._size[root_b]

    def groups(self, min_size: int = 1) -> list[list]:
        """Return the sets with at least ``min_size`` members, each sorted, in sorted order."""
        members: dict[Hashable, list] = {}
        for item in self._parent:
            members.setdefault(self.find(item), []).append(item)
        return sorted(sorted(group) for group in members.values() if len(group) >= min_size)
