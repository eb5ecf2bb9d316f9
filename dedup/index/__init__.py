"""The persistent index: streaming check-and-add against SQLite (embedded) or Redis (shared)."""

from .core import Decision, Index, Match
from .settings import IndexSettings
from .store import IndexStoreError

__all__ = ["Decision", "Index", "IndexSettings", "IndexStoreError", "Match"]
