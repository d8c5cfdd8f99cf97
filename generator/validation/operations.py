"""Rules on operations: names, documentation, client hints, error responses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apimodel import Api, Operation, hints
from apimodel.diagnostics import Diagnostic, join_pointer
from apimodel.walk import iter_operations

__all__ = ["SOURCES", "check_house_operations", "check_operation_ids"]

SOURCES = ("seed", "public-docs", "assumption")


def check_operation_ids(label: str, data: dict[str, Any], *, required: bool) -> Iterator[Diagnostic]:
    seen: dict[str, str] = {}
    for op in iter_operations(data):
        operation_id = op.operation.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            if required:
                yield Diagnostic(
                    label,
                    op.pointer,
                    "missing-operation-id",
                    f"{op.key} has no operationId",
                    "add a unique lowerCamelCase operationId",
                )
            continue
        if operation_id in seen:
            yield Diagnostic(
                label,
                join_pointer("paths", op.path, op.method, "operationId"),
                "duplicate-operation-id",
                f"operationId '{operation_id}' is also used by {seen[operation_id]}",
                "give each operation its own operationId",
            )
        else:
            seen[operation_id] = op.key


def _is_error_status(status: object) -> bool:
    text = str(status).upper()
    return len(text) == 3 and text[0] in "45"


def check_house_operations(label: str, api: Api) -> Iterator[Diagnostic]:
    """The rules our own specs follow (specs/README.md); foreign specs are not held to them."""
    actions: dict[tuple[str, str], str] = {}
    for op in api.operations:
        yield from _check_documentation(label, op)
        resource = op.reason("resource")
        action = op.reason("action")
        hinted_resource = resource is not None and resource.source == "hint"
        if not hinted_resource:
            yield Diagnostic(
                label,
                op.pointer,
                "missing-resource",
                f"{op.key} has no {hints.RESOURCE}",
                f"name the client attribute, e.g. '{hints.RESOURCE}: invoices'",
            )
        if action is None or action.source != "hint":
            yield Diagnostic(
                label,
                op.pointer,
                "missing-action",
                f"{op.key} has no {hints.ACTION}",
                f"name the client method, e.g. '{hints.ACTION}: list'",
            )
        elif hinted_resource:
            key = (op.client_resource, op.action)
            if key in actions:
                yield Diagnostic(
                    label,
                    f"{op.pointer}/{hints.ACTION}",
                    "duplicate-action",
                    f"'{op.client_resource}.{op.action}' is also {actions[key]}",
                    "give each action its own name",
                )
            else:
                actions[key] = op.key
        if not any(_is_error_status(status) for status in op.responses):
            yield Diagnostic(
                label,
                f"{op.pointer}/responses",
                "no-error-response",
                f"{op.key} declares no 4xx or 5xx response",
                "declare the API's error envelope responses",
            )


def _check_documentation(label: str, op: Operation) -> Iterator[Diagnostic]:
    for key, code in (("summary", "missing-summary"), ("description", "missing-description")):
        value = op.raw.get(key)
        if not isinstance(value, str) or not value.strip():
            yield Diagnostic(label, op.pointer, code, f"{op.key} has no {key}", f"write its {key}")
    tags = op.raw.get("tags")
    if not isinstance(tags, list) or len(tags) != 1:
        yield Diagnostic(label, op.pointer, "missing-tag", f"{op.key} should have exactly one tag", "add one tag")
    if op.source is None:
        yield Diagnostic(
            label,
            op.pointer,
            "missing-source",
            f"{op.key} has no {hints.SOURCE}",
            "say where its facts come from: " + " | ".join(SOURCES),
        )
    elif op.source not in SOURCES:
        yield Diagnostic(
            label,
            f"{op.pointer}/{hints.SOURCE}",
            "bad-source",
            f"{hints.SOURCE} '{op.source}' is not one of {', '.join(SOURCES)}",
            "use one of those",
        )
