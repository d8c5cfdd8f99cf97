"""Rule: every example validates against its schema; our specs give one for every JSON body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jsonschema import ValidationError, validators
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30WriteValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing.exceptions import Unresolvable

from apimodel.diagnostics import Diagnostic, join_pointer
from apimodel.loader import resolve_pointer
from apimodel.walk import iter_operations
from generator.validation.patterns import NotARegex, pattern_validator

__all__ = ["check_examples", "is_json_media_type"]


def is_json_media_type(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _deref(data: dict[str, Any], node: Any) -> Any:
    return _deref_at(data, node, "")[0]


def _deref_at(data: dict[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """``node`` (found at ``pointer``) with its ``$ref`` chain followed, and the pointer where it really is."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
        pointer = node["$ref"].lstrip("#")
        try:
            node = resolve_pointer(data, pointer)
        except KeyError:
            return None, pointer
        seen += 1
    return node, pointer


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """jsonschema's ``pattern`` keyword, read as JSON Schema means it (:mod:`generator.validation.patterns`)."""
    if validator.is_type(instance, "string") and not pattern_validator(pattern).is_valid(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_READ, _WRITE, _V31 = (
    validators.extend(base, {"pattern": _ecma_pattern})
    for base in (OAS30ReadValidator, OAS30WriteValidator, OAS31Validator)
)


class _ExampleChecker:
    def __init__(self, label: str, data: dict[str, Any]) -> None:
        self.label = label
        self.data = data
        self.oas31 = str(data.get("openapi", "")).startswith("3.1")
        self.components = data.get("components") or {}

    def _errors(self, schema: Any, value: Any, *, writing: bool) -> list[str]:
        if not isinstance(schema, dict):
            return []
        # Local refs resolve against the document root, so give the schema the root's components.
        rooted = (
            {**schema, "components": self.components}
            if "$ref" not in schema
            else {"$ref": schema["$ref"], "components": self.components}
        )
        if self.oas31:
            validator: Any = _V31(rooted, format_checker=oas31_format_checker)
        elif writing:
            validator = _WRITE(rooted, format_checker=oas30_format_checker)
        else:
            validator = _READ(rooted, format_checker=oas30_format_checker)
        try:
            errors = sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
        except Unresolvable:  # reported once, as unresolved-ref
            return []
        messages = []
        for error in errors[:3]:
            where = "/".join(str(part) for part in error.absolute_path)
            messages.append(f"at '{where or '(root)'}': {error.message[:200]}")
        return messages

    def check_media(self, media: dict[str, Any], pointer: str, *, writing: bool) -> Iterator[Diagnostic]:
        schema = media.get("schema")
        candidates: list[tuple[str, Any]] = []
        if "example" in media:
            candidates.append((pointer + join_pointer("example"), media["example"]))
        for name, example in (media.get("examples") or {}).items():
            resolved, where = _deref_at(self.data, example, pointer + join_pointer("examples", name))
            if isinstance(resolved, dict) and "value" in resolved:
                candidates.append((where + "/value", resolved["value"]))
        for where, value in candidates:
            yield from self._check(schema, value, where, writing=writing)

    def _check(self, schema: Any, value: Any, where: str, *, writing: bool) -> Iterator[Diagnostic]:
        try:
            messages = self._errors(schema, value, writing=writing)
        except (RecursionError, re.error, NotARegex) as exc:  # a schema recursing too deep, a pattern no one reads
            why = (
                f"pattern {exc.pattern!r} is not a regular expression"
                if isinstance(exc, re.error | NotARegex)
                else ("its schema recurses deeper than the JSON schema validator follows")
            )
            yield Diagnostic(
                self.label,
                where,
                "example-unchecked",
                f"example could not be checked: {why}"[:300],
                "check it by hand",
                "warning",
            )
            return
        for message in messages:
            yield Diagnostic(
                self.label,
                where,
                "example-invalid",
                f"example does not match its schema {message}",
                "fix the example or the schema",
            )

    def check_component_examples(self) -> Iterator[Diagnostic]:
        for name, schema in sorted((self.components.get("schemas") or {}).items()):
            if isinstance(schema, dict) and "example" in schema:
                where = join_pointer("components", "schemas", name, "example")
                yield from self._check(schema, schema["example"], where, writing=False)


def check_examples(label: str, data: dict[str, Any], *, require: bool) -> Iterator[Diagnostic]:
    checker = _ExampleChecker(label, data)
    yield from checker.check_component_examples()
    for op in iter_operations(data):
        body, at = _deref_at(data, op.operation.get("requestBody"), op.pointer + "/requestBody")
        if isinstance(body, dict):
            for media_type, media in (body.get("content") or {}).items():
                pointer = at + join_pointer("content", media_type)
                if isinstance(media, dict):
                    yield from checker.check_media(media, pointer, writing=True)
                    if require and is_json_media_type(media_type) and not _has_example(data, media):
                        yield Diagnostic(
                            label,
                            pointer,
                            "missing-example",
                            f"{op.key} request body has no example",
                            "add a realistic example",
                        )
        for status, response in (op.operation.get("responses") or {}).items():
            resolved, at = _deref_at(data, response, op.pointer + join_pointer("responses", status))
            if not isinstance(resolved, dict):
                continue
            for media_type, media in (resolved.get("content") or {}).items():
                if not isinstance(media, dict):
                    continue
                pointer = at + join_pointer("content", media_type)
                yield from checker.check_media(media, pointer, writing=False)
                success = str(status).startswith("2")
                if require and success and is_json_media_type(media_type) and not _has_example(data, media):
                    yield Diagnostic(
                        label,
                        pointer,
                        "missing-example",
                        f"{op.key} {status} response has no example",
                        "add a realistic example",
                    )


def _has_example(data: dict[str, Any], media: dict[str, Any]) -> bool:
    if "example" in media or media.get("examples"):
        return True
    schema = _deref(data, media.get("schema"))
    return isinstance(schema, dict) and "example" in schema
