"""The embedded backend: one SQLite file in WAL mode, no server.

- A check-and-add batch runs in one ``BEGIN IMMEDIATE`` transaction: writers queue on the
  file's write lock, so two workers adding near-copies at once cannot both be told
  "unique", and a batch is committed whole or not at all (a process killed mid-batch
  loses that batch only; SQLite rolls it back on the next open).
- Readers run in a deferred transaction and see the last committed batch (WAL snapshots).
- ``synchronous=NORMAL``: a committed batch survives a crash of the process; after a power
  cut the last batches may be lost but the file is never corrupt.
- Postings live in two tiers: new documents' band keys, anchors and sentence keys in one
  ``fresh`` row each, merged in bulk into the large key-ordered tables (see
  :mod:`dedup.engines.index.fresh`).
- Stem counts of the rewrite tier (:mod:`dedup.engines.index.rewrites`) are rows of
  ``stem_counts`` keyed by the stem's key; their totals are upkeep counters.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from dedup.arrays import sorted_unique
from dedup.engines.index.fresh import FreshMirror, PostingRuns
from dedup.engines.index.store import (
    NewEntry,
    Postings,
    StemCounts,
    StoredDoc,
    pack_meta,
    unpack_text,
)
from dedup.errors import IndexStoreError

__all__ = ["SQLiteStore", "cache_kib", "verify_sqlite"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    added REAL NOT NULL,
    meta TEXT NOT NULL,
    signature BLOB NOT NULL,
    decision TEXT,
    rare_stems BLOB
);
CREATE TABLE IF NOT EXISTS texts (num INTEGER PRIMARY KEY, text BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS docs_added ON docs (added);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS anchors (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sentences (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fresh (
    num INTEGER PRIMARY KEY, bands TEXT NOT NULL, anchors TEXT NOT NULL, sentences TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS stem_counts (
    key INTEGER PRIMARY KEY, units INTEGER NOT NULL, documents INTEGER NOT NULL, content INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS upkeep (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
_POSTINGS = ("bands", "anchors", "sentences")
_TABLES = {"settings", "docs", "texts", "bands", "anchors", "sentences", "fresh", "stem_counts", "upkeep"}
# The fresh tier is merged once it holds this share of the merged documents, and at least
# _MIN_FRESH documents: each merge rewrites the pages of the large tables once, however
# many batches the fresh tier gathered. Upkeep counters: "fresh" (documents in the fresh
# tier), "merged" (documents merged so far), "last" (the last number given: numbers are
# never reused, so a process can read the rows added since it last looked) and
# "generation" (merges and removals that emptied fresh rows); the rewrite tier's totals:
# "units" (sentence units) and "stem_documents" (documents counted).
_FRESH_SHARE = 16
_MIN_FRESH = 1024
_BUSY_TIMEOUT_S = 120.0
_CHECKPOINT_PAGES = 8000
_CACHE_MB = 256  # the default of DEDUP_SQLITE_CACHE_MB


def cache_kib() -> int:
    """The page cache of one connection, in KiB: ``DEDUP_SQLITE_CACHE_MB`` megabytes (256 by
    default). A process's memory grows with the pages it reads, up to this, then stays."""
    value = os.environ.get("DEDUP_SQLITE_CACHE_MB", str(_CACHE_MB))
    try:
        megabytes = int(value)
        if megabytes < 1:
            raise ValueError
    except ValueError:
        raise IndexStoreError(f"DEDUP_SQLITE_CACHE_MB={value!r}: give the SQLite page cache in whole megabytes "
                              "(1 or more).") from None
    return megabytes * 1024


