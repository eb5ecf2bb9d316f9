"""The seed fixtures: is the rewrite 003 linked to 004 paragraph by paragraph, and are the
independent reports 000, 001 and 002 left unlinked?

Usage: python benchmarks/bench_seeds.py [SEEDS_DIR]

Scans the five seed articles with default settings, with and without the paraphrase tier.
The paragraphs of 003 that rewrite text of 004 were read by hand (``REWRITES``); each is
found when a ``copy`` or ``paraphrase`` passage between 003 and 004 overlaps it and the
004 text it rewrites. Every ``copy`` or ``paraphrase`` passage linking 000, 001 or 002 to
another document is a false positive; quotes are counted apart. Prints a table and writes
``benchmarks/results/seeds.json``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from results_file import write_result

import dedup

HERE = Path(__file__).resolve().parent
A, B = "003_7d410491a9d5865a.txt", "004_b86f621bbed01eb0.txt"
INDEPENDENT = ("000", "001", "002")
# (span in 003, span in 004 that it rewrites), character offsets, read by hand.
REWRITES = [
    ((271, 719), (214, 750)),  # lead: 85 targets, drone attack in Jordan, Biden
    ((721, 1101), (1079, 1498)),  # more significant than previous attacks; deter, avoid war
    ((1103, 1375), (1499, 1694)),  # CENTCOM confirmed; Austin: the start of our response
    ((3064, 3152), (2473, 2732)),  # Sunday's attack marked a significant escalation
    ((3154, 3392), (2733, 3119)),  # Iraq informed, no communication with Iran; Raisi
    ((3394, 3643), (3361, 4148)),  # mixed messages from the militias
    ((3645, 3846), (4149, 4443)),  # ceasefire negotiations between Israel and Hamas
]
STATEMENTS = {"Biden": "will continue at times and places of our choosing",
              "CENTCOM": "Iran’s Islamic Revolutionary Guards Corps (IRGC) Quds Force"}


def evaluate(report: dedup.Report) -> dict:
    links = [p for p in report.passages if p.a.doc == A and p.b.doc == B and p.kind in ("copy", "paraphrase")]
    found = []
    for (a0, a1), (b0, b1) in REWRITES:
        hits = [p for p in links if p.a.start < a1 and a0 < p.a.end and p.b.start < b1 and b0 < p.b.end]
        found.append({"a": [a0, a1], "b": [b0, b1], "found": bool(hits), "kinds": sorted({p.kind for p in hits})})
    cross = [p for p in report.passages if p.a.doc != p.b.doc and {p.a.doc[:3], p.b.doc[:3]} & set(INDEPENDENT)]
    texts = report.texts
    statements = {}
    for name, words in STATEMENTS.items():
        kinds = sorted({p.kind for p in report.passages if {p.a.doc[:3], p.b.doc[:3]} == {"002", "004"}
                        and words in texts[p.b.doc][p.b.start:p.b.end]})
        statements[name] = kinds
    return {"rewrites_found": sum(f["found"] for f in found), "rewrites": len(REWRITES), "detail": found,
            "false_positive_links": sum(p.kind != "quote" for p in cross),
            "quote_links_of_independent": sum(p.kind == "quote" for p in cross),
            "statements_002_004": statements}


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "fixtures" / "seeds"
    if not (root / A).is_file():
        sys.exit(f"bench_seeds: seed fixtures not found at {root}.")
    documents, _ = dedup.read_documents([root])
    rows = {tier: evaluate(dedup.scan(documents, paraphrase=tier == "copy + paraphrase"))
            for tier in ("copy only", "copy + paraphrase")}
    print(f"{'tiers':<18} {'003->004 rewrites found':>24} {'false links of 000-002':>23} {'quote links':>11}  statements 002/004")
    for tier, row in rows.items():
        print(f"{tier:<18} {row['rewrites_found']:>20} / {row['rewrites']} {row['false_positive_links']:>23} "
              f"{row['quote_links_of_independent']:>11}  {row['statements_002_004']}")
    write_result("seeds", {"rows": rows})


if __name__ == "__main__":
    main()
