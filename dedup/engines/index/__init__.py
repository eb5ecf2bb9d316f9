"""The persistent index: streaming check-and-add against SQLite (embedded) or Redis (shared)."""

from dedup.engines.index.core import Decision, Index, Match
from dedup.engines.index.settings import IndexSettings
from dedup.errors import IndexStoreError

__all__ = ["Decision", "Index", "IndexSettings", "IndexStoreError", "Match"]
