"""One bucket of stored objects, in insertion order, with the indexes lists need built on first use.

A list that filters on a field by equality, sorts on a field or hides trashed objects reads an index
instead of every stored object, so its cost follows the page, not the tenant's size. An index is built
the first time a list asks for its field and kept current by every later write.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["Bucket", "equal", "sort_key"]

_TRUE_WORDS = ("1", "true")
_Tag = tuple[Any, ...]


def equal(actual: Any, wanted: Any) -> bool:
    """How a list filter compares a stored value with the one asked for (ids of nested objects, loose booleans)."""
    if isinstance(actual, dict) and "id" in actual:
        actual = actual["id"]
    if isinstance(actual, bool) or isinstance(wanted, bool):
        return str(actual).lower() in _TRUE_WORDS if str(wanted).lower() in _TRUE_WORDS else not actual
    return str(actual) == str(wanted)


_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


def sort_key(value: Any) -> tuple[int, Any]:
    """The order of a list sorted on a field: missing first, then numbers, then everything else as text. Money
    sent as text (BitFaktura's ``"246.00"``) or as a map (onFact's ``{"_": 12.5}``) sorts as the number it is."""
    if isinstance(value, dict) and "_" in value:
        value = value["_"]
    if value is None:
        return (0, "")
    if isinstance(value, str) and _NUMBER.match(value):
        value = float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (1, -math.inf if value != value else value)  # NaN has no place in an order; it goes first
    return (2, str(value))


def _tags(value: Any) -> list[_Tag]:
    """The postings a stored value belongs to, so that :func:`equal` becomes a few dictionary look-ups."""
    if isinstance(value, dict) and "id" in value:
        value = value["id"]
    if isinstance(value, bool):
        return [("b", value)]
    text = str(value)
    tags: list[_Tag] = [("s", text)]
    if text.lower() in _TRUE_WORDS:
        tags.append(("t",))
    if not value:
        tags.append(("f",))
    return tags


def _wanted_tags(wanted: Any) -> tuple[_Tag, _Tag]:
    """The two disjoint postings whose union is every value :func:`equal` matches with ``wanted``."""
    if isinstance(wanted, bool):
        return (("b", True), ("t",)) if wanted else (("b", False), ("f",))
    text = str(wanted)
    return ("s", text), ("b", text.lower() in _TRUE_WORDS)


class _EqIndex:
    """Field value -> the sequence numbers of the objects holding it, each posting kept sorted."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.postings: dict[_Tag, list[int]] = {}
        self.held: dict[int, list[_Tag]] = {}

    def add(self, seq: int, obj: dict[str, Any]) -> None:
        tags = _tags(obj.get(self.field))
        self.held[seq] = tags
        for tag in tags:
            bisect.insort(self.postings.setdefault(tag, []), seq)

    def fill(self, objects: Iterator[tuple[int, dict[str, Any]]]) -> None:
        for seq, obj in objects:  # in increasing order: every posting grows at its end
            tags = self.held[seq] = _tags(obj.get(self.field))
            for tag in tags:
                self.postings.setdefault(tag, []).append(seq)

    def remove(self, seq: int) -> None:
        for tag in self.held.pop(seq, ()):
            posting = self.postings[tag]
            del posting[bisect.bisect_left(posting, seq)]
            if not posting:
                del self.postings[tag]

    def matching(self, wanted: Any) -> list[list[int]]:
        """Disjoint sorted runs of sequence numbers whose objects equal ``wanted`` on this field."""
        return [self.postings[tag] for tag in _wanted_tags(wanted) if tag in self.postings]


class _SortIndex:
    """(sort key, sequence number) pairs in order: ascending is a walk, descending a walk back by runs."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.entries: list[tuple[tuple[int, Any], int]] = []
        self.held: dict[int, tuple[tuple[int, Any], int]] = {}

    def add(self, seq: int, obj: dict[str, Any]) -> None:
        entry = (sort_key(obj.get(self.field)), seq)
        self.held[seq] = entry
        bisect.insort(self.entries, entry)

    def fill(self, objects: Iterator[tuple[int, dict[str, Any]]]) -> None:
        for seq, obj in objects:
            self.held[seq] = (sort_key(obj.get(self.field)), seq)
        self.entries = sorted(self.held.values())

    def remove(self, seq: int) -> None:
        entry = self.held.pop(seq, None)
        if entry is not None:
            del self.entries[bisect.bisect_left(self.entries, entry)]

    def walk(self, descending: bool) -> Iterator[int]:
        """Sequence numbers in the order a stable sort gives (ties keep insertion order either way)."""
        entries = self.entries
        if not descending:
            for _, seq in entries:
                yield seq
            return
        end = len(entries)
        while end > 0:
            start = bisect.bisect_left(entries, (entries[end - 1][0], -1), 0, end)
            for _, seq in entries[start:end]:
                yield seq
            end = start


class Bucket:
    """The objects of one tenant, resource and parent: key -> object in insertion order, plus indexes."""

    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}
        self.seqs: dict[str, int] = {}
        self.keys: dict[int, str] = {}
        self._next = 0
        self._eq: dict[str, _EqIndex] = {}
        self._order: dict[str, _SortIndex] = {}

    def __len__(self) -> int:
        return len(self.objects)

    def put(self, key: str, obj: dict[str, Any]) -> None:
        """Store ``obj`` under ``key``; a key stored before keeps its place in the order."""
        seq = self.seqs.get(key)
        if seq is None:
            seq = self.seqs[key] = self._next
            self.keys[seq] = key
            self._next += 1
        else:
            self._unindex(seq)
        self.objects[key] = obj
        for equal_index in self._eq.values():
            equal_index.add(seq, obj)
        for sort_index in self._order.values():
            sort_index.add(seq, obj)

    def pop(self, key: str) -> dict[str, Any] | None:
        obj = self.objects.pop(key, None)
        if obj is not None:
            seq = self.seqs.pop(key)
            del self.keys[seq]
            self._unindex(seq)
        return obj

    def clear(self) -> None:
        self.objects.clear()
        self.seqs.clear()
        self.keys.clear()
        self._eq.clear()
        self._order.clear()

    def _unindex(self, seq: int) -> None:
        for equal_index in self._eq.values():
            equal_index.remove(seq)
        for sort_index in self._order.values():
            sort_index.remove(seq)

    def equal_to(self, field: str, wanted: Any) -> list[list[int]]:
        """Disjoint sorted runs of the sequence numbers of objects whose ``field`` equals ``wanted``."""
        index = self._eq.get(field)
        if index is None:
            index = self._eq[field] = _EqIndex(field)
            index.fill(self._numbered())
        return index.matching(wanted)

    def ordered(self, field: str, descending: bool) -> Iterator[int]:
        """Every sequence number, sorted on ``field`` as a stable sort would."""
        index = self._order.get(field)
        if index is None:
            index = self._order[field] = _SortIndex(field)
            index.fill(self._numbered())
        return index.walk(descending)

    def _numbered(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return ((seq, self.objects[key]) for seq, key in self.keys.items())

    def in_order(self, runs: list[list[int]]) -> Iterator[int]:
        """The union of disjoint sorted runs, in insertion order."""
        return iter(runs[0]) if len(runs) == 1 else heapq.merge(*runs)

    def obj(self, seq: int) -> dict[str, Any]:
        return self.objects[self.keys[seq]]
