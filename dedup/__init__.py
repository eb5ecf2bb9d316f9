"""dedup: near-duplicate and syndication detector.

Finds reused passages between documents (verbatim copies, paraphrases and shared quotations),
with exact character spans on both sides, and clusters near-duplicate documents. The drivers:
:func:`scan` (the corpus scan), :func:`near_duplicates` (the document level, streaming),
:func:`compare` and :func:`compare_pairs` (given pairs), :class:`Index` (the persistent
index behind ``dedup check``) and :func:`dedup.distributed.scan` (on a Dask cluster).

Examples
--------
>>> import dedup
>>> report = dedup.scan(["A long enough sentence about the strikes that was copied word for word.",
...                      "Intro. A long enough sentence about the strikes that was copied word for word."])
>>> report.passages[0].kind
'copy'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from dedup.version import __version__ as __version__

# Each public name and the module it lives in, imported on first use (PEP 562): "import
# dedup" loads none of numpy, scipy or the engines, so the command line and short scripts
# start fast, and each engine pays for what it uses.
_HOMES = {
    "CorpusReader": "dedup.read.corpus", "read_documents": "dedup.read.corpus",
    "DedupError": "dedup.errors", "DuplicateIdError": "dedup.errors", "IndexStoreError": "dedup.errors",
    "InputError": "dedup.errors", "ParameterError": "dedup.errors",
    "Document": "dedup.records", "Duplicate": "dedup.records", "InputProblem": "dedup.records",
    "Passage": "dedup.records", "SentencePair": "dedup.records", "Side": "dedup.records",
    "Index": "dedup.engines.index", "IndexSettings": "dedup.engines.index",
    "Report": "dedup.report.model", "render": "dedup.report.render", "ScanConfig": "dedup.settings",
    "compare": "dedup.engines.compare", "compare_pairs": "dedup.engines.compare",
    "near_duplicates": "dedup.engines.document", "scan": "dedup.engines.local",
    "read_data_files": "dedup.userdata", "use_data_files": "dedup.userdata",
}  # fmt: skip

if TYPE_CHECKING:  # what type checkers and editors see
    from dedup import distributed
    from dedup.engines.compare import compare, compare_pairs
    from dedup.engines.document import near_duplicates
    from dedup.engines.index import Index, IndexSettings
    from dedup.engines.local import scan
    from dedup.errors import (
        DedupError,
        DuplicateIdError,
        IndexStoreError,
        InputError,
        ParameterError,
    )
    from dedup.read.corpus import CorpusReader, read_documents
    from dedup.records import Document, Duplicate, InputProblem, Passage, SentencePair, Side
    from dedup.report.model import Report
    from dedup.report.render import render
    from dedup.settings import ScanConfig
    from dedup.userdata import read_data_files, use_data_files


def __getattr__(name: str):
    if name == "distributed":
        return importlib.import_module("dedup.distributed")
    if name not in _HOMES:
        raise AttributeError(f"module 'dedup' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value  # later uses skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


__all__ = [
    "CorpusReader",
    "DedupError",
    "Document",
    "Duplicate",
    "DuplicateIdError",
    "Index",
    "IndexSettings",
    "IndexStoreError",
    "InputError",
    "InputProblem",
    "ParameterError",
    "Passage",
    "Report",
    "ScanConfig",
    "SentencePair",
    "Side",
    "compare",
    "compare_pairs",
    "distributed",
    "near_duplicates",
    "read_data_files",
    "read_documents",
    "render",
    "scan",
    "use_data_files",
]
