"""The counters of a shared state (ids, document numbers, running totals) in memory every process shares.

A counter is taken many times a request (a create takes its id, its number, its event's id); as a statement of
its own in the SQLite file each take cost a commit, and every commit made the other processes' SQLite connections
drop their page caches. Here a take is a few bytes changed in a file every process maps (``PATH-counters`` beside
the state file, as SQLite keeps ``PATH-shm``), under an ``flock`` of that file: about 2 µs.

So is the state's newest version, which every commit takes under the writers' lock: a commit of a create is then
its object rows and nothing else (no meta row read or written).

The SQLite file stays the record. Before a commit shows a number, the SQLite file is told, in that commit, that
the counter went at least that far: :data:`AHEAD` further, so that it needs telling once in so many numbers (a
running total is told exactly). A counters file that is missing, from an older specforge, or not this state's
(the state file was put back from elsewhere) is built again from the SQLite file, with the newest version its rows
show: numbers then go on past every one a committed object shows (skipping at most :data:`AHEAD`), never giving one
twice. The counters file holds at most :data:`ROOM` counters; past that a new counter is counted in the SQLite
file alone, a statement each.

Layout: a header (magic, the state's id, the number of slots, how many are used, the newest version), then slots
of (the counter's fingerprint, its API's fingerprint, its value, what the SQLite file holds), found by open
addressing on the fingerprint. A slot is never freed: :meth:`CounterFile.reset` sets an API's counters to 0, which
reads as a counter never taken.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import mmap
import os
import struct
from collections.abc import Callable, Iterable
from pathlib import Path

from conformance.mock.config import MockConfigError

__all__ = ["ROOM", "CounterFile", "CounterKey"]

CounterKey = tuple[str, str, str]  # API, tenant (as JSON), counter name
Row = tuple[str, str, str, float]  # a counter as the SQLite file keeps it

_MAGIC = b"specforge-count2"
_HEADER = struct.Struct("<16s16sQQQQ")  # magic, the state's id, slots, slots used, the state's version, (unused)
_SLOT = struct.Struct("<QQdd")  # fingerprint of the counter, of its API, the value, what the SQLite file holds
_VALUE = struct.Struct("<d")
_PAIR = struct.Struct("<dd")  # a slot's value and what the SQLite file holds
_COUNT = struct.Struct("<Q")
_USED_AT, _VERSION_AT = 40, 48  # where the header keeps the slots used and the version
AHEAD = 64  # how far past a counter's value the SQLite file is told it went, so it is written once in so many
SLOTS = 1 << 16
ROOM = SLOTS * 3 // 4  # the most counters kept here: probes stay short
SIZE = _HEADER.size + SLOTS * _SLOT.size  # 2 MiB, sparse until used


def _carried(value: float, _: float) -> float:
    return value


def _print(text: str) -> int:
    """A non-zero 64-bit fingerprint (zero marks a free slot)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little") or 1


