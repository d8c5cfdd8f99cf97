"""``oneOf`` branches that cannot be told apart: a value valid under one is valid under another, so it fails the
``oneOf`` (which wants exactly one match). When every branch is so covered, no value at all is valid.

The test is one-sided and conservative: branch A is *within* branch B only when every keyword of B is shown to
hold for every value of A (B asks for no key A does not require, its properties are A's or looser, its types
include A's, its values include A's). A keyword this cannot compare counts as telling the branches apart, so a
warning is never a guess. ``oneOf``s with a ``discriminator`` are left alone: tools pick their branch by it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from apimodel.diagnostics import Diagnostic, containers, join_pointer
from apimodel.schemas import Schemas

__all__ = ["ONEOF_CODE", "check_oneofs", "covered_branches"]

ONEOF_CODE = "oneof-indistinct"
_MAX_DEPTH = 8  # nesting compared before giving up (a recursive schema): giving up means "told apart"
# keywords that say nothing about which values are valid
_ANNOTATIONS = frozenset(
    {
        "$comment", "$id", "$schema", "default", "deprecated", "description", "discriminator", "example",
        "examples", "externalDocs", "nullable", "readOnly", "title", "writeOnly", "xml",
    }
)  # fmt: skip
# keywords that constrain only values of these JSON types
_APPLIES_TO = {
    "object": ("properties", "required", "additionalProperties", "patternProperties", "minProperties",
               "maxProperties", "propertyNames", "dependentRequired", "dependentSchemas", "unevaluatedProperties"),
    "array": ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains", "minContains",
              "maxContains", "unevaluatedItems"),
    "string": ("minLength", "maxLength", "pattern"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
}  # fmt: skip
_KEYWORD_TYPES = {k: ("integer", "number") if t == "number" else (t,) for t, ks in _APPLIES_TO.items() for k in ks}
# places in a document whose contents are values, not schemas
_VALUE_KEYS = frozenset({"example", "examples", "default", "enum", "const", "value"})
# maps whose keys are names (a property, a schema, a status "default"), never keywords
_NAME_MAPS = frozenset({"properties", "patternProperties", "schemas", "responses", "$defs", "definitions"})


@dataclass
class _Facts:
    """What every value of a schema is known to satisfy (its ``allOf`` parts merged)."""

    keywords: dict[str, Any] = field(default_factory=dict)
    types: frozenset[str] | None = None  # None: any type
    required: set[str] = field(default_factory=set)
    properties: dict[str, Any] = field(default_factory=dict)
    closed: frozenset[str] | None = None  # the only keys a value may have (additionalProperties: false)
    values: list[Any] | None = None  # enum or const: the only values


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


class _Comparer:
    def __init__(self, schemas: Schemas, *, nullable_keyword: bool) -> None:
        self.schemas = schemas
        self.nullable_keyword = nullable_keyword  # OpenAPI 3.0: ``nullable: true`` admits null

    def facts(self, node: Any, depth: int = 0) -> _Facts | None:
        """``None`` when the schema is not one this can read (a boolean, a remote reference)."""
        schema = self.schemas.resolve(node)
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return None
        found = _Facts()
        self._merge(found, schema, depth, top=True)
        return found

    def _merge(self, found: _Facts, schema: dict[str, Any], depth: int, *, top: bool) -> None:
        kind = schema.get("type")
        types = {kind} if isinstance(kind, str) else set(map(str, kind)) if isinstance(kind, list) else None
        if types is not None and self.nullable_keyword and schema.get("nullable") is True:
            types.add("null")
        if types is not None:  # every part's type holds: the intersection
            found.types = frozenset(types) if found.types is None else found.types & types
        values = (
            schema["enum"] if isinstance(schema.get("enum"), list) else [schema["const"]] if "const" in schema else None
        )
        if values is not None:
            if self.nullable_keyword and schema.get("nullable") is True and None not in values:
                values = [*values, None]
            found.values = (
                values if found.values is None else [v for v in found.values if _text(v) in map(_text, values)]
            )
        found.required.update(str(n) for n in schema.get("required") or () if isinstance(n, str))
        props = schema.get("properties")
        if isinstance(props, dict):
            for name, prop in props.items():
                found.properties.setdefault(str(name), prop)
            if top and schema.get("additionalProperties") is False and not schema.get("patternProperties"):
                found.closed = frozenset(map(str, props))
        elif top and schema.get("additionalProperties") is False and not schema.get("patternProperties"):
            found.closed = frozenset()
        for key, value in schema.items():
            if key not in ("type", "enum", "const", "required", "properties", "allOf"):
                found.keywords.setdefault(key, value)
        for part in schema.get("allOf") or ():
            resolved = self.schemas.resolve(part)
            if isinstance(resolved, dict) and depth <= _MAX_DEPTH:
                self._merge(found, resolved, depth + 1, top=False)

    def within(self, a: _Facts, b_node: Any, depth: int) -> bool:
        """Whether every value valid under ``a`` is valid under the schema ``b_node``."""
        if depth > _MAX_DEPTH:
            return False
        b = self.schemas.resolve(b_node) if isinstance(b_node, dict) else b_node
        if b is True:
            return True
        if not isinstance(b, dict):
            return False
        if isinstance(b_node, dict) and "$ref" in b_node and any(k != "$ref" for k in b_node):
            rest = {k: v for k, v in b_node.items() if k != "$ref"}  # 3.1: keys beside a reference constrain too
            if not self.within(a, rest, depth):
                return False
        types = a.types if a.types is not None else (frozenset(map(_json_type, a.values)) if a.values else None)
        return all(self._keyword(a, types, key, value, b, depth) for key, value in b.items())

    def _keyword(
        self, a: _Facts, types: frozenset[str] | None, key: str, value: Any, b: dict[str, Any], depth: int
    ) -> bool:
        if key in _ANNOTATIONS or key.startswith("x-") or key == "$ref":
            return True
        if types is not None and key in _KEYWORD_TYPES and not types & set(_KEYWORD_TYPES[key]):
            return True  # a constraint on values of another type than all of a's
        if a.values is not None and key not in ("type",):  # a's few values, each checked against the keyword
            return all(self._value_within(v, key, value, b, depth) for v in a.values)
        if key == "type":
            allowed = {value} if isinstance(value, str) else set(map(str, value)) if isinstance(value, list) else set()
            if self.nullable_keyword and b.get("nullable") is True:
                allowed.add("null")
            return types is not None and all(t in allowed or (t == "integer" and "number" in allowed) for t in types)
        if key == "required":
            return isinstance(value, list) and set(map(str, value)) <= a.required
        if key == "properties":
            return isinstance(value, dict) and all(self._property(a, str(n), s, depth) for n, s in value.items())
        if key == "additionalProperties":
            if value is True or self._trivial(value):
                return True
            own = b.get("properties")
            return a.closed is not None and a.closed <= set(map(str, own if isinstance(own, dict) else ()))
        if key == "allOf":
            return isinstance(value, list) and all(self.within(a, part, depth + 1) for part in value)
        if key == "anyOf":
            return isinstance(value, list) and any(self.within(a, part, depth + 1) for part in value)
        if key == "items":
            inner = a.keywords.get("items")
            facts = self.facts(inner, depth + 1) if inner is not None else None
            return facts is not None and self.within(facts, value, depth + 1)
        if key in ("enum", "const"):
            return False  # a has no values of its own (that case is above): it is not limited to b's
        return key in a.keywords and _text(a.keywords[key]) == _text(value)

    def _value_within(self, value: Any, key: str, keyword: Any, b: dict[str, Any], depth: int) -> bool:
        """Whether one of a's own values passes one keyword of b (the common ones; any other: no)."""
        kind = _json_type(value)
        if key == "enum":
            return isinstance(keyword, list) and _text(value) in map(_text, keyword)
        if key == "const":
            return _text(value) == _text(keyword)
        if key in _KEYWORD_TYPES and kind not in _KEYWORD_TYPES[key]:
            return True
        if key in ("allOf", "anyOf"):
            parts = keyword if isinstance(keyword, list) else []
            single = [_Facts(values=[value], types=frozenset({kind}))]
            test = all if key == "allOf" else any
            return bool(parts) and test(self.within(single[0], part, depth + 1) for part in parts)
        return False

    def _property(self, a: _Facts, name: str, schema: Any, depth: int) -> bool:
        if self._trivial(schema):
            return True
        if name in a.properties:
            facts = self.facts(a.properties[name], depth + 1)
            return facts is not None and self.within(facts, schema, depth + 1)
        return a.closed is not None and name not in a.closed  # a's values never have it

    def _trivial(self, schema: Any) -> bool:
        resolved = self.schemas.resolve(schema)
        return resolved is True or (
            isinstance(resolved, dict) and all(k in _ANNOTATIONS or str(k).startswith("x-") for k in resolved)
        )


