from dedup import Document, Duplicate, Passage, Side
from dedup.report.assemble import (
    clusters_of,
    ordered_clusters,
    sort_passages,
    summarize,
    with_capped,
)


def test_clusters_are_ordered_by_their_ids_and_members_by_input():
    order = {"z": 0, "a": 1, "m": 2, "b": 3}
    duplicates = [Duplicate(("m", "b"), 0.9, (1.0, 1.0)), Duplicate(("z", "a"), 0.9, (1.0, 1.0))]
    assert clusters_of(duplicates, order) == [["z", "a"], ["m", "b"]]
    assert ordered_clusters([["b", "m"], ["a", "z"]], order) == [["z", "a"], ["m", "b"]]


def test_passages_are_sorted_by_document_then_start_and_keep_ties():
    order = {"x": 0, "y": 1}
    first = Passage("copy", 1.0, Side("y", 5, 9), Side("x", 0, 4))
    second = Passage("copy", 1.0, Side("x", 8, 9), Side("y", 0, 1))
    tie = Passage("quote", 0.5, Side("x", 8, 9), Side("y", 0, 1))
    assert sort_passages([first, second, tie], order) == [second, tie, first]


def test_summary_and_capped_parameters():
    text = "A title line\n\nThe body text of the story follows here."
    summary = summarize(Document("a", text, {"url": "https://example.com/a"}))
    assert (summary.id, summary.url, summary.chars, summary.title) == ("a", "https://example.com/a", len(text),
                                                                       "A title line")
    assert with_capped({"k": 1}, []) == {"k": 1}
    assert with_capped({}, [{"band_key": 1, "documents": 5}]) == {"capped_buckets": [{"band_key": 1, "documents": 5}]}
