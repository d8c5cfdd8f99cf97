"""Request bodies beyond JSON and URL-encoded forms: ``multipart/form-data`` and XML documents."""

from __future__ import annotations

import email.parser
import email.policy
import xml.etree.ElementTree as ET
from typing import Any

__all__ = ["parse_multipart", "parse_xml"]


def parse_multipart(content_type: str, raw: bytes) -> dict[str, Any] | None:
    """Fields by name (flat: ``department[logo]`` stays one key); files as their text, or a size note
    when they are not UTF-8; a name sent in several parts, the list of their values. ``None`` when the body is not
    a multipart document."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    if not message.is_multipart():
        return None
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        try:
            value = data.decode("utf-8")
        except UnicodeDecodeError:
            value = f"({len(data)} bytes)"
        if name in fields:  # a repeated name: an array sent one item a part
            held = fields[name]
            fields[name] = [*held, value] if isinstance(held, list) else [held, value]
        else:
            fields[name] = value
    return fields


def parse_xml(raw: bytes, max_depth: int) -> dict[str, Any] | None:
    """A Rails-style XML document as data: ``<invoice><positions><position>..`` becomes
    ``{"invoice": {"positions": [{..}]}}``; dashes in names become underscores. ``None`` if not XML."""
    if b"<!DOCTYPE" in raw[:2048] or b"<!ENTITY" in raw:
        return None  # no entity expansion, ever
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        return None
    return {_name(root.tag): _element(root, max_depth)}


def _name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].replace("-", "_")


def _element(node: ET.Element, depth: int) -> Any:
    children = list(node)
    if depth <= 0:
        return None
    if not children:
        if node.get("nil") == "true":
            return None
        return (node.text or "").strip()
    names = [_name(c.tag) for c in children]
    if node.get("type") == "array" or (len(set(names)) == 1 and (len(names) > 1 or _name(node.tag) == names[0] + "s")):
        return [_element(c, depth - 1) for c in children]
    return {name: _element(c, depth - 1) for name, c in zip(names, children, strict=True)}
