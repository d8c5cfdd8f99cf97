"""Resources and roles: which collection an operation acts on, what it does there, and which path
parameters name the object and its parents. Hints say it; paths, methods and responses infer it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from apimodel import hints
from apimodel.facts import Reason, Role
from apimodel.naming import snake_case
from apimodel.walk import OperationRef

__all__ = ["VERBS", "Placement", "collection_paths", "fragment_action", "path_segments", "place"]

_VERSION = re.compile(r"^(v\d+(\.\d+)*|api|\d{4}-\d{2}-\d{2})$", re.IGNORECASE)
_PARAM = re.compile(r"\{([^{}]+)\}")
# a format suffix on a path segment (``/invoices/{id}.json``) names a representation, not a resource
_FORMAT = re.compile(r"\.(?:json|xml|html|pdf|csv|txt|yaml|yml|zip)$", re.IGNORECASE)
_CRUD: dict[str, Role] = {
    "list": "list",
    "create": "create",
    "retrieve": "retrieve",
    "update": "update",
    "delete": "delete",
}
# the word a name uses for an HTTP method (never the method itself: ``replace_tags``, not ``put_tags``)
VERBS: dict[str, str] = {"get": "retrieve", "post": "create", "put": "replace", "patch": "update", "delete": "delete"}
# the verb on a collection path (``/pets``) and on an item path (``/pets/{id}``)
_ON_COLLECTION: dict[str, tuple[str, Role]] = {
    "get": ("list", "list"),
    "post": ("create", "create"),
    "put": ("replace", "action"),
    "patch": ("update", "action"),
    "delete": ("delete", "action"),
    "head": ("exists", "exists"),
}
_ON_ITEM: dict[str, tuple[str, Role]] = {
    "get": ("retrieve", "retrieve"),
    "post": ("update", "update"),
    "put": ("update", "update"),
    "patch": ("update", "update"),
    "delete": ("delete", "delete"),
    "head": ("exists", "exists"),
}


@dataclass(frozen=True)
class Placement:
    """Where an operation sits: its resource, method name, role, and the path parameters for object and parents."""

    resource: str
    action: str
    role: Role
    item_param: str | None
    parent_params: tuple[str, ...]
    reasons: tuple[tuple[str, Reason], ...]
    # the client's grouping where it differs from the resource: an AWS action's own state, under its service's name
    namespace: str | None = None

    def reason_of(self, fact: str) -> Reason:
        return dict(self.reasons)[fact]


# APIs.guru's AWS paths tell operations on one URL apart after a ``#``: the JSON protocol by its X-Amz-Target header
# (``/#X-Amz-Target=Textract.AnalyzeDocument``), the query protocol by its Action (``/#Action=DescribeCacheClusters``),
# others by the query parameters they require (``/hostedzonesbyvpc#vpcid&vpcregion``); no ``#`` part is sent
_FRAGMENT_ACTION = re.compile(r"^(?:X-Amz-Target=(?:(?P<prefix>[^.=&]+)\.)?|Action=)(?P<action>[A-Za-z][A-Za-z0-9_]*)$")
_PREFIX_VERSION = re.compile(r"_?(?:v?\d{8}|v\d+)$", re.IGNORECASE)


def fragment_action(path: str) -> tuple[str, str | None] | None:
    """The action a path's ``#`` part names, and the service prefix of an X-Amz-Target (``StorageGateway`` of
    ``StorageGateway_20130630.ActivateGateway``, its version left off); None when it names no action."""
    _, hashed, fragment = path.partition("#")
    found = _FRAGMENT_ACTION.match(fragment) if hashed else None
    if found is None:
        return None
    prefix = found.group("prefix")
    return found.group("action"), _PREFIX_VERSION.sub("", prefix) if prefix else None


def _stem(path: str) -> str:
    """``/invoices/{id}.json`` → ``/invoices/{id}``: the path without format suffixes and without a ``#`` part."""
    return "/".join(_FORMAT.sub("", part) for part in path.split("#", 1)[0].rstrip("/").split("/"))


