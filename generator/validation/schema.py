"""The OpenAPI validator's findings, each placed at a pointer that exists and told what to change."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft4Validator, Draft202012Validator
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v30, schema_v31

from apimodel.diagnostics import Diagnostic, escape_pointer, join_pointer
from apimodel.loader import resolve_pointer
from generator.validation.patterns import is_pattern, regex_format_problem

__all__ = ["schema_diagnostics"]

_UNDECLARED = re.compile(r"Path parameter '([^']*)' for '(\w+)' operation in '([^']*)' was not resolved")
_REQUIRED = re.compile(r"""^['"]([^'"]+)['"] is a required property""")
_EXTRA = re.compile(r"\('([^']+)'(?:, '[^']+')* (?:was|were) unexpected\)")
_TYPE = re.compile(r" is not of type (.+)$")
_ONE_OF = re.compile(r" is not valid under any of the (?:given schemas|schemas listed in the '(?:oneOf|anyOf)')")
_ENUM = re.compile(r" is not one of (\[.*\])$")
# where a null is a value, not a missing object
_VALUE_KEYS = frozenset({"example", "examples", "default", "enum", "const", "value"})


def _existing(data: Any, tokens: list[Any]) -> str:
    """The pointer of ``tokens``, cut back to the deepest part that exists in the document."""
    for end in range(len(tokens), 0, -1):
        pointer = join_pointer(*tokens[:end])
        try:
            resolve_pointer(data, pointer)
        except KeyError:
            continue
        return pointer
    return ""


def _entries(data: Any) -> Iterator[tuple[str, str, Any, Any]]:
    """Each entry of the document outside values (examples, defaults) and extensions: its pointer, key, value and
    the node holding it, depth first."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, where = stack.pop()
        if not isinstance(node, dict | list):
            continue
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, value in reversed(items):
            if str(key) in _VALUE_KEYS or str(key).startswith("x-"):
                continue
            pointer = f"{where}/{escape_pointer(str(key))}"
            yield pointer, str(key), value, node
            stack.append((value, pointer))


def _first_null(data: Any) -> str | None:
    """The first empty (null) entry where OpenAPI expects an object, in document order."""
    return next((pointer for pointer, _, value, _ in _entries(data) if value is None), None)


def _unreadable_patterns(data: Any) -> Iterator[tuple[str, str, tuple[str, str] | None]]:
    """Each ``pattern`` that openapi-spec-validator would refuse without saying where: its pointer, the pattern, and
    what is wrong with it and what to change (None for one in JSON Schema's dialect that Python's ``re``, which the
    validator uses without jsonschema-rs, cannot read: ``\\p{L}``). With jsonschema-rs the validator checks the
    pattern's ``format: regex`` (ECMA-262 with the u flag), and a lone ``}`` failed the whole schema object."""
    for pointer, key, value, node in _entries(data):
        if key == "pattern" and isinstance(value, str) and isinstance(node, dict):
            try:
                re.compile(value)
            except re.error:
                problem = None if is_pattern(value) else ("is not a regular expression", "write it in ECMA-262 syntax")
                yield pointer, value, problem
                continue
            problem = regex_format_problem(value)
            if problem is not None:
                yield pointer, value, problem


def _explain(message: str, leaf: str) -> tuple[str, str]:
    """A short message and what to change, from the validator's message about the value at ``leaf``."""
    if match := _REQUIRED.search(message):
        return f"'{match.group(1)}' is missing", f"add '{match.group(1)}' here"
    if match := _EXTRA.search(message):
        return f"'{match.group(1)}' is not a field of this object", "remove or rename it (extensions start with x-)"
    if message.startswith(("None ", "null ")):
        return f"'{leaf}' is empty (null)", "give it a value or remove the key"
    if match := _ENUM.search(message):
        return f"'{leaf}': {message}"[:240], "use one of the listed values"
    if match := _TYPE.search(message):
        return f"'{leaf}' is not of type {match.group(1)}", f"make it of type {match.group(1)}"
    if _ONE_OF.search(message):
        return (
            f"'{leaf}' matches none of the forms OpenAPI allows here",
            "compare it with the specification's object for this place (a misspelled, missing or misplaced key)",
        )
    short = message if len(message) <= 240 else message[:237] + "..."
    return short, "see the OpenAPI specification for this object"


@dataclass(frozen=True)
class _Reason:
    message: str
    absolute_path: Any


