"""Our checks: plain functions in a registry, each also registered as a schemathesis check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import schemathesis
from schemathesis.core.failures import Failure

from conformance.context import RunContext, current
from conformance.drift import DriftKind, SpecPatch

__all__ = ["EXTRA_CHECKS", "CheckFunction", "DriftFailure", "ExtraCheck", "extra_check"]

# (run context, schemathesis check context, response, case) -> None; raises DriftFailure on drift.
CheckFunction = Callable[[RunContext, Any, Any, Any], None]


class DriftFailure(Failure):
    """A failure of one of our checks; it carries its drift kind and where the spec says otherwise."""

    code = "SF901"
    kind_title = "Spec drift"

    def __init__(
        self,
        *,
        kind: DriftKind,
        operation: str,
        title: str,
        message: str,
        pointer: str = "",
        spec_says: str = "",
        api_did: str = "",
        patch: SpecPatch | None = None,
    ) -> None:
        super().__init__(operation=operation, title=title, message=message)
        self.kind: DriftKind = kind
        self.pointer = pointer
        self.spec_says = spec_says
        self.api_did = api_did
        self.patch = patch


@dataclass(frozen=True)
class ExtraCheck:
    name: str
    function: CheckFunction
    description: str


EXTRA_CHECKS: dict[str, ExtraCheck] = {}


def extra_check(function: CheckFunction) -> CheckFunction:
    """Register ``function`` under its own name, here and with schemathesis.

    The schemathesis wrapper finds the run's context from the schema; outside our runs it does nothing,
    so other schemathesis users in the same process are not affected.
    """
    name = function.__name__

    def wrapper(ctx: Any, response: Any, case: Any) -> bool | None:
        context = current(case.operation.schema)
        if context is None:
            return True
        function(context, ctx, response, case)
        return None

    wrapper.__name__ = name
    wrapper.__qualname__ = name
    wrapper.__doc__ = function.__doc__
    schemathesis.check(wrapper)
    EXTRA_CHECKS[name] = ExtraCheck(name, function, (function.__doc__ or "").strip().split("\n")[0])
    return function
