"""Group operations into resources and decide every resource attribute and method name."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from generator.client.ir import Operation, Resource
from generator.client.naming import PythonIdentifier, class_name, python_identifier, snake_case, unique_name
from generator.diagnostics import Diagnostic
from generator.walk import OperationRef

__all__ = ["derive_names", "group_resources"]

_VERSION = re.compile(r"^(v\d+(\.\d+)*|api|\d{4}-\d{2}-\d{2})$", re.IGNORECASE)
_CLIENT_ATTRIBUTES = frozenset({"close", "with_options", "base_url", "timeout", "max_retries"})


def _segments(path: str) -> list[tuple[str, bool]]:
    """Path segments as (text, is_parameter), version prefixes (``/v1``) dropped."""
    parts = [p for p in path.split("/") if p]
    while parts and _VERSION.match(parts[0]):
        parts.pop(0)
    return [(p.strip("{}"), p.startswith("{") and p.endswith("}")) for p in parts]


def derive_names(ref: OperationRef, collection_paths: frozenset[str]) -> tuple[str, str]:
    """``(resource, action)`` for an operation without ``x-resource``/``x-action``, from verb and path."""
    segments = _segments(ref.path)
    statics = [s for s, is_param in segments if not is_param]
    tags = ref.operation.get("tags") or []
    if not statics:
        return snake_case(str(tags[0])) if tags else "default", ref.method
    ends_with_param = bool(segments) and segments[-1][1]
    last = statics[-1]
    is_collection = ends_with_param or ref.path.rstrip("/") in collection_paths
    resource_parts = statics if is_collection else statics[:-1] or statics
    resource = ".".join(snake_case(s) or "root" for s in resource_parts)
    if is_collection or (len(statics) == 1 and not ends_with_param):
        action = {
            "get": "retrieve" if ends_with_param else "list",
            "post": "create" if not ends_with_param else "update",
            "put": "update" if ends_with_param else "replace",
            "patch": "update",
            "delete": "delete",
            "head": "exists",
        }.get(ref.method, ref.method)
        return resource, action
    action = snake_case(last) or ref.method
    return resource, action if ref.method in ("post", "get") else f"{ref.method}_{action}"


def _hint(ref: OperationRef, key: str) -> str | None:
    value = ref.operation.get(key)
    return value if isinstance(value, str) and value else None


def group_resources(
    refs: list[OperationRef],
    build: Callable[[OperationRef, PythonIdentifier], list[Operation]],
    diagnostics: list[Diagnostic],
) -> tuple[Resource, ...]:
    """Resources in sorted order, each with uniquely named methods."""
    collection_paths = frozenset(
        r.path.rsplit("/", 1)[0] for r in refs if _segments(r.path) and _segments(r.path)[-1][1]
    )
    tree: dict[str, Any] = {}
    for ref in refs:
        derived = derive_names(ref, collection_paths)
        resource = _hint(ref, "x-resource") or derived[0]
        action = _hint(ref, "x-action") or derived[1]
        node = tree
        for part in resource.split("."):
            node = node.setdefault(python_identifier(part, fallback="resource"), {"__ops__": []})
        node["__ops__"].append((action, ref))
    return _build_level(tree, "", build, reserved=_CLIENT_ATTRIBUTES)


def _build_level(
    level: dict[str, Any],
    prefix: str,
    build: Callable[[OperationRef, PythonIdentifier], list[Operation]],
    reserved: frozenset[str],
) -> tuple[Resource, ...]:
    resources = []
    taken: set[str] = set(reserved)
    for key in sorted(k for k in level if k != "__ops__"):
        node = level[key]
        attribute = PythonIdentifier(unique_name(key, taken))
        dotted = f"{prefix}.{attribute}" if prefix else attribute
        children_names = frozenset(k for k in node if k != "__ops__")
        method_taken: set[str] = {"with_raw_response", *children_names}
        operations = []
        views: list[Operation] = []
        for action, ref in sorted(node["__ops__"], key=lambda item: (item[1].path, item[1].method)):
            name = python_identifier(action, fallback="call")
            if name in method_taken or f"{name}_stream" in method_taken:
                name = python_identifier(f"{ref.method}_{action}")
            if name in method_taken:
                name = python_identifier(str(ref.operation.get("operationId") or action))
            final = PythonIdentifier(unique_name(name, method_taken))
            operation, *others = build(ref, final)
            if operation.stream_name:
                method_taken.add(operation.stream_name)
            operations.append(operation)
            views.extend(others)
        for view in views:  # other forms of a response (``retrieve_pdf``) never take a name the spec gives
            final = PythonIdentifier(unique_name(view.name, method_taken))
            stream = PythonIdentifier(unique_name(f"{final}_stream", method_taken)) if view.stream_name else None
            operations.append(replace(view, name=final, stream_name=stream))
        children = _build_level(node, dotted, build, frozenset())
        resources.append(
            Resource(
                attribute=attribute,
                class_name=class_name(dotted.replace(".", "_")),
                module=PythonIdentifier(dotted.replace(".", "_")),
                dotted=dotted,
                operations=tuple(operations),
                children=children,
            )
        )
    return tuple(resources)
