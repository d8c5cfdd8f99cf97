"""Values made from schemas: the spec's examples where it has them, generated values otherwise."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from conformance.mock.copying import json_copy
from conformance.mock.patterns import matching
from conformance.mock.schema import SchemaSet

__all__ = ["Sampler", "now_value"]

_MAX_DEPTH = 6
_PATTERN_CANDIDATES = (
    *("1.00", "1", "EUR", "string", "A", "a", "1.0.0", "A1", "+37360000000"),
    *("2024-01-15T10:30:00Z", "2024-01-15"),  # a date pattern (AWS's StringDateTime) takes a real date first
)


def now_value(schema: dict[str, Any], moment: dt.datetime | None = None) -> Any:
    """The current time in the type a property declares (UNIX seconds, date-time, date or pattern form)."""
    moment = moment or dt.datetime.now(dt.UTC).replace(microsecond=0)
    kind = schema.get("type")
    if kind == "integer":
        return int(moment.timestamp())
    if kind == "number":
        return float(int(moment.timestamp()))
    if schema.get("format") == "date":
        return moment.date().isoformat()
    pattern = str(schema.get("pattern") or "")
    if r"\d{2}:\d{2}:\d{2}$" in pattern and " " in pattern:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.isoformat().replace("+00:00", "Z")


# a value of another type than each JSON type, for telling ``oneOf`` options apart
_WRONG: dict[str, Any] = {"string": 0, "integer": "0", "number": "0", "boolean": 0, "object": 0, "array": 0}


def _key_of(schema: dict[str, Any]) -> str:
    """Which of ``oneOf``/``anyOf`` a schema's options are under."""
    return "oneOf" if isinstance(schema.get("oneOf"), list) and schema["oneOf"] else "anyOf"


