"""Primitive schemas stay primitives: a ``RootModel[str]`` wrapper becomes an ``Annotated`` alias.

datamodel-code-generator (with ``collapse_root_models``) inlines the root models a ``$ref`` names, but keeps the
ones it makes for union members (``anyOf: [integer, {type: string, pattern: ...}]`` gives ``int | IdInput1``)
and the unreferenced components. A caller would have to write ``IdInput1("12")`` where ``"12"`` is meant, and
mypy would say so. ``IdInput1 = Annotated[str, Field(pattern=...)]`` validates the same at runtime, and to mypy
it is ``str``.
"""

from __future__ import annotations

import ast
import re

__all__ = ["primitive_aliases", "source_segment"]

# scalar types a RootModel may wrap and still be a plain value to the caller
_SCALARS = frozenset(
    {"str", "int", "float", "bool", "bytes", "None", "Any", "date", "datetime", "time", "timedelta", "UUID"}
    | {"Decimal", "AwareDatetime", "NaiveDatetime", "AnyUrl", "SecretStr", "Base64Str"}
)


def _scalar(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in _SCALARS
    if isinstance(node, ast.Constant):
        return node.value is None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _scalar(node.left) and _scalar(node.right)
    return False


def _wrapped(node: ast.ClassDef) -> ast.expr | None:
    """The ``root`` annotation of ``class X(RootModel[<scalar>]): root: ...``, else ``None``."""
    if len(node.bases) != 1 or node.decorator_list or node.keywords:
        return None
    base = node.bases[0]
    if not (isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name) and base.value.id == "RootModel"):
        return None
    if not _scalar(base.slice):
        return None
    body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.AnnAssign):
        return None
    root = body[0]
    if not (isinstance(root.target, ast.Name) and root.target.id == "root"):
        return None
    return root.annotation


_LINE_ENDS = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")


def source_segment(lines: list[str], node: ast.expr) -> str | None:
    """``ast.get_source_segment`` over the source split once into ``lines`` (with their ends). The standard one
    splits the whole source on every call, character by character: 40 s of CPU on GitHub's models (6 MB)."""
    if node.end_lineno is None or node.end_col_offset is None:
        return None
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        return lines[first].encode()[node.col_offset : node.end_col_offset].decode()
    head = lines[first].encode()[node.col_offset :].decode()
    return head + "".join(lines[first + 1 : last]) + lines[last].encode()[: node.end_col_offset].decode()


def primitive_aliases(source: str) -> tuple[str, frozenset[str]]:
    """``source`` with every scalar root model rewritten as a type alias of the same name, and those names
    (signatures print the scalar itself, not the alias)."""
    tree = ast.parse(source)
    lines = _LINE_ENDS.split(source)  # as ast numbers them
    original = list(lines)
    replaced: set[str] = set()
    for node in reversed(tree.body):
        if not isinstance(node, ast.ClassDef):
            continue
        annotation = _wrapped(node)
        if annotation is None:
            continue
        text = source_segment(original, annotation)
        if text is None:
            continue
        text = text.replace("\n    ", "\n")  # continuation lines leave the class body's indentation
        start, end = node.lineno - 1, node.end_lineno or node.lineno
        lines[start:end] = [f"{node.name} = {text}\n"]
        replaced.add(node.name)
    if not replaced:
        return source, frozenset()
    out = "".join(lines)
    used = any(isinstance(n, ast.Name) and n.id == "RootModel" for n in ast.walk(ast.parse(out)))
    return (out if used else _drop_import(out, "pydantic", "RootModel")), frozenset(replaced)


def _drop_import(source: str, module: str, name: str) -> str:
    """``source`` without ``name`` in its ``from module import ...`` statement."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == module and any(a.name == name for a in node.names):
            kept = [a for a in node.names if a.name != name]
            lines = source.splitlines(keepends=True)
            text = ast.unparse(ast.ImportFrom(module, kept, 0)) + "\n" if kept else ""
            lines[node.lineno - 1 : node.end_lineno or node.lineno] = [text]
            return "".join(lines)
    return source
