"""Annotation text → a structured type reference the runtime resolves without ``eval``.

``list[types.Invoice] | None`` becomes ``("|", ("list", "types.Invoice"), "None")``: leaves are builtin names,
``Any``, ``None`` or ``types.<Model>``; nodes are ``list``, ``dict``, ``|`` and ``Literal`` (values as written).
The runtime (``_endpoint.resolve_type``) walks it with ``getattr`` on the lazily imported ``types`` module.
"""

from __future__ import annotations

import ast
import json

__all__ = ["TypeRefError", "type_ref", "type_ref_source"]

_LEAVES = frozenset({"int", "str", "float", "bool", "bytes", "Any", "None"})
_GENERICS = {"list": 1, "dict": 2}

TypeRef = str | tuple[object, ...]


class TypeRefError(ValueError):
    """The annotation uses a construct the runtime cannot resolve (a generator bug, not a spec problem)."""


def type_ref(annotation: str) -> TypeRef:
    """The structured reference for one annotation as the generator writes them."""
    try:
        tree = ast.parse(annotation, mode="eval").body
    except SyntaxError as exc:
        raise TypeRefError(f"not an annotation: {annotation!r}") from exc
    return _node(tree, annotation)


def _leaf(node: ast.expr, text: str) -> str:
    if isinstance(node, ast.Name) and node.id in _LEAVES | _GENERICS.keys():
        return node.id
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id == "types":
            return f"types.{node.attr}"
        if node.value.id == "builtins" and node.attr in _LEAVES | _GENERICS.keys():
            return node.attr
    raise TypeRefError(f"unsupported name in {text!r}: {ast.unparse(node)}")


def _node(node: ast.expr, text: str) -> TypeRef:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members: list[object] = []
        for side in (node.left, node.right):
            ref = _node(side, text)
            members.extend(ref[1:] if isinstance(ref, tuple) and ref[0] == "|" else [ref])
        return ("|", *members)
    if isinstance(node, ast.Subscript):
        head = _leaf(node.value, text) if not isinstance(node.value, ast.Name) else node.value.id
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Literal":
            values = [a.value for a in args if isinstance(a, ast.Constant)]
            if len(values) != len(args):
                raise TypeRefError(f"Literal of non-constants in {text!r}")
            return ("Literal", *values)
        if head in _GENERICS and len(args) == _GENERICS[head]:
            return (head, *(_node(a, text) for a in args))
        raise TypeRefError(f"unsupported generic in {text!r}: {ast.unparse(node)}")
    return _leaf(node, text)


def type_ref_source(annotation: str) -> str:
    """``type_ref`` as Python source for a template (strings double-quoted, tuples in parentheses)."""
    return _source(type_ref(annotation))


def _source(ref: object) -> str:
    if isinstance(ref, tuple):
        return "(" + ", ".join(_source(part) for part in ref) + ")"
    if isinstance(ref, str):
        return json.dumps(ref)
    return repr(ref)
