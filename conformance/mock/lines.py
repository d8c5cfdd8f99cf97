"""Document lines: computed totals (:func:`apimodel.hints.computed`), ids for new lines, and Rails nested
attributes on update."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from apimodel import Computed, hints
from conformance.mock.schema import SchemaSet

__all__ = ["compute", "fill_line_ids", "merge_nested"]


def compute(schemas: SchemaSet, schema: Any, obj: dict[str, Any], keep: frozenset[str] = frozenset()) -> None:
    """Apply the computed-field rules, lines first, except to the fields in ``keep`` (set explicitly by an action)."""
    props = schemas.properties(schema)
    for name, prop in props.items():  # lines first: their own computed fields feed the totals
        value = obj.get(name)
        spec = schemas.resolve(prop)
        if isinstance(value, list) and isinstance(spec, dict):
            for line in value:
                if isinstance(line, dict):
                    compute(schemas, spec.get("items") or {}, line)
    for name, prop in props.items():
        spec = schemas.resolve(prop)
        rule = hints.computed(prop, spec)
        if rule is None or name in keep:
            continue
        total: float | None = None
        if rule.copy is not None:
            total = _number(obj.get(rule.copy))
        elif rule.sum is not None:
            lines = obj.get(rule.sum) or []
            lines = list(lines.values()) if isinstance(lines, dict) else lines
            total = 0.0
            for line in lines if isinstance(lines, list) else []:
                if isinstance(line, dict):
                    total += _line_value(line, rule) or 0.0
        elif rule.product:
            total = _line_value(obj, rule)  # None when a factor is missing: a total the caller sent stays
        if total is not None:
            obj[name] = _typed(schemas.schema_type(spec), total)


def fill_line_ids(schemas: SchemaSet, schema: Any, obj: dict[str, Any], next_id: Callable[[str], int]) -> None:
    """Give each new line of an array property an id when its item schema fills one (filled as an id)."""
    for name, prop in schemas.properties(schema).items():
        value = obj.get(name)
        if not isinstance(value, list):
            continue
        item_props = schemas.properties((schemas.resolve(prop) or {}).get("items") or {})
        id_spec = schemas.resolve(item_props.get("id"))
        if hints.fill(id_spec) != "id":
            continue
        for line in value:
            if isinstance(line, dict) and line.get("id") is None:
                number = next_id(name)
                line["id"] = str(number) if schemas.schema_type(id_spec) == "string" else number


def merge_nested(base: Any, incoming: Any) -> Any:
    """Rails nested attributes: ``{id, ...}`` edits that line, ``{id, _destroy: 1}`` deletes it,
    a line without ``id`` is appended; lines not mentioned stay."""
    if not isinstance(base, list) or not isinstance(incoming, list):
        return incoming
    if not all(isinstance(line, dict) for line in incoming):
        return incoming
    result = copy.deepcopy([line for line in base if isinstance(line, dict)])
    by_id = {str(line.get("id")): line for line in result if line.get("id") is not None}
    for line in incoming:
        key = str(line.get("id")) if line.get("id") is not None else None
        destroy = str(line.get("_destroy", "")).lower() in ("1", "true")
        changes = {k: v for k, v in line.items() if k != "_destroy"}
        if key is not None and key in by_id:
            if destroy:
                result.remove(by_id.pop(key))
            else:
                by_id[key].update(changes)
        elif not destroy:
            result.append({k: v for k, v in changes.items() if k != "id"})
    return result


def _number(value: Any) -> float | None:
    if isinstance(value, dict):  # a money map ({_: 12.5, EUR: 12.5}): the document-currency amount
        value = value.get("_", next(iter(value.values()), None))
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _line_value(line: dict[str, Any], rule: Computed) -> float | None:
    if rule.product:
        result = 1.0
        for name in rule.product:
            factor = _number(line.get(name))
            if factor is None:
                return None
            result *= factor
        return result
    return _number(line.get(str(rule.field)))


def _typed(kind: str | None, value: float) -> Any:
    if kind == "string":
        return f"{value:.2f}"
    if kind == "integer":
        return round(value)
    if kind == "object":
        return {"_": round(value, 2)}
    return round(value, 2)
