"""The ``types`` package: models built on first use, and, for large specs, each model in a module of its own.

Two costs make a Stripe-sized package slow to touch: pydantic builds every model's validator when its class is
created, and one module holds every class. Every model is therefore generated with ``defer_build=True`` (the
validator is built when the model is first used), and above :data:`SPLIT_ABOVE` models each one gets its own
module: ``types/__init__.py`` loads a model's module when the model is first asked for, and gives the module the
names its annotations use (the runtime's ``LazyExports``). Type checkers see ordinary imports.

Building one model's validator would still build every model its fields reach (1,036 for a Stripe invoice). In a
split package a field that names another model is therefore marked ``DEFERRED``: the model it names is imported
and built when a value first reaches the field, and a union of models is built as a whole then, so pydantic picks
its member by its own rules. Only the models a value holds are built.
"""

from __future__ import annotations

import ast
import gc
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from generator.client.imports import after_imports, by_type, from_import, natural

__all__ = ["SPLIT_ABOVE", "defer_builds", "types_files"]

SPLIT_ABOVE = 400  # models; below this one module imports in well under 0.3 s, and reads better
_REBUILD = re.compile(r"^\w+\.model_rebuild\(\)$\n?", re.MULTILINE)
_MODEL_BASES = {"BaseModel", "RootModel"}
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def _base_names(node: ast.ClassDef) -> set[str]:
    names = set()
    for base in node.bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        if isinstance(target, ast.Name):
            names.add(target.id)
    return names


def defer_builds(source: str) -> str:
    """``source`` with every pydantic model set to build its validator on first use, and no eager rebuilds."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, str, str]] = []  # (0-based line, text to find or "", text to put)
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not _base_names(node) & _MODEL_BASES:
            continue
        config = next(
            (
                s
                for s in node.body
                if isinstance(s, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "model_config" for t in s.targets)
                and isinstance(s.value, ast.Call)
            ),
            None,
        )
        if config is not None and config.end_lineno and config.end_lineno > config.lineno:
            indent = " " * (config.col_offset + 4)
            edits.append((config.end_lineno - 1, "", f"{indent}defer_build=True,\n"))
            continue
        if config is not None:
            edits.append((config.lineno - 1, "ConfigDict(", "ConfigDict(defer_build=True, "))
            continue
        body = node.body
        first = body[1] if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else body[0]
        if first is body[-1] and isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            continue  # a docstring-only class cannot happen for a model; leave it as written
        indent = " " * first.col_offset
        edits.append((first.lineno - 1, "", f"{indent}model_config = ConfigDict(defer_build=True)\n"))
    for index, find, put in sorted(edits, reverse=True):
        if find:
            lines[index] = lines[index].replace(find, put, 1)
        else:
            lines.insert(index, put)
    out = _REBUILD.sub("", "".join(lines))
    if edits and not re.search(r"^from pydantic import .*\bConfigDict\b", out, re.MULTILINE):
        out = re.sub(r"^from pydantic import ", "from pydantic import ConfigDict, ", out, count=1, flags=re.MULTILINE)
    return out


@dataclass(frozen=True)
class _Field:
    """Where a model field's annotation sits in its unit's text (0-based lines from the unit's first, UTF-8 byte
    columns, as :mod:`ast` counts them) and the names it uses."""

    start: tuple[int, int]
    end: tuple[int, int]
    last: tuple[int, int] | None  # the end of an ``Annotated[...]``'s last argument: the marker goes after it
    names: frozenset[str]


@dataclass(frozen=True)
class _Unit:
    names: tuple[str, ...]
    text: str
    eager: frozenset[str]  # used when the class is created: bases, defaults, constraints
    lazy: frozenset[str]  # used only in annotations, resolved when the model is first validated
    quoted: frozenset[str] = frozenset()  # every identifier in its quoted annotations (``"NotRequired[X]"``)
    used: frozenset[str] = frozenset()  # every name in its code (defined here or imported), for its module's imports
    bases: frozenset[str] = frozenset()  # a class's bases (a model's are ``BaseModel``, ``RootModel`` or a model)
    fields: tuple[_Field, ...] = ()  # a class's field annotations


def _quoted(node: ast.AST) -> set[str]:
    """The identifiers in the quoted annotations under ``node``; not the strings inside a call
    (``Field(description=...)`` is prose)."""
    found: set[str] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, ast.Constant):
            if isinstance(current.value, str):
                found.update(_IDENTIFIER.findall(current.value))
        elif not isinstance(current, ast.Call):
            _push_children(current, pending)
    return found


def _push_children(node: ast.AST, pending: list[ast.AST]) -> None:
    """``node``'s children onto ``pending`` (``ast.iter_child_nodes`` without its generators)."""
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, list):
            pending.extend(v for v in value if isinstance(v, ast.AST))
        elif isinstance(value, ast.AST):
            pending.append(value)


