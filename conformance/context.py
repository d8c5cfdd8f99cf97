"""What our extra checks need to know about the run they are part of."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from apimodel import Api, Operation
from conformance.auth import Credentials
from conformance.redact import Redactor

if TYPE_CHECKING:
    from conformance.mock.schema import SchemaSet

__all__ = ["RunContext", "bind", "current", "unbind"]


@dataclass(frozen=True)
class RunContext:
    """One API's conformance run: its model (the spec as written, before any rewriting), credentials, tenants."""

    model: Api = field(repr=False)
    credentials: Credentials
    other_tenants: tuple[Credentials, ...] = ()
    redactor: Redactor = field(default_factory=Redactor, repr=False)
    live: bool = False

    @property
    def api(self) -> str:
        return self.model.name

    @property
    def spec(self) -> dict[str, Any]:
        return self.model.data

    @cached_property
    def schemas(self) -> SchemaSet:
        """The spec's schemas as validators (the mock's), for checks that validate what schemathesis cannot read."""
        from conformance.mock.schema import SchemaSet

        return SchemaSet(self.model.data)

    def operation(self, case: Any) -> Operation | None:
        """The model's operation a schemathesis case belongs to."""
        return self.model.operation(case.operation.method, case.operation.path)


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
