"""Groups carrying one text: found before alignment, each member aligned against the
representative, pairs of members only where they share more than it holds."""

import json

import numpy as np
import pytest

from dedup import Document, render, scan
from dedup.attribution.attribute import AttributionInput
from dedup.attribution.citations import find_citations
from dedup.match.groups import carrying_pairs, find_groups, member_pairs, pairs_to_align
from tests.conftest import ROOT


def facts(*chars, **more):
    return [AttributionInput(str(k), n, **more) for k, n in enumerate(chars)]


def star(count):
    """Pairs of ``count`` documents that all carry one text."""
    return [(i, j) for i in range(count) for j in range(i + 1, count)]


def test_the_representative_is_the_cited_then_the_earliest_then_the_longest():
    longest = find_groups(star(5), facts(10, 50, 20, 30, 40), 5)
    assert [(g.representative, g.members, g.basis) for g in longest] == [(1, (0, 2, 3, 4), "longest")]

    dated = facts(10, 50, 20, 30, 40)
    from dedup.attribution.dates import PublicationDate
    dated[3].published = PublicationDate("2024-01-01", inferred=False)
    dated[0].published = PublicationDate("2024-03-01", inferred=False)
    assert find_groups(star(5), dated, 5)[0].representative == 3

    cited = facts(10, 50, 20, 30, 40)
    cited[2].url = "https://www.reuters.com/world/story"
    for k in (0, 4):
        cited[k].citations = find_citations("Reporting by the desk. (Reuters) - The talks ended.")
    group = find_groups(star(5), cited, 5)[0]
    assert (group.representative, group.basis, group.cited_by) == (2, "cited", 2)


def test_fewer_documents_than_min_group_make_no_group_and_a_member_joins_one_group():
    assert find_groups(star(4), facts(1, 2, 3, 4), 5) == []
    # 0-4 carry one text, 4-8 another: document 4, in both, goes to the first group found.
    pairs = star(5) + [(i + 4, j + 4) for i, j in star(5)]
    groups = find_groups(pairs, facts(9, 1, 1, 1, 1, 1, 1, 1, 8), 4)
    assert [(g.representative, g.members) for g in groups] == [(0, (1, 2, 3, 4)), (8, (5, 6, 7))]


def test_member_pairs_are_dropped_unless_they_share_text_beyond_the_representative():
    representative = np.arange(100, dtype=np.uint64)
    sets = [representative] + [representative[:80] + 0 for _ in range(4)]
    sets[1] = np.union1d(sets[1], np.arange(500, 520, dtype=np.uint64))  # 1 and 2 share a paragraph
    sets[2] = np.union1d(sets[2], np.arange(500, 520, dtype=np.uint64))  # the representative lacks
    pairs = star(5)
    assert carrying_pairs(pairs, sets, 4, 4) == pairs
    groups = find_groups(pairs, facts(100, 90, 90, 80, 80), 5)
    assert [(g.representative, g.members) for g in groups] == [(0, (1, 2, 3, 4))]
    assert len(list(member_pairs(pairs, groups))) == 6
    assert pairs_to_align(pairs, groups, sets, 4) == [(0, 1), (0, 2), (0, 3), (0, 4), (1, 2)]


@pytest.fixture(scope="module")
def syndication():
    """The syndication fixture (real CNN text: an original and five copies of it) with two
    of the copies also carrying a paragraph of another story, which the original lacks."""
    docs = [json.loads(line) for line in (ROOT / "fixtures" / "syndication.jsonl").read_text("utf-8").splitlines()]
    paragraph = " ".join((ROOT / "fixtures" / "planted_src" / "library.txt").read_text("utf-8").splitlines()[1:4])
    for doc in docs:
        if doc["id"] in ("full-copy-credited", "copy-no-date-no-credit"):
            doc["text"] += "\n\n" + paragraph
    return [Document(d.pop("id"), d.pop("text"), d) for d in docs]


def test_a_wire_story_in_many_documents_is_aligned_against_its_group(syndication):
    grouped, every = scan(syndication, min_group=5), scan(syndication, min_group=5, all_pairs=True)
    assert grouped.parameters["all_pairs"] is False and every.parameters["all_pairs"] is True
    assert grouped.groups == every.groups
    [group] = grouped.groups
    assert group["representative"] == "cnn-original" and group["basis"] == "cited"
    members = {m["doc"]: m["share"] for m in group["members"]}
    assert set(members) == {"full-copy-credited", "trimmed-copy-linked", "copy-in-site-chrome",
                            "copy-no-date-no-credit", "late-partial-copy"}
    assert all(0.5 < share <= 1 for share in members.values())

    def linked(report):
        return {tuple(sorted((p.a.doc, p.b.doc))) for p in report.passages if p.a.doc != p.b.doc}

    in_group = set(members) | {"cnn-original"}
    between_members = {pair for pair in linked(every) if set(pair) <= set(members)}
    assert len(between_members) >= 8
    # Of the pairs of members, only the one sharing the paragraph the original lacks is aligned.
    assert {pair for pair in linked(grouped) if set(pair) <= set(members)} == {
        ("copy-no-date-no-credit", "full-copy-credited")}
    assert linked(grouped) - linked(every) == set()
    assert {pair for pair in linked(every) if not set(pair) <= in_group} <= linked(grouped)
    # Every member is derived, from the original among its sources.
    verdicts = {e["doc"]: e for e in grouped.attribution}
    for member in members:
        assert verdicts[member]["verdict"] == "derived"
        assert "cnn-original" in {s["doc"] for s in verdicts[member]["sources"]}
    assert verdicts["cnn-original"]["verdict"] == "original"
    assert scan(syndication, min_group=5, jobs=2).to_dict() == grouped.to_dict()
    # By default (ten documents) the six are no group: every pair is aligned.
    assert scan(syndication).groups == [] and len(scan(syndication).passages) == len(every.passages)


def test_groups_in_every_format(syndication):
    report = scan(syndication, min_group=5)
    lines = [json.loads(line) for line in render(report, "jsonl").splitlines()]
    assert [line for line in lines if line["type"] == "group"] == [{"type": "group", **g} for g in report.groups]
    rows = [row for row in render(report, "csv").splitlines() if row.startswith("group,")]
    assert len(rows) == 5 and all(row.startswith("group,cited,") and ",cnn-original," in row for row in rows)
    assert "Groups carrying one text" in render(report, "table")
    assert json.loads(render(report, "json"))["groups"] == report.groups


def test_min_group_above_the_copies_aligns_every_pair(syndication):
    report = scan(syndication, min_group=7)
    assert report.groups == []
    assert {(p.a.doc, p.b.doc) for p in report.passages} == {(p.a.doc, p.b.doc) for p in
                                                             scan(syndication, min_group=5, all_pairs=True).passages}


def test_members_carrying_the_same_text_of_the_representative_are_related(syndication):
    from dedup.report.assemble import pairs_through_groups

    grouped, every = scan(syndication, min_group=5), scan(syndication, min_group=5, all_pairs=True)
    members = {m["doc"] for m in grouped.groups[0]["members"]}
    related = pairs_through_groups(grouped.groups, grouped.passages)
    aligned = {tuple(sorted((p.a.doc, p.b.doc))) for p in every.passages
               if p.kind != "quote" and p.a.doc != p.b.doc and {p.a.doc, p.b.doc} <= members}
    # Every pair of copies linked when all pairs are aligned is related through the group.
    assert aligned and aligned <= related