def _reason(error: Any) -> _Reason:
    """The sub-error that says what is wrong in a ``oneOf``/``anyOf`` failure: not the reference branch's
    "'$ref' is required", and the deepest place."""
    while error.context:
        options = [e for e in error.context if e.message != "'$ref' is a required property"] or list(error.context)
        chosen = max(options, key=lambda e: (len(e.absolute_path), e.validator not in ("oneOf", "anyOf")))
        if chosen.validator == "enum":  # one branch per allowed value (a parameter's `in`): name them all
            allowed = {
                repr(v) for e in options if e.validator == "enum" and e.path == chosen.path for v in e.validator_value
            }
            return _Reason(f"{chosen.instance!r} is not one of [{', '.join(sorted(allowed))}]", chosen.absolute_path)
        error = chosen
    return _Reason(error.message, error.absolute_path)


def _reasons(data: Any, version: str) -> dict[tuple[str, ...], _Reason]:
    """The specific reason of each ``oneOf`` failure, by the place it is about (from the OpenAPI JSON schema)."""
    schema = schema_v31 if version.startswith("3.1") else schema_v30
    validator: Any = Draft202012Validator if version.startswith("3.1") else Draft4Validator
    found = {}
    for error in validator(schema).iter_errors(data):
        if error.validator in ("oneOf", "anyOf"):
            found[tuple(map(str, error.absolute_path))] = _reason(error)
    return found


def _diagnostic(label: str, data: dict[str, Any], error: Any, reasons: dict[tuple[str, ...], _Reason]) -> Diagnostic:
    message = str(getattr(error, "message", error)).splitlines()[0]
    tokens = list(getattr(error, "path", ()))
    if _ONE_OF.search(message) and tuple(map(str, tokens)) in reasons:
        specific = reasons[tuple(map(str, tokens))]
        message, tokens = specific.message, list(specific.absolute_path)
    if match := _UNDECLARED.search(message):
        name, method, path = match.groups()
        return Diagnostic(
            label,
            _existing(data, ["paths", path, method]),
            "undeclared-path-parameter",
            f"path parameter '{name}' of {method.upper()} {path} is not declared",
            f"add {{name: {name}, in: path, required: true, schema: {{type: string}}}} to its parameters",
        )
    pointer = _existing(data, tokens)
    if not tokens and message.startswith("None "):  # raised without a place: find the empty entry
        pointer = _first_null(data) or ""
    leaf = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~") if pointer else "the document"
    text, hint = _explain(message, leaf)
    return Diagnostic(label, pointer, "openapi-schema", text, hint)


def _text_keys(node: Any) -> Any:
    """The document with every key a string, as JSON has them (YAML reads ``200:`` as a number)."""
    if isinstance(node, dict):
        return {str(k): _text_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_text_keys(v) for v in node]
    return node


def schema_diagnostics(label: str, data: dict[str, Any]) -> list[Diagnostic]:
    validator_class: Any = (
        OpenAPIV31SpecValidator if str(data.get("openapi")).startswith("3.1") else OpenAPIV30SpecValidator
    )
    diagnostics = []
    text = _text_keys(data)
    unreadable = list(_unreadable_patterns(text))
    for pointer, pattern, problem in unreadable:
        if problem is not None:
            what, change = problem
            said = f"pattern {pattern!r} {what}" if len(pattern) <= 120 else f"pattern {pattern[:117]!r}... {what}"
            diagnostics.append(Diagnostic(label, pointer, "openapi-schema", said, f"{change} (JSON Schema's patterns)"))
    for pointer, _, _ in unreadable:
        parent, _, _ = pointer.rpartition("/")
        resolve_pointer(text, parent)["pattern"] = ""  # the structure is checked with one every engine reads
    try:
        errors = list(validator_class(text).iter_errors())
        reasons = _reasons(text, str(data.get("openapi"))) if errors else {}
        for error in errors:
            diagnostics.append(_diagnostic(label, data, error, reasons))
    except RecursionError:
        diagnostics.append(
            Diagnostic(
                label, "", "openapi-schema", "the OpenAPI validator ran out of stack", "fix the other errors first"
            )
        )
    except Exception as exc:  # the validator gives up on some broken documents; say so, don't crash
        diagnostics.append(
            Diagnostic(
                label, "", "openapi-schema", f"the OpenAPI validator stopped: {exc}"[:300], "fix the other errors first"
            )
        )
    return diagnostics
