"""Opening the backend that an index location names: a SQLite file (embedded, the default)
or a Redis server (``redis://``, shared by workers on several machines)."""

from __future__ import annotations

from dedup.engines.index.store import Store

__all__ = ["open_store", "verify_index"]


def open_store(location: str, *, read_only: bool = False, create: bool = True) -> Store:
    """Open the backend that ``location`` names: ``redis://...`` or a SQLite file path."""
    if location.startswith(("redis://", "rediss://", "unix://")):
        from dedup.engines.index.redis_store import RedisStore

        return RedisStore(location)
    from dedup.engines.index.sqlite_store import SQLiteStore

    return SQLiteStore(location, read_only=read_only, create=create)


def verify_index(location: str) -> dict:
    """Read the whole index at ``location`` and say what is wrong with it.

    Returns ``{"location", "backend", "documents", "problems", "ok"}``; ``problems`` holds a
    line per fault found (a missing table, a damaged text, postings that name no document,
    counts that disagree). Opening it does not stop at the first fault, as opening it to
    check or add does.
    """
    if location.startswith(("redis://", "rediss://", "unix://")):
        from dedup.engines.index.redis_store import RedisStore

        store = RedisStore(location)
        try:
            documents, problems = store.verify()
        finally:
            store.close()
        backend = "redis"
    else:
        from dedup.engines.index.sqlite_store import verify_sqlite

        documents, problems = verify_sqlite(location)
        backend = "sqlite"
    return {"location": location, "backend": backend, "documents": documents, "problems": problems,
            "ok": not problems}
