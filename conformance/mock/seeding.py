"""Coherent seed data: create bodies from the spec's examples whose references name the tenant's own seeded
objects and whose dates start today (an example's earliest date moves to today, the others keep their distance)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from apimodel.expressions import number
from apimodel.facts import Api, Operation
from apimodel.references import date_form, referenced_field, referenced_resource
from conformance.mock.copying import json_copy

__all__ = ["Seeds", "fit_amounts", "named_ids", "references_of", "seed_order"]

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_UNIX = (1_000_000_000, 4_000_000_000)
Visit = Callable[[str, Any, Any, Any], Any]


def _walk(api: Api, schema: Any, value: Any, visit: Visit, depth: int = 0) -> Any:
    """``value`` with ``visit(name, prop, resolved, item)`` applied to every property of every object in it (the
    schema tells the property; nested objects and arrays first)."""
    schemas = api.schemas
    node = schemas.resolve(schema) if schema is not None else None
    if depth > 6 or not isinstance(node, dict):
        return value
    if isinstance(value, list):
        return [_walk(api, node.get("items"), item, visit, depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    props = dict(node.get("properties") or {})
    for part in node.get("allOf") or ():
        resolved = schemas.resolve(part)
        if isinstance(resolved, dict):
            props = {**(resolved.get("properties") or {}), **props}
    for key, item in list(value.items()):
        if key in props:
            resolved = schemas.resolve(props[key])
            value[key] = visit(key, props[key], resolved, _walk(api, props[key], item, visit, depth + 1))
    return value


def named_ids(api: Api, schema: Any, value: Any) -> list[tuple[str, str | None, Any]]:
    """Every reference a body or object holds: the collection it names one of, the field of that object it holds
    (None: the id) and the value (``customer: 3``: customers, None, 3; ``client_code: C1``: clients, code, C1)."""
    found: list[tuple[str, str | None, Any]] = []

    def visit(name: str, prop: Any, resolved: Any, item: Any) -> Any:
        for each, each_prop, each_resolved in _named(api, prop, resolved, item):
            target = referenced_resource(api, name, each_prop, each_resolved) if isinstance(each, int | str) else None
            if target is not None:
                found.append((target, referenced_field(each_prop, each_resolved), each))
        return item

    _walk(api, schema, json_copy(value), visit)
    return found


def _named(api: Api, prop: Any, resolved: Any, item: Any) -> list[tuple[Any, Any, Any]]:
    """The values a property holds with the schema of each: itself, or each id of an array whose items name
    objects (an invoice's ``attachments``, file ids)."""
    items = resolved.get("items") if isinstance(resolved, dict) and isinstance(item, list) else None
    if items is None:
        return [(item, prop, resolved)]
    return [(each, items, api.schemas.resolve(items)) for each in item]


def references_of(api: Api, schema: Any, example: Any) -> set[str]:
    """The collections an example body names by id."""
    return {target for target, _, _ in named_ids(api, schema, example)}


def seed_order(ops: list[tuple[Operation, set[str]]]) -> list[Operation]:
    """The create operations, each after the ones making what it references (a cycle keeps the spec's order)."""
    done: list[Operation] = []
    waiting = list(ops)
    while waiting:
        made = {op.resource for op in done}
        ready = next((pair for pair in waiting if all(t in made or t == pair[0].resource for t in pair[1])), None)
        pair = ready if ready is not None else waiting[0]
        waiting.remove(pair)
        done.append(pair[0])
    return done


def fit_amounts(op: Operation, body: Any, find: Callable[[str, str], dict[str, Any] | None]) -> Any:
    """``body`` with each amount its create moves off a related object (a payment applied to an invoice) cut to half
    of what that object holds (``find(resource, key)``), so the seeded write is not refused for applying more than
    the balance and the seeded invoice stays open to pay; an unapplied remainder stays with the payment."""
    payload = body.get(op.wrapper) if op.wrapper is not None and isinstance(body, dict) else body
    for rule in op.effect.apply if op.effect is not None and isinstance(payload, dict) else ():
        assert isinstance(payload, dict)
        lines = payload.get(rule.lines) if rule.lines is not None else [payload]
        for line in lines if rule.sign < 0 and isinstance(lines, list) else []:
            if not isinstance(line, dict) or any(line.get(k) != v for k, v in rule.match) or line.get(rule.key) is None:
                continue
            target = find(rule.target, str(line[rule.key]))
            held, amount = number((target or {}).get(rule.field)), number(line.get(rule.amount))
            if held is not None and amount is not None and amount > held / 2:
                line[rule.amount] = round(held / 2, 2)
    return body


def _dates(api: Api, schema: Any, example: Any) -> list[datetime.date]:
    found: list[datetime.date] = []

    def visit(name: str, prop: Any, resolved: Any, item: Any) -> Any:
        day = _as_date(date_form(name, resolved), item)
        if day is not None:
            found.append(day)
        return item

    _walk(api, schema, example, visit)
    return found


def _as_date(form: str | None, value: Any) -> datetime.date | None:
    if form == "unix" and isinstance(value, int) and not isinstance(value, bool) and _UNIX[0] <= value <= _UNIX[1]:
        return datetime.datetime.fromtimestamp(value, datetime.UTC).date()
    match = _ISO.match(value) if form in ("date", "date-time") and isinstance(value, str) else None
    if match is None:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _shifted(form: str | None, value: Any, days: int) -> Any:
    day = _as_date(form, value)
    if day is None:
        return value
    if isinstance(value, int):
        return value + days * 86400
    return (day + datetime.timedelta(days=days)).isoformat() + str(value)[10:]


class Seeds:
    """The ids each tenant's seeded objects got, per collection, and the bodies that name them."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.ids: dict[tuple[int, str], list[tuple[Any, dict[str, Any]]]] = {}

    def made(self, tenant: int, resource: str, key: Any, obj: dict[str, Any]) -> None:
        if key is not None:
            self.ids.setdefault((tenant, resource), []).append((key, obj))

    def body(self, schema: Any, example: Any, tenant: int, index: int) -> Any:
        """The example made coherent for ``tenant``'s ``index``-th object: ids of that tenant's seeded objects in
        its references (null where a nullable reference has none to name), dates moved to start today."""
        dates = _dates(self.api, schema, example)
        days = (datetime.date.today() - min(dates)).days if dates else 0

        def named(name: str, prop: Any, resolved: Any, item: Any) -> Any:
            target = referenced_resource(self.api, name, prop, resolved) if isinstance(item, int | str) else None
            if target is not None:
                field = referenced_field(prop, resolved)
                made = [(k, o) for k, o in self.ids.get((tenant, target), []) if field is None or o.get(field)]
                if made:
                    key, obj = made[index % len(made)]
                    return key if field is None else obj[field]
                if isinstance(resolved, dict) and resolved.get("nullable"):
                    return None
            return _shifted(date_form(name, resolved), item, days)

        def visit(name: str, prop: Any, resolved: Any, item: Any) -> Any:
            items = resolved.get("items") if isinstance(resolved, dict) and isinstance(item, list) else None
            if items is not None and referenced_resource(self.api, name, items, self.api.schemas.resolve(items)):
                return [named(name, p, r, each) for each, p, r in _named(self.api, prop, resolved, item)]
            return named(name, prop, resolved, item)

        return _walk(self.api, schema, example, visit)

    def settle(self, schema: Any, obj: dict[str, Any], body: Any, today: datetime.date) -> dict[str, Any] | None:
        """The stored object without the stale dates the mock made up where the body said no date (a sampled
        ``end_date`` before the start, for ``"end_date": "null"``): null where the schema allows it; ``None`` when
        nothing changes."""
        sent = body if isinstance(body, dict) else {}
        sent = {**sent, **next((v for v in sent.values() if isinstance(v, dict)), {})}  # a wrapped body's fields
        changed = dict(obj)
        for name, prop in self.api.schemas.properties(schema).items():
            resolved = self.api.schemas.resolve(prop)
            form = date_form(name, resolved)
            day = _as_date(form, obj.get(name))
            if day is None or day >= today - datetime.timedelta(days=2) or _as_date(form, sent.get(name)) == day:
                continue
            if isinstance(resolved, dict) and resolved.get("nullable"):
                changed[name] = None
        return changed if changed != obj else None
