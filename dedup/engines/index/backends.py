"""Opening the backend that an index location names: a SQLite file (embedded, the default)
or a Redis server (``redis://``, shared by workers on several machines)."""

from __future__ import annotations

from dedup.engines.index.store import Store

__all__ = ["open_store"]


def open_store(location: str, *, read_only: bool = False, create: bool = True) -> Store:
    """Open the backend that ``location`` names: ``redis://...`` or a SQLite file path."""
    if location.startswith(("redis://", "rediss://", "unix://")):
        from dedup.engines.index.redis_store import RedisStore

        return RedisStore(location)
    from dedup.engines.index.sqlite_store import SQLiteStore

    return SQLiteStore(location, read_only=read_only, create=create)
