"""A part of a big spec that is still a whole spec: some of its paths, and every component they refer to.

GitHub's description has over 1,000 operations: generating, type-checking and conforming all of it takes longer
than CI may spend. :func:`slice_spec` keeps a seeded sample of whole paths (every method of a kept path, and its
path-level parameters) and the components their ``$ref`` chains reach, so the slice loads, generates and mocks as
the whole would on those operations.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

__all__ = ["slice_spec", "write_slice"]

_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _operations(item: Any) -> int:
    return sum(1 for method in item if method in _METHODS) if isinstance(item, dict) else 0


def _refs(node: Any, found: set[str]) -> None:
    stack = [node]
    while stack:  # iterative: real specs nest deeper than Python's recursion limit allows
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                found.add(ref)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _pointer(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node.get(part) if isinstance(node, dict) else None
    return node


def slice_spec(document: dict[str, Any], operations: int, seed: int) -> dict[str, Any]:
    """``document`` with a seeded sample of whole paths holding at least ``operations`` operations (all of them
    when it has fewer), the components those paths reach, and everything outside ``paths`` and ``components``
    (security schemes included, as a request needs them) kept as it is. ``webhooks`` are dropped."""
    found_paths = document.get("paths")
    paths: dict[str, Any] = found_paths if isinstance(found_paths, dict) else {}
    names = sorted(paths)
    random.Random(seed).shuffle(names)
    kept: list[str] = []
    total = 0
    for name in names:
        if total >= operations:
            break
        if _operations(paths[name]):
            kept.append(name)
            total += _operations(paths[name])
    out = {k: v for k, v in document.items() if k not in ("paths", "components", "webhooks", "x-webhooks")}
    out["paths"] = {name: paths[name] for name in sorted(kept)}
    found: set[str] = set()
    _refs(out["paths"], found)
    pending = sorted(found)
    while pending:  # the components the kept paths reach, through any number of $ref hops
        target = _pointer(document, pending.pop())
        inner: set[str] = set()
        _refs(target, inner)
        fresh = sorted(inner - found)
        found |= inner
        pending += fresh
    components: dict[str, dict[str, Any]] = {}
    found_components = document.get("components")
    source: dict[str, Any] = found_components if isinstance(found_components, dict) else {}
    for section, entries in source.items():
        if section == "securitySchemes":
            components[section] = entries
            continue
        if not isinstance(entries, dict):
            continue
        chosen = {k: v for k, v in entries.items() if f"#/components/{section}/{_escape(k)}" in found}
        if chosen:
            components[section] = chosen
    if components:
        out["components"] = components
    return out


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def write_slice(spec: Path, out: Path, operations: int, seed: int) -> Path:
    """The slice of the JSON spec at ``spec`` written to ``out`` (a ``.json`` file); returns ``out``."""
    document = json.loads(spec.read_text(encoding="utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(slice_spec(document, operations, seed)), encoding="utf-8")
    return out
