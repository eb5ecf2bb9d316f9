"""The shared backend: a Redis server, for several workers on several machines.

Keys, under a prefix (``dedup`` unless the URL names another with ``?prefix=``):

- ``P:settings``: the index parameters (JSON);
- ``P:ids``: hash of document id -> number; ``P:next``: the last number given;
- ``P:doc:N``: hash with the document's id, added time, metadata, signature, text, first
  decision and which of its stems were rare when it was added;
- ``P:added``: sorted set of numbers by added time (retention);
- ``P:b:KEY`` and ``P:a:KEY``: sets of the numbers under a band key or an anchor;
- with the rewrite tier, ``P:s:KEY``: the set of numbers under a sentence key; ``P:su``,
  ``P:sd`` and ``P:sc``: hashes of stem key -> units, documents and content units holding
  it; ``P:stotal``: hash of the totals (``units``, ``documents``).

A check-and-add batch holds a lock (``P:lock``, Redis's SET NX with an expiry, through
redis-py's ``Lock``) from its lookups to its writes, and writes in one MULTI/EXEC, so a
concurrent writer waits and a reader (whose lookups are one MULTI/EXEC too) sees a batch
whole or not at all. The lock is a lease of ``LOCK_LEASE_S`` seconds that a thread of the
holder renews every third of it while the batch runs: a writer that dies (killed, its
machine lost) holds the others up for at most that long. A holder stalled for longer than
the lease (stopped, swapping) loses the lock, and its batch then ends with an error.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import numpy as np

from dedup.arrays import sorted_unique
from dedup.engines.index.store import (
    NewEntry,
    Postings,
    StemCounts,
    StoredDoc,
    pack_meta,
    unpack_text,
)
from dedup.errors import IndexStoreError

__all__ = ["LOCK_LEASE_S", "RedisStore"]

LOCK_LEASE_S = 6.0  # a writer that died frees the lock after this
_LOCK_WAIT_S = 600
_STEM_COUNTS = ("su", "sd", "sc")  # hashes of units, documents and content units per stem key


class RedisStore:
    """An index on a Redis server (see the module docstring).

    Parameters
    ----------
    url : str
        ``redis://host:port/db``, optionally with ``?prefix=NAME`` to keep several indexes
        in one database.
    """

    def __init__(self, url: str) -> None:
        try:
            import redis
        except ImportError as error:  # pragma: no cover - depends on the installed extras
            raise IndexStoreError(
                "A Redis index needs the redis client: pip install 'dedup[redis]'."
            ) from error
        self._redis = redis
        self.location = url
        try:
            parts = urlsplit(url)
            query = parse_qs(parts.query)
            self.prefix = query.pop("prefix", ["dedup"])[0]
            rest = "&".join(f"{k}={v[0]}" for k, v in query.items())
            self._client = redis.Redis.from_url(urlunsplit(parts._replace(query=rest)), socket_timeout=60)
        except ValueError as error:
            raise IndexStoreError(f"{url}: not a Redis URL that can be used ({error}); write it as "
                                  "redis://HOST:PORT/DB, optionally with ?prefix=NAME.") from None
        with self._errors("open"):
            self._client.ping()

    def _key(self, *parts: object) -> str:
        return ":".join([self.prefix, *map(str, parts)])

    # -- settings and transactions ---------------------------------------------------------

    def read_settings(self) -> str | None:
        with self._errors("read"):
            value = self._client.get(self._key("settings"))
        return value.decode("utf-8") if value is not None else None

    def write_settings(self, text: str) -> str:
        with self._errors("write"):
            self._client.set(self._key("settings"), text, nx=True)
        return self.read_settings() or text

    @contextmanager
    def reading(self) -> Iterator[None]:
        yield

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._errors("lock"):
            # thread_local=False: the lease thread renews with the token this thread took.
            lock = self._client.lock(self._key("lock"), timeout=LOCK_LEASE_S, blocking_timeout=_LOCK_WAIT_S,
                                     thread_local=False)
            if not lock.acquire():
                raise IndexStoreError(f"{self.location}: another writer held the index for over {_LOCK_WAIT_S} s.")
        lease = _Lease(lock, LOCK_LEASE_S / 3)
        try:
            yield
        finally:
            lease.stop()
            with self._errors("unlock"):
                try:
                    lock.release()
                except self._redis.exceptions.LockError as error:
                    raise IndexStoreError(
                        f"{self.location}: the write lock was lost during a batch (this process stalled for over "
                        f"{LOCK_LEASE_S:.0f} s); its writes may have met another writer's: run the batch again."
                    ) from error

    # -- queries ---------------------------------------------------------------------------

    def lookup(self, band_keys: np.ndarray, anchors: np.ndarray) -> tuple[Postings, Postings]:
        bands, anchors = sorted_unique(band_keys).tolist(), sorted_unique(anchors).tolist()
        with self._errors("read"):
            pipe = self._client.pipeline(transaction=True)  # one MULTI/EXEC: a consistent view
            for key in bands:
                pipe.smembers(self._key("b", key))
            for key in anchors:
                pipe.smembers(self._key("a", key))
            replies = pipe.execute()
        found_bands = Postings.from_pairs((k, int(n)) for k, r in zip(bands, replies) for n in r)
        found_anchors = Postings.from_pairs((k, int(n)) for k, r in zip(anchors, replies[len(bands):]) for n in r)
        return found_bands, found_anchors

    def sentence_postings(self, keys: np.ndarray) -> Postings:
        keys = sorted_unique(keys).tolist()
        with self._errors("read"):
            pipe = self._client.pipeline(transaction=True)
            for key in keys:
                pipe.smembers(self._key("s", key))
            replies = pipe.execute()
        return Postings.from_pairs((k, int(n)) for k, r in zip(keys, replies) for n in r)

    def stem_counts(self, keys: np.ndarray) -> StemCounts:
        keys = sorted_unique(keys).tolist()
        with self._errors("read"):
            pipe = self._client.pipeline(transaction=True)
            if keys:
                for name in _STEM_COUNTS:
                    pipe.hmget(self._key(name), keys)
            pipe.hgetall(self._key("stotal"))
            *columns, totals = pipe.execute()
        rows = [(key, *(int(v or 0) for v in values)) for key, *values in zip(keys, *columns)
                if values[1] is not None]
        return StemCounts.from_rows(rows, int(totals.get(b"units", 0)), int(totals.get(b"documents", 0)))

    def add_stem_counts(self, keys: np.ndarray, changes: np.ndarray, units: int, documents: int) -> None:
        with self._errors("write"):
            pipe = self._client.pipeline(transaction=True)
            for key, row in zip(keys.tolist(), changes.tolist()):
                for name, change in zip(_STEM_COUNTS, row):
                    if change:
                        pipe.hincrby(self._key(name), key, change)
            pipe.hincrby(self._key("stotal"), "units", units)
            pipe.hincrby(self._key("stotal"), "documents", documents)
            pipe.execute()
            gone = keys[changes[:, 1] < 0].tolist()  # stems no document holds any more
            if gone:
                left = self._client.hmget(self._key("sd"), gone)
                empty = [key for key, value in zip(gone, left) if value is not None and int(value) <= 0]
                if empty:
                    pipe = self._client.pipeline(transaction=True)
                    for name in _STEM_COUNTS:
                        pipe.hdel(self._key(name), *empty)
                    pipe.execute()

    def numbers(self, ids: Iterable[str]) -> dict[str, int]:
        ids = list(ids)
        if not ids:
            return {}
        with self._errors("read"):
            values = self._client.hmget(self._key("ids"), ids)
        return {doc_id: int(v) for doc_id, v in zip(ids, values) if v is not None}

    def documents(self, nums: Iterable[int]) -> dict[int, StoredDoc]:
        nums = sorted(set(nums))
        with self._errors("read"):
            pipe = self._client.pipeline(transaction=False)
            for num in nums:
                pipe.hgetall(self._key("doc", num))
            replies = pipe.execute()
        return {
            num: StoredDoc(
                num, r[b"id"].decode("utf-8"), float(r[b"added"]), json.loads(r[b"meta"]),
                np.frombuffer(r[b"signature"], dtype=np.uint32), unpack_text(r[b"text"], self.location, num),
                r[b"decision"].decode("utf-8") if b"decision" in r else None, r.get(b"rare_stems", b""),
            )
            for num, r in zip(nums, replies) if r
        }

    def record_decisions(self, decisions: dict[int, str]) -> None:
        # Inside writing(): no removal runs between the check that a document is still
        # there and the write (HSETNX on a removed one would leave a stray hash).
        with self._errors("write"):
            check = self._client.pipeline(transaction=False)
            for num in decisions:
                check.exists(self._key("doc", num))
            present = check.execute()
            pipe = self._client.pipeline(transaction=True)
            for (num, text), there in zip(decisions.items(), present):
                if there:
                    pipe.hsetnx(self._key("doc", num), "decision", text)
            pipe.execute()

    def older_than(self, timestamp: float) -> list[int]:
        with self._errors("read"):
            return sorted(int(n) for n in self._client.zrangebyscore(self._key("added"), "-inf", f"({timestamp}"))

    def all_numbers(self) -> Iterator[int]:
        with self._errors("read"):
            return iter(sorted(int(n) for n in self._client.zrange(self._key("added"), 0, -1)))

    # -- writes (inside writing()) -----------------------------------------------------------

    def insert(self, entries: list[NewEntry]) -> None:
        if not entries:
            return
        with self._errors("write"):
            last = self._client.incrby(self._key("next"), len(entries))
            pipe = self._client.pipeline(transaction=True)
            for num, e in zip(range(last - len(entries) + 1, last + 1), entries):
                pipe.hset(self._key("doc", num), mapping={
                    "id": e.id, "added": repr(e.added), "meta": pack_meta(e.meta),
                    "signature": e.signature.astype(np.uint32).tobytes(), "text": e.packed_text,
                    "rare_stems": e.rare_stems,
                })
                pipe.hset(self._key("ids"), e.id, num)
                pipe.zadd(self._key("added"), {num: e.added})
                for key in e.band_keys.tolist():
                    pipe.sadd(self._key("b", key), num)
                for key in e.anchors.tolist():
                    pipe.sadd(self._key("a", key), num)
                for key in e.sentences.tolist():
                    pipe.sadd(self._key("s", key), num)
            pipe.execute()

    def delete(self, entries: list[tuple[int, list[int], list[int], list[int]]]) -> None:
        if not entries:
            return
        stored = self.documents(entry[0] for entry in entries)
        with self._errors("write"):
            pipe = self._client.pipeline(transaction=True)
            for num, bands, anchors, sentences in entries:
                pipe.delete(self._key("doc", num))
                if num in stored:
                    pipe.hdel(self._key("ids"), stored[num].id)
                pipe.zrem(self._key("added"), num)
                for key in bands:
                    pipe.srem(self._key("b", key), num)
                for key in anchors:
                    pipe.srem(self._key("a", key), num)
                for key in sentences:
                    pipe.srem(self._key("s", key), num)
            pipe.execute()

    # -- upkeep ----------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        with self._errors("read"):
            docs = self._client.zcard(self._key("added"))
            memory = self._client.info("memory").get("used_memory", 0)
        return {
            "backend": "redis",
            "location": self.location,
            "documents": docs,
            "band_keys": None,
            "anchors": None,
            "bytes": memory,
            "text_bytes": self._text_bytes(),
        }

    def _text_bytes(self) -> int:
        # The documents are walked by number, not by a key pattern: a pattern would also
        # match another index's keys under a longer prefix ("p1" against "p1:doc").
        total = 0
        with self._errors("read"):
            numbers = self._client.zrange(self._key("added"), 0, -1)
            for start in range(0, len(numbers), 1000):
                pipe = self._client.pipeline(transaction=False)
                for num in numbers[start:start + 1000]:
                    pipe.hstrlen(self._key("doc", int(num)), "text")
                total += sum(pipe.execute())
        return total

    def verify(self) -> tuple[int, list[str]]:
        """Read every document of the index and say what is wrong (see
        :func:`dedup.engines.index.backends.verify_index`): the settings, each document's
        fields, text and signature, and that the id map and the list of documents agree."""
        problems: list[str] = []
        with self._errors("read"):
            settings = self.read_settings()
            num_perm = None
            try:
                num_perm = int(json.loads(settings)["num_perm"]) if settings is not None else None
                if settings is None:
                    problems.append(f"no settings under {self._key('settings')}: no index with this prefix")
            except (KeyError, ValueError, TypeError):
                problems.append("settings: the index's parameters are unreadable")
            numbers = [int(n) for n in self._client.zrange(self._key("added"), 0, -1)]
            ids = {int(num): doc_id for doc_id, num in self._client.hgetall(self._key("ids")).items()}
            missing = damaged = short = 0
            for start in range(0, len(numbers), 500):
                pipe = self._client.pipeline(transaction=False)
                for num in numbers[start:start + 500]:
                    pipe.hgetall(self._key("doc", num))
                for num, fields in zip(numbers[start:start + 500], pipe.execute()):
                    if not {b"id", b"text", b"signature"} <= set(fields):
                        missing += 1
                        continue
                    try:
                        unpack_text(fields[b"text"], self.location, num)
                    except IndexStoreError:
                        damaged += 1
                    if num_perm and len(fields[b"signature"]) != 4 * num_perm:
                        short += 1
        for count, what in ((missing, "listed document(s) without their fields"),
                            (damaged, "stored text(s) that cannot be decompressed"),
                            (short, f"signature(s) not {num_perm} values long")):
            if count:
                problems.append(f"{count} {what}")
        if set(ids) != set(numbers):
            problems.append(f"the id map and the list of documents disagree ({len(ids)} ids, {len(numbers)} documents)")
        return len(numbers), problems

    def compact(self) -> None:
        """Nothing to do: Redis frees a removed document's memory at once."""

    def close(self) -> None:
        self._client.close()

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except self._redis.exceptions.ConnectionError as error:
            raise IndexStoreError(
                f"{self.location}: cannot reach the Redis server ({error}); start it or fix --index."
            ) from error
        except self._redis.exceptions.RedisError as error:
            advice = "the server refuses writes (read-only replica or out of memory)" if (
                "READONLY" in str(error) or "OOM" in str(error)) else "Redis answered with an error"
            raise IndexStoreError(f"{self.location}: cannot {action} the index: {error}; {advice}.") from error


class _Lease:
    """Renews a held lock every ``every`` seconds from a daemon thread until stopped."""

    def __init__(self, lock: Any, every: float) -> None:
        self._lock, self._every = lock, every
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._renew, name="dedup-redis-lease", daemon=True)
        self._thread.start()

    def _renew(self) -> None:
        while not self._stopped.wait(self._every):
            try:
                self._lock.extend(self._lock.timeout, replace_ttl=True)
            except Exception:  # lost or unreachable: release() says so when the batch ends
                return

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()
