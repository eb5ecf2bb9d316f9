from dedup.match.cluster import UnionFind


def test_union_find_groups_transitively():
    sets = UnionFind(["e"])
    sets.union("a", "b")
    sets.union("c", "b")
    sets.union("d", "d")
    assert sets.groups() == [["a", "b", "c"], ["d"], ["e"]]
    assert sets.groups(min_size=2) == [["a", "b", "c"]]
    assert sets.find("a") == sets.find("c") != sets.find("e")
