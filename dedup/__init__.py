"""dedup: near-duplicate and syndication detector.

Finds reused passages between documents (verbatim copies, paraphrases and shared quotations),
with exact character spans on both sides, and clusters near-duplicate documents.

Examples
--------
>>> import dedup
>>> report = dedup.scan(["A long enough sentence about the strikes that was copied word for word.",
...                      "Intro. A long enough sentence about the strikes that was copied word for word."])
>>> report.passages[0].kind
'copy'
"""

from .compare import compare, compare_pairs
from .config import ScanConfig
from .errors import DedupError, InputError, ParameterError
from .io import CorpusReader, read_documents
from .records import Document, Duplicate, InputProblem, Passage, Side
from .render import render
from .report import Report
from .scan import scan

__version__ = "0.1.0"

__all__ = sorted([
    "CorpusReader",
    "DedupError",
    "Document",
    "Duplicate",
    "InputError",
    "InputProblem",
    "ParameterError",
    "Passage",
    "Report",
    "ScanConfig",
    "compare",
    "compare_pairs",
    "Side",
    "read_documents",
    "render",
    "scan",
])  # fmt: skip
