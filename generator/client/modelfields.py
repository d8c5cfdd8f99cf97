"""What the generated models say about their fields: the type a page model gives the items of its list.

A page whose items are inline objects (Azure's ``{value: [{...}], nextLink}``, Discourse's ``directory_items``)
has no component schema for them, so :class:`~generator.client.typemap.TypeMapper` can only say
``dict[str, Any]``; datamodel-code-generator has named a model for them (``ValueItem``) all the same, and the
page model's field says which. The pager reads its items into that model.
"""

from __future__ import annotations

import ast

__all__ = ["ModelFields"]


class ModelFields:
    """The classes of one ``types`` module source, their bases and their fields by wire name (a ``Field``'s
    ``alias``, or the attribute's own name)."""

    def __init__(self, source: str) -> None:
        self._source: str | None = source  # parsed on the first question: most specs never ask one
        self._defined: set[str] = set()  # classes (type aliases are left to the type mapper)
        self._bases: dict[str, list[str]] = {}
        self._fields: dict[str, dict[str, ast.expr]] = {}
        self._roots: set[str] = set()  # RootModel[...] classes: an item read into one is wrapped in ``.root``

    def _parse(self) -> None:
        if self._source is None:
            return
        tree, self._source = ast.parse(self._source), None
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                self._defined.add(node.name)
                if any(isinstance(b, ast.Subscript) and _name(b.value) == "RootModel" for b in node.bases):
                    self._roots.add(node.name)
                self._bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]
                self._fields[node.name] = {
                    _wire_name(s.target.id, s): s.annotation
                    for s in node.body
                    if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
                }

    def list_item(self, model: str, wire: str) -> str | None:
        """``types.<Item>`` for the field ``wire`` of ``model`` (or of a base) typed ``list[<Item>]`` (or that or
        None), ``<Item>`` a class of the module (not a root model); None otherwise."""
        self._parse()
        annotation = self._field(model, wire, 0)
        if annotation is None:
            return None
        lists = [m for m in _members(annotation) if not (isinstance(m, ast.Constant) and m.value is None)]
        if len(lists) != 1:
            return None
        (found,) = lists
        if not (isinstance(found, ast.Subscript) and isinstance(found.value, ast.Name) and found.value.id == "list"):
            return None
        item = found.slice
        if not isinstance(item, ast.Name) or item.id not in self._defined or item.id in self._roots:
            return None
        return f"types.{item.id}"

    def _field(self, model: str, wire: str, depth: int) -> ast.expr | None:
        if depth > 8 or model not in self._fields:
            return None
        own = self._fields[model].get(wire)
        if own is not None:
            return own
        return next((f for b in self._bases[model] if (f := self._field(b, wire, depth + 1)) is not None), None)


def _wire_name(attribute: str, statement: ast.AnnAssign) -> str:
    """The name a field has in JSON: ``Field(alias=...)`` in its ``Annotated`` or as its default, else its own."""
    calls = [statement.value] if isinstance(statement.value, ast.Call) else []
    if isinstance(statement.annotation, ast.Subscript) and _name(statement.annotation.value) == "Annotated":
        parts = statement.annotation.slice
        calls += [p for p in (parts.elts if isinstance(parts, ast.Tuple) else [parts]) if isinstance(p, ast.Call)]
    for call in calls:
        if _name(call.func) != "Field":
            continue
        for keyword in call.keywords:
            value = keyword.value
            if keyword.arg == "alias" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
    return attribute


def _members(node: ast.expr) -> list[ast.expr]:
    """The alternatives of an annotation, ``Annotated`` opened and ``X | Y`` split."""
    if isinstance(node, ast.Subscript) and _name(node.value) == "Annotated":
        first = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
        return _members(first)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_members(node.left), *_members(node.right)]
    return [node]


def _name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