def _connect_read_only(path: str) -> sqlite3.Connection:
    """A read-only connection to ``path``. In a folder that cannot be written (read-only
    media, a mount, a folder of another user) SQLite cannot make the shared-memory file a
    WAL database is read with: the file is then opened as immutable (nothing can change it
    while it is read), unless a write-ahead log beside it holds commits not yet copied into
    it, which only a writer can read: that is an error saying so."""
    base = "file:" + os.path.abspath(path).replace("?", "%3f").replace("#", "%23")
    db = sqlite3.connect(base + "?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.DatabaseError:
        db.close()
        if os.access(os.path.dirname(os.path.abspath(path)), os.W_OK):
            raise
    wal = path + "-wal"
    if os.path.exists(wal) and os.path.getsize(wal) > 0:
        raise IndexStoreError(
            f"{path}: its folder cannot be written and {os.path.basename(wal)} beside it holds commits not yet "
            "copied into the file: open it once where it can be written (dedup index stats there), then read it here."
        )
    return sqlite3.connect(base + "?immutable=1", uri=True, timeout=_BUSY_TIMEOUT_S, isolation_level=None)


class SQLiteStore:
    """An index in one SQLite file (see the module docstring).

    Parameters
    ----------
    path : str
        The file; created with its folder's permissions when missing (unless read-only).
    read_only : bool
        Open for checks only: nothing can be added, and a missing file is an error.
    create : bool
        Create the file when missing (True), or raise IndexStoreError (False).
    """

    def __init__(self, path: str, *, read_only: bool = False, create: bool = True) -> None:
        self.location = path
        self.read_only = read_only
        self._fresh = FreshMirror()
        if (read_only or not create) and not os.path.exists(path):
            raise IndexStoreError(f"{path}: no index there; create it with 'dedup index create {path}'.")
        with self._errors("open"):
            if read_only:
                self._db = _connect_read_only(path)
            else:
                self._db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
            self._db.execute(f"PRAGMA cache_size = -{cache_kib()}")
            self._refuse_foreign_file(create and not read_only)
            self._refuse_missing_tables()
            if not read_only:
                mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower()
                if mode != "wal" and path != ":memory:":
                    raise IndexStoreError(f"{path}: cannot switch the file to WAL mode.")
                self._db.execute("PRAGMA synchronous = NORMAL")
                # Checkpoint every 8,000 pages (32 MB of WAL), not SQLite's 1,000: a page that
                # several batches change is copied back once, and the checkpoint's fsync is
                # paid less often (a fifth less commit time per document).
                self._db.execute(f"PRAGMA wal_autocheckpoint = {_CHECKPOINT_PAGES}")
                self._db.executescript(_SCHEMA)
                if "decision" not in self._columns("docs"):  # an index made before decisions were kept
                    self._db.execute("ALTER TABLE docs ADD COLUMN decision TEXT")
                if "rare_stems" not in self._columns("docs"):  # made before the rewrite tier
                    self._db.execute("ALTER TABLE docs ADD COLUMN rare_stems BLOB")
                if "sentences" not in self._columns("fresh"):  # made before the rewrite tier
                    self._db.execute("ALTER TABLE fresh ADD COLUMN sentences TEXT NOT NULL DEFAULT '[]'")
                # Which tables the index has from now on: a later open that misses one knows
                # the file was damaged, rather than making it again empty.
                self._db.execute("INSERT OR REPLACE INTO settings (name, value) VALUES ('tables', ?)",
                                 (json.dumps(sorted(self._tables() & _TABLES)),))
            else:
                self._db.execute("SELECT count(*) FROM docs").fetchone()
            self._decision_column = "decision" if "decision" in self._columns("docs") else "NULL"
            self._rare_column = "rare_stems" if "rare_stems" in self._columns("docs") else "NULL"
            self._sentences_column = "sentences" if "sentences" in self._columns("fresh") else "'[]'"

    def _tables(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def _refuse_missing_tables(self) -> None:
        """Raise IndexStoreError when a table that the index had is gone (the file was
        damaged or edited): making it again empty would lose its documents silently."""
        tables = self._tables()
        if "settings" not in tables:
            return
        row = self._db.execute("SELECT value FROM settings WHERE name = 'tables'").fetchone()
        had = set(json.loads(row[0])) if row else {"settings", "docs", "texts"}
        missing = sorted(had - tables)
        if missing:
            raise IndexStoreError(
                f"{self.location}: the index is damaged: table(s) {', '.join(missing)} missing; run 'dedup index "
                f"check {self.location}' to see what else is, then restore it from a copy or build it again.")

    def _columns(self, table: str) -> set[str]:
        return {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}

    def _refuse_foreign_file(self, create: bool) -> None:
        """Raise IndexStoreError when the file holds tables and they are not a dedup index's
        (another application's database is never written to), or holds none and ``create``
        is False (an empty file is made an index only by a command that adds)."""
        tables = self._tables()
        if "settings" in tables and self._db.execute("SELECT 1 FROM settings WHERE name = 'index'").fetchone():
            return  # a dedup index, whole or not (see _refuse_missing_tables)
        if not tables and not create:
            raise IndexStoreError(f"{self.location}: no index there; create it with 'dedup index create {self.location}'.")
        if len(tables & _TABLES) >= 3 and not {"settings", "docs", "texts"} <= tables:
            missing = ", ".join(sorted({"settings", "docs", "texts"} - tables))
            raise IndexStoreError(
                f"{self.location}: the index is damaged: table(s) {missing} missing; restore it from a copy or build "
                "it again.")
        if tables and not {"settings", "docs", "texts"} <= tables:
            raise IndexStoreError(
                f"{self.location}: this SQLite file is not a dedup index (it holds tables "
                f"{', '.join(sorted(tables)[:5])}); give another --index path."
            )

    # -- settings and transactions ---------------------------------------------------------

    def read_settings(self) -> str | None:
        with self._errors("read"):
            row = self._db.execute("SELECT value FROM settings WHERE name = 'index'").fetchone()
        return row[0] if row else None

    def write_settings(self, text: str) -> str:
        with self.writing():
            self._db.execute("INSERT OR IGNORE INTO settings (name, value) VALUES ('index', ?)", (text,))
            return self._db.execute("SELECT value FROM settings WHERE name = 'index'").fetchone()[0]

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._errors("read"):
            self._db.execute("BEGIN")
        try:
            yield
        finally:
            with self._errors("read"):
                self._db.execute("COMMIT")

    @contextmanager
    def writing(self) -> Iterator[None]:
        if self.read_only:
            raise IndexStoreError(f"{self.location}: opened read-only; nothing can be added or removed.")
        with self._errors("write"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    # -- queries ---------------------------------------------------------------------------

    def lookup(self, band_keys: np.ndarray, anchors: np.ndarray) -> tuple[Postings, Postings]:
        with self._errors("read"):
            self._fresh.refresh(self._db, self._count("generation"), self._sentences_column)
            return (self._postings("bands", band_keys, self._fresh.bands),
                    self._postings("anchors", anchors, self._fresh.anchors))

    def sentence_postings(self, keys: np.ndarray) -> Postings:
        with self._errors("read"):
            self._fresh.refresh(self._db, self._count("generation"), self._sentences_column)
            return self._postings("sentences", keys, self._fresh.sentences)

    def stem_counts(self, keys: np.ndarray) -> StemCounts:
        with self._errors("read"):
            rows = self._db.execute(
                "SELECT stem_counts.key, units, documents, content FROM json_each(?) AS wanted "
                "CROSS JOIN stem_counts ON stem_counts.key = wanted.value",
                (_json_ints(sorted_unique(keys)),),
            ).fetchall()
            return StemCounts.from_rows(rows, self._count("units"), self._count("stem_documents"))

    def _postings(self, table: str, keys: np.ndarray, fresh: PostingRuns) -> Postings:
        wanted = sorted_unique(keys)
        # The keys drive the loop (CROSS JOIN keeps that order): a quarter faster than
        # "key IN (...)", which first copies them into a temporary B-tree.
        rows = self._db.execute(
            f"SELECT {table}.key, {table}.doc FROM json_each(?) AS wanted CROSS JOIN {table} ON {table}.key = wanted.value",
            (_json_ints(wanted),),
        ).fetchall()
        stored = np.array(rows, dtype=np.int64).reshape(-1, 2)
        recent = fresh.find(wanted)
        return Postings.sorted(np.concatenate((stored[:, 0], recent.keys)), np.concatenate((stored[:, 1], recent.docs)))

    def numbers(self, ids: Iterable[str]) -> dict[str, int]:
        with self._errors("read"):
            rows = self._db.execute(
                "SELECT id, num FROM docs WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)
            )
            return dict(rows.fetchall())

    def documents(self, nums: Iterable[int]) -> dict[int, StoredDoc]:
        with self._errors("read"):
            rows = self._db.execute(
                f"SELECT num, id, added, meta, signature, text, {self._decision_column}, {self._rare_column} "
                "FROM docs LEFT JOIN texts USING (num) "
                "WHERE num IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(set(nums))),),
            ).fetchall()
        return {
            num: StoredDoc(num, doc_id, added, json.loads(meta), np.frombuffer(signature, dtype=np.uint32),
                           unpack_text(text, self.location, num), decision, rare or b"")
            for num, doc_id, added, meta, signature, text, decision, rare in rows
        }

    def record_decisions(self, decisions: dict[int, str]) -> None:
        with self._errors("write"):
            self._db.executemany("UPDATE docs SET decision = ? WHERE num = ? AND decision IS NULL",
                                 [(text, num) for num, text in decisions.items()])

    def add_stem_counts(self, keys: np.ndarray, changes: np.ndarray, units: int, documents: int) -> None:
        with self._errors("write"):
            self._db.executemany(
                "INSERT INTO stem_counts (key, units, documents, content) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO "
                "UPDATE SET units = units + excluded.units, documents = documents + excluded.documents, "
                "content = content + excluded.content",
                zip(keys.tolist(), *changes.T.tolist()),
            )
            if (changes[:, 1] < 0).any():  # stems no document holds any more
                self._db.execute("DELETE FROM stem_counts WHERE key IN (SELECT value FROM json_each(?)) "
                                 "AND documents <= 0", (_json_ints(keys[changes[:, 1] < 0]),))
            self._count("units", units)
            self._count("stem_documents", documents)

    def older_than(self, timestamp: float) -> list[int]:
        with self._errors("read"):
            return [num for (num,) in self._db.execute("SELECT num FROM docs WHERE added < ? ORDER BY num", (timestamp,))]

    def all_numbers(self) -> Iterator[int]:
        with self._errors("read"):
            nums = [num for (num,) in self._db.execute("SELECT num FROM docs ORDER BY num")]
        return iter(nums)

    # -- writes (inside writing()) -----------------------------------------------------------

    def insert(self, entries: list[NewEntry]) -> None:
        if not entries:
            return
        with self._errors("write"):
            last = self._count("last")
            nums = range(last + 1, last + 1 + len(entries))
            self._db.executemany(
                "INSERT INTO docs (num, id, added, meta, signature, rare_stems) VALUES (?, ?, ?, ?, ?, ?)",
                [(num, e.id, e.added, pack_meta(e.meta), e.signature.astype(np.uint32).tobytes(), e.rare_stems or None)
                 for num, e in zip(nums, entries)],
            )
            self._db.executemany(
                "INSERT INTO texts (num, text) VALUES (?, ?)", [(num, e.packed_text) for num, e in zip(nums, entries)]
            )
            self._db.executemany(
                "INSERT INTO fresh (num, bands, anchors, sentences) VALUES (?, ?, ?, ?)",
                [(num, _json_ints(e.band_keys), _json_ints(e.anchors), _json_ints(e.sentences))
                 for num, e in zip(nums, entries)],
            )
            self._count("last", len(entries))
            fresh = self._count("fresh", len(entries))
            if fresh >= max(_MIN_FRESH, self._count("merged") // _FRESH_SHARE):
                self._merge()

    def _count(self, name: str, add: int = 0) -> int:
        """A counter of the upkeep table, after adding ``add`` to it."""
        if add:
            self._db.execute(
                "INSERT INTO upkeep (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + ?",
                (name, add, add),
            )
        row = self._db.execute("SELECT value FROM upkeep WHERE name = ?", (name,)).fetchone()
        return row[0] if row else 0

    def _merge(self) -> None:
        """Move the fresh postings into the large tables, in key order (inside a transaction)."""
        for table in _POSTINGS:
            self._db.execute(
                f"INSERT OR IGNORE INTO {table} (key, doc) SELECT keys.value, fresh.num "
                f"FROM fresh, json_each(fresh.{table}) AS keys ORDER BY 1, 2"
            )
        self._db.execute("DELETE FROM fresh")
        fresh = self._count("fresh")
        self._count("merged", fresh)
        self._count("fresh", -fresh)
        self._count("generation", 1)

    def delete(self, entries: list[tuple[int, list[int], list[int], list[int]]]) -> None:
        with self._errors("write"):
            nums = [(entry[0],) for entry in entries]
            self._db.executemany("DELETE FROM docs WHERE num = ?", nums)
            self._db.executemany("DELETE FROM texts WHERE num = ?", nums)
            before = self._db.total_changes
            self._db.executemany("DELETE FROM fresh WHERE num = ?", nums)
            if removed := self._db.total_changes - before:
                self._count("fresh", -removed)
                self._count("generation", 1)
            for table, position in zip(_POSTINGS, (1, 2, 3)):
                rows = [(int(key), entry[0]) for entry in entries for key in entry[position]]
                self._db.executemany(f"DELETE FROM {table} WHERE key = ? AND doc = ?", rows)

    # -- upkeep ----------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        with self._errors("read"):
            docs = self._db.execute("SELECT count(*) FROM docs").fetchone()[0]
            text_bytes = self._text_bytes()
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            columns = self._columns("fresh")
            bands, anchors, sentences = (
                (self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] if table in tables else 0)
                + (self._db.execute(f"SELECT COALESCE(SUM(json_array_length({table})), 0) FROM fresh").fetchone()[0]
                   if table in columns else 0)
                for table in _POSTINGS
            )
            stem_counts = (self._db.execute("SELECT count(*) FROM stem_counts").fetchone()[0]
                           if "stem_counts" in tables else 0)
        files = [self.location, self.location + "-wal"]
        size = sum(os.path.getsize(f) for f in files if os.path.exists(f))
        return {
            "backend": "sqlite",
            "location": self.location,
            "documents": docs,
            "band_keys": bands,
            "anchors": anchors,
            "sentence_keys": sentences,
            "stems_counted": stem_counts,
            "bytes": size,
            "text_bytes": text_bytes,
        }

    def _text_bytes(self) -> int:
        """Bytes of the pages that hold the texts (their sum of lengths where dbstat is missing)."""
        try:
            row = self._db.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'texts'").fetchone()
        except sqlite3.OperationalError:
            row = self._db.execute("SELECT SUM(length(text)) FROM texts").fetchone()
        return int(row[0] or 0)

    def compact(self) -> None:
        if self.read_only:
            raise IndexStoreError(f"{self.location}: opened read-only; it cannot be compacted.")
        with self.writing():
            self._merge()
        with self._errors("compact"):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.execute("VACUUM")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.execute("PRAGMA optimize")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """Turn SQLite's errors into one-line IndexStoreErrors that say what to do."""
        try:
            yield
        except sqlite3.Error as error:
            raise IndexStoreError(f"{self.location}: cannot {action} the index: {_advice(error)}") from error


def verify_sqlite(path: str) -> tuple[int, list[str]]:
    """Read every part of the index file at ``path`` (opened read-only) and say what is wrong.

    Returns the number of documents and the problems found, one line each (none: the
    index is whole). Checks SQLite's own structure (``quick_check``), the tables, the
    settings, that each document has its text and each text decompresses, the signatures'
    length, the fresh tier's rows, and that postings name documents that are there.
    """
    if not os.path.exists(path):
        raise IndexStoreError(f"{path}: no index there.")
    try:
        db = _connect_read_only(path)
        problems = [f"SQLite: {row[0]}" for row in db.execute("PRAGMA quick_check(20)") if row[0] != "ok"]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as error:
        raise IndexStoreError(f"{path}: cannot be read as an index: {_advice(error)}") from error
    if "settings" not in tables:
        return 0, [*problems, "table settings missing: nothing says this file is an index"]
    settings = dict(db.execute("SELECT name, value FROM settings").fetchall())
    had = set(json.loads(settings["tables"])) if "tables" in settings else {"settings", "docs", "texts"}
    problems += [f"table {name} missing" for name in sorted(had - tables)]
    try:
        num_perm = int(json.loads(settings["index"])["num_perm"])
    except (KeyError, ValueError, TypeError):
        problems.append("settings: the index's parameters are missing or unreadable")
        num_perm = None
    if not {"docs", "texts"} <= tables:
        return 0, problems
    documents = db.execute("SELECT count(*) FROM docs").fetchone()[0]
    checks = [
        ("document(s) without a stored text",
         "SELECT count(*) FROM docs WHERE num NOT IN (SELECT num FROM texts)"),
        ("stored text(s) of no document", "SELECT count(*) FROM texts WHERE num NOT IN (SELECT num FROM docs)"),
    ]
    if num_perm:
        checks.append((f"signature(s) not {num_perm} values long",
                       f"SELECT count(*) FROM docs WHERE length(signature) != {4 * num_perm}"))
    for table in sorted(tables & {"bands", "anchors", "sentences"}):
        checks.append((f"{table} entries naming no document",
                       f"SELECT count(*) FROM {table} WHERE doc NOT IN (SELECT num FROM docs)"))
    for what, query in checks:
        count = db.execute(query).fetchone()[0]
        if count:
            problems.append(f"{count} {what}")
    damaged = [num for num, text in db.execute("SELECT num, text FROM texts") if not _unpacks(text)]
    if damaged:
        shown = ", ".join(map(str, damaged[:5])) + (", ..." if len(damaged) > 5 else "")
        problems.append(f"{len(damaged)} stored text(s) that cannot be decompressed (documents number {shown})")
    if "fresh" in tables:
        bad = 0
        for row in db.execute("SELECT bands, anchors, sentences FROM fresh"):
            try:
                [json.loads(value) for value in row]
            except ValueError:
                bad += 1
        if bad:
            problems.append(f"{bad} fresh-tier row(s) that cannot be read")
    db.close()
    return documents, problems


def _unpacks(data: Any) -> bool:
    try:
        unpack_text(data)
    except IndexStoreError:
        return False
    return True


def _json_ints(values: np.ndarray) -> str:
    """A JSON array of integers, written fast."""
    return "[" + ",".join(map(str, values.tolist())) + "]"


def _advice(error: sqlite3.Error) -> str:
    message = str(error)
    lowered = message.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return f"{message}; the file or its folder is read-only: fix the permissions, or check without adding (--no-add)."
    if "full" in lowered:
        return f"{message}; the batch in flight was not added: free some space and run again."
    if "locked" in lowered or "busy" in lowered:
        return f"{message}; another process held the index for over {_BUSY_TIMEOUT_S:.0f} s."
    if "not a database" in lowered or "malformed" in lowered:
        return f"{message}; this is not a dedup index, or it is damaged."
    if "unable to open" in lowered:
        return f"{message}; check that the folder exists and can be written."
    return message
