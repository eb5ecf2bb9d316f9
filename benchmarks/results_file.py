"""Writing a benchmark's figures to ``benchmarks/results/NAME.json``, with the command that
produced them and the machine."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def write_result(name: str, figures: dict) -> Path:
    """Write ``figures`` with ``benchmark``, ``command`` and ``machine`` added; return the path."""
    script = Path(sys.argv[0]).name
    result = {
        "benchmark": name.split("-")[0],
        "command": " ".join(["python", f"benchmarks/{script}", *sys.argv[1:]]),
        "machine": f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores",
        **figures,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out
