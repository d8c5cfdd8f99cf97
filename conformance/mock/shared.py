"""The mock's state in a SQLite file (WAL): shared by every worker and every mock given the same file, kept
across restarts.

Each write runs under SQLite's write lock (``BEGIN IMMEDIATE``, queued on an ``flock`` of the file so that a
waiting writer wakes as soon as the lock is free) and stamps the rows it changes with a new version; when a
request begins, a process takes in every row stamped after the last version it took in (less its own), so nothing
written through one worker is lost or doubled when read through another. Nothing is taken in under the lock: rows
another process wrote while a request ran come in when the next one begins, in the order they were first written.
A deleted object leaves a row without a body, which tells the other processes to drop it. Counters (ids, numbers)
are rows too, counted under the same lock.

One request is one transaction (:meth:`SharedState.unit`): its rows, counters and version are written together
when its writes are done (:meth:`SharedState.settle`), before its answer is shaped and sent. While no other
process has written (SQLite's ``data_version``), a process trusts the counters and the version it already read.
The file is not synced to disk (``synchronous = OFF``): it outlives a restart of the mock, not a crash of the
machine, and a sync per write would cost more than the rest of a create.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance.mock.config import MockConfigError

if TYPE_CHECKING:
    from conformance.mock.store import BucketKey, TenantKey

__all__ = ["FORMAT", "VERSION", "Change", "SharedState"]

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode  # made once

if sys.platform == "win32":  # pragma: no cover - there SQLite's own busy wait queues the writers
    _GATED = False

    def _flock(descriptor: int, take: bool) -> None:
        return None
else:
    import fcntl

    _GATED = True

    def _flock(descriptor: int, take: bool) -> None:
        """Take or release the writers' lock: the kernel wakes a waiting writer as soon as it is free."""
        fcntl.flock(descriptor, fcntl.LOCK_EX if take else fcntl.LOCK_UN)


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


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _bucket_text(where: BucketKey) -> str:
    tenant, resource, parents = where
    return json.dumps([tenant, resource, list(parents)], separators=(",", ":"))


def _bucket_key(text: str) -> BucketKey:
    tenant, resource, parents = json.loads(text)
    return tenant, resource, tuple(parents)


class _Transaction:
    """What one write transaction changes, written when it commits."""

    __slots__ = ("counters", "db", "rows", "version", "wrote_version")

    def __init__(self, db: sqlite3.Connection, version: int) -> None:
        self.db = db
        self.version = version
        self.wrote_version = False
        self.rows: list[tuple[str, str, str, int, int, str | None]] = []
        self.counters: dict[tuple[str, str, str], float] = {}


