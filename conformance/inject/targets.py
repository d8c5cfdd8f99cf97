"""Matching requests to spec operations and pairing JSON values with the schemas that describe them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from apimodel.loader import resolve_pointer
from apimodel.walk import iter_operations

__all__ = ["OperationMatcher", "SpecOperation", "deref", "objects_with_schemas", "success_schema"]


def deref(spec: dict[str, Any], node: Any) -> Any:
    for _ in range(16):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#")):
            return node
        try:
            node = resolve_pointer(spec, ref[1:])
        except KeyError:
            return {}
    return node


def _merged(spec: dict[str, Any], schema: Any, depth: int = 0) -> dict[str, Any]:
    """Properties and required names of a schema, through ``$ref`` and ``allOf``."""
    schema = deref(spec, schema)
    if not isinstance(schema, dict):
        return {}
    if "allOf" not in schema or depth > 8:
        return schema
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    own = {k: v for k, v in schema.items() if k != "allOf"}
    for part in [own, *schema["allOf"]]:
        part = _merged(spec, part, depth + 1)
        merged["properties"].update(part.get("properties") or {})
        merged["required"] += [r for r in part.get("required") or [] if r not in merged["required"]]
    return merged


def objects_with_schemas(
    spec: dict[str, Any], value: Any, schema: Any, depth: int = 0
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every JSON object in ``value`` with the (merged) object schema that describes it, outermost first."""
    if depth > 6:
        return
    schema = _merged(spec, schema)
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        yield value, schema
        for key, child in value.items():
            sub = schema["properties"].get(key)
            if sub is not None:
                yield from objects_with_schemas(spec, child, sub, depth + 1)
    elif isinstance(value, list) and value and "items" in schema:
        yield from objects_with_schemas(spec, value[0], schema["items"], depth + 1)


@dataclass(frozen=True)
class SpecOperation:
    path: str
    method: str
    operation: dict[str, Any]

    @property
    def action(self) -> str:
        return str(self.operation.get("x-action", ""))


class OperationMatcher:
    """Finds the spec operation a concrete request path belongs to (templates become regexes once)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self._routes: list[tuple[re.Pattern[str], SpecOperation]] = []
        for ref in iter_operations(spec):
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(ref.path))
            self._routes.append((re.compile(f"^{pattern}$"), SpecOperation(ref.path, ref.method, ref.operation)))
        # Literal segments beat parameters: longer literal text first.
        self._routes.sort(key=lambda item: -len(re.sub(r"\{[^}]+\}", "", item[1].path)))

    def match(self, method: str, path: str) -> SpecOperation | None:
        for pattern, operation in self._routes:
            if operation.method == method.lower() and pattern.match(path):
                return operation
        return None


def success_schema(spec: dict[str, Any], operation: SpecOperation, status: int) -> Any:
    """The JSON schema of the operation's response for ``status``, or ``None``."""
    responses = operation.operation.get("responses") or {}
    response = deref(spec, responses.get(str(status)) or responses.get(f"{str(status)[0]}XX"))
    content = (response or {}).get("content") or {}
    for media, body in content.items():
        if "json" in media:
            return body.get("schema")
    return None
