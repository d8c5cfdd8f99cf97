"""XML answers read into the data their schema describes, so they validate into the same models as JSON would.

A shape (from the spec's schema and its ``xml`` keywords) says where each value sits: ``"string"``, ``"integer"``,
``"number"``, ``"boolean"``, ``"any"``, ``"@Name"`` (a shape of the package's table),
``("object", ((key, element or attribute name, is_attribute, shape), ...))`` and
``("array", item element name or None, wrapped: True, False or None when the spec does not say, shape)`` and
``("map", shape)`` (AWS's ``<entry><key>k</key><value>v</value></entry>``, or one child element per key).

AWS's query protocol wraps the result (``<DescribeThingsResponse><DescribeThingsResult>...``) and puts a list's
items in a wrapper element (``<Things><member>..</member></Things>`` or ``<Things><Thing>..``): where the spec
does not say ``wrapped``, an element whose children all share one name the item takes (or ``member``) is the wrapper.
A document that declares a DTD or an entity is refused, never expanded; so is one nested deeper than ``MAX_DEPTH``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any
from xml.parsers import expat

__all__ = ["MAX_DEPTH", "UnsafeXML", "XmlShape", "parse_xml", "xml_data"]

XmlShape = str | tuple[Any, ...]
MAX_DEPTH = 200
_SCALARS = ("string", "integer", "number", "boolean")


class UnsafeXML(ValueError):
    """The document is not well-formed, declares a DTD or entities, or nests deeper than ``MAX_DEPTH``."""


def _local(name: str) -> str:
    """``{namespace}Name`` or ``prefix:Name`` → ``Name``."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _refuse_dtd(*_: object) -> None:
    raise UnsafeXML("the document declares a DTD (<!DOCTYPE>), which the client never reads")


def _refuse_entity(*_: object) -> None:
    raise UnsafeXML("the document declares an entity (<!ENTITY>), which the client never reads")


