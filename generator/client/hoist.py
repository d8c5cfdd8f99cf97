"""Inline response schemas become named components before models are generated, so they are typed too."""

from __future__ import annotations

import copy
import re
from typing import Any

from apimodel.walk import iter_operations
from generator.client.naming import class_name

__all__ = ["hoist_inline_responses"]

_VERSION = re.compile(r"[_.-]?v\d+(?:[_.]\d+)*$")


def _object_like(schema: Any) -> bool:
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    composed = any(isinstance(schema.get(k), list) and len(schema[k]) > 1 for k in ("allOf", "oneOf", "anyOf"))
    return composed or bool(schema.get("properties"))


def _operation_name(method: str, path: str, operation: dict[str, Any]) -> str:
    """``Logger_ListByService`` → ``LoggerListByService``; without an operationId, the method and path words."""
    raw = str(operation.get("operationId") or "")
    raw = _VERSION.sub("", raw) or f"{method} {' '.join(s for s in path.split('/') if s and '{' not in s)}"
    return class_name(raw, fallback="Operation")


def hoist_inline_responses(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """``data`` with each operation's inline JSON success schema (an object, or an array of objects) moved to
    ``components/schemas/<OperationName>Response`` (``...Item`` for the array's items); copied, not changed."""
    schemas = dict((data.get("components") or {}).get("schemas") or {})
    paths = copy.deepcopy(data.get("paths") or {})
    hoisted = 0
    for ref in iter_operations({"paths": paths}):
        responses = ref.operation.get("responses")
        if not isinstance(responses, dict):
            continue
        codes = sorted(str(c) for c in responses if str(c).startswith("2"))
        response = responses.get(codes[0]) if codes else None
        if response is None and codes and codes[0].isdigit():
            response = responses.get(int(codes[0]))
        content = response.get("content") if isinstance(response, dict) else None
        for media_type, media in sorted(content.items()) if isinstance(content, dict) else ():
            if "json" not in media_type or not isinstance(media, dict):
                continue
            schema = media.get("schema")
            base = _operation_name(ref.method, ref.path, ref.operation)
            if _object_like(schema):
                media["schema"] = _add(schemas, f"{base}Response", schema)
                hoisted += 1
            elif isinstance(schema, dict) and schema.get("type") == "array" and _object_like(schema.get("items")):
                media["schema"] = {**schema, "items": _add(schemas, f"{base}Item", schema["items"])}
                hoisted += 1
            break
    if not hoisted:
        return data, 0
    components = {**(data.get("components") or {}), "schemas": schemas}
    return {**data, "paths": paths, "components": components}, hoisted


def _add(schemas: dict[str, Any], name: str, schema: Any) -> dict[str, str]:
    final, index = name, 2
    while final in schemas:
        final, index = f"{name}{index}", index + 1
    schemas[final] = schema
    return {"$ref": f"#/components/schemas/{final}"}
