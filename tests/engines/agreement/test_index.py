"""The persistent index agrees with the scan, with itself on SQLite and Redis, and with itself
with or without helper processes."""

import numpy as np
import pytest

from dedup import Document, ParameterError, read_documents, scan
from dedup.engines.index.core import Index
from dedup.engines.index.settings import IndexSettings
from dedup.sketch.fingerprinter import Fingerprinter
from tests.conftest import PLANTED, SEEDS, news_stream


@pytest.fixture(params=["sqlite", "redis"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    return request.getfixturevalue("redis_url")


def test_decisions_agree_with_the_scan():
    docs, _ = read_documents([SEEDS, PLANTED])
    report = scan(docs, paraphrase=False)
    with Index(":memory:") as index:
        decisions = index.check_and_add(docs)
    found = {tuple(sorted((d.id, m.doc))) for d in decisions for m in d.matches if m.similarity >= 0.8}
    assert found == {tuple(sorted(d.documents)) for d in report.duplicates}
    reused = {tuple(sorted((d.id, m.doc))) for d in decisions for m in d.matches
              if any(p.kind == "copy" for p in m.passages)}
    scanned = {tuple(sorted((p.a.doc, p.b.doc))) for p in report.passages if p.kind == "copy" and p.a.doc != p.b.doc}
    # The index finds copied passages through anchors (grams of two shingles), so only
    # those with a verbatim run of at least anchor_window grams are sure to be found; every
    # such pair must be.
    assert reused <= scanned
    texts = {d.id: d.text for d in docs}
    settings = index.settings
    for a, b in scanned - reused:
        assert _longest_shared_run(texts[a], texts[b]) - settings.shingle < settings.anchor_window, (a, b)
    assert len(reused) >= len(scanned) - 3


def _longest_shared_run(a: str, b: str) -> int:
    """The longest run of consecutive valid shingles of ``a`` that are all shingles of ``b``."""
    (hashes_a, valid_a), (hashes_b, valid_b) = Fingerprinter.of(IndexSettings()).sequences([a, b])
    inside = valid_a & np.isin(hashes_a, hashes_b[valid_b])
    longest = run = 0
    for flag in inside.tolist():
        run = run + 1 if flag else 0
        longest = max(longest, run)
    return longest


def test_sqlite_and_redis_give_identical_decisions(tmp_path, redis_url):
    docs = [Document(p.id, p.text) for p in news_stream(200)]
    results = []
    for location in (str(tmp_path / "a.db"), redis_url):
        with Index(location) as index:
            results.append([d.to_dict() for k in range(0, 200, 64) for d in index.check_and_add(docs[k:k + 64])])
    assert results[0] == results[1]
    assert {d["decision"] for d in results[0]} == {"unique", "duplicate", "reuses"}


def test_a_stream_with_helper_processes_decides_as_one_process(tmp_path):
    docs = [Document(p.id, p.text) for p in news_stream(160)]
    results = []
    for jobs in (1, 2):
        with Index(str(tmp_path / f"jobs{jobs}.db")) as index:
            batches = list(index.stream(iter(docs), batch_size=64, jobs=jobs))
            assert [len(b) for b in batches] == [64, 64, 32]
            results.append([d.to_dict() for batch in batches for d in batch])
            assert index.stats()["documents"] == 160
            # Checking copies of the first documents (nothing added) finds each one's original.
            copies = [Document(d.id + "-copy", d.text) for d in docs[:60]]
            again = [d for batch in index.stream(copies, add=False, batch_size=30, jobs=jobs) for d in batch]
            assert [d.decision for d in again] == ["duplicate"] * 60
            assert all(d.id == c.id and c.id[:-5] in [m.doc for m in d.matches] for d, c in zip(again, copies))
            assert index.stats()["documents"] == 160
    assert results[0] == results[1]
    assert [d["id"] for d in results[0]] == [d.id for d in docs]
    assert {"unique", "duplicate", "reuses"} <= {d["decision"] for d in results[0]}
    with Index(str(tmp_path / "jobs1.db")) as index, pytest.raises(ParameterError, match="'batch_size'"):
        next(index.stream(docs, batch_size=0))
