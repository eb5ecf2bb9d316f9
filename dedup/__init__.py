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
from dedup.records import Document, Duplicate, InputProblem, Passage, Side
from dedup.report.model import Report
from dedup.report.render import render
from dedup.settings import ScanConfig
from dedup.version import __version__ as __version__

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
    "Side",
    "compare",
    "compare_pairs",
    "distributed",
    "near_duplicates",
    "read_documents",
    "render",
    "scan",
]
