"""The persistent index behind ``dedup check`` (the public import path; the driver lives in
:mod:`dedup.engines.index`).

>>> from dedup.index import Index
"""

from dedup.engines.index import Decision, Index, IndexSettings, IndexStoreError, Match

__all__ = ["Decision", "Index", "IndexSettings", "IndexStoreError", "Match"]
