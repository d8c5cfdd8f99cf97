"""What our extra checks need to know about the run they are part of."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from conformance.auth import Credentials
from conformance.redact import Redactor

__all__ = ["RunContext", "bind", "current", "unbind"]


@dataclass(frozen=True)
class RunContext:
    """One API's conformance run: its spec (as written, before any rewriting), credentials and tenants."""

    api: str
    spec: dict[str, Any] = field(repr=False)
    credentials: Credentials
    other_tenants: tuple[Credentials, ...] = ()
    redactor: Redactor = field(default_factory=Redactor, repr=False)
    live: bool = False


_lock = threading.Lock()
_contexts: dict[int, RunContext] = {}


def bind(schema: object, context: RunContext) -> None:
    """Attach ``context`` to a loaded schemathesis schema for the length of a run."""
    with _lock:
        _contexts[id(schema)] = context


def unbind(schema: object) -> None:
    with _lock:
        _contexts.pop(id(schema), None)


def current(schema: object) -> RunContext | None:
    """The context of the run ``schema`` belongs to; ``None`` outside our runs (the checks then do nothing)."""
    return _contexts.get(id(schema))
