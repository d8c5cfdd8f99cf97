"""A list read through a bucket's indexes: the page costs what the page holds, not what the tenant holds.

:func:`select` gives the same objects in the same order as filtering and sorting every stored object
(:func:`conformance.mock.listing.apply_filters`), which stays the reference: equality filters read an
index of the field, a sort walks an index of the field, hidden (trashed) objects come from an index of
their flag. Filters without an index (search, periods, metadata) test the candidates one by one.
"""

from __future__ import annotations

import bisect
import itertools
import sys
from collections.abc import Callable, Iterator
from typing import Any

from conformance.mock.index import Bucket, sort_key
from conformance.mock.listing import Criteria

__all__ = ["Selection", "select"]

_WALK_SHARE = 8  # with a filter keeping more than 1/8 of a bucket, walking the sort index beats sorting


def _holds(runs: list[list[int]], seq: int) -> bool:
    for run in runs:
        at = bisect.bisect_left(run, seq)
        if at < len(run) and run[at] == seq:
            return True
    return False


class Selection:
    """The objects a list selected, as a sequence whose length and slices are worked out when asked."""

    def __init__(
        self, bucket: Bucket, order: Callable[[], Iterator[int]], keep: Callable[[int], bool], total: int | None
    ) -> None:
        self._bucket, self._order, self._keep, self._total = bucket, order, keep, total

    def _seqs(self) -> Iterator[int]:
        return filter(self._keep, self._order())

    def __len__(self) -> int:
        if self._total is None:
            self._total = sum(1 for _ in self._seqs())
        return self._total

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self._bucket.obj, self._seqs())

    def __getitem__(self, part: slice) -> list[dict[str, Any]]:
        start, stop = part.start or 0, part.stop
        if start < 0 or (stop is not None and stop < 0) or part.step not in (None, 1):
            return list(self)[part]
        start, stop = min(start, sys.maxsize), None if stop is None else min(stop, sys.maxsize)  # page=10**30
        return [self._bucket.obj(seq) for seq in itertools.islice(self._seqs(), start, stop)]


def select(bucket: Bucket, wanted: Criteria, hidden: list[str]) -> Selection:
    """The objects of ``bucket`` that ``wanted`` keeps, in its order, less those whose ``hidden`` flag is true."""
    excluded: set[int] = set()
    for flag in hidden:
        excluded.update(seq for run in bucket.equal_to(flag, True) for seq in run if bucket.obj(seq).get(flag) is True)
    equal = [(name, value, bucket.equal_to(name, value)) for name, value in wanted.equal]
    driver: list[list[int]] | None = None
    rest = []
    if equal:
        best = min(range(len(equal)), key=lambda i: sum(len(run) for run in equal[i][2]))
        driver = equal[best][2]
        rest = [(name, value) for i, (name, value, _) in enumerate(equal) if i != best]
    size = len(bucket) if driver is None else sum(len(run) for run in driver)
    residual = Criteria(rest, wanted.tests) if rest or wanted.tests else None

    def keep(seq: int) -> bool:
        return seq not in excluded and (residual is None or residual.keeps(bucket.obj(seq)))

    def candidates() -> Iterator[int]:
        if wanted.newest_first:
            return reversed(bucket.keys) if driver is None else iter(sorted(bucket.in_order(driver), reverse=True))
        return iter(bucket.keys) if driver is None else bucket.in_order(driver)

    total = None
    if residual is None:
        hidden_here = len(excluded) if driver is None else sum(1 for seq in excluded if _holds(driver, seq))
        total = size - hidden_here
    if not wanted.sorts:
        return Selection(bucket, candidates, keep, total)
    if len(wanted.sorts) == 1 and (driver is None or size * _WALK_SHARE > len(bucket)):
        name, descending = wanted.sorts[0]
        chosen = driver

        def walk() -> Iterator[int]:
            ordered = bucket.ordered(name, descending)
            return ordered if chosen is None else (seq for seq in ordered if _holds(chosen, seq))

        return Selection(bucket, walk, keep, total)
    kept = [seq for seq in candidates() if keep(seq)]  # few candidates: sort them as the reference does
    for name, descending in wanted.sorts:
        keys = {seq: sort_key(bucket.obj(seq).get(name)) for seq in kept}
        kept.sort(key=keys.__getitem__, reverse=descending)
    return Selection(bucket, lambda: iter(kept), lambda _: True, len(kept))
