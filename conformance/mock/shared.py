"""The mock's state in a SQLite file (WAL): shared by every worker and every mock given the same file, kept
across restarts.

Each write runs under SQLite's write lock (``BEGIN IMMEDIATE``) and stamps the rows it changes with a new
version; a process takes in every row stamped after the last version it saw before it reads or writes, so
nothing written through one worker is lost or doubled when read through another. A deleted object leaves
a row without a body, which tells the other processes to drop it. Counters (ids, numbers) are rows too,
incremented under the same lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance.mock.config import MockConfigError

if TYPE_CHECKING:
    from conformance.mock.store import BucketKey, TenantKey

__all__ = ["FORMAT", "VERSION", "Change", "SharedState"]

FORMAT = "specforge-mock-state"
VERSION = 1
_SCHEMA = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE objects (api TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL,"
    " born INTEGER NOT NULL, body TEXT, PRIMARY KEY (api, bucket, key))",
    "CREATE INDEX objects_by_seq ON objects (api, seq)",
    "CREATE TABLE counters (api TEXT NOT NULL, tenant TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL,"
    " PRIMARY KEY (api, tenant, name))",
)


@dataclass(frozen=True)
class Change:
    """The state of one stored object as of ``version``: ``obj`` is ``None`` once it was deleted."""

    where: BucketKey
    key: str
    obj: dict[str, Any] | None
    version: int
    born: int


def _bucket_text(where: BucketKey) -> str:
    tenant, resource, parents = where
    return json.dumps([tenant, resource, list(parents)], separators=(",", ":"))


def _bucket_key(text: str) -> BucketKey:
    tenant, resource, parents = json.loads(text)
    return tenant, resource, tuple(parents)


class SharedState:
    """One state file; open it with :meth:`open`, which refuses a file that is not a mock state of this version."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._pid = -1
        self._db: sqlite3.Connection | None = None
        self._seen: dict[str, int] = {}  # per API: SQLite's data_version when it last took changes in

    @classmethod
    def open(cls, path: Path) -> SharedState:
        """The state in ``path`` (created when missing or empty); ``MockConfigError`` naming the file otherwise."""
        state = cls(path)
        if not path.parent.is_dir():
            raise MockConfigError(f"{path}: cannot create the state file: {path.parent} is not a directory")
        try:
            state._check()
        except sqlite3.DatabaseError as exc:
            raise MockConfigError(
                f"{path}: not a usable mock state file ({exc}); move it away or give another --state"
            ) from None
        return state

    def _check(self) -> None:
        db = self._connection()
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            with self._transaction():
                for statement in _SCHEMA:
                    db.execute(statement)
                rows = [("format", FORMAT), ("format_version", str(VERSION)), ("version", "0")]
                db.executemany("INSERT INTO meta VALUES (?, ?)", rows)
            return
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall()) if "meta" in tables else {}
        if meta.get("format") != FORMAT:
            found = ", ".join(sorted(tables))
            raise MockConfigError(
                f"{self.path}: a SQLite database but not a mock state file (tables: {found}); give another --state"
            )
        if meta.get("format_version") != str(VERSION):
            raise MockConfigError(
                f"{self.path}: mock state format {meta.get('format_version')}, this mock reads format {VERSION}; "
                "delete the file to start afresh, or serve it with the specforge that wrote it"
            )
        problems = [row[0] for row in db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise MockConfigError(
                f"{self.path}: the state file is damaged ({problems[0]}); move it away or give another --state"
            )

    def _connection(self) -> sqlite3.Connection:
        """This process's connection (a connection never crosses a fork: each worker opens its own)."""
        if self._db is None or self._pid != os.getpid():
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30.0)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            self._db, self._pid = db, os.getpid()
            self._seen.clear()  # data_version counts per connection
        return self._db

    def close(self) -> None:
        """Close this process's connection (before forking workers, which open their own)."""
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db = None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @staticmethod
    def _bump(db: sqlite3.Connection) -> int:
        row = db.execute("UPDATE meta SET value = value + 1 WHERE name = 'version' RETURNING value").fetchone()
        return int(row[0])

    # -- objects -----------------------------------------------------------------------------------
    def load(self, api: str) -> list[Change]:
        """Every object of ``api``, in the order they were first written."""
        return self.since(api, 0)

    def news(self, api: str, version: int) -> list[Change]:
        """:meth:`since`, asked only when another connection committed since ``api`` last asked (a cheap check)."""
        with self._lock:
            stamp = int(self._connection().execute("PRAGMA data_version").fetchone()[0])
            if self._seen.get(api) == stamp:
                return []
            self._seen[api] = stamp
            return self.since(api, version)

    def since(self, api: str, version: int) -> list[Change]:
        """Objects of ``api`` written or deleted after ``version``, in the order they were first written."""
        with self._lock:
            rows = self._connection().execute(
                "SELECT bucket, key, body, seq, born FROM objects WHERE api = ? AND seq > ? ORDER BY born, seq",
                (api, version),
            )
            return [
                Change(_bucket_key(bucket), key, None if body is None else json.loads(body), seq, born)
                for bucket, key, body, seq, born in rows
            ]

    @contextlib.contextmanager
    def writing(self, api: str, version: int) -> Iterator[tuple[list[Change], int]]:
        """Under the write lock: what others wrote after ``version``, and the version this write stamps."""
        with self._transaction() as db:
            earlier = self.since(api, version)
            yield earlier, self._bump(db)

    def record(self, api: str, where: BucketKey, key: str, obj: dict[str, Any] | None, version: int, born: int) -> None:
        """Inside :meth:`writing`: the object's new state (``None``: deleted)."""
        body = None if obj is None else json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)
        self._connection().execute(
            "INSERT INTO objects VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (api, bucket, key) DO UPDATE"
            " SET seq = excluded.seq, born = excluded.born, body = excluded.body",
            (api, _bucket_text(where), key, version, born, body),
        )

    def reset(self, api: str) -> int:
        """Delete every object and counter of ``api``; the version that did it."""
        with self._transaction() as db:
            version = self._bump(db)
            db.execute(
                "UPDATE objects SET body = NULL, seq = ?, born = ? WHERE api = ? AND body IS NOT NULL",
                (version, version, api),
            )
            db.execute("DELETE FROM counters WHERE api = ?", (api,))
            return version

    # -- counters ----------------------------------------------------------------------------------
    def advance(self, api: str, tenant: TenantKey, name: str, taken: int) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO counters VALUES (?, ?, ?, ?) ON CONFLICT (api, tenant, name) DO UPDATE"
                " SET value = MAX(value, excluded.value)",
                (api, json.dumps(tenant), name, taken),
            )

    def tally(self, api: str, tenant: TenantKey, name: str, amount: float) -> float:
        with self._transaction() as db:
            row = db.execute(
                "INSERT INTO counters VALUES (?, ?, ?, ?) ON CONFLICT (api, tenant, name) DO UPDATE"
                " SET value = value + excluded.value RETURNING value",
                (api, json.dumps(tenant), f"tally:{name}", amount),
            ).fetchone()
            return float(row[0])

    def next_number(self, api: str, tenant: TenantKey, name: str, *, peek: bool = False) -> int:
        owner = json.dumps(tenant)
        if peek:
            with self._lock:
                row = (
                    self._connection()
                    .execute("SELECT value FROM counters WHERE api = ? AND tenant = ? AND name = ?", (api, owner, name))
                    .fetchone()
                )
                return (int(row[0]) if row else 0) + 1
        with self._transaction() as db:
            row = db.execute(
                "INSERT INTO counters VALUES (?, ?, ?, 1) ON CONFLICT (api, tenant, name) DO UPDATE"
                " SET value = value + 1 RETURNING value",
                (api, owner, name),
            ).fetchone()
            return int(row[0])