class SharedState:
    """One state file; open it with :meth:`open`, which refuses a file that is not a mock state of this version."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._pid = -1
        self._db: sqlite3.Connection | None = None
        self._gate: int | None = None  # this process's descriptor of the file, for the writers' flock
        self._units = 0  # requests open in this process (see :meth:`unit`)
        self._tx: _Transaction | None = None  # the write transaction under way
        self._seen: dict[str, int] = {}  # per API: SQLite's data_version when it last took changes in
        # what this process knows of the file as of data_version ``_stamp``: no one else has written since
        self._stamp: int | None = None
        self._version: int | None = None
        self._counters: dict[tuple[str, str, str], float] = {}
        self._owners: dict[TenantKey, str] = {}
        self._buckets: dict[BucketKey, str] = {}
        self._keys: dict[str, BucketKey] = {}  # the other way: a bucket's text as stored -> its key

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
        tables = _tables(db)
        if tables:
            self._recognise(db, tables)  # before anything is changed: a file that is not ours is left as it was
        # WAL is kept in the file, so every later connection (each worker's) has it. Switched under the writers'
        # lock: a new file's first switch fails at once ("database is locked", no busy wait) when another mock
        # opening it at the same moment holds it
        self._lock_gate()
        try:
            db.execute("PRAGMA journal_mode = WAL")
        finally:
            self._unlock()
        if tables:
            return
        self._begin(db)
        try:
            # looked for again under the lock: another mock started at the same moment may have made the tables
            # while this one waited (then this one reads them like any kept state)
            tables = _tables(db)
            if not tables:
                for statement in _SCHEMA:
                    db.execute(statement)
                rows = [("format", FORMAT), ("format_version", str(VERSION)), ("version", "0")]
                db.executemany("INSERT INTO meta VALUES (?, ?)", rows)
        except BaseException:
            self._end(db, "ROLLBACK")
            raise
        self._end(db, "COMMIT")
        if tables:
            self._recognise(db, tables)

    def _recognise(self, db: sqlite3.Connection, tables: set[str]) -> None:
        """``MockConfigError`` unless the file is a mock state of this version, undamaged."""
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
            db.execute("PRAGMA synchronous = OFF")
            self._db, self._pid = db, os.getpid()
            self._gate = os.open(self.path, os.O_RDONLY) if _GATED else None
            self._seen.clear()  # data_version counts per connection
            self._forget()
        return self._db

    def _forget(self) -> None:
        self._stamp, self._version = None, None
        self._counters.clear()

    def close(self) -> None:
        """Close this process's connection (before forking workers, which open their own)."""
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
                if self._gate is not None:
                    os.close(self._gate)  # after SQLite's own descriptor: its POSIX locks are gone with it
            self._db, self._gate = None, None

    # -- transactions ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def unit(self) -> Iterator[None]:
        """One request's writes as one transaction: begun at its first write, committed when the request is done.

        A create that takes an id and a number and logs an event writes five times; one transaction instead of
        five, and the writers' lock taken once, is most of what a write pays for the shared file.
        """
        with self._lock:
            self._units += 1
            try:
                yield
            finally:
                self._units -= 1
                if not self._units and self._tx is not None:
                    self._commit()  # what was applied in memory is written, an error or not

    def settle(self) -> None:
        """Inside a :meth:`unit`: commit what it wrote so far, now (a request whose writes are done, before its answer
        is shaped: other processes' writers need not wait for that); a later write begins a transaction of its own."""
        with self._lock:
            if self._tx is not None:
                self._commit()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[_Transaction]:
        with self._lock:
            if self._tx is not None:  # inside a unit whose transaction has begun
                yield self._tx
                return
            db = self._connection()
            self._begin(db)
            try:
                stamp = int(db.execute("PRAGMA data_version").fetchone()[0])
                if stamp != self._stamp:  # another connection wrote: what this one knows may be stale
                    self._forget()
                    self._stamp = stamp
                if self._version is None:
                    self._version = int(db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()[0])
            except BaseException:
                self._end(db, "ROLLBACK")
                raise
            self._tx = _Transaction(db, self._version)
            if self._units:
                yield self._tx  # committed when the unit ends
                return
            try:
                yield self._tx
            except BaseException:
                self._rollback()
                raise
            self._commit()

    def _commit(self) -> None:
        tx, self._tx = self._tx, None
        assert tx is not None
        try:
            self._flush(tx)
        except BaseException:
            self._forget()
            self._end(tx.db, "ROLLBACK")
            raise
        self._end(tx.db, "COMMIT")
        self._version = tx.version

    def _rollback(self) -> None:
        tx, self._tx = self._tx, None
        assert tx is not None
        self._forget()
        self._end(tx.db, "ROLLBACK")

    @staticmethod
    def _flush(tx: _Transaction) -> None:
        if tx.rows:
            tx.db.executemany(
                "INSERT INTO objects VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (api, bucket, key) DO UPDATE"
                " SET seq = excluded.seq, born = excluded.born, body = excluded.body",
                tx.rows,
            )
            tx.rows.clear()
        if tx.counters:
            tx.db.executemany(
                "INSERT INTO counters VALUES (?, ?, ?, ?) ON CONFLICT (api, tenant, name) DO UPDATE"
                " SET value = excluded.value",
                [(*key, value) for key, value in tx.counters.items()],
            )
            tx.counters.clear()
        if tx.wrote_version:
            tx.db.execute("UPDATE meta SET value = ? WHERE name = 'version'", (str(tx.version),))
            tx.wrote_version = False

    def _begin(self, db: sqlite3.Connection) -> None:
        self._lock_gate()  # SQLite's own wait polls with sleeps of up to 100 ms; this queues
        try:
            db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._unlock()
            raise

    def _end(self, db: sqlite3.Connection, how: str) -> None:
        try:
            db.execute(how)
        finally:
            self._unlock()

    def _lock_gate(self) -> None:
        if self._gate is not None:
            _flock(self._gate, True)

    def _unlock(self) -> None:
        if self._gate is not None:
            _flock(self._gate, False)

    @staticmethod
    def _bump(tx: _Transaction) -> int:
        tx.version += 1
        tx.wrote_version = True
        return tx.version

    def _owner(self, tenant: TenantKey) -> str:
        owner = self._owners.get(tenant)
        if owner is None:
            owner = self._owners[tenant] = json.dumps(tenant)
        return owner

    # -- objects -----------------------------------------------------------------------------------
    def load(self, api: str) -> list[Change]:
        """Every object of ``api``, in the order they were first written."""
        return self.since(api, 0)

    def news(self, api: str, version: int, skip: frozenset[int] = frozenset()) -> list[Change]:
        """:meth:`since`, asked only when another connection committed since ``api`` last asked (a cheap check)."""
        with self._lock:
            stamp = int(self._connection().execute("PRAGMA data_version").fetchone()[0])
            if self._seen.get(api) == stamp:
                return []
            self._seen[api] = stamp
            return self.since(api, version, skip)

    def since(self, api: str, version: int, skip: frozenset[int] = frozenset()) -> list[Change]:
        """Objects of ``api`` written or deleted after ``version``, in the order they were first written; a row
        stamped with a version in ``skip`` (this process's own writes, already in its memory) comes without its
        body, which is not read."""
        with self._lock:
            rows = self._connection().execute(
                "SELECT bucket, key, body, seq, born FROM objects WHERE api = ? AND seq > ? ORDER BY born, seq",
                (api, version),
            )
            keys = self._keys
            return [
                Change(
                    keys.get(bucket) or keys.setdefault(bucket, _bucket_key(bucket)),
                    key,
                    None if body is None or seq in skip else json.loads(body),
                    seq,
                    born,
                )
                for bucket, key, body, seq, born in rows
            ]

    @contextlib.contextmanager
    def writing(self) -> Iterator[int]:
        """A write under the writers' lock: the version it stamps (what others wrote meanwhile is taken in later)."""
        with self._transaction() as tx:
            yield self._bump(tx)

    def record(self, api: str, where: BucketKey, key: str, obj: dict[str, Any] | None, version: int, born: int) -> None:
        """Inside :meth:`writing`: the object's new state (``None``: deleted), written when the transaction ends."""
        body = None if obj is None else _ENCODE(obj)
        bucket = self._buckets.get(where)
        if bucket is None:
            bucket = self._buckets[where] = _bucket_text(where)
        assert self._tx is not None, "record() outside writing()"
        self._tx.rows.append((api, bucket, key, version, born, body))

    def reset(self, api: str) -> int:
        """Delete every object and counter of ``api``; the version that did it."""
        with self._transaction() as tx:
            self._flush(tx)  # what this transaction wrote before goes too
            version = self._bump(tx)
            tx.db.execute(
                "UPDATE objects SET body = NULL, seq = ?, born = ? WHERE api = ? AND body IS NOT NULL",
                (version, version, api),
            )
            tx.db.execute("DELETE FROM counters WHERE api = ?", (api,))
            for key in [key for key in self._counters if key[0] == api]:
                del self._counters[key]
            return version

    # -- counters ----------------------------------------------------------------------------------
    def advance(self, api: str, tenant: TenantKey, name: str, taken: int) -> None:
        key = (api, self._owner(tenant), name)
        with self._transaction() as tx:
            if taken > self._counter(tx, key):
                self._count(tx, key, taken)

    def tally(self, api: str, tenant: TenantKey, name: str, amount: float) -> float:
        key = (api, self._owner(tenant), f"tally:{name}")
        with self._transaction() as tx:
            total = self._counter(tx, key) + amount
            self._count(tx, key, total)
            return float(total)

    def next_number(self, api: str, tenant: TenantKey, name: str, *, peek: bool = False) -> int:
        key = (api, self._owner(tenant), name)
        with self._lock:
            if peek and self._tx is None:
                row = (
                    self._connection()
                    .execute("SELECT value FROM counters WHERE api = ? AND tenant = ? AND name = ?", key)
                    .fetchone()
                )
                return (int(row[0]) if row else 0) + 1
            with self._transaction() as tx:
                value = int(self._counter(tx, key)) + 1
                if not peek:
                    self._count(tx, key, value)
                return value

    def _counter(self, tx: _Transaction, key: tuple[str, str, str]) -> float:
        """A counter's value in this transaction: as this process last counted it, while no other has written."""
        value = self._counters.get(key)
        if value is None:
            row = tx.db.execute("SELECT value FROM counters WHERE api = ? AND tenant = ? AND name = ?", key).fetchone()
            value = self._counters[key] = row[0] if row else 0
        return value

    def _count(self, tx: _Transaction, key: tuple[str, str, str], value: float) -> None:
        self._counters[key] = tx.counters[key] = value
