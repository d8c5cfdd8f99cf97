"""Following ``$ref`` and reading object shapes: the one resolver every part of specforge uses."""

from __future__ import annotations

from typing import Any

from apimodel.loader import resolve_pointer

__all__ = ["Schemas", "media_is_json"]

_MAX_HOPS = 32
_TYPE_WORDS = ("type", "properties", "items", "allOf", "anyOf", "oneOf", "enum", "const")  # a schema saying a type


def media_is_json(media_type: str) -> bool:
    """``application/json``, ``application/problem+json``, ``*/*`` and the like carry JSON."""
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


class Schemas:
    """The schemas (and other ``$ref``-able objects) of one document.

    ``resolve`` follows local ``$ref`` chains; a dangling or remote reference resolves to ``{}``, so a broken
    spec degrades to "anything" instead of crashing whoever reads it.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Any:
        """Follow ``$ref`` chains to a concrete node; an unresolvable ref yields ``{}``."""
        hops = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and hops < _MAX_HOPS:
            ref = node["$ref"]
            if not ref.startswith("#"):
                return {}
            try:
                node = resolve_pointer(self.document, ref[1:])
            except KeyError:
                return {}
            hops += 1
        return node

    def mapping(self, node: Any) -> dict[str, Any]:
        """``resolve``, but always a mapping (``{}`` for anything else)."""
        found = self.resolve(node)
        return found if isinstance(found, dict) else {}

    def properties(self, schema: Any) -> dict[str, Any]:
        """Properties of an object schema, ``allOf`` parts merged (each value as written, not resolved)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return {}
        merged: dict[str, Any] = {}
        for part in schema.get("allOf") or ():
            merged.update(self.properties(part))
        props = schema.get("properties")
        if isinstance(props, dict):
            merged.update({str(k): v for k, v in props.items()})
        return merged

    def required(self, schema: Any) -> list[str]:
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return []
        names = [str(n) for n in schema.get("required") or ()]
        for part in schema.get("allOf") or ():
            names.extend(self.required(part))
        return names

    def schema_type(self, schema: Any) -> str | None:
        """The JSON type a schema describes (``null`` left out of type arrays), inferred from its keywords."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return None
        kind = schema.get("type")
        if isinstance(kind, str):
            return kind
        if isinstance(kind, list):
            return next((str(k) for k in kind if k != "null"), None)
        if "properties" in schema or ("allOf" in schema and self.properties(schema)):
            return "object"
        if "items" in schema:
            return "array"
        for part in schema.get("allOf") or ():  # ``allOf: [{$ref: Amount}]`` with keys beside it
            if (inner := self.schema_type(part)) is not None:
                return inner
        return None

    def array_items(self, schema: Any, depth: int = 0) -> Any | None:
        """The ``items`` of an array schema, found through ``$ref`` and ``allOf`` parts (``allOf: [{$ref:
        ThingList}, {description: ...}]``); None when it describes no array."""
        resolved = self.resolve(schema)
        if not isinstance(resolved, dict) or depth > 8:
            return None
        if "items" in resolved and self.schema_type(resolved) == "array":
            return resolved["items"] or {}
        for part in resolved.get("allOf") or ():
            found = self.array_items(part, depth + 1)
            if found is not None:
                return found
        return None

    def is_file(self, schema: Any, depth: int = 0) -> bool:
        """A multipart part that carries a file: ``format: binary``, a ``contentMediaType`` or ``contentEncoding``
        (OpenAPI 3.1), no type at all (``{}``: a part OpenAPI sends as ``application/octet-stream``, any content), or
        an array of those (one part each)."""
        resolved = self.resolve(schema)
        if not isinstance(resolved, dict) or depth > 8:
            return False
        if resolved.get("format") == "binary" or "contentMediaType" in resolved or "contentEncoding" in resolved:
            return True
        if not any(key in resolved for key in _TYPE_WORDS):
            return True
        items = self.array_items(resolved)
        return items is not None and self.is_file(items, depth + 1)

    def json_content(self, holder: Any) -> tuple[str, Any] | None:
        """The first JSON media type of a request body or response object and its schema."""
        content = self.mapping(holder).get("content")
        if not isinstance(content, dict):
            return None
        for media, body in content.items():
            if media_is_json(str(media)) and isinstance(body, dict):
                return str(media), body.get("schema") or {}
        return None
