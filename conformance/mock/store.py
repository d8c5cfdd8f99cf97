"""The mock's state: objects per tenant, resource and parent, with server-assigned ids and numbers.

By default everything lives in this process's memory. Given a :class:`~conformance.mock.shared.SharedState`
(``specforge mock --state PATH`` or ``--workers N``), every write also goes to a SQLite file under its write
lock, and every request first takes in what other processes wrote since, so all workers see one state that
outlives a restart. Reads always come from memory, through the bucket's indexes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from conformance.mock.index import Bucket

if TYPE_CHECKING:
    from conformance.mock.shared import Change, SharedState

__all__ = ["BucketKey", "Store", "TenantKey"]

_NO_UNIT = contextlib.nullcontext()  # a request's unit where there is no shared file: nothing to do

TenantKey = int | str
BucketKey = tuple[TenantKey, str, tuple[str, ...]]
_EMPTY = Bucket()
_OUTSIDE, _DUE, _TAKEN = 0, 1, 2  # where a request is with what other processes wrote (shared state)
# shared state: the born of an object written but not yet committed, after every committed one (it is stamped later)
_PENDING = 1 << 62


class Store:
    """Everything one API of the mock remembers; one lock keeps concurrent writers consistent."""

    def __init__(self, api: str = "", shared: SharedState | None = None) -> None:
        self.lock = threading.RLock()
        self.api, self.shared = api, shared
        self._buckets: dict[BucketKey, Bucket] = {}
        self._counters: dict[tuple[TenantKey, str], int] = {}
        self._tallies: dict[tuple[TenantKey, str], float] = {}
        self._where: dict[int, tuple[BucketKey, str]] = {}  # id(stored object) -> where it is stored
        self._born: dict[tuple[BucketKey, str], int] = {}  # shared state: when each object was first written
        self._version = 0  # shared state: every change up to this version is taken in
        self._mine: set[int] = set()  # shared state: versions past ``_version`` this process wrote (in memory)
        self._snapshot = _OUTSIDE  # or inside a request: _DUE until its first read takes others' writes in, then _TAKEN
        self._stale = False  # shared state: a commit of this store's writes failed; memory is taken again at a read
        if shared is not None:
            self._take(shared.load(api))

    # -- reading -----------------------------------------------------------------------------------
    def bucket(self, tenant: TenantKey, resource: str, parents: tuple[str, ...] = ()) -> Bucket:
        """The bucket to read (never to write: writes go through :meth:`put`, :meth:`replace`, :meth:`delete`)."""
        self.refresh()
        return self._buckets.get((tenant, resource, parents), _EMPTY)

    def get(self, tenant: TenantKey, resource: str, parents: tuple[str, ...], key: str) -> dict[str, Any] | None:
        return self.bucket(tenant, resource, parents).objects.get(key)

    def first(self, tenant: TenantKey, resource: str, parents: tuple[str, ...]) -> dict[str, Any] | None:
        """The one object of a singleton resource, if any."""
        return next(iter(self.bucket(tenant, resource, parents).objects.values()), None)

    def find_any(self, tenant: TenantKey, resource: str, key: str) -> dict[str, Any] | None:
        """An object of ``resource`` under any parent (for ``expand``)."""
        self.refresh()
        for (owner, name, _), bucket in list(self._buckets.items()):
            if owner == tenant and name == resource and key in bucket.objects:
                return bucket.objects[key]
        return None

    def search(self, resource: str, field: str, value: str) -> Iterator[tuple[TenantKey, dict[str, Any]]]:
        """Objects of ``resource`` in any tenant whose ``field`` equals ``value`` (share-link lookups)."""
        self.refresh()
        for (owner, name, _), bucket in list(self._buckets.items()):
            if name == resource:
                for obj in list(bucket.objects.values()):
                    if str(obj.get(field)) == value:
                        yield owner, obj

    def count(self, resource: str | None = None) -> int:
        """How many objects (of ``resource``, or of any) are stored, in every tenant."""
        self.refresh()
        return sum(len(bucket) for (_, name, _), bucket in self._buckets.items() if resource in (None, name))

    # -- writing -----------------------------------------------------------------------------------
    def next_number(self, tenant: TenantKey, counter: str, *, peek: bool = False) -> int:
        if self.shared is not None:
            return self.shared.next_number(self.api, tenant, counter, peek=peek)
        with self.lock:
            value = self._counters.get((tenant, counter), 0) + 1
            if not peek:
                self._counters[(tenant, counter)] = value
            return value

    def advance(self, tenant: TenantKey, counter: str, taken: int) -> None:
        """Move ``counter`` on past ``taken`` (a number the client chose), never back."""
        if self.shared is not None:
            self.shared.advance(self.api, tenant, counter, taken)
            return
        with self.lock:
            self._counters[(tenant, counter)] = max(self._counters.get((tenant, counter), 0), taken)

    def tally(self, tenant: TenantKey, name: str, amount: float) -> float:
        """Add ``amount`` to the running total ``name`` (what the payments on one document add up to, where the
        document itself does not show it) and return the new total."""
        if self.shared is not None:
            return self.shared.tally(self.api, tenant, name, amount)
        with self.lock:
            total = self._tallies[(tenant, name)] = self._tallies.get((tenant, name), 0.0) + amount
            return total

    def put(self, tenant: TenantKey, resource: str, parents: tuple[str, ...], key: str, obj: dict[str, Any]) -> None:
        self._write([((tenant, resource, parents), key, obj)])

    def replace(self, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        """Put ``new`` where ``old`` is stored (same tenant, bucket, key and place); ``new`` when ``old`` is not."""
        with self.lock:
            where = self._where.get(id(old))
            if where is not None and self._buckets[where[0]].objects.get(where[1]) is old:
                self._write([(where[0], where[1], new)])
            return new

    def delete(self, tenant: TenantKey, resource: str, parents: tuple[str, ...], key: str) -> dict[str, Any] | None:
        with self.lock:
            found = self.get(tenant, resource, parents, key)
            if found is not None:
                self._write([((tenant, resource, parents), key, None)])
            return found

    def clear(self, tenant: TenantKey, resource: str, parents: tuple[str, ...]) -> None:
        """Remove every object of one bucket (a singleton about to be created anew)."""
        with self.lock:
            where = (tenant, resource, parents)
            self.refresh(now=True)  # every object of the bucket, those others wrote since this request began too
            self._write([(where, key, None) for key in list(self.bucket(*where).objects)])

    def reset(self) -> None:
        """Forget everything: objects and counters (tests start each case from here)."""
        with self.lock:
            if self.shared is not None:
                self._version = self.shared.reset(self.api)
                self._mine.clear()
            self._buckets.clear()
            self._counters.clear()
            self._tallies.clear()
            self._where.clear()
            self._born.clear()

    def unit(self) -> contextlib.AbstractContextManager[None]:
        """One request: with a shared file, its writes are one transaction, committed before it is answered."""
        return _NO_UNIT if self.shared is None else self._unit()

    @contextlib.contextmanager
    def _unit(self) -> Iterator[None]:
        assert self.shared is not None
        with self.lock, self.shared.unit():  # in this order everywhere: the store's lock, then the file's
            # what other processes wrote is taken in once, at the request's first read: it reads that and its own
            # writes; a request that reads nothing stored (a create, mostly) takes in nothing, the next read does
            outer, self._snapshot = self._snapshot, _DUE
            try:
                yield
            finally:
                self._snapshot = outer

    def settle(self) -> None:
        """With a shared file: the request's writes are done; commit them before its answer is shaped."""
        if self.shared is not None:
            with self.lock:
                self.shared.settle()

    # -- keeping memory and the shared file in step -------------------------------------------------
    def refresh(self, *, now: bool = False) -> None:
        """Take in what other processes wrote to the shared state since this one last looked (inside a request,
        once, at its first read; ``now``: again, for a write that depends on everything stored)."""
        if self.shared is None or (self._snapshot == _TAKEN and not now and not self._stale):
            return
        with self.lock:
            self.shared.commit_now()  # what this process wrote is committed first: what comes in cannot go over it
            if self._stale:  # memory taken again whole (``news`` would say nothing: no one else committed)
                self._forget()
                self._stale = False
                self._take(self.shared.load(self.api))
            if self._snapshot != _OUTSIDE:
                self._snapshot = _TAKEN
            self._take(self.shared.news(self.api, self._version, frozenset(self._mine)))

    def _write(self, changes: list[tuple[BucketKey, str, dict[str, Any] | None]]) -> None:
        if not changes:
            return
        with self.lock:
            if self.shared is None:
                for where, key, obj in changes:
                    self._apply(where, key, obj)
                return
            rows = []
            for where, key, obj in changes:
                born = self._born.get((where, key)) if obj is not None else None
                rows.append((where, key, obj, None if born == _PENDING else born))
                self._apply(where, key, obj, _PENDING if born is None and obj is not None else None)
            self.shared.record(self.api, rows, self)  # committed with the request (or now, outside one)

    def lost(self) -> None:
        """A commit of this store's writes failed (their requests were answered 500): memory holds objects the file
        does not; everything is taken again from the file at the next read."""
        self._stale = True

    def _forget(self) -> None:
        self._buckets.clear()
        self._where.clear()
        self._born.clear()
        self._mine.clear()
        self._version = 0

    def stamped(self, version: int, born: dict[tuple[BucketKey, str], int]) -> None:
        """A write of this store was committed as ``version``; ``born``: when each object it made was first written."""
        for place, first in born.items():
            if self._born.get(place) == _PENDING:
                self._born[place] = first
        if version == self._version + 1 and not self._mine:
            self._version = version  # no one else wrote in between
        else:
            self._mine.add(version)  # others' writes before it are taken in later, in their place

    def _take(self, changes: list[Change]) -> None:
        top = self._version
        for change in changes:
            top = max(top, change.version)
            if change.version in self._mine:
                continue  # written by this process: in memory already
            where, key = change.where, change.key
            known = self._born.get((where, key))
            if known is not None and change.obj is not None and known != change.born:
                self._apply(where, key, None)  # deleted and made again elsewhere: it moves to its new place
                known = None
            if change.obj is None or known is not None:
                self._apply(where, key, change.obj, change.born)
            else:
                self._insert(where, key, change.obj, change.born)
        self._version = max([top, *self._mine])
        self._mine.clear()

    def _insert(self, where: BucketKey, key: str, obj: dict[str, Any], born: int) -> None:
        """A new object from another process, in the order objects were first written: before any this process
        wrote while it was on its way."""
        objects = self._buckets.get(where, _EMPTY).objects
        later: list[tuple[str, dict[str, Any], int]] = []  # newest first
        for other in reversed(objects):
            other_born = self._born.get((where, other), born)
            if other_born <= born:
                break
            later.append((other, objects[other], other_born))
        for other, _, _ in later:
            self._apply(where, other, None)
        self._apply(where, key, obj, born)
        for other, other_obj, other_born in reversed(later):
            self._apply(where, other, other_obj, other_born)

    def _apply(self, where: BucketKey, key: str, obj: dict[str, Any] | None, born: int | None = None) -> None:
        bucket = self._buckets.get(where)
        if obj is None:
            old = bucket.pop(key) if bucket is not None else None
            if old is not None:
                self._where.pop(id(old), None)
            self._born.pop((where, key), None)
            return
        if bucket is None:
            bucket = self._buckets[where] = Bucket()
        old = bucket.objects.get(key)
        if old is not None:
            self._where.pop(id(old), None)
        bucket.put(key, obj)
        self._where[id(obj)] = (where, key)
        if born is not None:
            self._born[(where, key)] = born
