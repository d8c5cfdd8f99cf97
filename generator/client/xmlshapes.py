"""Where an XML answer's values sit, from its schema and the schema's ``xml`` keywords (OpenAPI's XML Object:
``name``, ``attribute``, ``wrapped``): the shapes the runtime's ``_xml`` module reads XML answers with.

A component schema that is an object or an array becomes a named shape of the package's table (``"@Name"``), so
recursive and shared schemas are written once; everything else is written where it is used.
"""

from __future__ import annotations

import json
from typing import Any

from apimodel.schemas import Schemas
from generator.client.typemap import documented_ref

__all__ = ["XmlShapes", "shape_source"]

_PREFIX = "#/components/schemas/"
_SCALARS = ("string", "integer", "number", "boolean")
_MAX_DEPTH = 16  # inline nesting; named shapes start again at 0


class XmlShapes:
    """The shapes of one document's XML answers, collected as they are asked for."""

    def __init__(self, schemas: Schemas) -> None:
        self.schemas = schemas
        self.table: dict[str, Any] = {}
        self.read = False  # whether some answer is read from XML (the package then has a table, if empty)

    def answer(self, schema: Any) -> str:
        """The Python source of an XML answer's shape; its named shapes join the table."""
        self.read = True
        return shape_source(self.shape(schema))

    def sources(self) -> tuple[tuple[str, str], ...] | None:
        """The table as (name, Python source), sorted; None when no answer is read from XML."""
        return tuple((name, shape_source(shape)) for name, shape in sorted(self.table.items())) if self.read else None

    def shape(self, schema: Any, depth: int = 0) -> Any:
        """The shape of ``schema``: a scalar name, ``"@Name"``, or an object or array tuple."""
        ref = documented_ref(schema)
        if ref is not None and ref.startswith(_PREFIX):
            name = ref[len(_PREFIX) :].replace("~1", "/").replace("~0", "~")
            if self.schemas.schema_type(schema) in ("object", "array"):
                if name not in self.table:
                    self.table[name] = "any"  # a placeholder while its own shape is built (recursion)
                    self.table[name] = self._build(self.schemas.resolve({"$ref": ref}), 0)
                return f"@{name}"
        if depth > _MAX_DEPTH:
            return "any"
        return self._build(schema, depth)

    def _build(self, schema: Any, depth: int) -> Any:
        kind = self.schemas.schema_type(schema)
        if kind in _SCALARS:
            return kind
        if kind == "array":
            items = self.schemas.array_items(schema) or {}
            xml = self._xml(schema)
            wrapped = xml.get("wrapped") if isinstance(xml.get("wrapped"), bool) else None
            item_xml = self._xml(items, follow=True)
            item_name = str(item_xml["name"]) if isinstance(item_xml.get("name"), str) else None
            return ("array", item_name, wrapped, self.shape(items, depth + 1))
        extra = self.schemas.mapping(schema).get("additionalProperties")
        if kind == "object" and isinstance(extra, dict) and extra and not self.schemas.properties(schema):
            return ("map", self.shape(extra, depth + 1))
        if kind == "object" and self.schemas.properties(schema):
            fields = []
            for key, prop in self.schemas.properties(schema).items():
                xml = self._xml(prop)
                name = str(xml["name"]) if isinstance(xml.get("name"), str) else key
                fields.append((key, name, xml.get("attribute") is True, self.shape(prop, depth + 1)))
            return ("object", tuple(fields))
        return "any"

    def _xml(self, schema: Any, *, follow: bool = False) -> dict[str, Any]:
        """The ``xml`` keywords of ``schema`` as written where it is used, its ``allOf`` parts' after its own; with
        ``follow``, the referenced schema's too (an item takes its element name from its component's ``xml``)."""
        if not isinstance(schema, dict):
            return {}
        found: dict[str, Any] = {}
        parts = [p for p in schema.get("allOf") or () if isinstance(p, dict)]
        layers: list[dict[str, Any]] = [x for x in (p.get("xml") for p in [schema, *parts]) if isinstance(x, dict)]
        if follow:
            layers += [self._xml(self.schemas.mapping(p)) for p in [schema, *parts] if "$ref" in p]
        for layer in reversed(layers):
            found.update(layer)
        return found


def shape_source(shape: Any) -> str:
    """A shape as Python source: strings double-quoted, tuples with their trailing comma where they need one."""
    if isinstance(shape, str):
        return json.dumps(shape)
    if isinstance(shape, tuple):
        inner = ", ".join(shape_source(part) for part in shape)
        return f"({inner},)" if len(shape) == 1 else f"({inner})"
    return repr(shape)  # True, False, None
