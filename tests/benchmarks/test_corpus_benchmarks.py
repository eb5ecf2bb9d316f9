"""The dense syndication corpus (benchmarks/make_dense.py) and the scorers of bench_dense.py and bench_passim.py."""

import json
import sys

from tests.conftest import ROOT, SEEDS

sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_dense import score  # noqa: E402
from bench_passim import agreement  # noqa: E402
from make_dense import generate  # noqa: E402


def test_dense_corpus_has_originals_their_carriers_and_independent_articles(tmp_path):
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())]
    for k in range(10):  # long texts of real prose: the seeds, rotated
        (tmp_path / f"{k}.txt").write_text(" ".join(seeds[k % 5:] + seeds[: k % 5]), encoding="utf-8")
    records, truth = generate(prose=tmp_path, docs=16, stories=2, outlets=5, independent=2, seed=3)
    assert len(records) == len(truth) == 16 and len({r["id"] for r in records}) == 16
    kinds = [truth[r["id"]]["kind"] for r in records]
    assert kinds.count("original") == 2 and kinds.count("independent") == 2 and kinds.count("carrier") == 12
    by_id = {r["id"]: r for r in records}
    for doc_id, expected in truth.items():
        if expected["kind"] == "carrier":
            original = by_id[expected["source"]]
            assert by_id[doc_id]["published"] > original["published"]
            # A carrier carries its story: the original's second paragraph is in it, at least edited.
            second = original["text"].split("\n\n")[2]
            assert second in by_id[doc_id]["text"] or len(set(second.split()) & set(by_id[doc_id]["text"].split())) > 10
    assert generate(prose=tmp_path, docs=16, stories=2, outlets=5, independent=2, seed=3) == (records, truth)


def test_dense_score_counts_right_verdicts_per_kind():
    truth = {"o": {"kind": "original", "source": None, "outlet": "AFP"},
             "c1": {"kind": "carrier", "source": "o", "outlet": "Agence France-Presse"},
             "c2": {"kind": "carrier", "source": "o", "outlet": "Agence France-Presse"},
             "i": {"kind": "independent", "source": None, "outlet": None}}
    attribution = [{"doc": "o", "verdict": "original", "sources": []},
                   {"doc": "c1", "verdict": "derived", "sources": [{"doc": "o", "outlet": None}]},
                   {"doc": "c2", "verdict": "derived", "sources": [{"doc": None, "outlet": "Reuters"}]},
                   {"doc": "i", "verdict": "derived", "sources": [{"doc": "c1", "outlet": None}]}]
    found = score(attribution, truth)
    assert found["right"] == {"original": "1/1", "carrier": "1/2", "independent": "0/1"}
    assert found["wrong"] == ["c2", "i"]


def test_passim_agreement_counts_pairs_within_clusters(tmp_path):
    path = tmp_path / "passages.jsonl"
    records = [("a", 1), ("b", 1), ("c", 1), ("d", 2), ("e", 2), ("f", 3)]
    path.write_text("".join(json.dumps({"id": i, "text": f"text {i}", "cluster": c}) + "\n" for i, c in records),
                    encoding="utf-8")
    figures = agreement(path, [["a", "b"], ["d", "e"], ["a", "f"]])
    assert figures["truth_pairs"] == 4 and figures["linked_pairs"] == 3
    assert figures["precision"] == round(2 / 3, 3) and figures["recall"] == 0.5
    assert figures["recall_by_cluster_size"]["2"] == {"pairs": 1, "recall": 1.0}
    assert figures["recall_by_cluster_size"]["3-10"] == {"pairs": 3, "recall": round(1 / 3, 3)}
    assert [(e["a"], e["b"]) for e in figures["only_dedup_examples"]] == [("a", "f")]