def _names(node: ast.AST) -> set[str]:
    """Every ``Name`` under ``node`` (what ``ast.walk`` finds, in one loop without its generators: GitHub's
    description has thousands of models, and this walk was most of splitting them)."""
    found: set[str] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if type(current) is ast.Name:
            found.add(current.id)
        else:
            _push_children(current, pending)
    return found


def _typed_dict_fields(node: ast.Assign) -> list[ast.expr]:
    """The field annotations of ``X = TypedDict("X", {...})`` (the form for keys that are no identifiers)."""
    call = node.value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "TypedDict"):
        return []
    fields = call.args[1] if len(call.args) > 1 else None
    return [v for v in fields.values if v is not None] if isinstance(fields, ast.Dict) else []


def _units(tree: ast.Module, lines: list[str]) -> list[_Unit] | None:
    """Each top-level definition with what it refers to; None for a shape we do not split (anything but imports,
    classes, assignments, rebuild calls and ``__all__``)."""
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    defined: set[str] = set()
    definitions: list[ast.ClassDef | ast.Assign | ast.AnnAssign] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            if definitions:
                return None
        elif isinstance(node, ast.ClassDef):
            defined.add(node.name)
            definitions.append(node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            defined.add(node.target.id)  # ``X: TypeAlias = Literal[...]``
            definitions.append(node)
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if targets != ["__all__"]:
                defined.update(targets)
                definitions.append(node)
        elif not (isinstance(node, ast.Expr) and "model_rebuild" in ast.unparse(node)):
            return None
    units = []
    for node in definitions:
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
        text = "".join(lines[start : node.end_lineno])
        quoted: set[str] = set()
        lazy: set[str] = set()
        field_annotations: list[_Field] = []
        if isinstance(node, ast.ClassDef):
            names: tuple[str, ...] = (node.name,)
            eager: set[str] = set()
            used: set[str] = set()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.AnnAssign):  # a field: its annotation is lazy, its default eager
                    annotation = _names(child.annotation)
                    field_annotations.append(_field(child.annotation, start, annotation))
                    said = _quoted(child.annotation)
                    lazy |= annotation | said
                    quoted |= said
                    default = _names(child.value) if child.value is not None else set()
                    eager |= default
                    used |= annotation | default | _names(child.target)
                else:
                    found = _names(child)
                    eager |= found
                    used |= found
            lazy &= defined
            eager &= defined
        elif isinstance(node, ast.AnnAssign):
            names = (node.target.id,) if isinstance(node.target, ast.Name) else ()
            used = _names(node)
            eager = used & defined
        else:
            names = tuple(t.id for t in node.targets if isinstance(t, ast.Name))
            fields = _typed_dict_fields(node)
            used = _names(node)
            eager = _names(node.value) & defined
            for field in fields:
                said = _quoted(field)
                lazy |= (_names(field) | said) & defined
                quoted |= said
        own = set(names)
        bases = frozenset(_base_names(node)) if isinstance(node, ast.ClassDef) else frozenset()
        units.append(
            _Unit(
                names,
                text,
                frozenset(eager - own),
                frozenset(lazy - eager - own),
                frozenset(quoted),
                frozenset(used),
                bases,
                tuple(field_annotations),
            )
        )
    return units


def _field(annotation: ast.expr, start: int, names: set[str]) -> _Field:
    last = None
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        tail = annotation.slice.elts[-1]
        last = ((tail.end_lineno or 0) - 1 - start, tail.end_col_offset or 0)
    return _Field(
        (annotation.lineno - 1 - start, annotation.col_offset),
        ((annotation.end_lineno or 0) - 1 - start, annotation.end_col_offset or 0),
        last,
        frozenset(names),
    )


