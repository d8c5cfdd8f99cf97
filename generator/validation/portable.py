"""Rules for other languages' tools: constructs that linters skip or that generators turn into code that fails.

Each is a warning with a pointer and a fix, for our specs and any spec:

- ``nullable-without-type``: OpenAPI 3.0 honours ``nullable`` only beside ``type``; linters then skip examples.
- ``ref-siblings``: OpenAPI 3.0 ignores every key beside ``$ref``; linters and generators drop them.
- ``example-unchecked``: an example that covers such a construct, so common linters do not check it.
- ``reserved-schema-name``: a schema named like a built-in type of TypeScript, Go or Java (``Error``, ``Map``).
- ``illegal-property-name``: a property name that is no identifier and carries no language-name extension.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from apimodel.diagnostics import Diagnostic, join_pointer
from apimodel.walk import iter_refs, local_ref_target
from generator.portability import NAME_EXTENSIONS, iter_properties

__all__ = ["RESERVED_TYPE_NAMES", "check_portability"]

# Type names a generated model class would shadow or collide with in the three main target languages:
# TypeScript's and the DOM's globals, Go's predeclared identifiers (capitalised, as generated types are),
# java.lang and the java.util / java.io types generated Java code imports, and the generators' own runtime.
RESERVED_TYPE_NAMES = frozenset(
    {
        # TypeScript / JavaScript / DOM
        "Array", "Blob", "Boolean", "Date", "Error", "File", "FormData", "Function", "Headers", "JSON", "Map",
        "Math", "Number", "Object", "Promise", "Record", "Request", "Response", "Set", "String", "Symbol",
        # Go predeclared and keywords, capitalised
        "Any", "Bool", "Byte", "Complex", "Float32", "Float64", "Int", "Int32", "Int64", "Interface", "Rune",
        "Struct", "Type", "Func",
        # Java: java.lang, java.util, java.io, java.time
        "Character", "Class", "Double", "Enum", "Exception", "Float", "Integer", "List", "Long", "Optional",
        "Package", "Short", "System", "Thread", "Void", "UUID", "Locale", "Objects", "Instant", "Duration",
        # the generators' runtime classes
        "ApiClient", "ApiException", "ApiResponse", "Configuration", "Pair", "ServerConfiguration",
    }
)  # fmt: skip

_EXAMPLE_HOLDERS = ("/paths/", "/components/responses/", "/components/parameters/", "/components/requestBodies/")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*|_+[A-Za-z0-9][A-Za-z0-9_]*")
_WORD = re.compile(r"[A-Za-z0-9]+")


def _walk_schemas(node: Any, pointer: str) -> Iterator[tuple[dict[str, Any], str]]:
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            yield current, where
            stack.extend((v, where + join_pointer(str(k))) for k, v in current.items() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend((v, f"{where}/{i}") for i, v in enumerate(current) if isinstance(v, dict | list))


def _is_schema_context(pointer: str) -> bool:
    """Skip the places where ``$ref`` siblings or ``nullable`` are data, not schema keywords."""
    return "/example" not in pointer and "/x-" not in pointer


def _constructs(label: str, data: dict[str, Any]) -> tuple[list[Diagnostic], set[str]]:
    found: list[Diagnostic] = []
    broken: set[str] = set()  # schemas the linters cannot read, so they skip every example reaching them
    for node, where in _walk_schemas(data, ""):
        if not _is_schema_context(where):
            continue
        if node.get("nullable") is True and "type" not in node:
            broken.add(where)
            shape = "allOf" if "allOf" in node else "oneOf" if "oneOf" in node else "anyOf" if "anyOf" in node else ""
            found.append(
                Diagnostic(
                    label,
                    where,
                    "nullable-without-type",
                    "'nullable: true' without 'type' is ignored by OpenAPI 3.0 tools"
                    + (f" (beside {shape})" if shape else ""),
                    "add the type, e.g. 'type: object' beside the allOf",
                    "warning",
                )
            )
        if isinstance(node.get("$ref"), str):
            siblings = sorted(str(k) for k in node if k != "$ref")
            if siblings:
                found.append(
                    Diagnostic(
                        label,
                        where,
                        "ref-siblings",
                        f"keys beside '$ref' are ignored by OpenAPI 3.0 tools: {', '.join(siblings)}",
                        "wrap the reference, 'allOf: [{$ref: ...}]', and keep the keys beside the allOf",
                        "warning",
                    )
                )
    return found, broken


def _reaches(data: dict[str, Any], start: str, broken: set[str], cache: dict[str, bool]) -> bool:
    """Whether the schema at ``start`` is, contains or refers to a broken construct."""
    if start in cache:
        return cache[start]
    cache[start] = False  # a cycle is no proof
    node: Any = data
    for token in start.strip("/").split("/") if start else ():
        token = token.replace("~1", "/").replace("~0", "~")
        node = node.get(token) if isinstance(node, dict) else None
    hit = any(b == start or b.startswith(start + "/") for b in broken)
    if not hit:
        for ref, _ in iter_refs(node):
            target = local_ref_target(ref)
            if target is not None and _reaches(data, target, broken, cache):
                hit = True
                break
    cache[start] = hit
    return hit


def _unchecked_examples(label: str, data: dict[str, Any], broken: set[str]) -> Iterator[Diagnostic]:
    cache: dict[str, bool] = {}
    for node, where in _walk_schemas(data, ""):
        if not isinstance(node.get("schema"), dict) or not ("example" in node or node.get("examples")):
            continue
        if not where.startswith(
            ("/paths/", "/components/responses/", "/components/parameters/", "/components/requestBodies/")
        ):
            continue
        if _reaches(data, where + "/schema", broken, cache):
            yield Diagnostic(
                label,
                where,
                "example-unchecked",
                "common linters skip this example: its schema reaches a construct they cannot read",
                "fix the nullable-without-type warning its schema reaches",
                "warning",
            )


def _reserved_names(label: str, data: dict[str, Any]) -> Iterator[Diagnostic]:
    schemas = (data.get("components") or {}).get("schemas") or {}
    title = str((data.get("info") or {}).get("title") or "Api") if isinstance(data.get("info"), dict) else "Api"
    prefix = "".join(word.capitalize() for word in _WORD.findall(title)[:1]) or "Api"
    for name in sorted(schemas) if isinstance(schemas, dict) else ():
        pascal = str(name)[:1].upper() + str(name)[1:]
        if pascal in RESERVED_TYPE_NAMES:
            yield Diagnostic(
                label,
                join_pointer("components", "schemas", str(name)),
                "reserved-schema-name",
                f"schema '{name}' collides with a built-in type in TypeScript, Go or Java; generators rename it"
                " (TypeScript's ModelError) and may miss a reference",
                f"name it after the API, e.g. '{prefix}{pascal}', and update its references",
                "warning",
            )


def _property_names(label: str, data: dict[str, Any]) -> Iterator[Diagnostic]:
    for pointer, name, schema in iter_properties(data):
        if _IDENTIFIER.fullmatch(name) or any(isinstance(schema.get(e), str) for e in NAME_EXTENSIONS):
            continue
        yield Diagnostic(
            label,
            pointer,
            "illegal-property-name",
            f"property '{name}' is no identifier in TypeScript, Go or Java, and generators may write broken code",
            f"keep the name and add a language-name extension, e.g. '{NAME_EXTENSIONS[0]}: {_suggest(name)}'",
            "warning",
        )


def _suggest(name: str) -> str:
    words = _WORD.findall(name)
    text = "".join(w[:1].upper() + w[1:] for w in words)
    return text if text[:1].isalpha() else f"Field{text}" if text else "Default"


def check_portability(label: str, data: dict[str, Any]) -> Iterator[Diagnostic]:
    found, broken = _constructs(label, data)
    yield from found
    yield from _unchecked_examples(label, data, broken)
    yield from _reserved_names(label, data)
    yield from _property_names(label, data)