class CounterFile:
    """One process's map of the counters file; every method is called under the caller's own thread lock."""

    def __init__(self, path: Path, descriptor: int, memory: mmap.mmap) -> None:
        self.path = path
        self._fd, self._memory = descriptor, memory
        found = os.fstat(descriptor)
        self._file = (found.st_dev, found.st_ino)  # which file is mapped (see :meth:`moved`)
        self._slots: dict[CounterKey, int] = {}  # slots never move: each is looked up once per process
        self.dirty: set[CounterKey] = set()  # changed here since this process last wrote them to the SQLite file

    @classmethod
    def open(
        cls, path: Path, state_id: bytes, rows: Callable[[], Iterable[Row]], version: Callable[[], int]
    ) -> CounterFile:
        """Map ``path``, building it from ``rows`` (the SQLite file's counters) and ``version`` (its newest version)
        unless it holds ``state_id``'s. Called under the state's writers' lock, so no two processes build it at once."""
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise MockConfigError(f"{path}: cannot open the state's counters file ({exc.strerror})") from None
        try:
            size = os.fstat(descriptor).st_size
            if size not in (0, SIZE):
                raise MockConfigError(
                    f"{path}: not a counters file of this specforge ({size:,} bytes); stop the mocks serving "
                    "this state and delete it: it is built again from the state file"
                )
            if size == 0:
                os.ftruncate(descriptor, SIZE)
            memory = mmap.mmap(descriptor, SIZE)
        except BaseException:
            os.close(descriptor)
            raise
        counters = cls(path, descriptor, memory)
        magic, owner, slots, *_ = _HEADER.unpack_from(memory, 0)
        if (magic, owner, slots) != (_MAGIC, state_id, SLOTS):
            counters._build(state_id, rows(), version())
        return counters

    def _build(self, state_id: bytes, rows: Iterable[Row], version: int) -> None:
        """Fill the map from the SQLite file; the header goes last, so a build cut short is built again."""
        memory = self._memory
        memory[:] = bytes(SIZE)
        self._slots.clear()
        for api, tenant, name, value in rows:
            slot = self._slot((api, tenant, name), make=True)
            if slot is None:
                break  # the rest stay in the SQLite file alone
            _PAIR.pack_into(memory, self._offset(slot) + 16, float(value), float(value))
        _HEADER.pack_into(memory, 0, _MAGIC, state_id, SLOTS, self._used(), version, 0)

    def close(self) -> None:
        self._memory.close()
        os.close(self._fd)

    def moved(self) -> bool:
        """Whether the file at :attr:`path` is no longer the one mapped (deleted, or replaced, while mocks ran)."""
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return True
        return (found.st_dev, found.st_ino) != self._file

    def carry(self, taken: dict[CounterKey, float]) -> None:
        """Counters another map of this state took and the SQLite file does not know yet: a number goes on from the
        higher of the two values; a running total is the other map's (it changed there last)."""
        for key, value in taken.items():
            total = key[2].startswith("tally:")
            self.change(key, functools.partial(_carried, value) if total else functools.partial(max, value))

    # -- counting ----------------------------------------------------------------------------------
    def change(self, key: CounterKey, how: Callable[[float], float]) -> float | None:
        """Set the counter to ``how(value)`` and return the new value; ``None`` when the file has no room for it."""
        self._lock(True)
        try:
            slot = self._slot(key, make=True)
            if slot is None:
                return None
            offset = self._offset(slot) + 16
            value = how(_VALUE.unpack_from(self._memory, offset)[0])
            _VALUE.pack_into(self._memory, offset, value)
        finally:
            self._lock(False)
        self.dirty.add(key)
        return value

    def value(self, key: CounterKey) -> float | None:
        """The counter's value (0 if never taken); ``None`` when it is counted in the SQLite file alone."""
        self._lock(True)
        try:
            slot = self._slot(key, make=False)
            if slot is not None:
                return float(_VALUE.unpack_from(self._memory, self._offset(slot) + 16)[0])
            return 0.0 if self._used() < ROOM else None
        finally:
            self._lock(False)

    def to_keep(self) -> list[tuple[CounterKey, float]]:
        """Under the state's writers' lock, before a commit: what the SQLite file must be told of the counters this
        process changed since its last commit, so that it holds at least every number taken (a total: exactly).
        Told :data:`AHEAD` past a counter's value, the file needs telling again only once in so many numbers.
        After the commit, :meth:`kept` records it; if the commit fails, :meth:`forget_keep` puts them back."""
        keys, self.dirty = self.dirty, set()
        self._lock(True)
        try:
            keep = []
            for key in keys:
                slot = self._slot(key, make=False)
                if slot is None:
                    continue
                value, held = _PAIR.unpack_from(self._memory, self._offset(slot) + 16)
                if key[2].startswith("tally:"):
                    if value != held:
                        keep.append((key, value))
                elif value > held:
                    keep.append((key, value + AHEAD))
            return keep
        finally:
            self._lock(False)

    def kept(self, keep: list[tuple[CounterKey, float]]) -> None:
        """After the commit that wrote ``keep``: what the SQLite file holds now."""
        self._lock(True)
        try:
            for key, value in keep:
                slot = self._slot(key, make=False)
                if slot is not None:
                    _VALUE.pack_into(self._memory, self._offset(slot) + 24, value)
        finally:
            self._lock(False)

    def forget_keep(self, keep: list[tuple[CounterKey, float]]) -> None:
        self.dirty.update(key for key, _ in keep)

    def take_versions(self, count: int) -> int:
        """Under the state's writers' lock: the newest version so far; the ``count`` after it are taken."""
        newest = int(_COUNT.unpack_from(self._memory, _VERSION_AT)[0])
        _COUNT.pack_into(self._memory, _VERSION_AT, newest + count)
        return newest

    def reset(self, api: str) -> None:
        """Every counter of ``api`` back to 0 (its slots found by a search for its fingerprint: about a ms)."""
        mark = _COUNT.pack(_print(api))
        self.dirty = {key for key in self.dirty if key[0] != api}
        self._lock(True)
        try:
            memory = self._memory
            at = memory.find(mark, _HEADER.size)
            while at != -1:
                if (at - _HEADER.size) % _SLOT.size == 8:  # where a slot keeps its API's fingerprint
                    _PAIR.pack_into(memory, at + 8, 0.0, 0.0)  # as the SQLite file, where they are deleted
                at = memory.find(mark, at + 1)
        finally:
            self._lock(False)

    # -- slots -------------------------------------------------------------------------------------
    @staticmethod
    def _offset(slot: int) -> int:
        return _HEADER.size + slot * _SLOT.size

    def _used(self) -> int:
        return int(_COUNT.unpack_from(self._memory, _USED_AT)[0])

    def _slot(self, key: CounterKey, *, make: bool) -> int | None:
        """The slot of ``key``: found, or (``make``, with room left) taken for it; else ``None``."""
        slot = self._slots.get(key)
        if slot is not None:
            return slot
        mark, memory = _print("\0".join(key)), self._memory
        slot = mark % SLOTS
        while True:
            found = _SLOT.unpack_from(memory, self._offset(slot))[0]
            if found == mark:
                break
            if not found:
                used = self._used()
                if not make or used >= ROOM:
                    return None
                _SLOT.pack_into(memory, self._offset(slot), mark, _print(key[0]), 0.0, 0.0)
                _COUNT.pack_into(memory, _USED_AT, used + 1)
                break
            slot = (slot + 1) % SLOTS
        self._slots[key] = slot
        return slot

    def _lock(self, take: bool) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_EX if take else fcntl.LOCK_UN)