def covered_branches(schemas: Schemas, options: list[Any], *, nullable_keyword: bool) -> dict[int, list[int]]:
    """For each branch of a ``oneOf`` whose every value another branch accepts too, those other branches."""
    comparer = _Comparer(schemas, nullable_keyword=nullable_keyword)
    covered: dict[int, list[int]] = {}
    for i, option in enumerate(options):
        facts = comparer.facts(option)
        if facts is None or facts.types == frozenset() or facts.values == []:  # unreadable, or no value at all
            continue
        others = [j for j, other in enumerate(options) if j != i and comparer.within(facts, other, 1)]
        if others:
            covered[i] = others
    return covered


def _name(option: Any, index: int) -> str:
    ref = option.get("$ref") if isinstance(option, dict) else None
    return f"{index} ({ref.rsplit('/', 1)[-1]})" if isinstance(ref, str) else str(index)


def _schema_place(path: tuple[str | int, ...]) -> bool:
    """Whether the container at ``path`` is a schema, not an example's value or an extension's data. In
    ``properties`` or ``responses`` a key is a name, whatever it is (a property ``example``, a ``default`` response)."""
    for before, token in zip((None, *path), path, strict=False):
        if before not in _NAME_MAPS and isinstance(token, str) and (token in _VALUE_KEYS or token.startswith("x-")):
            return False
    return True


def check_oneofs(label: str, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """A warning for each ``oneOf`` with a branch whose values another branch accepts too."""
    schemas = Schemas(data)
    nullable_keyword = not str(data.get("openapi", "")).startswith("3.1")
    for node, path in containers(data):
        options = node.get("oneOf") if isinstance(node, dict) else None
        if not isinstance(options, list) or len(options) < 2 or "discriminator" in node or not _schema_place(path):
            continue
        covered = covered_branches(schemas, options, nullable_keyword=nullable_keyword)
        if not covered:
            continue
        pairs = "; ".join(
            f"branch {_name(options[i], i)} is within {', '.join(_name(options[j], j) for j in js)}"
            for i, js in sorted(covered.items())
        )
        if len(covered) == len(options):
            what = f"no value can match exactly one branch of this oneOf, so none is valid ({pairs})"
        else:
            what = f"a value of a branch that another branch accepts too matches both and fails this oneOf ({pairs})"
        yield Diagnostic(
            label,
            join_pointer(*path, "oneOf"),
            ONEOF_CODE,
            what,
            "tell the branches apart (a required property, a type, or an enum or const value each branch has alone),"
            " or write anyOf if a value may match several",
            "warning",
        )
