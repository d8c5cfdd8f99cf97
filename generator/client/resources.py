"""Group the model's operations into the client's resources and decide every attribute and method name."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from apimodel import Operation as ModelOperation
from apimodel.naming import snake_case
from apimodel.project import TEMPLATES_DIR
from apimodel.roles import VERBS, fragment_action
from generator.client.ir import Operation, Resource
from generator.client.naming import PythonIdentifier, class_name, python_identifier, unique_name

__all__ = ["group_resources"]

_RUNTIME = ("_core.py", "_base_client.py")  # the classes a generated Client inherits from


@functools.cache
def client_attributes() -> frozenset[str]:
    """Names a resource attribute must not take: every method and attribute of the runtime classes a client
    inherits (``request``, ``stream``, ``close``, ``base_url``…), read from the runtime templates themselves."""
    names = {"with_options"}
    for name in _RUNTIME:
        tree = ast.parse((TEMPLATES_DIR / "package" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
                names.add(node.attr)
    return frozenset(names)


Build = Callable[[ModelOperation, PythonIdentifier], list[Operation]]


def group_resources(operations: Sequence[ModelOperation], build: Build) -> tuple[Resource, ...]:
    """Resources in sorted order, each with uniquely named methods (the model's resource and action names)."""
    tree: dict[str, Any] = {}
    for op in operations:
        node = tree
        for part in op.client_resource.split("."):
            node = node.setdefault(python_identifier(part, fallback="resource"), {"__ops__": []})
        node["__ops__"].append(op)
    return _build_level(tree, "", build, reserved=client_attributes())


_VERSION = re.compile(r"_v\d+(?:_\d+)*$")


def meaningful_operation_id(op: ModelOperation) -> PythonIdentifier | None:
    """The operationId as a method name, without the resource's own words (``Logger_CreateOrUpdate`` on
    ``loggers`` is ``create_or_update``); ``None`` when it only repeats the HTTP method and the path
    (``put_folders_id#add_shared_link``, ``post_messages_json``)."""
    words = _VERSION.sub("", snake_case(op.operation_id)).split("_")
    path_words = set(snake_case(op.path).split("_")) | {op.method.lower(), "id"}
    path_words |= {w[:-1] for w in path_words if w.endswith("s")}
    if not op.operation_id or set(words) <= path_words:
        return None
    resource = {w for part in op.client_resource.split(".") for w in snake_case(part).split("_")}
    resource |= {w[:-1] for w in resource if w.endswith("s")}
    kept = [w for w in words if w not in resource] or words
    return python_identifier("_".join(kept))


def _method_name(op: ModelOperation) -> PythonIdentifier:
    """The action's name; for an action inferred from the path's last word (not a CRUD verb, not a hint),
    the operationId where it says more than the method and the path (``anonymizeUser`` → ``anonymize``)."""
    why = op.reason("action")
    if op.role == "action" and why is not None and why.source == "inferred":
        return meaningful_operation_id(op) or python_identifier(op.action, fallback="call")
    return python_identifier(op.action, fallback="call")


_BODY_WORDS = (("xml", "xml"), ("x-www-form-urlencoded", "form"), ("multipart/", "multipart"), ("json", "json"))


def _second_name(op: ModelOperation, name: str) -> PythonIdentifier:
    """A name for an operation whose first choice is taken: the verb's word before it (``replace_tags``). The
    second method of an action its path names (AWS's query protocol has a GET and a POST of each action) is told
    apart by how it sends its input: ``describe_cache_clusters_xml`` takes it as an XML document, where
    ``describe_cache_clusters`` (the GET) takes it in the query; the HTTP method only where it sends no body
    (a method glued to the action's words reads as a URL, not a name)."""
    if fragment_action(op.path) is not None:
        media = " ".join((op.body or {}).get("content") or {}).lower()
        word = next((w for key, w in _BODY_WORDS if key in media), op.method.lower())
        return python_identifier(f"{name}_{word}")
    return python_identifier(f"{VERBS.get(op.method.lower(), 'call')}_{name}")


def _build_level(level: dict[str, Any], prefix: str, build: Build, reserved: frozenset[str]) -> tuple[Resource, ...]:
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
        for op in sorted(node["__ops__"], key=lambda o: (o.path, o.method)):
            name = _method_name(op)
            if name in method_taken or f"{name}_stream" in method_taken:
                name = meaningful_operation_id(op) or _second_name(op, name)
            final = PythonIdentifier(unique_name(name, method_taken))
            operation, *others = build(op, final)
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