class Sampler:
    """Makes a representative value for any schema; results are cached and copied out."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self._cache: dict[int, Any] = {}
        self._keep: list[Any] = []

    def sample(self, schema: Any, *, use_examples: bool = True) -> Any:
        return json_copy(self.shared(schema, use_examples=use_examples))

    def shared(self, schema: Any, *, use_examples: bool = True) -> Any:
        """The cached sample itself, not a copy: read it, never change it (error bodies on hot paths).

        Where the spec's examples deep inside make it invalid, it is made again from the schemas alone."""
        key = id(schema) * 2 + int(use_examples)
        if key not in self._cache:
            value = self._make(schema, 0, use_examples, frozenset())
            if use_examples and not self._valid(schema, value):
                value = self.shared(schema, use_examples=False)
            self._cache[key] = value
            self._keep.append(schema)
        return self._cache[key]

    def _make(self, node: Any, depth: int, use_examples: bool, seen: frozenset[str]) -> Any:
        ref = node.get("$ref") if isinstance(node, dict) else None
        schema = self.schemas.resolve(node)
        if not isinstance(schema, dict):
            return None
        if isinstance(ref, str):
            # the depth bound stops recursion; a reference to a plain value (AWS's AlarmName, a string) ends there
            if ref in seen or (depth > _MAX_DEPTH and self.schemas.schema_type(schema) in (None, "object", "array")):
                return None
            seen = seen | {ref}
        givens = [schema["example"]] if use_examples and "example" in schema else []
        examples = schema.get("examples")  # 3.1: a list of values
        givens += list(examples) if use_examples and isinstance(examples, list) else []
        givens += [schema["default"]] if schema.get("default") is not None else []
        givens += [schema["const"]] if "const" in schema else []
        givens += list(schema["enum"]) if isinstance(schema.get("enum"), list) else []
        for given in givens:  # the spec's own values, where they are valid (real specs' examples often are not)
            if self._valid(node, given):
                return json_copy(given)
        for key in ("oneOf", "anyOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                return self._option(node, schema, options, depth, use_examples, seen)
        kind = self.schemas.schema_type(schema)
        parts = schema.get("allOf")
        if "type" not in schema and isinstance(parts, list) and parts and not self.schemas.properties(schema):
            # allOf of non-objects (a $ref to a string plus a description): the typed part is the value, never
            # the {} an annotation-only part ({description: …}) would give
            typed = [p for p in parts if not _annotation_only(self.schemas.resolve(p))] or parts
            return next((v for p in typed if (v := self._make(p, depth + 1, use_examples, seen)) is not None), None)
        if kind == "object" or (kind is None and "allOf" in schema):
            return self._object(schema, depth, use_examples, seen)
        if kind == "array":
            count = int(schema.get("minItems") or 0)
            item = self._make(schema.get("items") or {}, depth + 1, use_examples, seen)
            return [json_copy(item) for _ in range(count)] if item is not None or count == 0 else []
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            return _number(schema, 1, integer=True)
        if kind == "number":
            return _number(schema, 1.0, integer=False)
        if kind == "boolean":
            return False
        if schema.get("nullable"):
            return None
        return {} if not kind else None

    def _valid(self, schema: Any, value: Any) -> bool:
        return bool(self.schemas.is_valid(schema, value, "response"))

    def _option(
        self,
        node: Any,
        schema: dict[str, Any],
        options: list[Any],
        depth: int,
        use_examples: bool,
        seen: frozenset[str],
    ) -> Any:
        """A value of a ``oneOf``/``anyOf``: the first option whose value the whole schema accepts (a ``oneOf``
        needs exactly one match), with the discriminator's value set for the option it maps to."""
        found = schema.get("discriminator")
        discriminator: dict[str, Any] = found if isinstance(found, dict) else {}
        name = discriminator.get("propertyName")
        mapping = {v: k for k, v in (discriminator.get("mapping") or {}).items()}
        first: Any = None
        for index, option in enumerate(options):
            value = self._make(option, depth + 1, use_examples, seen)
            ref = option.get("$ref") if isinstance(option, dict) else None
            if isinstance(name, str) and isinstance(value, dict) and isinstance(ref, str):
                value[name] = mapping.get(ref, ref.rsplit("/", 1)[-1])
            if index == 0:
                first = value
            if self._valid(node, value):
                return value
            separated = self._separated(option, options, value) if _key_of(schema) == "oneOf" else None
            if separated is not None and self._valid(node, separated):
                return separated
        return first

    def _separated(self, option: Any, options: list[Any], value: Any) -> Any:
        """``value`` (an object of ``option``) made to fail the other options that accept it too, so that a
        ``oneOf`` matches it once: a property ``option`` leaves open, set to a type another option's same property
        refuses (otoroshi's ConsoleDataExporterConfig, any object, beside MailerConsoleExporterConfig's string
        ``type``); None where nothing tells them apart."""
        if not isinstance(value, dict):
            return None
        own = self.schemas.resolve(option)
        if not isinstance(own, dict) or own.get("additionalProperties") is False:
            return None
        result, mine = json_copy(value), self.schemas.properties(own)
        for other in options:
            if other is option or not self._valid(other, result):
                continue
            for name, prop in self.schemas.properties(self.schemas.resolve(other)).items():
                kind = self.schemas.schema_type(self.schemas.resolve(prop))
                if name not in mine and kind in _WRONG:
                    result[name] = _WRONG[kind]
                    break
            else:
                return None
        return result

    def _object(self, schema: dict[str, Any], depth: int, use_examples: bool, seen: frozenset[str]) -> Any:
        result: dict[str, Any] = {}
        required = set(self.schemas.required(schema))
        for name, prop in self.schemas.properties(schema).items():
            if depth >= 3 and name not in required:
                continue
            resolved = self.schemas.resolve(prop)
            if isinstance(resolved, dict) and resolved.get("writeOnly") and name not in required:
                continue
            value = self._make(prop, depth + 1, use_examples, seen)
            if value is None and name not in required and not (isinstance(resolved, dict) and resolved.get("nullable")):
                continue
            result[name] = value
        extra = schema.get("additionalProperties")
        for name in sorted(required - set(result)):  # required, yet not among the properties (a spec's slip)
            result[name] = self._make(extra, depth + 1, use_examples, seen) if isinstance(extra, dict) else "string"
        minimum = int(schema.get("minProperties") or 0)
        index = 0
        while len(result) < minimum and index < 50:
            result[f"key{index}"] = self._make(extra, depth + 1, use_examples, seen) if isinstance(extra, dict) else ""
            index += 1
        return result

    def _string(self, schema: dict[str, Any]) -> str:
        fmt = schema.get("format")
        now = dt.datetime(2024, 1, 15, 10, 30, tzinfo=dt.UTC)
        by_format = {
            "date-time": "2024-01-15T10:30:00Z",
            "date": "2024-01-15",
            "time": "10:30:00Z",
            "duration": "P1D",
            "uuid": "00000000-0000-4000-8000-000000000000",
            "email": "user@example.com",
            "idn-email": "user@example.com",
            "uri": "https://example.com/",
            "url": "https://example.com/",
            "iri": "https://example.com/",
            "uri-reference": "https://example.com/",
            "iri-reference": "https://example.com/",
            "uri-template": "https://example.com/{id}",
            "hostname": "example.com",
            "idn-hostname": "example.com",
            "ipv4": "127.0.0.1",
            "ipv6": "::1",
            "json-pointer": "/id",
            "relative-json-pointer": "0",
            "regex": "^.*$",
            "byte": "",
            "binary": "",
        }
        pattern = str(schema.get("pattern") or "")
        if fmt in by_format:
            value = by_format[str(fmt)]
        elif pattern:
            value = now_value(schema, now) if " " in pattern else _from_pattern(pattern)
        else:
            value = "string"
        min_length, max_length = int(schema.get("minLength") or 0), schema.get("maxLength")
        if len(value) < min_length:
            value = _lengthened(value, min_length, pattern)
        if isinstance(max_length, int) and len(value) > max_length:
            value = value[:max_length]
        return value


def _number(schema: dict[str, Any], fallback: float, *, integer: bool) -> Any:
    value: float = fallback
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    low, high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if isinstance(minimum, int | float):
        value = minimum + (1 if low is True else 0)
    if isinstance(low, int | float) and not isinstance(low, bool) and value <= low:  # 3.1: the bound itself
        value = low + 1 if integer or not isinstance(high, int | float) or high - low > 1 else (low + high) / 2
    if isinstance(maximum, int | float) and value > maximum:
        value = maximum - (1 if high is True else 0)
    if isinstance(high, int | float) and not isinstance(high, bool) and value >= high:
        value = high - 1 if integer or not isinstance(low, int | float) or high - low > 1 else (low + high) / 2
    multiple = schema.get("multipleOf")
    if isinstance(multiple, int | float) and multiple > 0:
        value = (value // multiple + (1 if value % multiple else 0)) * multiple
    return int(value) if integer else float(value)


def _from_pattern(pattern: str) -> str:
    """The first of a few realistic shapes (decimal, integer, currency code, word) that the pattern accepts, else a
    string built from the pattern itself."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        return "string"
    return next((c for c in _PATTERN_CANDIDATES if compiled.search(c)), None) or matching(pattern) or "string"


def _lengthened(value: str, length: int, pattern: str) -> str:
    """``value`` grown to ``length`` characters: its last character repeated, or, where a pattern bounds that
    part (AWS's TapeARN ends in ``tape/[0-9A-Z]{5,16}`` yet is at least 50 long), the first repeat, from the end,
    that the pattern still accepts."""
    missing = length - len(value)
    plain = value + ("x" if not value else value[-1]) * missing
    try:
        compiled = re.compile(pattern) if pattern else None
    except re.error:
        compiled = None
    if compiled is None or compiled.search(plain) or not compiled.search(value):
        return plain
    for at in range(len(value), 0, -1):
        for char in dict.fromkeys((value[at - 1], "a", "0")):
            grown = value[:at] + char * missing + value[at:]
            if compiled.search(grown):
                return grown
    return plain


_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "externalDocs", "xml"})


def _annotation_only(schema: Any) -> bool:
    """A schema that only describes (``{description: …}``): it constrains nothing, so it has no value of its own."""
    return isinstance(schema, dict) and all(k in _ANNOTATIONS or k.startswith("x-") for k in schema)