def path_segments(path: str) -> list[tuple[str, bool]]:
    """Path segments as (text, is_parameter), version prefixes (``/v1``) and format suffixes (``.json``) dropped."""
    parts = [p for p in _stem(path).split("/") if p]
    while parts and _VERSION.match(parts[0]):
        parts.pop(0)
    return [(p.strip("{}"), p.startswith("{") and p.endswith("}")) for p in parts]


def collection_paths(paths: Iterable[str]) -> frozenset[str]:
    """Paths that have an item path below them: ``/pets`` where ``/pets/{id}`` exists."""
    found = set()
    for path in paths:
        segments = path_segments(path)
        if segments and segments[-1][1]:
            found.add(_stem(path).rsplit("/", 1)[0])
    return frozenset(found)


def _item_and_parents(path: str) -> tuple[str | None, tuple[str, ...]]:
    """The parameter the last path segment names (``/pets/{id}``, ``/invoices/{id}.json``), and the others."""
    segments = [s for s in path.split("/") if s]
    names = tuple(_PARAM.findall(path))
    last = segments[-1] if segments else ""
    item = _PARAM.findall(last)[0] if _PARAM.match(last) else None
    return item, tuple(n for n in names if n != item)


def _hinted_params(path: str, resource: str, role: Role) -> tuple[str | None, tuple[str, ...]]:
    item, parents = _item_and_parents(path)
    if "." in resource and role in ("list", "create") and item is not None:
        return None, (*parents, item)  # a nested collection addressed by its parent: /documents/{id}/lines
    if item is None and parents and role not in ("list", "create") and "." not in resource:
        return parents[-1], parents[:-1]  # an action on an item: /invoices/{id}/void
    return item, parents


def _hinted_role(action: str, method: str, has_view: bool, effect_kind: str | None) -> Role:
    if action in _CRUD:
        return _CRUD[action]
    if effect_kind == "next-number" or method == "head":
        return "exists"
    return "download" if has_view else "action"


def place(
    ref: OperationRef,
    *,
    hinted_resource: str | None,
    hinted_action: str | None,
    has_view: bool,
    effect_kind: str | None,
    collections: frozenset[str],
    list_shaped: Callable[[str], bool | None],
    service: str | None = None,
) -> Placement:
    """The placement of one operation: hints first, then the path, the method and (for lists) the response.
    ``service``: the API's short name where the document gives one (``x-serviceName``)."""
    inferred = _infer(ref, collections, list_shaped, service)
    resource = hinted_resource or inferred.resource
    action = hinted_action or inferred.action
    reasons = [
        ("resource", Reason("hint", hints.RESOURCE) if hinted_resource else inferred.reason_of("resource")),
        ("action", Reason("hint", hints.ACTION) if hinted_action else inferred.reason_of("action")),
    ]
    if hinted_action or hinted_resource:
        role = _hinted_role(action, ref.method, has_view, effect_kind) if hinted_action else inferred.role
        item, parents = _hinted_params(ref.path, resource, role)
        why = Reason("hint", f"{hints.ACTION}: {action}") if hinted_action else inferred.reason_of("role")
        reasons.append(("role", why))
        return Placement(resource, action, role, item, parents, tuple(reasons))
    role = "download" if has_view and inferred.role == "action" else inferred.role
    reasons.append(("role", inferred.reason_of("role")))
    return Placement(
        resource, action, role, inferred.item_param, inferred.parent_params, tuple(reasons), inferred.namespace
    )