def _deferred(text: str, fields: tuple[_Field, ...], models: frozenset[str]) -> str:
    """A model's text with :data:`DEFERRED` on each field whose annotation names a model it does not import: that
    field's validator is built when a value first reaches it, with the models its type names (pydantic's own union
    rules apply among them), so building one model does not build what its fields reach."""
    lines = [line.encode() for line in text.splitlines(keepends=True)]
    edits: list[tuple[tuple[int, int], bytes]] = []
    for field in fields:
        if not field.names & models:
            continue
        if field.last is not None:
            line, column = field.last
            text_line = lines[line]
            if text_line[column : column + 1] == b",":  # a formatted Annotated[...] over lines: one more of them
                indent = text_line[: len(text_line) - len(text_line.lstrip())]
                edits.append(((line, column + 1), b"\n" + indent + b"DEFERRED,"))
            else:
                edits.append((field.last, b", DEFERRED"))
        else:
            edits += [(field.start, b"Annotated["), (field.end, b", DEFERRED]")]
    for (line, column), put in sorted(edits, reverse=True):
        lines[line] = lines[line][:column] + put + lines[line][column:]
    return b"".join(lines).decode()


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _module_names(units: list[_Unit]) -> dict[str, str]:
    """Model name → its module, unique even on a case-insensitive file system."""
    taken: set[str] = set()
    modules: dict[str, str] = {}
    for unit in sorted(units, key=lambda u: u.names[0]):
        base = f"_m_{_snake(unit.names[0])}"
        module, n = base, 1
        while module in taken:
            n += 1
            module = f"{base}_{n}"
        taken.add(module)
        for name in unit.names:
            modules[name] = module
    return modules


def _eager_cycle(units: list[_Unit]) -> bool:
    graph = {name: unit.eager for unit in units for name in unit.names}
    state: dict[str, int] = {}

    def visit(name: str) -> bool:
        state[name] = 1
        for dep in graph.get(name, ()):
            if state.get(dep) == 1 or (dep not in state and visit(dep)):
                return True
        state[name] = 2
        return False

    return any(name not in state and visit(name) for name in graph)


def types_files(package: str, source: str, header: str, split_above: int | None = None) -> dict[str, str]:
    """The files of ``{package}/types``: ``source`` as one module, or split when it holds more than
    ``split_above`` (default :data:`SPLIT_ABOVE`) models."""
    with _without_gc():
        return _types_files(package, source, header, split_above)


@contextmanager
def _without_gc() -> Iterator[None]:
    """No cyclic garbage collection while the module's syntax tree is built and read: GitHub's 3.7 MB of models make
    millions of nodes, none of them in a cycle, and collecting through them took longer than parsing (1.2 s of
    parsing, 3 s with collections). Each node is freed by its count of references as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _types_files(package: str, source: str, header: str, split_above: int | None) -> dict[str, str]:
    one = {f"{package}/types/__init__.py": source}
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    units = _units(tree, lines)
    if units is None:
        return one
    if len(units) <= (SPLIT_ABOVE if split_above is None else split_above) or _eager_cycle(units):
        return one
    imported = _imported(tree)
    modules = _module_names(units)
    models = _models(units)
    classes = _models(units, frozenset(_MODEL_BASES))
    files: dict[str, str] = {}
    for unit in units:
        files[f"{package}/types/{modules[unit.names[0]]}.py"] = _module(
            header, unit, imported, modules, models, classes
        )
    files[f"{package}/types/__init__.py"] = _index(header, units, modules, models)
    return files


def _models(units: list[_Unit], bases: frozenset[str] = frozenset({"BaseModel"})) -> set[str]:
    """The names of the classes based on one of ``bases``, or on such a class. The models built lazily are those
    of ``BaseModel``: such a model takes nothing but an object (a dict) or an instance, which the runtime's
    ``_LazyUnion`` relies on; a ``RootModel`` of a string takes a string, and is built with the model naming it."""
    models: set[str] = set()
    grown = True
    while grown:
        found = {u.names[0] for u in units if u.bases & (bases | models)}
        grown = found != models
        models = found
    return models


def _index(header: str, units: list[_Unit], modules: dict[str, str], models: set[str]) -> str:
    """``types/__init__.py``: each name's module, the names it refers to, and whether it is a model class (one an
    annotation elsewhere names is loaded when a value needs it, see the runtime's ``LazyModel``)."""
    names = sorted(modules)
    table = "".join(
        f'    "{name}": ("{modules[name]}", {_tuple(sorted(unit.eager | unit.lazy))}, {name in models}),\n'
        for unit in sorted(units, key=lambda u: u.names[0])
        for name in unit.names
    )
    checking = "".join(
        from_import(f".{modules[n]}", [f"{n} as {n}"], "    ") + "\n"
        for n in sorted(names, key=lambda n: natural(modules[n]))
    )
    exported = "".join(f'    "{n}",\n' for n in names)
    return (
        f'{header}\n"""The models, {len(units)} of them: each is imported when first used, with the models it '
        'refers to."""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import TYPE_CHECKING, Any\n\n"
        "from .._types import LazyExports\n\n"
        f"if TYPE_CHECKING:\n{checking}\n"
        f"_MODELS = LazyExports(\n    __name__,\n    {{\n{_indent(table)}    }},\n)\n\n\n"
        "def __getattr__(name: str) -> Any:\n    return _MODELS.load(name, globals())\n\n\n"
        "def __dir__() -> list[str]:\n    return list(__all__)\n\n\n"
        f"__all__ = [\n{exported}]\n"
    )


