"""Schema → Python annotation text, naming component models as ``types.<ClassName>``."""

from __future__ import annotations

import json
from typing import Any

from apimodel.schemas import Schemas

__all__ = ["TypeMapper", "documented_ref", "is_null", "is_nullable", "object_shape"]

_PRIMITIVES = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}
_SCHEMA_PREFIX = "#/components/schemas/"


def is_nullable(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    kinds = schema.get("type")
    enum = schema.get("enum")
    if schema.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds):
        return True
    if isinstance(enum, list) and None in enum:  # the spec lists null as one of the values
        return True
    members = schema.get("oneOf") or schema.get("anyOf") or []
    return isinstance(members, list) and any(is_null(s) for s in members)


class TypeMapper:
    """Maps schemas of one document; ``model_names`` maps component schema names to model class names."""

    def __init__(self, schemas: Schemas, model_names: dict[str, str]) -> None:
        self.schemas = schemas
        self.model_names = model_names

    def resolve(self, node: Any) -> Any:
        """Follow ``$ref`` chains to the object they point at (``{}`` if they go nowhere or to a non-object)."""
        return self.schemas.mapping(node)

    def model_for(self, schema: Any) -> str | None:
        """The model class a ``$ref`` names, if it is a component schema we generate."""
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and ref.startswith(_SCHEMA_PREFIX):
            name = ref[len(_SCHEMA_PREFIX) :].replace("~1", "/").replace("~0", "~")
            if name in self.model_names:
                return f"types.{self.model_names[name]}"
        return None

    def annotation(self, schema: Any, depth: int = 0, *, literal: bool = False) -> str:
        """The annotation for ``schema``; with ``literal`` (method arguments) enums are ``Literal[...]``."""
        if not isinstance(schema, dict) or depth > 8:
            return "Any"
        if literal:
            values = _literal(self.resolve(schema))
            if values:
                return values
        model = self.model_for(schema)
        if model is not None:
            return model
        if "$ref" in schema:
            return self.annotation(self.resolve(schema), depth + 1, literal=literal)
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and members:
                parts = [self.annotation(m, depth + 1, literal=literal) for m in members if not is_null(m)]
                unique = list(dict.fromkeys(parts))
                return "Any" if "Any" in unique or not unique else " | ".join(unique)
        all_of = schema.get("allOf")
        documented = documented_ref(schema)
        if documented is not None and len(all_of or ()) > 1:  # allOf: [{$ref: Thing}, {xml: {name: Thing}}]
            return self.annotation({"$ref": documented}, depth + 1, literal=literal)
        if isinstance(all_of, list) and len(all_of) == 1:
            return self.annotation(all_of[0], depth + 1, literal=literal)
        if isinstance(all_of, list) and all_of:
            return "dict[str, Any]"
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            kind = kinds[0] if len(kinds) == 1 else None
        if not isinstance(kind, str):  # a broken ``type`` (an object, a number): validate says so; typed as unknown
            kind = None
        if kind == "string" and schema.get("format") == "binary":
            return "bytes"
        if kind in _PRIMITIVES:
            return _PRIMITIVES[kind]
        if kind == "array":
            return f"list[{self.annotation(schema.get('items'), depth + 1, literal=literal)}]"
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra and not schema.get("properties"):
                return f"dict[str, {self.annotation(extra, depth + 1, literal=literal)}]"
            return "dict[str, Any]"
        return "Any"


def _literal(schema: dict[str, Any]) -> str | None:
    """``Literal["draft", "paid"]`` for a string, integer or boolean enum (``null`` is the field's nullability)."""
    values = schema.get("enum")
    if not isinstance(values, list):
        return None
    kept = [v for v in values if v is not None]
    if not kept or not all(isinstance(v, str | int) for v in kept):  # bool is an int; floats cannot be Literal
        return None
    return "Literal[" + ", ".join(json.dumps(v) if isinstance(v, str) else repr(v) for v in kept) + "]"


_DOCUMENTING = frozenset({"description", "xml", "title", "example", "deprecated"})


def documented_ref(schema: Any) -> str | None:
    """The ``$ref`` a schema stands for: its own, or the one ``$ref`` among ``allOf`` parts that only document it
    (``allOf: [{$ref: String}, {description: ...}]``, ``allOf: [{$ref: Thing}, {xml: {name: Thing}}]``)."""
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("$ref"), str):
        return str(schema["$ref"])
    parts = [p for p in schema.get("allOf") or () if isinstance(p, dict)]
    refs = [p["$ref"] for p in parts if isinstance(p.get("$ref"), str)]
    plain = all(set(p) <= _DOCUMENTING for p in parts if "$ref" not in p)
    return str(refs[0]) if len(refs) == 1 and plain and "properties" not in schema else None


def is_null(schema: Any) -> bool:
    """A union member that only says "or null": ``type: null``, or OpenAPI 3.0's ``nullable`` + ``enum: [null]``."""
    return isinstance(schema, dict) and (schema.get("type") == "null" or schema.get("enum") == [None])


def object_shape(mapper: TypeMapper, schema: dict[str, Any], depth: int = 0) -> tuple[dict[str, Any], set[str]] | None:
    """Properties and required names of an object schema, ``allOf`` members merged; ``None`` for unions."""
    if depth > 8 or "oneOf" in schema or "anyOf" in schema:
        return None
    properties: dict[str, Any] = {}
    needed: set[str] = set()
    for member in schema.get("allOf") or []:
        shape = object_shape(mapper, mapper.resolve(member), depth + 1)
        if shape is None:
            return None
        properties.update(shape[0])
        needed |= shape[1]
    own = schema.get("properties")
    properties.update(own if isinstance(own, dict) else {})
    needed |= {str(n) for n in schema.get("required") or []}
    return properties, needed
