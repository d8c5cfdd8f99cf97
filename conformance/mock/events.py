"""The API's event log (the document's events hint): which events a write records, and what each one holds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apimodel.facts import EventLog
from conformance.mock.copying import json_copy
from conformance.mock.effects import scope

__all__ = ["event_payloads"]


def _turned_true(log: EventLog, kind: str, before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    """The types of ``kind`` whose condition holds after the write and did not before it (``invoice.paid``)."""
    found = []
    for name, condition in log.when:
        if name.split(".", 1)[0] != kind or not condition.evaluate(scope(after)):
            continue
        if before is None or not condition.evaluate(scope(before)):
            found.append(name)
    return found


def event_payloads(
    log: EventLog | None, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """The events a write records, as ``{type, data: {object, previous}}``: ``<kind>.created``, ``.updated`` or
    ``.deleted`` for an object whose kind has events, then each type whose condition the write made true.
    ``previous`` holds the old values of what an update changed."""
    current = after if after is not None else before
    kind = current.get(log.kind) if log is not None and current is not None else None
    if log is None or current is None or not isinstance(kind, str) or kind not in log.objects:
        return []
    action = "created" if before is None else "deleted" if after is None else "updated"
    types = [f"{kind}.{action}", *(_turned_true(log, kind, before, after) if after is not None else [])]
    changed = sorted({*before, *after} if before is not None and after is not None else ())
    previous = {
        k: before.get(k) for k in changed if before is not None and after is not None and after.get(k) != before.get(k)
    }
    payloads = []
    for name in types:
        data: dict[str, Any] = {"object": json_copy(dict(current))}
        if previous:
            data["previous"] = json_copy(previous)
        payloads.append({"type": name, "data": data})
    return payloads
