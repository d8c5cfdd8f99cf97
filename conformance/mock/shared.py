"""The mock's state in a SQLite file (WAL): shared by every worker and every mock given the same file, kept
across restarts.

Every commit runs under SQLite's write lock (``BEGIN IMMEDIATE``, queued on an ``flock`` of the file so that a
waiting writer wakes as soon as the lock is free) and stamps the rows it changes with a new version; when a
request begins, a process takes in every row stamped after the last version it took in (less its own), so nothing
written through one worker is lost or doubled when read through another. Nothing is taken in under the lock: rows
another process wrote while a request ran come in when the next one begins, in the order they were first written.
A deleted object leaves a row without a body, which tells the other processes to drop it.

The lock is held for statements only, never while a request works out what it writes:

- a counter (an id, a document number, a running total) changes in one statement of its own, committed at once
  (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``), so two processes never take one number;
- a request's object rows are one transaction (:meth:`SharedState.unit`), begun and committed when its writes are
  done (:meth:`SharedState.settle`), before its answer is shaped and sent. Each of its writes is stamped then.

So a number is taken before the object that shows it is committed: two creates in two processes may commit in the
other order than they took their ids (as two transactions drawing on one database sequence do), and a number
taken is never given back. Every process still lists objects in one order, that of their first
commit.
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from conformance.mock.config import MockConfigError

if TYPE_CHECKING:
    from conformance.mock.counters import CounterFile, CounterKey
    from conformance.mock.store import BucketKey, TenantKey

__all__ = ["FORMAT", "VERSION", "Change", "SharedState", "Stamped"]

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
VERSION = 2  # 2: the newest version and the counters are kept in the counters file (1 is read, and made 2)
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


_Row = tuple[str, "BucketKey", str, str, int | None, str | None]  # API, where, its text, key, born, body


class _Pending:
    """The object rows one request wrote, in order, committed together when it is done (:meth:`SharedState.settle`)."""

    __slots__ = ("groups", "moved")

    def __init__(self) -> None:
        # per write: the rows, stamped at commit with one new version, and who is told the version (the store)
        self.groups: list[tuple[list[_Row], Stamped]] = []
        # the running totals the requests moved (API, tenant, name, amount): moved back if the commit fails
        self.moved: list[tuple[str, TenantKey, str, float]] = []


class Stamped(Protocol):
    def stamped(self, version: int, born: dict[tuple[BucketKey, str], int]) -> None:
        """The version a write was given when committed; ``born``: (bucket, key) -> the version of each object the
        write made anew (the commit's first write of it)."""

    def lost(self) -> None:
        """A write was not committed (the file refused the commit): what memory holds of the state is stale."""


class SharedState:
    """One state file; open it with :meth:`open`, which refuses a file that is not a mock state of this version."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._pid = -1
        self._db: sqlite3.Connection | None = None
        self._gate: int | None = None  # this process's descriptor of the file, for the writers' flock
        self._units = 0  # requests open in this process (see :meth:`unit`)
        self._holding = False  # commits wait for :meth:`release` (see :meth:`hold`)
        self._pending: _Pending | None = None  # rows written by the requests under way, not committed yet
        self._seen: dict[str, int] = {}  # per API: SQLite's data_version when it last took changes in
        # the newest version in the file as of data_version ``_stamp`` (no one else has committed since)
        self._stamp: int | None = None
        self._version: int | None = None
        self._owners: dict[TenantKey, str] = {}
        self._buckets: dict[BucketKey, str] = {}
        self._keys: dict[str, BucketKey] = {}  # the other way: a bucket's text as stored -> its key
        self._tallied: CounterFile | None = None  # this process's map of the counters file (where there is flock)

    @classmethod
    def open(cls, path: Path) -> SharedState:
        """The state in ``path`` (created when missing or empty); ``MockConfigError`` naming the file otherwise."""
        state = cls(path)
        if not path.parent.is_dir():
            raise MockConfigError(f"{path}: cannot create the state file: {path.parent} is not a directory")
        try:
            state._check()
            state._counts()  # made or checked now: a bad counters file is refused before anything is served
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
        if meta.get("format_version") not in (str(VERSION), "1"):
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
            self._stamp, self._version = None, None
            self._tallied = None  # and its flock is this process's own: the counters file is mapped again
        return self._db

    def _counts(self) -> CounterFile | None:
        """This process's map of the counters file beside the state (made or built under the writers' lock, its
        id kept in the state's meta table); ``None`` where there is no ``flock``: counters are SQLite rows there."""
        if not _GATED:
            return None
        db = self._connection()
        if self._tallied is None:
            self._begin(db)  # not :meth:`_committing`, which maps the file first
            try:
                self._map(db)
            except BaseException:
                self._end(db, "ROLLBACK")
                raise
            self._end(db, "COMMIT")
        return self._tallied

    def _map(self, db: sqlite3.Connection) -> None:
        """In a write transaction: map the counters file, built from the SQLite file unless it is this state's."""
        from conformance.mock.counters import CounterFile

        row = db.execute("SELECT value FROM meta WHERE name = 'counters'").fetchone()
        state_id = bytes.fromhex(row[0]) if row else os.urandom(16)
        if row is None:
            db.execute("INSERT INTO meta VALUES ('counters', ?)", (state_id.hex(),))
        db.execute("UPDATE meta SET value = ? WHERE name = 'format_version'", (str(VERSION),))
        self._tallied = CounterFile.open(
            Path(f"{self.path}-counters"),
            state_id,
            lambda: db.execute("SELECT api, tenant, name, value FROM counters").fetchall(),
            lambda: max(
                int(db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()[0]),
                int(db.execute("SELECT coalesce(max(seq), 0) FROM objects").fetchone()[0]),
            ),
        )

    def _map_again(self, db: sqlite3.Connection) -> None:
        """In a write transaction, when the counters file this process maps was deleted or replaced while it ran:
        map the one at its path (built from the SQLite file if new), carrying over the counters this process took
        since its last commit, which the SQLite file does not know yet. Without it this process went on counting
        apart from the others, versions too, and never saw what they wrote after."""
        old = self._tallied
        assert old is not None
        taken = {key: value for key in old.dirty if (value := old.value(key)) is not None}
        old.close()
        self._tallied = None
        self._map(db)
        assert self._tallied is not None
        self._tallied.carry(taken)

    def close(self) -> None:
        """Close this process's connection (before forking workers, which open their own), writing the counters it
        changed since its last commit."""
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                if self._tallied is not None:
                    with self._committing() as (db, newest):  # the version too, for a reader without the map
                        db.execute("UPDATE meta SET value = ? WHERE name = 'version'", (str(newest),))
                    self._tallied.close()
                self._db.close()
                if self._gate is not None:
                    os.close(self._gate)  # after SQLite's own descriptor: its POSIX locks are gone with it
            self._db, self._gate, self._tallied = None, None, None

    # -- transactions ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def unit(self) -> Iterator[None]:
        """One request: the object rows it writes are one transaction, committed when the request is done (or at
        :meth:`settle`; later, with others, while :meth:`hold` is on), an error or not. The writers' lock is taken for
        that commit alone, not while the request builds what it writes: its counters are taken in the counters file
        (:meth:`next_number`)."""
        with self._lock:
            self._units += 1
            try:
                yield
            finally:
                self._units -= 1
                if not self._units and self._pending is not None and not self._holding:
                    self._commit()

    def settle(self) -> None:
        """Inside a :meth:`unit`: commit what it wrote so far, now (a request whose writes are done, before its answer
        is shaped); a later write is committed with the unit."""
        with self._lock:
            if self._pending is not None and not self._holding:
                self._commit()

    def commit_now(self) -> None:
        """Commit what was written so far, held or not (before other processes' writes are taken in: they must
        not go over rows of this one's still on their way)."""
        with self._lock:
            if self._pending is not None:
                self._commit()

    def hold(self) -> None:
        """Until :meth:`release`, requests' writes wait to be committed together: the server's fast path holds the
        answers of the requests it answers in one turn of its event loop, then commits once for all of them (a
        group commit) and sends them. :meth:`commit_now` still commits at once."""
        with self._lock:
            self._holding = True

    def release(self) -> None:
        """Commit what :meth:`hold` kept waiting (an error: the commit's), and commit each write at once again."""
        with self._lock:
            self._holding = False
            if self._pending is not None and not self._units:
                self._commit()

    def _commit(self) -> None:
        """Write the pending rows in one transaction, each write stamped with the next version; then tell each
        writer the version it was given."""
        pending, self._pending = self._pending, None
        assert pending is not None
        try:
            self._write(pending)
        except BaseException:
            # the requests are answered 500: what they did is undone where it is not in the file (running totals
            # in the counters file; objects in each store's memory, taken again from the file at its next read)
            for api, tenant, name, amount in reversed(pending.moved):
                self._tally(api, tenant, name, -amount)
            for owner in {id(owner): owner for _, owner in pending.groups}.values():
                owner.lost()
            raise

    def _write(self, pending: _Pending) -> None:
        with self._committing(len(pending.groups)) as (db, version):
            rows: list[tuple[str, str, str, int, int, str | None]] = []
            made: dict[tuple[str, BucketKey, str], int] = {}  # objects made anew in this commit: their born
            told: list[tuple[Stamped, int, dict[tuple[BucketKey, str], int]]] = []
            for group, owner in pending.groups:
                version += 1
                fresh: dict[tuple[BucketKey, str], int] = {}
                for api, where, bucket, key, born, body in group:
                    if body is None:
                        made.pop((api, where, key), None)
                        born = version
                    elif born is None:
                        born = fresh[(where, key)] = made.setdefault((api, where, key), version)
                    rows.append((api, bucket, key, version, born, body))
                told.append((owner, version, fresh))
            db.executemany(
                "INSERT INTO objects VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (api, bucket, key) DO UPDATE"
                " SET seq = excluded.seq, born = excluded.born, body = excluded.body",
                rows,
            )
        for owner, stamp, fresh in told:
            owner.stamped(stamp, fresh)

    @contextlib.contextmanager
    def _committing(self, versions: int = 0) -> Iterator[tuple[sqlite3.Connection, int]]:
        """A write transaction under the writers' lock, which takes ``versions`` new versions (it is given the newest
        before them) and tells the SQLite file what it must know of the counters this process changed (see
        :meth:`CounterFile.to_keep`): committed at the end, rolled back on an error."""
        # the counters file mapped first, in every process (a worker's first write may take no counter): versions
        # are taken there alone, never from the meta row, which only a mock's close brings up to date
        self._counts()
        db = self._connection()
        self._begin(db)
        keep: list[tuple[CounterKey, float]] = []
        try:
            if self._tallied is not None and self._tallied.moved():
                self._map_again(db)
            yield db, self._take_versions(db, versions)
            keep = self._write_counters(db)
        except BaseException:
            self._version = None  # what this process read of the file may be stale
            if self._tallied is not None:
                self._tallied.forget_keep(keep)
            self._end(db, "ROLLBACK")
            raise
        self._end(db, "COMMIT")
        if self._tallied is not None and keep:
            self._tallied.kept(keep)

    def _take_versions(self, db: sqlite3.Connection, count: int) -> int:
        """Under the writers' lock: the newest version so far; the ``count`` after it are taken. In the counters
        file, with no statement; without one, in the meta table."""
        if self._tallied is not None:
            return self._tallied.take_versions(count)
        newest = self._latest(db)
        if count:
            self._version = newest + count
            db.execute("UPDATE meta SET value = ? WHERE name = 'version'", (str(self._version),))
        return newest

    def _latest(self, db: sqlite3.Connection) -> int:
        """Under the writers' lock: the newest version in the file (as this process last wrote it, while no other
        connection has committed since: SQLite's ``data_version``)."""
        stamp = int(db.execute("PRAGMA data_version").fetchone()[0])
        if stamp != self._stamp or self._version is None:
            self._stamp = stamp
            self._version = int(db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()[0])
        return self._version

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

    def record(
        self, api: str, changes: list[tuple[BucketKey, str, dict[str, Any] | None, int | None]], owner: Stamped
    ) -> None:
        """One write: the new state of each object (``None``: deleted) with its born (``None``: made by this write).
        Inside a :meth:`unit` it is committed with the unit; outside, now. Either way the rows are stamped with one
        new version when committed, and ``owner`` is told it (:meth:`Stamped.stamped`)."""
        group: list[_Row] = []
        for where, key, obj, born in changes:
            bucket = self._buckets.get(where)
            if bucket is None:
                bucket = self._buckets[where] = _bucket_text(where)
            group.append((api, where, bucket, key, born, None if obj is None else _ENCODE(obj)))
        with self._lock:
            if self._pending is None:
                self._pending = _Pending()
            self._pending.groups.append((group, owner))
            if not self._units and not self._holding:
                self._commit()

    def reset(self, api: str) -> int:
        """Delete every object and counter of ``api``; the version that did it (what was pending is written first)."""
        with self._lock:
            if self._pending is not None:
                self._commit()
            with self._committing(1) as (db, newest):
                version = newest + 1
                db.execute(
                    "UPDATE objects SET body = NULL, seq = ?, born = ? WHERE api = ? AND body IS NOT NULL",
                    (version, version, api),
                )
                db.execute("DELETE FROM counters WHERE api = ?", (api,))
                if self._tallied is not None:
                    self._tallied.reset(api)
            return version

    # -- counters ----------------------------------------------------------------------------------
    # A counter is taken in the counters file every process maps (:mod:`conformance.mock.counters`), under its own
    # flock: no process keeps one in memory, so none reads a stale one, and no commit is made for it. It reaches
    # the SQLite file with this process's next commit. Where that file cannot serve (no flock, or no room left for
    # a new counter), each change is one statement of its own in the SQLite file, committed at once.
    def advance(self, api: str, tenant: TenantKey, name: str, taken: int) -> None:
        self._change(
            (api, self._owner(tenant), name),
            lambda value: max(value, taken),
            "INSERT INTO counters VALUES (?, ?, ?, ?) ON CONFLICT (api, tenant, name) DO UPDATE"
            " SET value = max(value, excluded.value)",
            taken,
        )

    def tally(self, api: str, tenant: TenantKey, name: str, amount: float) -> float:
        total = self._tally(api, tenant, name, amount)
        with self._lock:
            if self._units or self._holding:  # inside a request, whose rows are committed later
                if self._pending is None:
                    self._pending = _Pending()
                self._pending.moved.append((api, tenant, name, amount))
        return total

    def _tally(self, api: str, tenant: TenantKey, name: str, amount: float) -> float:
        return self._change(
            (api, self._owner(tenant), f"tally:{name}"),
            lambda value: value + amount,
            "INSERT INTO counters VALUES (?, ?, ?, ?) ON CONFLICT (api, tenant, name) DO UPDATE"
            " SET value = value + excluded.value RETURNING value",
            amount,
        )

    def next_number(self, api: str, tenant: TenantKey, name: str, *, peek: bool = False) -> int:
        key = (api, self._owner(tenant), name)
        if peek:
            with self._lock:
                counts = self._counts()
                value = counts.value(key) if counts is not None else None
                if value is None:
                    found = self._connection().execute(
                        "SELECT value FROM counters WHERE api = ? AND tenant = ? AND name = ?", key
                    )
                    value = next(iter(found.fetchall()), (0,))[0]
                return int(value) + 1
        return int(
            self._change(
                key,
                _next,
                "INSERT INTO counters VALUES (?, ?, ?, ?) ON CONFLICT (api, tenant, name) DO UPDATE"
                " SET value = value + 1 RETURNING value",
                1,
            )
        )

    def _change(self, key: CounterKey, how: Callable[[float], float], statement: str, given: float) -> float:
        """A counter changed by ``how`` in the counters file, or else by ``statement`` in the SQLite file; its value."""
        with self._lock:
            counts = self._counts()
            value = counts.change(key, how) if counts is not None else None
            if value is not None:
                return value
            db = self._connection()
            self._lock_gate()
            try:
                rows = db.execute(statement, (*key, given)).fetchall()  # read to the end: the statement then commits
            finally:
                self._unlock()
            return float(rows[0][0]) if rows else float(given)

    def _write_counters(self, db: sqlite3.Connection) -> list[tuple[CounterKey, float]]:
        """Under the writers' lock: write what the SQLite file must know of the counters this process changed (at
        least each value taken; writes by any process are in the lock's order, so the file never goes back)."""
        counts = self._tallied
        keep = counts.to_keep() if counts is not None and counts.dirty else []
        if keep:
            try:
                db.executemany(
                    "INSERT INTO counters VALUES (?, ?, ?, ?) ON CONFLICT (api, tenant, name) DO UPDATE"
                    " SET value = excluded.value",
                    [(*key, _stored(value)) for key, value in keep],
                )
            except BaseException:
                assert counts is not None
                counts.forget_keep(keep)  # told at the next commit
                raise
        return keep


def _stored(value: float) -> float | int:
    """A counter's value as the SQLite file keeps it: an integer where it is one SQLite can hold (a running total
    of payments can be any double: 9e250 is whole, and no 64-bit integer)."""
    return int(value) if value.is_integer() and -(2**63) <= value < 2**63 else value


def _next(value: float) -> float:
    return value + 1
