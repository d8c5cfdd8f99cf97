"""Chaos mode: success bodies drift from their schema the way real APIs' do, repeatably for a given seed.

Unknown fields and enum values, nulls in optional and in required properties, optional properties left out,
numbers sent as strings. Each change is reported (``X-Mock-Chaos``), so a test can tell what the client met.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Literal

from apimodel.schemas import Schemas

__all__ = [
    "BREAKING",
    "CHAOS_HEADER",
    "CHAOS_KINDS",
    "Drift",
    "DriftKind",
    "drift",
    "drift_random",
    "header_value",
    "wants_chaos",
]

DriftKind = Literal[
    "unknown-field", "unknown-enum", "null-optional", "null-required", "missing-optional", "number-as-string"
]
CHAOS_KINDS: tuple[DriftKind, ...] = (
    "unknown-field", "unknown-enum", "null-optional", "null-required", "missing-optional", "number-as-string"
)  # fmt: skip
CHAOS_HEADER = "X-Mock-Chaos"
# a drift kind that a client validating against the spec sees as a deviation (the others parse as they are)
BREAKING: frozenset[DriftKind] = frozenset({"unknown-enum", "null-required"})
_RATE = 0.35  # the share of an object's properties that drift
_MAX_DEPTH = 24
_MAX_REPORTED = 200  # about 8 KiB of header


@dataclass(frozen=True)
class Drift:
    pointer: str  # JSON pointer into the body
    kind: DriftKind

    def __str__(self) -> str:
        return f"{self.kind} {self.pointer or '/'}"


def wants_chaos(prefer: str) -> bool:
    """Whether a ``Prefer`` header carries the ``chaos`` token (``Prefer: chaos``, ``Prefer: code=200, chaos``)."""
    return any(part.strip().lower() == "chaos" for part in prefer.replace(";", ",").split(","))


def drift_random(seed: int | None, method: str, path: str, query: bytes) -> random.Random:
    """The generator of one response's drift: the same seed and request give the same drift."""
    return random.Random(f"{seed or 0}|{method}|{path}|{query.decode('latin-1')}")


def drift(schemas: Schemas, schema: Any, value: Any, rng: random.Random) -> tuple[Any, list[Drift]]:
    """``value`` (a response body that conforms to ``schema``) with drift applied, and each change made."""
    changes: list[Drift] = []
    return _walk(schemas, schema, value, rng, "", changes, 0), changes


def _walk(schemas: Schemas, schema: Any, value: Any, rng: random.Random, at: str, out: list[Drift], depth: int) -> Any:
    resolved = schemas.mapping(schema)
    if depth > _MAX_DEPTH or not resolved:
        return value
    if isinstance(value, list):
        items = resolved.get("items")
        return [_walk(schemas, items, v, rng, f"{at}/{i}", out, depth + 1) for i, v in enumerate(value)]
    props = schemas.properties(resolved) if isinstance(value, dict) else {}
    if not props:
        return value
    required = set(schemas.required(resolved))
    result: dict[str, Any] = {}
    for key, item in value.items():
        prop = props.get(key)
        where = f"{at}/{_escape(key)}"
        kind = _pick(schemas, prop, item, key in required, rng) if prop is not None else None
        if kind is None:
            result[key] = _walk(schemas, prop, item, rng, where, out, depth + 1) if prop is not None else item
            continue
        out.append(Drift(where, kind))
        if kind == "missing-optional":
            continue
        if kind in ("null-optional", "null-required"):
            result[key] = None
        elif kind == "unknown-enum":
            result[key] = f"chaos_{rng.randrange(1000)}"
        else:
            result[key] = str(item)
    if rng.random() < _RATE:
        name = f"chaos_field_{rng.randrange(1000)}"
        if name not in result:
            result[name] = rng.choice([1, "new", {"nested": True}, [1, 2], None])
            out.append(Drift(f"{at}/{name}", "unknown-field"))
    return result


def _pick(schemas: Schemas, prop: Any, item: Any, required: bool, rng: random.Random) -> DriftKind | None:
    """The drift one property takes, or None (it stays, and its own properties may drift)."""
    if rng.random() >= _RATE:
        return None
    resolved = schemas.mapping(prop)
    kinds: list[DriftKind] = []
    nullable = resolved.get("nullable") is True or "null" in (resolved.get("type") or ())
    if required and not nullable and item is not None:
        kinds.append("null-required")
    if not required:
        kinds += ["null-optional", "missing-optional"]
    if isinstance(item, str) and _has_enum(schemas, resolved):
        kinds.append("unknown-enum")
    if isinstance(item, int | float) and not isinstance(item, bool):
        kinds.append("number-as-string")
    return rng.choice(kinds) if kinds else None


def _has_enum(schemas: Schemas, resolved: dict[str, Any]) -> bool:
    """An ``enum`` on the schema or on an ``allOf`` part (``allOf: [{$ref: Status}]`` with a description beside)."""
    parts = [resolved, *(schemas.mapping(part) for part in resolved.get("allOf") or ())]
    return any(isinstance(part.get("enum"), list) for part in parts)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def header_value(changes: list[Drift]) -> str:
    """The ``X-Mock-Chaos`` value: each change, comma-separated (the first few when there are many)."""
    shown = ", ".join(str(c) for c in changes[:_MAX_REPORTED])
    return shown + (f", ... {len(changes) - _MAX_REPORTED} more" if len(changes) > _MAX_REPORTED else "")
