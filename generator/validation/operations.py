"""Rules on operations: names, documentation, client hints, error responses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apimodel.diagnostics import Diagnostic, join_pointer
from apimodel.walk import OperationRef, iter_operations

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


def check_house_operations(label: str, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """The rules our own specs follow (specs/README.md); foreign specs are not held to them."""
    actions: dict[tuple[str, str], str] = {}
    for op in iter_operations(data):
        yield from _check_documentation(label, op)
        resource, action = op.operation.get("x-resource"), op.operation.get("x-action")
        if not isinstance(resource, str) or not resource:
            yield Diagnostic(
                label,
                op.pointer,
                "missing-resource",
                f"{op.key} has no x-resource",
                "name the client attribute, e.g. 'x-resource: invoices'",
            )
        if not isinstance(action, str) or not action:
            yield Diagnostic(
                label,
                op.pointer,
                "missing-action",
                f"{op.key} has no x-action",
                "name the client method, e.g. 'x-action: list'",
            )
        elif isinstance(resource, str):
            key = (resource, action)
            if key in actions:
                yield Diagnostic(
                    label,
                    join_pointer("paths", op.path, op.method, "x-action"),
                    "duplicate-action",
                    f"'{resource}.{action}' is also {actions[key]}",
                    "give each action its own name",
                )
            else:
                actions[key] = op.key
        responses = op.operation.get("responses") or {}
        if not any(_is_error_status(status) for status in responses):
            yield Diagnostic(
                label,
                join_pointer("paths", op.path, op.method, "responses"),
                "no-error-response",
                f"{op.key} declares no 4xx or 5xx response",
                "declare the API's error envelope responses",
            )


def _check_documentation(label: str, op: OperationRef) -> Iterator[Diagnostic]:
    operation = op.operation
    for key, code in (("summary", "missing-summary"), ("description", "missing-description")):
        value = operation.get(key)
        if not isinstance(value, str) or not value.strip():
            yield Diagnostic(label, op.pointer, code, f"{op.key} has no {key}", f"write its {key}")
    tags = operation.get("tags")
    if not isinstance(tags, list) or len(tags) != 1:
        yield Diagnostic(label, op.pointer, "missing-tag", f"{op.key} should have exactly one tag", "add one tag")
    source = operation.get("x-source")
    if source is None:
        yield Diagnostic(
            label,
            op.pointer,
            "missing-source",
            f"{op.key} has no x-source",
            "say where its facts come from: " + " | ".join(SOURCES),
        )
    elif source not in SOURCES:
        yield Diagnostic(
            label,
            join_pointer("paths", op.path, op.method, "x-source"),
            "bad-source",
            f"x-source '{source}' is not one of {', '.join(SOURCES)}",
            "use one of those",
        )
