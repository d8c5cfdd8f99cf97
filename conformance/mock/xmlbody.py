"""An XML request body read the way its schema describes it (OpenAPI's XML object), to be checked like JSON.

:func:`conformance.mock.bodies.parse_xml` reads Rails-style documents without a schema, for the data a create
stores. To check a body against its schema the reading must follow the schema instead: an array property comes as
repeated elements (named by the property, or by its items' ``xml.name``) or, when ``xml.wrapped``, as one element
holding its items; scalars are text, read as the number or boolean the schema asks for (text that is not one stays
text, for the validator to refuse). APIs.guru's AWS Query specs declare such ``text/xml`` bodies on every POST."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from apimodel.schemas import Schemas

__all__ = ["read_xml", "write_xml"]


def _xml(schemas: Schemas, schema: Any) -> dict[str, Any]:
    """The XML object of a schema, its ``allOf`` parts' included (the outer one wins)."""
    node = schemas.mapping(schema)
    found: dict[str, Any] = {}
    for part in node.get("allOf") or ():
        found = {**_xml(schemas, part), **found}
    own = node.get("xml")
    return {**found, **own} if isinstance(own, dict) else found


def _items(schemas: Schemas, schema: Any) -> Any:
    node = schemas.mapping(schema)
    if "items" in node:
        return node["items"]
    return next((i for part in node.get("allOf") or () if (i := _items(schemas, part)) is not None), None)


def _name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _scalar(kind: str | None, text: str) -> Any:
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def _value(schemas: Schemas, schema: Any, element: ET.Element, depth: int) -> Any:
    if depth <= 0:
        return None
    kind = schemas.schema_type(schema)
    children = list(element)
    if kind == "array":  # a wrapped array: the element holds the items
        return [_value(schemas, _items(schemas, schema) or {}, c, depth - 1) for c in children]
    text = element.text or ""
    if kind == "object" and not children and text.strip():  # text where elements are expected: no object
        return text
    if kind == "object" or (children and kind is None):
        return _object(schemas, schema, children, depth)
    if children:  # elements where a scalar is expected: kept as an object, to fail validation
        return _object(schemas, {}, children, depth)
    return _scalar(kind, text)


def _object(schemas: Schemas, schema: Any, children: list[ET.Element], depth: int) -> dict[str, Any]:
    props = schemas.properties(schema)
    by_tag: dict[str, str] = {}  # element name -> property
    for name, prop in props.items():
        by_tag.setdefault(str(_xml(schemas, prop).get("name") or name), name)
        if schemas.schema_type(prop) == "array" and not _xml(schemas, prop).get("wrapped"):
            item_name = _xml(schemas, _items(schemas, prop) or {}).get("name")
            if item_name:
                by_tag.setdefault(str(item_name), name)
    result: dict[str, Any] = {}
    for child in children:
        name = by_tag.get(_name(child.tag), _name(child.tag))
        prop = props.get(name, {})
        if schemas.schema_type(prop) == "array" and not _xml(schemas, prop).get("wrapped"):
            item = _value(schemas, _items(schemas, prop) or {}, child, depth - 1)
            result.setdefault(name, []).append(item)
        else:
            value = _value(schemas, prop, child, depth - 1)
            # a second element for one value: both, as a list, which the schema refuses
            result[name] = [result[name], value] if name in result else value
    return result


def read_xml(schemas: Schemas, schema: Any, raw: bytes, max_depth: int) -> Any:
    """The root element's content as data shaped by ``schema``; ``None`` when the body is not XML (or declares a
    DTD or an entity, which are never expanded)."""
    if b"<!DOCTYPE" in raw[:2048] or b"<!ENTITY" in raw:
        return None
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        return None
    return _value(schemas, schema, root, max_depth)


def write_xml(schemas: Schemas, schema: Any, value: Any, root: str, result: str | None = None) -> bytes:
    """``value`` as the XML document its schema describes, the inverse of :func:`read_xml`: properties as elements
    (``xml.name``) or attributes (``xml.attribute``), an array as its items inside one element (``<Things><Thing>``,
    ``<member>`` where the items have no name; repeated elements where ``xml.wrapped`` is false), a map as
    ``<entry><key>..</key><value>..</value></entry>``. ``result``: the element the fields sit in under ``root``
    (AWS's query protocol: ``<DescribeThingsResponse><DescribeThingsResult>``)."""
    name = str(_xml(schemas, schema).get("name") or root)
    inner = _element(schemas, schema, value, result, 40) if result else None
    body = f"<{name}>{inner}</{name}>" if inner is not None else _element(schemas, schema, value, name, 40)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}'.encode()


def _element(schemas: Schemas, schema: Any, value: Any, name: str, depth: int) -> str:
    if value is None or depth <= 0:
        return ""
    kind = schemas.schema_type(schema)
    if kind == "array" or isinstance(value, list):
        items = _items(schemas, schema) or {}
        item = str(_xml(schemas, items).get("name") or "member")
        inside = "".join(
            _element(schemas, items, v, item, depth - 1) for v in (value if isinstance(value, list) else [])
        )
        return f"<{name}>{inside}</{name}>"
    if isinstance(value, dict):
        props = schemas.properties(schema)
        extra = (schemas.resolve(schema) or {}).get("additionalProperties") if not props else None
        if isinstance(extra, dict):  # a map
            entries = "".join(
                f"<entry><key>{escape(str(k))}</key>{_element(schemas, extra, v, 'value', depth - 1)}</entry>"
                for k, v in value.items()
            )
            return f"<{name}>{entries}</{name}>"
        attributes, children = [], []
        for key, item in value.items():
            prop = props.get(key, {})
            xml = _xml(schemas, prop)
            tag = str(xml.get("name") or key)
            if xml.get("attribute") and not isinstance(item, dict | list):
                attributes.append(f" {tag}={quoteattr(_text(item))}")
            elif isinstance(item, list) and xml.get("wrapped") is False:
                item_schema = _items(schemas, prop) or {}
                tag = str(_xml(schemas, item_schema).get("name") or tag)
                children += [_element(schemas, item_schema, v, tag, depth - 1) for v in item]
            else:
                children.append(_element(schemas, prop, item, tag, depth - 1))
        return f"<{name}{''.join(attributes)}>{''.join(children)}</{name}>"
    return f"<{name}>{escape(_text(value))}</{name}>"


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
