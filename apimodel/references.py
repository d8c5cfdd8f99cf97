"""Facts about single properties that the mock's seed data needs: which collection an id names, and which values
are dates (and in what form). Read from the expand hint where there is one, else inferred from names and types."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from apimodel import hints
from apimodel.facts import Api

__all__ = ["DateForm", "date_form", "referenced_field", "referenced_resource", "unknown_reference"]

DateForm = Literal["date", "date-time", "unix"]
_NOT_IDS = ("date", "date-time", "email", "uri", "binary", "byte", "password")
_DATE_NAME = re.compile(r"(^|_)(date|at|timestamp|on|to)$|^(date|timestamp)")


def referenced_resource(api: Api, name: str, prop: Any, resolved: Any) -> str | None:
    """The top-level stored collection whose id (or other key, :func:`referenced_field`) the property holds: the
    refers-to or expand hint's, else ``customer`` or ``customer_id`` naming ``customers`` (``category_id``:
    ``categories``), when that collection exists."""
    refers = hints.refers_to(prop, resolved)
    hinted = refers[0] if refers is not None else hints.expand(prop, resolved)
    if hinted is not None:
        return hinted
    kind = resolved.get("type") if isinstance(resolved, dict) else None
    fmt = resolved.get("format") if isinstance(resolved, dict) else None
    if kind not in ("integer", "string", None) or fmt in _NOT_IDS:
        return None
    stem = name[: -len("_id")] if name.endswith("_id") else name
    for plural in (f"{stem}s", f"{stem}es", f"{stem[:-1]}ies" if stem.endswith("y") else ""):
        found = api.resource(plural) if plural else None
        if found is not None and found.stored and "." not in found.name:
            return found.name
    return None


def referenced_field(prop: Any, resolved: Any) -> str | None:
    """The field of the referenced object that the property holds, where it is not the id (a client's ``code``)."""
    refers = hints.refers_to(prop, resolved)
    return refers[1] if refers is not None else None


def unknown_reference(prop: Any, resolved: Any, value: Any, find: Callable[[str, str | None, Any], bool]) -> str | None:
    """The API's refusal when ``value`` names no object the tenant has (``find(resource, field, value)``), where the
    refers-to hint gives one; else ``None``."""
    refers = hints.refers_to(prop, resolved)
    if refers is None or refers[2] is None or value is None or find(refers[0], refers[1], value):
        return None
    return refers[2]


def date_form(name: str, resolved: Any) -> DateForm | None:
    """How a property holds a date: a ``date`` or ``date-time`` string, or UNIX seconds (an integer whose name says
    date: ``due_date``, ``created_at``, ``timestamp``, unless its ``maximum`` is below any timestamp since 2001:
    Invoiced's chasing cadence ``run_date`` is a day of the month, 1 to 31)."""
    if not isinstance(resolved, dict):
        return None
    fmt, kind = resolved.get("format"), resolved.get("type")
    if kind == "string" and fmt in ("date", "date-time"):
        return "date" if fmt == "date" else "date-time"
    if kind == "string" and _DATE_NAME.search(name) and not resolved.get("enum"):
        return "date"  # a date without a format (``"2024-12-15"``); the value decides (only ISO dates move)
    bound = resolved.get("maximum")
    if kind == "integer" and _DATE_NAME.search(name) and not (isinstance(bound, int | float) and bound < 10**9):
        return "unix"
    return None