def parse_xml(raw: bytes) -> ET.Element:
    """The document's root element; :class:`UnsafeXML` for a DTD, an entity, too deep a tree or broken XML."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = [0]

    def start(name: str, attributes: dict[str, str]) -> None:
        depth[0] += 1
        if depth[0] > MAX_DEPTH:
            raise UnsafeXML(f"the document nests deeper than {MAX_DEPTH} elements")
        declared = {k: v for k, v in attributes.items() if k != "xmlns" and not k.startswith("xmlns:")}
        builder.start(_local(name), {_local(k): v for k, v in declared.items()})

    def end(name: str) -> None:
        depth[0] -= 1
        builder.end(_local(name))

    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as exc:
        raise UnsafeXML(f"not well-formed XML ({exc})") from None
    return builder.close()


def _scalar(kind: str, text: str | None) -> Any:
    value = (text or "").strip()
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            return value  # the model's validation says what is wrong with it
    if kind == "number":
        try:
            return float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            return value
    if kind == "boolean":
        return {"true": True, "false": False, "1": True, "0": False}.get(value.lower(), value)
    return text or ""


def _anything(element: ET.Element) -> Any:
    """An element read without a schema: its text, or its children by name (a repeated name is a list)."""
    children = list(element)
    if not children and not element.attrib:
        return (element.text or "").strip()
    found: dict[str, Any] = dict(element.attrib)
    for child in children:
        value = _anything(child)
        if child.tag in found:
            earlier = found[child.tag]
            found[child.tag] = [*earlier, value] if isinstance(earlier, list) else [earlier, value]
        else:
            found[child.tag] = value
    return found


class _Reader:
    def __init__(self, shapes: Mapping[str, XmlShape]) -> None:
        self.shapes = shapes

    def shape(self, shape: XmlShape) -> XmlShape:
        seen = 0
        while isinstance(shape, str) and shape.startswith("@") and seen < 32:
            shape, seen = self.shapes.get(shape[1:], "any"), seen + 1
        return shape

    def value(self, shape: XmlShape, element: ET.Element) -> Any:
        if element.get("nil") == "true":  # xsi:nil
            return None
        shape = self.shape(shape)
        if isinstance(shape, str):
            return _scalar(shape, element.text) if shape in _SCALARS else _anything(element)
        if shape[0] == "object":
            return self.fields(shape, element)
        if shape[0] == "array":  # the element is the list's wrapper
            return [self.value(shape[3], item) for item in self.wrapped_items(shape, element)]
        if shape[0] == "map":
            return self.entries(shape[1], element)
        return _anything(element)

    def entries(self, shape: XmlShape, element: ET.Element) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for child in element:
            key, value = child.find("key"), child.find("value")
            if child.tag == "entry" and key is not None:
                found[(key.text or "").strip()] = self.value(shape, value) if value is not None else None
            else:
                found[child.tag] = self.value(shape, child)
        return found

    def fields(self, shape: tuple[Any, ...], element: ET.Element) -> dict[str, Any]:
        found: dict[str, Any] = {}
        children = list(element)
        for key, name, is_attribute, inner in shape[1]:
            if is_attribute:
                if name in element.attrib:
                    kind = self.shape(inner)
                    found[key] = _scalar(kind if isinstance(kind, str) else "string", element.attrib[name])
                continue
            inner_shape = self.shape(inner)
            if isinstance(inner_shape, tuple) and inner_shape[0] == "array":
                items = self.items(inner_shape, name, children)
                if items is not None:
                    found[key] = [self.value(inner_shape[3], item) for item in items]
                continue
            match = next((child for child in children if child.tag == name), None)
            if match is not None:
                found[key] = self.value(inner_shape, match)
        return found

    def wrapped_items(self, shape: tuple[Any, ...], wrapper: ET.Element) -> list[ET.Element]:
        item_name = shape[1]
        children = list(wrapper)
        named = [child for child in children if child.tag == item_name]
        return named if item_name and named else children

    def items(self, shape: tuple[Any, ...], name: str, siblings: list[ET.Element]) -> list[ET.Element] | None:
        """The item elements of the list named ``name`` among ``siblings``; None when the list is absent."""
        _, item_name, wrapped, inner = shape
        holders = [child for child in siblings if child.tag == name]
        if wrapped is True:
            return self.wrapped_items(shape, holders[0]) if holders else None
        if wrapped is False or (item_name not in (None, name) and any(c.tag == item_name for c in siblings)):
            named = [child for child in siblings if child.tag == (item_name or name)]
            return named or None
        if len(holders) == 1 and self.is_wrapper(holders[0], item_name, inner):
            return self.wrapped_items(shape, holders[0])
        return holders or None

    def is_wrapper(self, element: ET.Element, item_name: str | None, inner: XmlShape) -> bool:
        """Whether ``element`` holds the items (wrapped) rather than being the one item (unwrapped)."""
        children = list(element)
        if not children:  # ``<Things/>``: an empty list, unless an item would be empty text
            return not (element.text or "").strip() and not element.attrib
        tags = {child.tag for child in children}
        if len(tags) != 1:
            return False
        tag = tags.pop()
        if tag in (item_name, "member"):
            return True
        shape = self.shape(inner)
        if isinstance(shape, tuple) and shape[0] == "object":
            return item_name is None and tag not in {field[1] for field in shape[1]}
        return True  # a scalar item has no children of its own

    def document(self, shape: XmlShape, root: ET.Element) -> Any:
        """The root's data; AWS's ``<ActionResponse><ActionResult>`` wrappers are looked through."""
        resolved = self.shape(shape)
        if not (isinstance(resolved, tuple) and resolved[0] == "object"):
            return self.value(resolved, root)
        names = {field[1] for field in resolved[1]}
        candidates = [root, *root, *(grandchild for child in root for grandchild in child)]
        for candidate in candidates:
            if any(child.tag in names for child in candidate) or names & set(candidate.attrib):
                return self.fields(resolved, candidate)
        result = next((child for child in root if child.tag.endswith("Result")), root)
        return self.fields(resolved, result)


def xml_data(raw: bytes, shape: XmlShape, shapes: Mapping[str, XmlShape]) -> Any:
    """An XML body as the JSON-like data ``shape`` describes (:class:`UnsafeXML` when it cannot be read safely)."""
    return _Reader(shapes).document(shape, parse_xml(raw))
