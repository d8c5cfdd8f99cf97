"""Load an OpenAPI document from YAML or JSON, with one-line errors instead of tracebacks."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from apimodel.diagnostics import Diagnostic, SpecError, containers, join_pointer
from apimodel.project import display_path
from apimodel.yamlfast import load_yaml

__all__ = ["CACHE_ABOVE", "MAX_BYTES", "MAX_DEPTH", "SpecDocument", "cache_dir", "load_spec", "resolve_pointer"]

MAX_BYTES = 64 * 1024 * 1024  # the largest public specs are about 10 MB
MAX_DEPTH = 200  # nested mappings and lists; real specs stay under 40, and every consumer handles 200

# Even so, a Stripe-sized YAML spec takes seconds to parse and a hundredth of that to read back from marshal:
# large YAML specs are parsed once per content and kept (SPECFORGE_CACHE_DIR, "off" to disable).
CACHE_ABOVE = 256 * 1024
_CACHE_FORMAT = f"1-{sys.version_info[0]}.{sys.version_info[1]}-{yaml.__version__}"


def cache_dir() -> Path | None:
    """Where parsed large specs are kept, or None when caching is off."""
    configured = os.environ.get("SPECFORGE_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "no") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specforge" / "parsed"


def _cached_yaml(text: str, raw: bytes) -> Any:
    """``text`` parsed as YAML, from the cache when this exact content was parsed before."""
    folder = cache_dir() if len(raw) > CACHE_ABOVE else None
    if folder is None:
        return load_yaml(text)
    entry = folder / f"{hashlib.sha256(raw).hexdigest()}-{_CACHE_FORMAT}.marshal"
    try:
        return marshal.loads(entry.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass  # absent, unreadable or damaged: parse again
    data = load_yaml(text)
    try:
        blob = marshal.dumps(data)  # ValueError for values marshal cannot keep (a YAML date): not cached
        folder.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(blob)
        os.replace(partial, entry)  # readers see the whole entry or none
    except (OSError, ValueError):
        pass  # a cache that cannot be written is no error: the spec was parsed
    return data


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
        if path.stat().st_size > MAX_BYTES:
            size = path.stat().st_size // (1024 * 1024)
            raise _fail(label, "too-large", f"is {size} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit", "split it")
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
        data = json.loads(text) if path.suffix == ".json" else _cached_yaml(text, raw)
    except RecursionError:
        where = _deep_json_pointer(text) if path.suffix == ".json" else None
        raise _too_deep(label, where or "") from None
    except json.JSONDecodeError as exc:
        raise _fail(label, "not-yaml", f"is not valid JSON: {exc.msg} at line {exc.lineno}", "fix the syntax") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        if "nesting depth" in problem:  # libyaml's own limit (1000 levels)
            raise _fail(label, "too-deep", f"is nested deeper than 1000 levels{where}", _DEPTH_HINT) from None
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
    deep = _deep_pointer(data)
    if deep is not None:
        raise _too_deep(label, deep)
    if not isinstance(data.get("paths", {}), dict):
        raise _fail(label, "not-openapi", "'paths' is not a mapping", "see the OpenAPI 3 'paths' object")
    return SpecDocument(path=path, label=label, data=data, raw=raw)


_DEPTH_HINT = "name the inner schemas under components/schemas and refer to them with $ref"
_COLON = re.compile(r"\s*:")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


def _too_deep(label: str, pointer: str) -> SpecError:
    return SpecError(
        [Diagnostic(label, pointer, "too-deep", f"is nested deeper than {MAX_DEPTH} levels here", _DEPTH_HINT)]
    )


def _deep_pointer(data: Any) -> str | None:
    """The pointer of the first value nested deeper than :data:`MAX_DEPTH` (walked without recursion)."""
    return next((join_pointer(*path) for _, path in containers(data) if len(path) > MAX_DEPTH), None)


def _deep_json_pointer(text: str) -> str | None:
    """Where JSON text nests deeper than :data:`MAX_DEPTH` (for text too deep for the parser itself)."""
    path: list[str | int] = []  # key or index of each open container; a key is "" until it is read
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            if len(path) > MAX_DEPTH:
                return join_pointer(*path)
            path.append("" if token == "{" else 0)
        elif token in "}]":
            if path:
                path.pop()
        elif token == ",":
            if path and isinstance(path[-1], int):
                path[-1] += 1
        elif token != ":" and path and isinstance(path[-1], str) and _COLON.match(text, match.end()):
            path[-1] = json.loads(token)  # a key: the string is followed by ':'
    return None


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Follow a local JSON pointer (``/components/schemas/X``); raise ``KeyError`` if it goes nowhere."""
    node = document
    if pointer in ("", "/"):
        return node
    for token in pointer.lstrip("/").split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif key.isdigit() and (int(key) in node if isinstance(node, dict) else isinstance(node, list)):
            # a list index, or a key YAML read as a number (`200:`)
            if isinstance(node, list) and int(key) >= len(node):
                raise KeyError(pointer)
            node = node[int(key)]
        else:
            raise KeyError(pointer)
    return node
