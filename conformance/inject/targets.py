"""Matching requests to the model's operations and pairing JSON values with the schemas that describe them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from apimodel import Api, Operation
from apimodel.schemas import Schemas

__all__ = ["OperationMatcher", "objects_with_schemas", "success_schema"]


def _merged(schemas: Schemas, schema: Any, depth: int = 0) -> dict[str, Any]:
    """Properties and required names of a schema, through ``$ref`` and ``allOf``."""
    schema = schemas.resolve(schema)
    if not isinstance(schema, dict):
        return {}
    if "allOf" not in schema or depth > 8:
        return schema
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    own = {k: v for k, v in schema.items() if k != "allOf"}
    for part in [own, *schema["allOf"]]:
        part = _merged(schemas, part, depth + 1)
        merged["properties"].update(part.get("properties") or {})
        merged["required"] += [r for r in part.get("required") or [] if r not in merged["required"]]
    return merged


def objects_with_schemas(
    schemas: Schemas, value: Any, schema: Any, depth: int = 0
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every JSON object in ``value`` with the (merged) object schema that describes it, outermost first."""
    if depth > 6:
        return
    schema = _merged(schemas, schema)
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        yield value, schema
        for key, child in value.items():
            sub = schema["properties"].get(key)
            if sub is not None:
                yield from objects_with_schemas(schemas, child, sub, depth + 1)
    elif isinstance(value, list) and value and "items" in schema:
        yield from objects_with_schemas(schemas, value[0], schema["items"], depth + 1)


class OperationMatcher:
    """Finds the operation a concrete request path belongs to (templates become regexes once)."""

    def __init__(self, api: Api) -> None:
        self._routes: list[tuple[re.Pattern[str], Operation]] = []
        for op in api.operations:
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(op.path))
            self._routes.append((re.compile(f"^{pattern}$"), op))
        # Literal segments beat parameters: longer literal text first.
        self._routes.sort(key=lambda item: -len(re.sub(r"\{[^}]+\}", "", item[1].path)))

    def match(self, method: str, path: str) -> Operation | None:
        for pattern, operation in self._routes:
            if operation.method == method.upper() and pattern.match(path):
                return operation
        return None


def success_schema(operation: Operation, status: int) -> Any:
    """The JSON schema of the operation's response for ``status``, or ``None``."""
    response = operation.responses.get(str(status)) or operation.responses.get(f"{str(status)[0]}XX") or {}
    for media, body in (response.get("content") or {}).items():
        if "json" in media:
            return body.get("schema")
    return None
