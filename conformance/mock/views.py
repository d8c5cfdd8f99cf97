"""A stored object as a document: PDF (fpdf2), XML and HTML, each with its fields, lines and totals."""

from __future__ import annotations

import datetime
import html
import io
import json
import re
import zipfile
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["render_view"]

_XML_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def _scalars(obj: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(k), "" if v is None else str(v)) for k, v in obj.items() if not isinstance(v, dict | list)]


def _tables(obj: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    tables = []
    for key, value in obj.items():
        rows = (
            list(value.values())
            if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values())
            else value
        )
        if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            tables.append((str(key), rows))
        elif isinstance(value, dict) and value:
            tables.append((str(key), [value]))
    return tables


def _latin(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def _title(resource: str, obj: dict[str, Any]) -> str:
    number = obj.get("number") or obj.get("doc_key") or obj.get("full_number") or obj.get("id")
    name = resource.split(".")[-1].rstrip("s").replace("_", " ").strip("/") or "document"
    return f"{name.title()} {number}"


def _stamp(obj: dict[str, Any]) -> datetime.datetime:
    """The document's creation date: the object's own `created_at` where it is a timestamp, else a fixed epoch.

    The same stored object renders to the same bytes, however often and whenever it is downloaded.
    """
    created = obj.get("created_at")
    if isinstance(created, (int, float)) and not isinstance(created, bool) and 0 <= created < 4_102_444_800:
        return datetime.datetime.fromtimestamp(created, tz=datetime.UTC)
    return datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _pdf(resource: str, obj: dict[str, Any]) -> bytes:
    from fpdf import FPDF  # a second to import: only a PDF download needs it

    pdf = FPDF()
    pdf.set_creation_date(_stamp(obj))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin(_title(resource, obj)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for key, value in _scalars(obj):
        pdf.cell(0, 5, _latin(f"{key}: {value}"[:110]), new_x="LMARGIN", new_y="NEXT")
    for name, rows in _tables(obj):
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, _latin(name), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=8)
        for row in rows[:200]:
            text = ", ".join(f"{k}={v}" for k, v in _scalars(row))
            pdf.multi_cell(0, 4, _latin(text[:400]), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _xml_value(key: str, value: Any, depth: int = 0) -> str:
    tag = _XML_NAME.sub("_", key) or "item"
    if tag[0].isdigit() or tag[0] in ".-":
        tag = "_" + tag
    if depth > 20:
        return ""
    if isinstance(value, dict):
        inner = "".join(_xml_value(str(k), v, depth + 1) for k, v in value.items())
    elif isinstance(value, list):
        inner = "".join(_xml_value("item", v, depth + 1) for v in value)
    else:
        inner = escape("" if value is None else str(value))
    return f"<{tag}>{inner}</{tag}>"


def _html(resource: str, obj: dict[str, Any]) -> str:
    title = html.escape(_title(resource, obj))
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in _scalars(obj))
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"]
    parts.append(f"<h1>{title}</h1><table>{rows}</table>")
    for name, table in _tables(obj):
        columns = list(dict.fromkeys(k for row in table for k, _ in _scalars(row)))
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(row.get(c, '')))}</td>" for c in columns) + "</tr>" for row in table
        )
        parts.append(f"<h2>{html.escape(name)}</h2><table><tr>{head}</tr>{body}</table>")
    parts.append("</body></html>")
    return "".join(parts)


def render_view(kind: str, resource: str, obj: dict[str, Any]) -> tuple[bytes, str]:
    """The document and its media type for ``kind`` (pdf, xml, html, zip)."""
    listed = obj.get(resource.split(".")[-1]) if len(obj) == 1 else None
    if kind == "xml" and isinstance(listed, list):  # a page: <clients type="array"><client>...</client></clients>
        plural = _XML_NAME.sub("_", resource.split(".")[-1]) or "items"
        items = "".join(_xml_value(plural.removesuffix("s") or "item", o) for o in listed)
        text = f'<?xml version="1.0" encoding="UTF-8"?><{plural} type="array">{items}</{plural}>'
        return text.encode("utf-8"), "application/xml"
    if kind == "pdf":
        return _pdf(resource, obj), "application/pdf"
    if kind == "xml":
        root = _XML_NAME.sub("_", resource.split(".")[-1].rstrip("s")) or "document"
        text = '<?xml version="1.0" encoding="UTF-8"?>' + _xml_value(root, obj)
        return text.encode("utf-8"), "application/xml"
    if kind == "html":
        return _html(resource, obj).encode("utf-8"), "text/html"
    if kind == "zip":  # the object's attachments: here its PDF and its data
        buffer = io.BytesIO()
        name = _XML_NAME.sub("_", _title(resource, obj)) or "document"
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{name}.pdf", _pdf(resource, obj))
            archive.writestr(f"{name}.json", json.dumps(obj, ensure_ascii=False, default=str))
        return buffer.getvalue(), "application/zip"
    raise ValueError(f"unknown view {kind!r}")