def _infer(
    ref: OperationRef,
    collections: frozenset[str],
    list_shaped: Callable[[str], bool | None],
    service: str | None = None,
) -> Placement:
    """``list_shaped(path)``: whether GET on ``path`` answers a list (True), one object (False), or unknown (None)."""
    method, path = ref.method, ref.path
    segments = path_segments(path)
    statics = [s for s, is_param in segments if not is_param]
    params = tuple(_PARAM.findall(path))
    ends_with_param = bool(segments) and segments[-1][1]
    raw_tags = ref.operation.get("tags")
    tags = raw_tags if isinstance(raw_tags, list) else []
    fragment = fragment_action(path)
    if not statics and fragment is not None:
        return _fragment_placement(method, path, fragment, tags, service, list_shaped)
    if not statics:
        resource = snake_case(str(tags[0])) if tags else "default"
        _, role = (_ON_ITEM if ends_with_param else _ON_COLLECTION).get(method, (method, "action"))
        why = f"no static path segment: the tag {tags[0]!r}" if tags else "no static path segment and no tag"
        item = params[-1] if ends_with_param else None
        return _inferred(resource, method, role, item, params, why, f"{method.upper()} on the path's root")
    last = statics[-1]
    trimmed = path.rstrip("/")
    after_param = len(segments) >= 2 and not segments[-1][1] and segments[-2][1]
    # a path answering a list is a collection (/users/{id}/repos: the user's repos), unless it lists the
    # collection above it (/customers/search)
    parent = trimmed.rsplit("/", 1)[0]
    listing = not ends_with_param and list_shaped(trimmed) is True
    sub_collection = listing and not (_stem(parent) in collections or list_shaped(parent) is True)
    is_collection = ends_with_param or _stem(trimmed) in collections or sub_collection
    parts = statics if is_collection else statics[:-1] or statics
    resource = ".".join(snake_case(s) or "root" for s in parts)
    if is_collection or (len(statics) == 1 and not ends_with_param):
        action, role = (_ON_ITEM if ends_with_param else _ON_COLLECTION).get(method, (method, "action"))
        item = params[-1] if ends_with_param else None
        if method == "get" and not is_collection and list_shaped(trimmed) is False:
            # /v1/account answering one object: the one object there is, not a list of them
            why = "a single static segment answering one object"
            return _inferred(resource, "retrieve", "retrieve", None, params, why, "GET on one object: retrieve")
        if ends_with_param:
            where = "the path ends with a parameter: one object of a collection"
        elif sub_collection:
            where = "a path that answers a list of objects: a collection"
        elif _stem(trimmed) in collections:
            where = "an item path exists below this path: a collection"
        else:
            where = "a single static segment: a collection"
        whom = "one object of the collection" if ends_with_param else "the collection"
        return _inferred(resource, action, role, item, params, where, f"{method.upper()} on {whom}")
    action = snake_case(last) or method
    action = action if method in ("post", "get") else f"{VERBS.get(method, method)}_{action}"
    named: Role = "list" if method == "get" and list_shaped(trimmed) is True else "action"
    acted_on = None if named == "list" or not after_param else params[-1]
    on = "an object" if acted_on else "the collection"
    why_role = f"GET {last!r} answers a list of the collection" if named == "list" else f"{last!r}, acting on {on}"
    return _inferred(resource, action, named, acted_on, params, f"{last!r} acts on {resource}", why_role)


def _fragment_placement(
    method: str,
    path: str,
    named: tuple[str, str | None],
    tags: list[Any],
    service: str | None,
    list_shaped: Callable[[str], bool | None],
) -> Placement:
    """An operation on the root that a ``#X-Amz-Target=`` or ``#Action=`` part names: the method is the action
    (``ListThings`` → ``list_things``), grouped in the client under the tag, else the service (``x-serviceName``,
    the name APIs.guru gives an AWS API), else the X-Amz-Target's prefix. Its role is what the method on the root
    says. The action is its own resource: AWS actions share one URL, not one kind of object (CreateAssociation
    answers an association, StartAutomationExecution an execution id), so each keeps its own state in the mock."""
    action, prefix = named
    group = snake_case(str(tags[0] if tags else service or prefix or "")) or "default"
    source = "the tag" if tags else "the service" if service else "the X-Amz-Target prefix" if prefix else "no tag"
    _, role = _ON_COLLECTION.get(method, (method, "action"))
    if method == "get" and list_shaped(path.rstrip("/")) is False:
        role = "retrieve"
    why = f"an action on the API's root, its own resource; {source} names its group in the client"
    named_by = f"the action {action!r} its path names"
    placed = _inferred(snake_case(action), snake_case(action), role, None, (), why, named_by)
    return replace(placed, namespace=group)


def _inferred(
    resource: str, action: str, role: Role, item: str | None, params: tuple[str, ...], why: str, why_role: str
) -> Placement:
    parents = tuple(p for p in params if p != item)
    if role in ("list", "create"):
        item, parents = None, params
    reasons = (("resource", Reason("inferred", why)), ("action", Reason("inferred", why_role)),
               ("role", Reason("inferred", why_role)))  # fmt: skip
    return Placement(resource, action, role, item, parents, reasons)
