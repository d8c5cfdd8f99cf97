"""OpenAPI 3.0 schemas as compiled JSON Schema validators, resolved lazily and cached per direction."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

import jsonschema_rs

from apimodel.schemas import Schemas
from conformance.jsonseq import sequence_errors

__all__ = ["Direction", "FieldError", "SchemaSet"]

Direction = Literal["request", "response"]

_REF_PREFIX = "#/components/schemas/"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _is_date(value: str) -> bool:
    if not _DATE_RE.match(value):
        return False
    month, day = int(value[5:7]), int(value[8:10])
    return 1 <= month <= 12 and 1 <= day <= 31


_UNSEEN = object()
_REMEMBERED = 8192
_T = TypeVar("_T")
_NOT_SCHEMAS = frozenset({"example", "examples", "enum", "default", "const", "xml", "externalDocs", "discriminator"})
_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_FORMATS: dict[str, Callable[[str], bool]] = {"uuid": _is_uuid, "date": _is_date}


@dataclass(frozen=True)
class FieldError:
    """One validation failure: where (dotted parameter path) and what."""

    param: str
    message: str


def _def_name(ref: str) -> str:
    return ref[len(_REF_PREFIX) :].replace("/", "_") if ref.startswith(_REF_PREFIX) else ref.replace("/", "_")


class SchemaSet(Schemas):
    """The schemas of one document: resolving (:class:`Schemas`), converting to JSON Schema and compiling,
    all on demand."""

    def __init__(self, document: dict[str, Any]) -> None:
        super().__init__(document)
        self._converted: dict[tuple[str, Direction], Any] = {}
        self._validators: dict[tuple[int, Direction], Any] = {}
        self._keep: list[Any] = []
        self._targets: dict[str, Any] = {}
        self._memo: dict[tuple[str, int, Hashable], tuple[Any, Any]] = {}
        # 3.1 schemas are JSON Schema 2020-12 (const, numeric exclusiveMinimum, prefixItems): under draft 4 such a
        # schema did not compile and its stand-in validated nothing, so the self-check passed what broke it
        version = str(document.get("openapi", "")) if isinstance(document, dict) else ""
        self._draft = jsonschema_rs.Draft202012Validator if version.startswith("3.1") else jsonschema_rs.Draft4Validator

    # -- resolving, cached (the mock asks the same questions of the same nodes on every request) -------------
    def resolve(self, node: Any) -> Any:
        """:meth:`Schemas.resolve`, with each ``$ref``'s target remembered: the document does not change while it
        is served."""
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return node
        found = self._targets.get(ref, _UNSEEN)
        if found is _UNSEEN:
            found = self._targets[ref] = super().resolve(node)
        return found

    def remembered(self, kind: str, schema: Any, make: Callable[[], _T], extra: Hashable = None) -> _T:
        """``make()``, remembered per schema node (and ``extra``) under ``kind``: what the mock derives from a schema
        (its properties, its computed-field rules) is the same on every request. An entry keeps its node alive, so
        the node's ``id`` cannot be reused by another; the memo is emptied when it grows past ``_REMEMBERED``
        (schemas built per request would otherwise pile up)."""
        key = (kind, id(schema), extra)
        entry = self._memo.get(key)
        if entry is None or entry[0] is not schema:
            if len(self._memo) >= _REMEMBERED:
                self._memo.clear()
            entry = self._memo[key] = (schema, make())
        return cast(_T, entry[1])

    def properties(self, schema: Any) -> dict[str, Any]:
        """:meth:`Schemas.properties`, remembered (a copy is returned, so a caller may change it)."""
        return dict(self.remembered("properties", schema, lambda: super(SchemaSet, self).properties(schema)))

    def required(self, schema: Any) -> list[str]:
        """:meth:`Schemas.required`, remembered (a copy is returned)."""
        return list(self.remembered("required", schema, lambda: super(SchemaSet, self).required(schema)))

    def has_write_only(self, schema: Any) -> bool:
        """Whether any schema reachable from ``schema`` marks a property ``writeOnly`` (most never do, and then a
        response needs no walk to strip them)."""
        return self.remembered("write-only", schema, lambda: self._reaches_write_only(schema))

    def _reaches_write_only(self, schema: Any) -> bool:
        seen: set[int] = set()
        pending = [schema]
        while pending:
            node = self.resolve(pending.pop())
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, list):
                pending.extend(node)
            elif isinstance(node, dict):
                if node.get("writeOnly") is True:
                    return True
                pending.extend(v for k, v in node.items() if k not in _NOT_SCHEMAS and isinstance(v, dict | list))
        return False

    # -- conversion ------------------------------------------------------------------------------
    def _convert(self, node: Any, direction: Direction, refs: set[str]) -> Any:
        if isinstance(node, list):
            return [self._convert(item, direction, refs) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            refs.add(ref)
            target: dict[str, Any] = {"$ref": "#/definitions/" + _def_name(ref)}
            if node.get("nullable") is True:
                return {"anyOf": [target, {"type": "null"}]}
            return target
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("example", "examples", "discriminator", "xml", "externalDocs", "deprecated"):
                continue
            if key.startswith("x-") or key in ("readOnly", "writeOnly", "nullable"):
                continue
            if key == "properties" and isinstance(value, dict):
                out[key] = {k: self._convert(v, direction, refs) for k, v in value.items()}
            elif key in ("enum", "default", "const", "required", "pattern", "format", "type"):
                out[key] = value
            else:
                out[key] = self._convert(value, direction, refs)
        bounds = _INT_BOUNDS.get(str(node.get("format"))) if node.get("type") == "integer" else None
        if bounds is not None:  # what a server's int32/int64 column can hold
            out.setdefault("minimum", bounds[0])
            out.setdefault("maximum", bounds[1])
        if direction == "request" and node.get("format") == "binary":
            out.pop("format", None)
        required = out.get("required")
        if isinstance(required, list) and isinstance(node.get("properties"), dict):
            skip = "readOnly" if direction == "request" else "writeOnly"
            props = node["properties"]
            kept = [n for n in required if not (isinstance(props.get(n), dict) and self.resolve(props[n]).get(skip))]
            if kept:
                out["required"] = kept
            else:
                out.pop("required")
        if node.get("nullable") is True:
            kind = out.get("type")
            if isinstance(kind, str):
                out["type"] = [kind, "null"]
            if isinstance(out.get("enum"), list) and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
            if "type" not in out and any(k in out for k in ("allOf", "oneOf", "anyOf")):
                out = {"anyOf": [out, {"type": "null"}]}
        return out

    def to_json_schema(self, schema: Any, direction: Direction) -> dict[str, Any]:
        """A self-contained JSON Schema for ``schema`` (refs to components bundled): draft 4 for OpenAPI 3.0,
        2020-12 for 3.1."""
        refs: set[str] = set()
        root = self._convert(schema, direction, refs)
        if not isinstance(root, dict):
            root = {}
        definitions: dict[str, Any] = {}
        pending = list(refs)
        while pending:
            ref = pending.pop()
            name = _def_name(ref)
            if name in definitions:
                continue
            cached = self._converted.get((ref, direction))
            if cached is None:
                inner: set[str] = set()
                target = self.resolve({"$ref": ref})
                converted = self._convert(target, direction, inner)
                cached = (converted, tuple(inner))
                self._converted[(ref, direction)] = cached
            definitions[name] = cached[0]
            pending.extend(r for r in cached[1] if _def_name(r) not in definitions)
        if definitions:
            root = {**root, "definitions": {**root.get("definitions", {}), **definitions}}
        return root

    def validator(self, schema: Any, direction: Direction) -> Any:
        """A compiled validator for ``schema`` (a node of the document), compiled on first use."""
        key = (id(schema), direction)
        found = self._validators.get(key)
        if found is None:
            compiled = self.to_json_schema(schema, direction)
            try:
                found = self._draft(compiled, validate_formats=True, ignore_unknown_formats=True, formats=_FORMATS)
            except Exception:  # a schema the compiler rejects validates nothing rather than crashing
                found = self._draft({})
            self._validators[key] = found
            self._keep.append(schema)  # keeps id(schema) stable for the cache's lifetime
        return found

    def errors(self, schema: Any, value: Any, direction: Direction, *, limit: int = 20) -> list[FieldError]:
        """Every validation failure of ``value`` (at most ``limit``), named by dotted path."""
        found: list[FieldError] = []
        try:
            validator = self.validator(schema, direction)
            if validator.is_valid(value):  # most values are; walking for errors costs more
                return found
            iterator = validator.iter_errors(value)
            for error in iterator:
                path = [str(p) for p in error.instance_path]
                if error.schema_path and error.schema_path[-1] == "required":
                    match = re.match(r'"(.*)" is a required property', error.message)
                    if match:
                        path.append(match.group(1))
                found.append(FieldError(".".join(path), error.message[:300]))
                if len(found) >= limit:
                    break
        except (ValueError, TypeError, OverflowError) as exc:  # values the validator cannot represent
            found.append(FieldError("", f"value cannot be validated: {exc}"[:300]))
        return found

    def sequence_errors(self, content: Any, documents: list[Any], direction: Direction) -> list[FieldError]:
        """Where the documents of a sequential JSON body (NDJSON, JSON Lines, json-seq) break its media type object
        ``content`` (:func:`conformance.jsonseq.sequence_errors`), each named by its line: ``line 2.id``."""
        if not isinstance(content, dict):
            return []

        found = []
        for line, error in sequence_errors(content, documents, lambda s, v: self.errors(s, v, direction, limit=3)):
            where = f"line {line}"
            found.append(FieldError(f"{where}.{error.param}" if error.param else where, f"{where}: {error.message}"))
        return found[:20]

    def is_valid(self, schema: Any, value: Any, direction: Direction) -> bool:
        try:
            return bool(self.validator(schema, direction).is_valid(value))
        except (ValueError, TypeError, OverflowError):
            return False
