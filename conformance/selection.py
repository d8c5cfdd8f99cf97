"""Which operations a run calls: ``--include``/``--exclude`` patterns, and only safe ones in a read-only run."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from apimodel import Api, Operation

__all__ = ["SelectionError", "matches", "select_operations"]


class SelectionError(ValueError):
    """A pattern that names no operation: a typo would otherwise turn into a run that checks nothing."""


def matches(op: Operation, pattern: str) -> bool:
    """An operationId, a tag, or a glob over the path (``/invoices/*``) or method and path (``POST /invoices*``)."""
    return (
        pattern == op.operation_id
        or pattern in op.tags
        or fnmatch.fnmatchcase(op.path, pattern)
        or fnmatch.fnmatchcase(op.key, pattern)
    )


def _check(api: Api, patterns: Iterable[str], flag: str) -> None:
    for pattern in patterns:
        if not any(matches(op, pattern) for op in api.operations):
            raise SelectionError(
                f"{flag} {pattern!r} matches no operation of {api.name}; "
                "give an operationId, a tag, or a path glob such as '/invoices*'"
            )


def select_operations(
    api: Api,
    *,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    read_only: bool = False,
) -> frozenset[str]:
    """The keys (``GET /pets``) of the operations to call. A read-only run calls only safe ones: reads, and
    operations the spec marks safe whatever their method."""
    _check(api, include, "--include")
    _check(api, exclude, "--exclude")
    return frozenset(
        op.key
        for op in api.operations
        if (not include or any(matches(op, p) for p in include))
        and not any(matches(op, p) for p in exclude)
        and (op.safe or not read_only)
    )
