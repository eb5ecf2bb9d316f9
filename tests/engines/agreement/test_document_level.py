"""The document level gives the full scan's near-duplicates, clusters and summaries, with or
without helper processes."""

import pytest

from dedup import Document, scan
from dedup.engines.document import near_duplicates
from tests.conftest import news_stream


@pytest.fixture(scope="module")
def stream_docs():
    return [Document(d.id, d.text) for d in news_stream(400)]


def test_same_duplicates_clusters_and_summaries_as_the_scan(stream_docs):
    report = near_duplicates(stream_docs)
    full = scan(stream_docs, paraphrase=False)
    assert len(report.duplicates) > 10
    assert report.duplicates == full.duplicates
    assert report.clusters == full.clusters
    assert [d.to_dict() for d in report.documents] == [d.to_dict() for d in full.documents]
    assert report.passages == [] and report.attribution == []
    assert report.parameters["level"] == "document"


def test_helper_processes_give_the_same_report(stream_docs):
    one = near_duplicates(stream_docs, batch_size=64)
    two = near_duplicates(iter(stream_docs), jobs=2, batch_size=64)  # any iterable, read once
    assert one.to_dict() == two.to_dict()
