"""Load an OpenAPI document from YAML or JSON, with one-line errors instead of tracebacks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from apimodel.diagnostics import Diagnostic, SpecError
from apimodel.project import display_path

__all__ = ["SpecDocument", "load_spec", "resolve_pointer"]

# The C loader is about ten times faster on Stripe-sized specs; PyYAML may be built without it.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class SpecDocument:
    """A parsed OpenAPI document and where it came from."""

    path: Path
    label: str
    data: dict[str, Any]
    raw: bytes = field(repr=False)

    @property
    def version(self) -> str:
        return str(self.data.get("openapi", ""))


def _fail(label: str, code: str, message: str, hint: str) -> SpecError:
    return SpecError([Diagnostic(label, "", code, message, hint)])


def load_spec(path: Path, label: str | None = None) -> SpecDocument:
    """Read and parse ``path``; raise :class:`SpecError` with one diagnostic if it is unusable.

    ``label`` is how messages and generated headers name the file (default: :func:`display_path`).
    """
    label = label or display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _fail(label, "not-found", "no such file", "check the path or the API name") from None
    except IsADirectoryError:
        raise _fail(label, "not-found", "is a directory, not a spec file", "name a .yaml or .json file") from None
    except OSError as exc:
        raise _fail(label, "not-found", f"cannot be read ({exc.strerror})", "check its permissions") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(label, "not-yaml", f"is not UTF-8 text (byte {exc.start})", "save it as UTF-8") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_Loader)
    except json.JSONDecodeError as exc:
        raise _fail(label, "not-yaml", f"is not valid JSON: {exc.msg} at line {exc.lineno}", "fix the syntax") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise _fail(label, "not-yaml", f"is not valid YAML: {problem}{where}", "fix the syntax") from None
    if not isinstance(data, dict):
        raise _fail(
            label,
            "not-openapi",
            f"top level is a {type(data).__name__}, not a mapping",
            "an OpenAPI document is a mapping",
        )
    version = data.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        found = f"'openapi: {version}'" if version is not None else "no 'openapi' field"
        if "swagger" in data:
            found = f"'swagger: {data['swagger']}' (OpenAPI 2)"
        raise _fail(
            label, "not-openapi", f"is not an OpenAPI 3.x document ({found})", "convert it to OpenAPI 3.0 or 3.1"
        )
    if not isinstance(data.get("paths", {}), dict):
        raise _fail(label, "not-openapi", "'paths' is not a mapping", "see the OpenAPI 3 'paths' object")
    return SpecDocument(path=path, label=label, data=data, raw=raw)


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Follow a local JSON pointer (``/components/schemas/X``); raise ``KeyError`` if it goes nowhere."""
    node = document
    if pointer in ("", "/"):
        return node
    for token in pointer.lstrip("/").split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise KeyError(pointer)
    return node
