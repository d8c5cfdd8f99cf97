"""Request bodies as plain dicts: a ``TypedDict`` next to each model a request sends (``InvoiceInputParam``).

A method argument typed ``types.InvoiceInput`` also takes ``types.InvoiceInputParam``, a dict whose keys are the
spec's property names (required ones required, the rest ``NotRequired``); nested objects and array items get
TypedDicts of their own. The runtime sends a dict as it is given, so the two forms send the same JSON.
"""

from __future__ import annotations

import ast
import json
import keyword
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.client.naming import class_name, unique_name
from generator.client.typemap import TypeMapper, is_null, is_nullable, object_shape

__all__ = ["Params", "ParamsBuilder", "extend_types_module", "with_params"]

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_PRIMITIVES = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}
_SCHEMA_PREFIX = "#/components/schemas/"
_MAX_DEPTH = 12


@dataclass(frozen=True)
class Params:
    """The TypedDict definitions (source, no imports) and, per model class, the TypedDict that mirrors it."""

    source: str
    names: Mapping[str, str]  # model class name -> TypedDict name
    exported: tuple[str, ...]
    typing_names: frozenset[str]  # names the definitions use from ``typing``


def _escape(component: str) -> str:
    return component.replace("~", "~0").replace("/", "~1")


def _component(schema: Any) -> str | None:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str) and ref.startswith(_SCHEMA_PREFIX):
        return ref[len(_SCHEMA_PREFIX) :].replace("~1", "/").replace("~0", "~")
    return None


