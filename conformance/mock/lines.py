"""Document lines: computed totals (:func:`apimodel.hints.computed`), ids for new lines, and Rails nested
attributes on update."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from apimodel import Computed, hints
from apimodel.expressions import number as _number
from conformance.mock.copying import json_copy
from conformance.mock.schema import SchemaSet

__all__ = ["compute", "fill_line_ids", "merge_nested", "stale_defaults", "take_defaults"]

Find = Callable[[str, str], dict[str, Any] | None]
Rule = tuple[str, Any, Any, Computed]  # a property: its name, as written, resolved, and its rule


def take_defaults(schemas: SchemaSet, schema: Any, obj: dict[str, Any], find: Find) -> None:
    """The object and each of its lines take the fields a property naming another object lists
    (:func:`apimodel.hints.defaults_from`) from that object (``find(resource, key)``), where they have none."""
    for name, items, rule in schemas.remembered("defaults-from", schema, lambda: _defaults_rules(schemas, schema)):
        value = obj.get(name)
        if isinstance(value, list) and items is not None:
            for line in value:
                if isinstance(line, dict):
                    take_defaults(schemas, items, line, find)
        source = find(rule[0], str(value)) if rule is not None and value is not None else None
        for field in rule[1] if rule is not None and source is not None else ():
            if obj.get(field) is None and source is not None and source.get(field) is not None:
                obj[field] = json_copy(source[field])


def _defaults_rules(schemas: SchemaSet, schema: Any) -> tuple[tuple[str, Any, Any], ...]:
    """The properties of ``schema`` :func:`take_defaults` looks at: each with its item schema (an array's, whose
    lines may take defaults too, else None) and its ``defaults_from`` rule; the others (most) are left out."""
    found = []
    for name, prop in schemas.properties(schema).items():
        spec = schemas.resolve(prop)
        items = spec.get("items") or None if isinstance(spec, dict) else None
        rule = hints.defaults_from(prop, spec)
        if rule is not None or items is not None:
            found.append((name, items, rule))
    return tuple(found)


def compute(
    schemas: SchemaSet,
    schema: Any,
    obj: dict[str, Any],
    keep: frozenset[str] = frozenset(),
    creating: bool = True,
    parent: dict[str, Any] | None = None,
) -> None:
    """Apply the computed-field rules, lines first, except to the fields in ``keep`` (set explicitly by an action);
    each rule after the computed fields it reads, so an expression sees the totals of the same write. On an update
    (not ``creating``) a rule with ``default: create`` computes its field again whatever it holds. A line's
    expressions see the object it belongs to as ``parent`` (``parent.vattype``); lines are the items of an array
    property or the values of a map of objects (e-Cont's ``items`` keyed by the shop's line id)."""
    for name, items, values in schemas.remembered("lines", schema, lambda: _line_properties(schemas, schema)):
        value = obj.get(name)  # lines first: their own computed fields feed the totals
        item: Any = None
        if isinstance(value, list) and items is not None:
            item, lines = items, value
        elif isinstance(value, dict) and values is not None:
            item, lines = values, list(value.values())
        for line in lines if item is not None else ():
            if isinstance(line, dict):
                _defaults(schemas, item, line)
                compute(schemas, item, line, creating=creating, parent=obj)
    rules, ordered = schemas.remembered("computed", schema, lambda: _rules(schemas, schema, keep), keep)
    settled = {
        name: (_number(obj.get(rule.remaining)) or 0.0) - (_number(obj.get(name)) or 0.0)
        for name, _, _, rule in rules
        if rule.remaining is not None and obj.get(name) is not None and obj.get(rule.remaining) is not None
    }
    given = {
        name
        for name, _, _, rule in rules
        if rule.default and obj.get(name) is not None and (creating or not rule.on_update)
    }
    for name, _, spec, rule in ordered + ordered:  # twice: a cycle (net from gross, gross from net) settles
        if name in given:  # a default keeps what was there before, not what the first pass put there
            continue
        if rule.remaining is not None:
            owed = _number(obj.get(rule.remaining))
            total = None if owed is None else owed - settled.get(name, 0.0)
        elif rule.expr is not None and rule.sum is None:
            total = rule.expr.evaluate(obj if parent is None else {"parent": parent, **obj})
        else:
            total = _total(obj, rule)
        if total is not None:
            obj[name] = _typed(schemas.schema_type(spec), total, spec)


def _line_properties(schemas: SchemaSet, schema: Any) -> tuple[tuple[str, Any, Any], ...]:
    """The properties of ``schema`` that may hold lines, worked out once per schema: each with the schema of a line
    of an array of them (its ``items``) and of a map of them (its ``additionalProperties``), either None."""
    found = []
    for name, prop in schemas.properties(schema).items():
        spec = schemas.resolve(prop)
        if not isinstance(spec, dict):
            continue
        items = spec.get("items") or None
        values = (
            spec["additionalProperties"]
            if isinstance(schemas.resolve(spec.get("additionalProperties")), dict)
            else None
        )
        if items is not None or values is not None:
            found.append((name, items, values))
    return tuple(found)


def _rules(schemas: SchemaSet, schema: Any, keep: frozenset[str]) -> tuple[list[Rule], list[Rule]]:
    """The computed-field rules of ``schema`` but those of ``keep``: as written, and each after the fields it reads."""
    props = schemas.properties(schema)
    rules = [(n, p, schemas.resolve(p), r) for n, p in props.items() if (r := hints.computed(p, schemas.resolve(p)))]
    rules = [rule for rule in rules if rule[0] not in keep]
    return rules, _ordered(rules)


def _ordered(rules: list[Rule]) -> list[Rule]:
    """The rules with each after the computed fields it reads (schema order otherwise; a cycle keeps it)."""
    by_name = {rule[0]: rule for rule in rules}
    done: list[Rule] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in visiting or any(r[0] == name for r in done):
            return
        visiting.add(name)
        rule = by_name[name][3]
        reads = rule.expr.names() if rule.expr is not None else {rule.remaining, rule.copy, rule.sum, *rule.product}
        for other in sorted(n for n in reads if n in by_name and n != name):
            visit(other)
        done.append(by_name[name])

    for name in by_name:
        visit(name)
    return done


def _total(obj: dict[str, Any], rule: Computed) -> float | None:
    if rule.copy is not None:
        return _number(obj.get(rule.copy))
    if rule.sum is not None:
        lines = obj.get(rule.sum) or []
        lines = list(lines.values()) if isinstance(lines, dict) else lines
        lines = lines if isinstance(lines, list) else []
        return sum((_line_value(line, rule, obj) or 0.0) for line in lines if isinstance(line, dict))
    if rule.product:
        return _line_value(obj, rule)  # None when a factor is missing: a total the caller sent stays
    return None


def _defaults(schemas: SchemaSet, schema: Any, line: dict[str, Any]) -> None:
    """A line's missing properties that have a ``default`` take it, as an object's own do on create."""
    for name, prop in schemas.properties(schema).items():
        spec = schemas.resolve(prop)
        if name not in line and isinstance(spec, dict) and "default" in spec:
            line[name] = json_copy(spec["default"])


def fill_line_ids(schemas: SchemaSet, schema: Any, obj: dict[str, Any], next_id: Callable[[str], int]) -> None:
    """Give each new line of an array property an id when its item schema fills one (filled as an id)."""
    for name, as_text in schemas.remembered("line-ids", schema, lambda: _filled_line_ids(schemas, schema)):
        value = obj.get(name)
        for line in value if isinstance(value, list) else ():
            if isinstance(line, dict) and line.get("id") is None:
                number = next_id(name)
                line["id"] = str(number) if as_text else number


def _filled_line_ids(schemas: SchemaSet, schema: Any) -> tuple[tuple[str, bool], ...]:
    """The array properties of ``schema`` whose lines are given an ``id`` (filled as an id), each with whether that
    id is a string."""
    found = []
    for name, prop in schemas.properties(schema).items():
        item_props = schemas.properties((schemas.resolve(prop) or {}).get("items") or {})
        id_spec = schemas.resolve(item_props.get("id"))
        if hints.fill(id_spec) == "id":
            found.append((name, schemas.schema_type(id_spec) == "string"))
    return tuple(found)


def stale_defaults(schemas: SchemaSet, line_schema: Any) -> dict[str, frozenset[str]]:
    """For each of a line's computed fields that keeps a value once it has one (``default``), the fields it is
    computed from, through other computed fields too: when an edit changes one, the kept value is stale."""
    reads: dict[str, set[str]] = {}
    kept: list[str] = []
    for name, prop in schemas.properties(line_schema).items():
        rule = hints.computed(prop, schemas.resolve(prop))
        if rule is not None:
            names = rule.expr.names() if rule.expr is not None else {rule.remaining, rule.copy, rule.sum, *rule.product}
            reads[name] = {n for n in names if n}
            if rule.default:
                kept.append(name)
    found: dict[str, frozenset[str]] = {}
    for name in kept:
        seen: set[str] = set()
        todo = list(reads[name])
        while todo:
            field = todo.pop()
            if field not in seen:
                seen.add(field)
                todo.extend(reads.get(field, ()))
        found[name] = frozenset(seen - {name})
    return found


def merge_nested(base: Any, incoming: Any, stale: dict[str, frozenset[str]] | None = None) -> Any:
    """Rails nested attributes: ``{id, ...}`` edits that line, ``{id, _destroy: 1}`` deletes it,
    a line without ``id`` is appended; lines not mentioned stay.

    ``stale`` (:func:`stale_defaults`): an edited line forgets the kept computed values that read a field the edit
    changes and does not send itself (a new quantity gives a new gross total; the unit price it sends stays)."""
    if not isinstance(base, list) or not isinstance(incoming, list):
        return incoming
    if not all(isinstance(line, dict) for line in incoming):
        return incoming
    result = json_copy([line for line in base if isinstance(line, dict)])
    by_id = {str(line.get("id")): line for line in result if line.get("id") is not None}
    for line in incoming:
        key = str(line.get("id")) if line.get("id") is not None else None
        destroy = str(line.get("_destroy", "")).lower() in ("1", "true")
        changes = {k: v for k, v in line.items() if k != "_destroy"}
        if key is not None and key in by_id:
            if destroy:
                result.remove(by_id.pop(key))
            else:
                line = by_id[key]
                changed = {k for k, v in changes.items() if line.get(k) != v}
                for name, reads in (stale or {}).items():
                    if name not in changes and reads & changed:
                        line.pop(name, None)
                line.update(changes)
        elif not destroy:
            result.append({k: v for k, v in changes.items() if k != "id"})
    return result


def _line_value(line: dict[str, Any], rule: Computed, parent: dict[str, Any] | None = None) -> float | None:
    if rule.expr is not None:  # {sum: lines, expr: ...}: the expression on each line
        return _number(rule.expr.evaluate(line if parent is None else {"parent": parent, **line}))
    if rule.product:
        result = 1.0
        for name in rule.product:
            factor = _number(line.get(name))
            if factor is None:
                return None
            result *= factor
        return result
    return _number(line.get(str(rule.field)))


def _typed(kind: str | None, value: Any, spec: Any = None) -> Any:
    if isinstance(value, bool | str | list | dict):
        return value
    fmt = spec.get("format") if isinstance(spec, dict) else None
    if kind == "string" and fmt in ("date", "date-time"):  # a UNIX time, in the property's form
        moment = datetime.datetime.fromtimestamp(value, datetime.UTC)
        return moment.date().isoformat() if fmt == "date" else moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "string":
        return f"{value:.2f}"
    if kind == "integer":
        return round(value)
    if kind == "object":
        return {"_": round(value, 2)}
    return round(value, 2)
