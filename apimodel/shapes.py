"""Where the objects sit in a schema: the resource inside a response, and the list inside a list response."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apimodel import hints
from apimodel.schemas import Schemas

__all__ = ["ListShape", "SchemaPath", "list_shape", "locate_resource", "looks_like_resource"]

SchemaPath = tuple[str, ...]


def looks_like_resource(schemas: Schemas, schema: Any) -> bool:
    """An object with an identity: an ``id`` property, or one the spec fills as the id."""
    props = schemas.properties(schema)
    return "id" in props or any(hints.fill(schemas.resolve(p)) == "id" for p in props.values())


def locate_resource(schemas: Schemas, schema: Any, depth: int = 0) -> tuple[SchemaPath, Any]:
    """Where the resource sits inside a response schema: ``()`` itself, ``("[]",)`` a bare list,
    ``("items", "[]")`` a list under a key, ``("data",)`` an envelope."""
    resolved = schemas.resolve(schema)
    if not isinstance(resolved, dict) or depth > 2:
        return (), schema
    if schemas.schema_type(resolved) == "array":
        inner, target = locate_resource(schemas, resolved.get("items") or {}, depth + 1)
        return ("[]", *inner), target
    if looks_like_resource(schemas, resolved):
        return (), schema
    for key, prop in schemas.properties(resolved).items():
        prop_resolved = schemas.resolve(prop)
        kind = schemas.schema_type(prop_resolved)
        if kind == "array" and looks_like_resource(schemas, (prop_resolved or {}).get("items") or {}):
            return (key, "[]"), prop_resolved.get("items")
        if kind == "object" and looks_like_resource(schemas, prop_resolved):
            return (key,), prop
    return (), schema


@dataclass(frozen=True)
class ListShape:
    """A list response: a bare array (``items`` None) or an envelope object with the array under ``items``."""

    items: str | None
    item_schema: Any
    envelope: Any  # the envelope object schema, None for a bare array


def list_shape(schemas: Schemas, response: Mapping[str, Any] | None) -> ListShape | None:
    """The list a success response holds, if it holds one: a bare array, or the one array of objects of an
    envelope (``{data: [...], has_more}``, ``{count, items: [...]}``)."""
    found = schemas.json_content(response) if response is not None else None
    if found is None:
        return None
    schema = schemas.resolve(found[1])
    if schemas.schema_type(schema) == "array":
        return ListShape(None, schema.get("items") or {}, None)
    if schemas.schema_type(schema) != "object" or looks_like_resource(schemas, schema):
        return None  # an object with an id is one object, whatever arrays it holds
    arrays = [
        (key, schemas.mapping(prop).get("items") or {})
        for key, prop in schemas.properties(schema).items()
        if schemas.schema_type(prop) == "array"
    ]
    objects = [(k, item) for k, item in arrays if schemas.schema_type(item) == "object" or schemas.properties(item)]
    chosen = objects if len(objects) == 1 else arrays if len(arrays) == 1 else []
    if not chosen:
        return None
    key, item = chosen[0]
    return ListShape(key, item, schema)
