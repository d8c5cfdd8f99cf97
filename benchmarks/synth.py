"""Schema-valid sample data for load and parse benchmarks: every property filled, depth-bounded."""

from __future__ import annotations

from typing import Any

from apimodel.loader import resolve_pointer

__all__ = ["Synthesizer"]

_STRINGS = {
    "date-time": "2024-05-17T10:30:00Z",
    "date": "2024-05-17",
    "email": "billing@example.com",
    "uri": "https://example.com/x",
    "url": "https://example.com/x",
    "uuid": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    "byte": "aGVsbG8=",
    "ipv4": "192.0.2.1",
}


class Synthesizer:
    """Builds one instance of a schema of ``document``.

    Objects get every property down to ``depth`` levels and only their required ones below that;
    of ``anyOf``/``oneOf`` the first scalar choice wins (a Stripe expandable field stays an id, as
    the real API sends it unless asked to expand).
    """

    def __init__(self, document: dict[str, Any], depth: int = 3) -> None:
        self.document = document
        self.depth = depth

    def schema(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.document["components"]["schemas"][name]
        return found

    def instance(self, schema: dict[str, Any], level: int = 0, seen: frozenset[str] = frozenset()) -> Any:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                return None
            target: dict[str, Any] = resolve_pointer(self.document, ref.removeprefix("#"))
            return self.instance(target, level, seen | {ref})
        if "example" in schema and level > 0 and not isinstance(schema["example"], dict | list):
            return schema["example"]
        if "enum" in schema:
            return next((v for v in schema["enum"] if v is not None), None)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                choices = [c for c in schema[key] if isinstance(c, dict)]
                scalar = [c for c in choices if self._kind(c) not in ("object", "array")]
                return self.instance((scalar or choices)[0], level, seen) if choices else None
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self.instance(part, level, seen)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
        return self._typed(schema, self._kind(schema), level, seen)

    def _kind(self, schema: dict[str, Any]) -> str:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            try:
                return self._kind(resolve_pointer(self.document, ref.removeprefix("#")))
            except KeyError:
                return "object"
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
        return str(kind)

    def _typed(self, schema: dict[str, Any], kind: str, level: int, seen: frozenset[str]) -> Any:
        if kind == "object":
            properties: dict[str, Any] = schema.get("properties") or {}
            required = set(schema.get("required") or ())
            names = properties if level < self.depth else [n for n in properties if n in required]
            result = {name: self.instance(properties[name], level + 1, seen) for name in names}
            return {k: v for k, v in result.items() if v is not None or k in required}
        if kind == "array":
            items = schema.get("items")
            count = max(1, int(schema.get("minItems", 1))) if level < self.depth else int(schema.get("minItems", 0))
            return [self.instance(items, level + 1, seen) for _ in range(count)] if isinstance(items, dict) else []
        if kind == "integer":
            return int(schema.get("minimum", 1))
        if kind == "number":
            return float(schema.get("minimum", 12.5))
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        text = _STRINGS.get(str(schema.get("format", "")), "sample")
        minimum, maximum = int(schema.get("minLength", 0)), schema.get("maxLength")
        text = text.ljust(minimum, "x")
        return text[: int(maximum)] if maximum is not None else text