class ParamsBuilder:
    """Decides the TypedDicts: first those of the component schemas request bodies reach, then any an operation asks
    for (an inline object among a flattened body's arguments); :meth:`finish` writes them all."""

    def __init__(self, mapper: TypeMapper, taken: Iterable[str]) -> None:
        self.mapper = mapper
        self.taken = set(taken)
        self.inline: dict[int, str] = {}  # id of an inline object schema -> its TypedDict (one per schema)
        self.by_component: dict[str, str] = {}  # component schema name -> TypedDict name
        self.pending: list[tuple[str, dict[str, Any], str]] = []  # (TypedDict name, object schema, name hint)
        self.done: dict[str, str] = {}  # TypedDict name -> its definition

    def _new(self, hint: str, schema: dict[str, Any], inline: dict[str, Any] | None = None) -> str:
        """A new TypedDict for ``schema``; ``inline``: the spec's own inline schema it stands for (one per schema)."""
        if inline is not None and id(inline) in self.inline:
            return self.inline[id(inline)]
        name = unique_name(f"{hint}Param", self.taken)
        if inline is not None:
            self.inline[id(inline)] = name
        self.taken.add(name)
        self.pending.append((name, schema, hint))
        return name

    def for_component(self, component: str) -> str | None:
        """The TypedDict of a component object schema that has a model (created on first use)."""
        if component in self.by_component:
            return self.by_component[component]
        model = self.mapper.model_names.get(component)
        schema = self.mapper.resolve({"$ref": _SCHEMA_PREFIX + _escape(component)})
        shape = object_shape(self.mapper, schema) if isinstance(schema, dict) else None
        if model is None or shape is None or not shape[0]:
            return None
        self.by_component[component] = self._new(model, schema)
        return self.by_component[component]

    def annotation(self, schema: Any, hint: str, depth: int = 0) -> str:
        """The dict-form annotation of ``schema`` (``None`` included where the schema allows null)."""
        text = self._annotation(schema, hint, depth)
        nullable = isinstance(schema, dict) and (is_nullable(schema) or is_nullable(self.mapper.resolve(schema)))
        return f"{text} | None" if nullable and text != "Any" and not text.endswith("| None") else text

    def _annotation(self, schema: Any, hint: str, depth: int) -> str:
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return "Any"
        component = _component(schema)
        if component is not None:
            named = self.for_component(component)
            return named or self.annotation(self.mapper.resolve(schema), hint, depth + 1)
        if schema.get("enum"):
            return self.mapper.annotation(schema, literal=True)
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and members:
                parts = [self.annotation(m, f"{hint}{i}", depth + 1) for i, m in enumerate(members) if not is_null(m)]
                nullable = any(is_null(m) for m in members) or any(p.endswith(" | None") for p in parts)
                unique = list(dict.fromkeys(p.removesuffix(" | None") for p in parts))
                if "Any" in unique or not unique:
                    return "Any"
                return " | ".join([*unique, "None"] if nullable else unique)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and not schema.get("properties"):
            return self.annotation(all_of[0], hint, depth + 1)
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            kind = kinds[0] if len(kinds) == 1 else None
        if kind in _PRIMITIVES:
            return _PRIMITIVES[kind]
        if kind == "array":
            return f"list[{self.annotation(schema.get('items'), f'{hint}Item', depth + 1)}]"
        if kind == "object" or "properties" in schema or "additionalProperties" in schema or all_of:
            target = _without_constraints(schema)
            shape = object_shape(self.mapper, target)
            if shape is not None and shape[0]:
                return self._new(hint, target, inline=schema)
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return f"dict[str, {self.annotation(extra, f'{hint}Value', depth + 1)}]"
            return "dict[str, Any]"
        return "Any"

    def add_request_bodies(self, bodies: Iterable[Any]) -> None:
        """A TypedDict for every component object schema (with a model) that the request ``bodies`` reach."""
        for component in sorted(_request_components(self.mapper, bodies)):
            self.for_component(component)

    @property
    def model_params(self) -> dict[str, str]:
        """Model class name -> the TypedDict of the same schema."""
        return {self.mapper.model_names[c]: p for c, p in self.by_component.items()}

    def argument(self, schema: Any, hint: str) -> str | None:
        """The dict form of a flattened body argument, as a method annotation (``types.`` names, no ``None``), or
        ``None`` where it has no TypedDict in it."""
        text = self.annotation(schema, hint).removesuffix(" | None")
        names = set(self.inline.values()) | set(self.by_component.values())
        if not any(re.search(rf"\b{n}\b", text) for n in names):
            return None
        return re.sub(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b", r"types.\1", text)

    def plain_form(self, model: str) -> str | None:
        """The plain-value form of a model that wraps a plain value (a root model around a dict, a list or a
        primitive: econt's ``LineItems``, facturare's ``Metadata``), as a method annotation in which each model also
        takes its TypedDict: ``dict[str, types.LineItem | types.LineItemParam]``; ``None`` for any other model."""
        component = next((c for c, m in self.mapper.model_names.items() if m == model), None)
        if component is None or self.for_component(component) is not None:
            return None  # an object model: its TypedDict is its dict form
        schema = self.mapper.resolve({"$ref": _SCHEMA_PREFIX + _escape(component)})
        text = self.annotation(schema, model).removesuffix(" | None")
        if not _PLAIN.fullmatch(text):
            return None
        models = {p: m for m, p in self.model_params.items()}
        names = self._names()
        if not names:
            return text
        pattern = r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b"
        return re.sub(pattern, lambda m: (f"types.{models[m[1]]} | " if m[1] in models else "") + f"types.{m[1]}", text)

    def _names(self) -> set[str]:
        return {*self.inline.values(), *self.by_component.values(), *(name for name, _, _ in self.pending)}

    def with_dict_forms(self, annotation: str) -> str:
        """``annotation`` with every model in it also taking its dict form: its TypedDict, or the plain value it
        wraps."""
        forms = {m: f"types.{p}" for m, p in self.model_params.items()}
        for match in _TYPES_NAME.finditer(annotation):
            model = match.group(1)
            if model and model not in forms:
                plain = self.plain_form(model)
                if plain is not None:
                    forms[model] = plain
        return with_params(annotation, forms)

    def finish(self) -> Params:
        while self.pending:  # definitions create the TypedDicts of nested objects as they go
            name, schema, hint = self.pending.pop(0)
            self.done[name] = self.definition(name, schema, hint)
        definitions = [self.done[name].rstrip("\n") for name in sorted(self.done)]
        source = "\n\n\n".join(definitions)
        typing_names = {"TypedDict"} if definitions else set()
        typing_names |= {n for n in ("Any", "Literal", "NotRequired") if re.search(rf"\b{n}\b", source)}
        return Params(source, self.model_params, tuple(sorted(self.done)), frozenset(typing_names))

    def definition(self, name: str, schema: dict[str, Any], hint: str) -> str:
        properties, needed = object_shape(self.mapper, schema) or ({}, set())
        fields: list[tuple[str, str]] = []
        for key, prop in properties.items():
            resolved = self.mapper.resolve(prop) if isinstance(prop, dict) else {}
            if isinstance(prop, dict) and (prop.get("readOnly") or resolved.get("readOnly")):
                continue  # a request never sends it
            annotation = self.annotation(prop, f"{hint}{class_name(str(key), fallback='Field')}")
            fields.append((str(key), annotation if key in needed else f"NotRequired[{annotation}]"))
        doc = f'    """The dict form of ``{hint}``: keys as the spec names them."""\n'
        # a key must not shadow a name its class's annotations use (Literal values aside)
        used = set(re.findall(r"[A-Za-z_]\w*", _STRING.sub('""', " ".join(a for _, a in fields))))
        if all(k.isidentifier() and not keyword.iskeyword(k) and k not in used for k, _ in fields):
            body = "".join(f"    {key}: {annotation}\n" for key, annotation in fields)
            return f"class {name}(TypedDict):\n{doc}{body if fields else ''}"
        items = "".join(f"        {json.dumps(key)}: {json.dumps(annotation)},\n" for key, annotation in fields)
        return f"{name} = TypedDict(\n    {json.dumps(name)},\n    {{\n{items}    }},\n)"


def _without_constraints(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` without ``allOf`` members that only say which keys are required in some case (``anyOf:
    [{required: [name]}, {required: [last_name]}]``): a TypedDict cannot say it, the keys stay optional."""
    members = schema.get("allOf")
    if not isinstance(members, list):
        return schema
    kept = [m for m in members if not _only_requires(m)]
    return schema if len(kept) == len(members) else {**schema, "allOf": kept}


def _only_requires(node: Any) -> bool:
    if not isinstance(node, dict) or not node:
        return False
    branches = [b for key in ("anyOf", "oneOf") for b in node.get(key) or []]
    return set(node) <= {"anyOf", "oneOf", "required", "description"} and all(
        isinstance(b, dict) and set(b) <= {"required", "description"} for b in branches
    )


def _request_components(mapper: TypeMapper, bodies: Iterable[Any]) -> list[str]:
    """Component schemas a JSON or form request body names, directly or through other components, in order."""
    found: list[str] = []
    stack: list[Any] = list(bodies)
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if id(node) in seen:
                continue
            seen.add(id(node))
            component = _component(node)
            if component is not None and component not in found:
                found.append(component)
                stack.append(mapper.resolve(node))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


_TYPES_NAME = re.compile(r'"(?:[^"\\]|\\.)*"|\btypes\.(\w+)\b')
# what a wrapped plain value's annotation may be: a container, a primitive or a Literal (never ``Any`` alone)
_PLAIN = re.compile(r"(dict|list)\[.*\]|int|float|bool|str|Literal\[.*\]")


def with_params(annotation: str, names: Mapping[str, str]) -> str:
    """``types.InvoiceInput`` → ``types.InvoiceInput | types.InvoiceInputParam`` wherever a model has a dict form
    (``names``: model class name -> the dict form's annotation)."""

    def swap(match: re.Match[str]) -> str:
        model = match.group(1)
        if model is None or model not in names:
            return match.group(0)
        return f"types.{model} | {names[model]}"

    return _TYPES_NAME.sub(swap, annotation)


def extend_types_module(source: str, definitions: str, names: Iterable[str], typing_names: Iterable[str]) -> str:
    """The ``types`` module ``source`` with ``definitions`` added before its ``__all__``, which lists ``names`` too,
    and ``typing_names`` imported from ``typing`` (merged into an existing ``from typing import``)."""
    if not definitions:
        return source
    tree = ast.parse(source)
    exported: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            exported = list(ast.literal_eval(node.value))
            source = source[: _offset(source, node.lineno)].rstrip("\n")
            break
    exported = sorted({*exported, *names})
    source += "\n\n\n" + definitions.rstrip("\n") + "\n\n\n__all__ = [\n"
    source += "".join(f'    "{name}",\n' for name in exported) + "]\n"
    return _import_typing(source, set(typing_names))


def _offset(source: str, lineno: int) -> int:
    """The character offset where line ``lineno`` (1-based) starts."""
    return sum(len(line) for line in source.splitlines(keepends=True)[: lineno - 1])


def _import_typing(source: str, wanted: set[str]) -> str:
    tree = ast.parse(source)
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    for node in imports:
        if isinstance(node, ast.ImportFrom) and node.module == "typing" and not node.level:
            present = {a.name for a in node.names if a.asname is None}
            line = f"from typing import {', '.join(sorted(present | wanted))}\n"
            start, end = _offset(source, node.lineno), _offset(source, (node.end_lineno or node.lineno) + 1)
            return source[:start] + line + source[end:]
    line = f"from typing import {', '.join(sorted(wanted))}\n"

    def standard(node: ast.Import | ast.ImportFrom) -> bool:
        module = (node.module or "") if isinstance(node, ast.ImportFrom) else node.names[0].name
        level = node.level if isinstance(node, ast.ImportFrom) else 0
        return not level and module != "__future__" and module.split(".")[0] in sys.stdlib_module_names

    def module_of(node: ast.Import | ast.ImportFrom) -> str:
        return (node.module or "") if isinstance(node, ast.ImportFrom) else node.names[0].name

    stdlib = [n for n in imports if standard(n)]
    before = [n for n in stdlib if module_of(n) < "typing"]
    if before:  # after the standard-library imports that sort before ``typing``
        at = _offset(source, (before[-1].end_lineno or before[-1].lineno) + 1)
        return source[:at] + line + source[at:]
    if stdlib:
        at = _offset(source, stdlib[0].lineno)
        return source[:at] + line + source[at:]
    future = [n for n in imports if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
    at = _offset(source, (future[-1].end_lineno or future[-1].lineno) + 1) if future else 0
    return source[:at] + ("\n" if future else "") + line + source[at:]