def _tuple(names: list[str]) -> str:
    return "(" + "".join(f'"{n}", ' for n in names).rstrip(" ") + ")" if names else "()"


def _indent(text: str) -> str:
    return "".join(f"    {line}" for line in text.splitlines(keepends=True))


def _imported(tree: ast.Module) -> dict[str, tuple[str, int]]:
    """Each name the models module imports → (module, relative level)."""
    out: dict[str, tuple[str, int]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            for alias in node.names:
                out[alias.asname or alias.name] = (node.module or "", node.level)
    return out


def _module(
    header: str,
    unit: _Unit,
    imported: dict[str, tuple[str, int]],
    modules: dict[str, str],
    models: set[str],
    classes: set[str],
) -> str:
    """One model's module: the imports it uses, in isort's order, and the class (a model's fields that name other
    models marked to be built on use)."""
    used = unit.used | unit.quoted
    sections: dict[int, dict[str, set[str]]] = {0: {}, 1: {}, 2: {}}  # standard library, third party, local
    definition = unit.text
    if unit.names[0] in classes and unit.lazy & models:
        definition = _deferred(definition, unit.fields, unit.lazy & models)
        sections[2].setdefault(".._types", set()).add("DEFERRED")
        if "Annotated[" in definition and "Annotated" not in used:
            sections[0].setdefault("typing", set()).add("Annotated")
    for name in sorted(used & set(imported)):
        module, level = imported[name]
        dotted = "." * level + module
        section = 2 if level else 0 if module.split(".")[0] in sys.stdlib_module_names else 1
        sections[section].setdefault(dotted, set()).add(name)
    if unit.lazy:
        sections[0].setdefault("typing", set()).add("TYPE_CHECKING")
    for name in unit.eager:
        sections[2][f".{modules[name]}"] = {name}
    blocks = ["from __future__ import annotations"]
    for section in (0, 1, 2):
        ordered = sorted(sections[section], key=lambda m: (-len(m) + len(m.lstrip(".")), natural(m)))
        if ordered:
            blocks.append("\n".join(from_import(m, sections[section][m], key=by_type) for m in ordered))
    text = "\n\n".join([header, *blocks]) + "\n"
    if unit.lazy:
        lazy = sorted(unit.lazy, key=lambda n: natural(modules[n]))
        checking = "".join(from_import(f".{modules[n]}", [n], "    ") + "\n" for n in lazy)
        text += f"\nif TYPE_CHECKING:\n{checking}"
    exported = "".join(f'    "{n}",\n' for n in unit.names)
    body = definition.strip("\n")
    return f"{text}{after_imports(body)}{body}\n\n\n__all__ = [\n{exported}]\n"
