"""Fitting stored objects to the schema a response declares: envelopes, lists, repairs."""

from __future__ import annotations

import re
from typing import Any

from conformance.mock.copying import json_copy
from conformance.mock.samples import Sampler
from conformance.mock.schema import SchemaSet

__all__ = ["build", "coerce_to", "pick_variant", "repair", "strip_write_only"]

Path = tuple[str, ...]


def pick_variant(schemas: SchemaSet, schema: Any, values: dict[str, Any]) -> Any:
    """The branch of a ``oneOf``/``anyOf`` resource an object takes (a PaymentSource is a Card or a BankAccount):
    the one its discriminator value maps to, else one a payload value names (``method: card``), else the first."""
    resolved = schemas.resolve(schema)
    options = (resolved.get("oneOf") or resolved.get("anyOf")) if isinstance(resolved, dict) else None
    if not isinstance(options, list) or not options or schemas.properties(resolved):
        return schema
    discriminator = resolved.get("discriminator") if isinstance(resolved.get("discriminator"), dict) else {}
    name, mapping = discriminator.get("propertyName"), discriminator.get("mapping") or {}
    named = [values.get(name)] if name in values else [v for v in values.values() if isinstance(v, str)]
    for value in named:
        for option in options:
            ref = option.get("$ref") if isinstance(option, dict) else None
            tag = schemas.resolve(schemas.properties(option).get(str(name))) or {}
            if (isinstance(value, str) and mapping.get(value) == ref) or value in (tag.get("enum") or ()):
                return option
    return options[0]


# the yes/no words form-style APIs accept for a flag (BitFaktura's FlagInput)
_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FLAG_WORDS = _TRUE_WORDS | {"0", "false", "no", "off"}


def coerce_to(schemas: SchemaSet, schema: Any, value: Any) -> Any:
    """Bend an input value to the output type where APIs do (``"1"`` -> ``True``, ``12.5`` -> ``"12.50"``)."""
    kind = schemas.schema_type(schema)
    if kind == "array" and isinstance(value, list):
        items = (schemas.resolve(schema) or {}).get("items") or {}
        return [coerce_to(schemas, items, item) for item in value]
    if kind == "object" and isinstance(value, dict):
        props = schemas.properties(schema)
        return {k: coerce_to(schemas, props[k], v) if k in props else v for k, v in value.items()}
    if kind == "boolean" and isinstance(value, str | int) and str(value).lower() in _FLAG_WORDS:
        return str(value).lower() in _TRUE_WORDS
    if kind == "string" and isinstance(value, str) and "," in value:
        decimal = _comma_decimal(schemas, schema, value)
        if decimal is not None:
            return decimal
    if kind == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.2f}" if isinstance(value, float) else str(value)
    if kind == "integer" and isinstance(value, str) and len(value) < 300 and re.fullmatch(r"\s*[-+]?[0-9]+\s*", value):
        return int(value)  # exactly: through a float, 2**63 - 1 became 2**63
    if kind in ("number", "integer") and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if kind == "integer" and number.is_integer() else number
    return value


def repair(schemas: SchemaSet, schema: Any, obj: dict[str, Any], fallback: dict[str, Any]) -> dict[str, Any]:
    """Replace the top-level fields that make ``obj`` invalid by their ``fallback`` values."""
    for _ in range(4):
        errors = schemas.errors(schema, obj, "response", limit=50)
        if not errors:
            return obj
        for error in errors:
            key = error.param.split(".")[0]
            if key and key in fallback:
                obj[key] = json_copy(fallback[key])
            elif key:
                obj.pop(key, None)
            else:
                for name, value in fallback.items():
                    obj.setdefault(name, json_copy(value))
    return obj if schemas.is_valid(schema, obj, "response") else json_copy(fallback)


def strip_write_only(schemas: SchemaSet, schema: Any, value: Any, depth: int = 0) -> Any:
    """``value`` without the properties its schema marks ``writeOnly``: the mock keeps them, it never sends them."""
    resolved = schemas.resolve(schema)
    if depth > 12 or not isinstance(resolved, dict) or (depth == 0 and not schemas.has_write_only(schema)):
        return value
    if isinstance(value, list):
        items = resolved.get("items")
        return [strip_write_only(schemas, items, v, depth + 1) for v in value] if items is not None else value
    props = schemas.properties(resolved) if isinstance(value, dict) else {}
    if not props:
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        prop = props.get(key)
        if prop is None:
            out[key] = item
        elif not (schemas.resolve(prop) or {}).get("writeOnly"):
            out[key] = strip_write_only(schemas, prop, item, depth + 1)
    return out


def build(schemas: SchemaSet, sampler: Sampler, schema: Any, path: Path, value: Any, same: bool) -> Any:
    """The response body for ``schema``, with ``value`` (object or list) placed where ``path`` says."""
    if not path:
        if not isinstance(value, dict):
            return sampler.sample(schema)
        if same:
            return value
        shaped = sampler.sample(schema)
        if not isinstance(shaped, dict):
            return shaped
        props = schemas.properties(schema)
        for key, prop in props.items():
            if key in value and schemas.is_valid(prop, value[key], "response"):
                shaped[key] = value[key]
        return shaped
    head, rest = path[0], path[1:]
    resolved = schemas.resolve(schema)
    if head == "[]":  # the items, also of an array described through allOf ({allOf: [{$ref: ThingList}, ..]})
        items = schemas.array_items(schema) or {}
        values = value if isinstance(value, list) else [value]
        return [build(schemas, sampler, items, rest, v, same) for v in values]
    envelope = sampler.sample(schema)
    if not isinstance(envelope, dict):
        envelope = {}
    envelope[head] = build(schemas, sampler, schemas.properties(resolved).get(head, {}), rest, value, same)
    return envelope


def _comma_decimal(schemas: SchemaSet, schema: Any, value: str) -> str | None:
    """``"59,00"`` in, ``"59.00"`` out, where the output's pattern wants a dot (BitFaktura's AmountInput)."""
    node = schemas.resolve(schema) or {}
    parts = [node, *(schemas.resolve(part) or {} for part in node.get("allOf") or ())]  # a described $ref: allOf
    pattern = next((p for part in parts if isinstance(p := part.get("pattern"), str)), None)
    if not isinstance(pattern, str) or re.search(pattern, value):
        return None
    try:
        candidate = f"{float(value.replace(',', '.')):.2f}"
    except ValueError:
        return None
    return candidate if re.search(pattern, candidate) else None
