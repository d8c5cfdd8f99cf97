"""A spec compiled for serving: operations with their parameters, resource roles and route table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from apimodel.walk import iter_operations
from conformance.mock.routing import RouteTable
from conformance.mock.schema import SchemaSet

__all__ = ["CRUD_ACTIONS", "ApiModel", "Operation", "Param", "compile_api"]

CRUD_ACTIONS = frozenset({"list", "retrieve", "create", "update", "delete"})
_PARAM = re.compile(r"\{([^{}]+)\}")
_RESERVED_HEADERS = frozenset({"accept", "content-type", "authorization"})


@dataclass(frozen=True)
class Param:
    name: str
    location: str
    schema: Any
    required: bool
    style: str
    explode: bool
    hint: Any = None  # the parameter's x-filter (it may also sit on the schema)


@dataclass(frozen=True)
class Operation:
    """One operation and what the mock does with it."""

    method: str
    path: str
    spec: dict[str, Any] = field(repr=False)
    params: tuple[Param, ...]
    body: dict[str, Any] | None = field(repr=False)
    body_required: bool
    responses: dict[str, Any] = field(repr=False)
    resource: str
    action: str
    item_param: str | None
    parent_params: tuple[str, ...]
    security: tuple[dict[str, Any], ...] | None

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def effect(self) -> dict[str, Any]:
        value = self.spec.get("x-effect")
        return value if isinstance(value, dict) else {}

    @property
    def pagination(self) -> dict[str, Any]:
        value = self.spec.get("x-pagination")
        return value if isinstance(value, dict) else {}

    @property
    def view(self) -> str | None:
        value = self.spec.get("x-view")
        return str(value) if isinstance(value, str) else None

    def success_status(self) -> str | None:
        codes = sorted(code for code in self.responses if code.startswith("2") and code.isdigit())
        if codes:
            return codes[0]
        return "2XX" if "2XX" in self.responses else ("default" if "default" in self.responses else None)


@dataclass
class ApiModel:
    """One API ready to serve."""

    name: str
    data: dict[str, Any] = field(repr=False)
    schemas: SchemaSet = field(repr=False)
    operations: list[Operation]
    routes: RouteTable[Operation] = field(repr=False)
    x_errors: dict[str, Any] = field(repr=False)


def _collection_of(path: str) -> tuple[str, str | None, tuple[str, ...]]:
    """``/pets/{id}`` -> (``/pets``, ``id``, ()): the collection, the item parameter and parent parameters."""
    segments = [s for s in path.split("/") if s]
    names = _PARAM.findall(path)
    last = segments[-1] if segments else ""
    if (last.startswith("{") and last.endswith("}")) or (last and _PARAM.match(last)):
        item = _PARAM.findall(last)[0]
        collection_segments = segments[:-1]
    else:
        item = None
        collection_segments = segments
    collection = "/" + "/".join(re.sub(r"\.[a-z]+$", "", s) if "{" not in s else "{}" for s in collection_segments)
    parents = tuple(n for n in names if n != item)
    return collection, item, parents


def _infer_action(method: str, item: str | None) -> str:
    if item is None:
        return {"get": "list", "post": "create"}.get(method, method)
    return {"get": "retrieve", "put": "update", "patch": "update", "delete": "delete"}.get(method, method)


def compile_api(name: str, data: dict[str, Any]) -> ApiModel:
    schemas = SchemaSet(data)
    routes: RouteTable[Operation] = RouteTable()
    operations: list[Operation] = []
    global_security = data.get("security")
    for ref in iter_operations(data):
        spec = ref.operation
        merged: dict[tuple[str, str], Param] = {}
        for raw in [*(ref.path_item.get("parameters") or ()), *(spec.get("parameters") or ())]:
            param = schemas.resolve(raw)
            if not isinstance(param, dict) or "name" not in param:
                continue
            location = str(param.get("in", "query"))
            if location == "header" and str(param["name"]).lower() in _RESERVED_HEADERS:
                continue  # OpenAPI: such header parameters SHALL be ignored
            style = str(param.get("style") or ("form" if location in ("query", "cookie") else "simple"))
            merged[(location, str(param["name"]))] = Param(
                name=str(param["name"]),
                location=location,
                schema=param.get("schema") or {},
                required=bool(param.get("required")) or location == "path",
                style=style,
                explode=bool(param.get("explode", style == "form")),
                hint=param.get("x-filter"),
            )
        body = schemas.resolve(spec.get("requestBody")) if spec.get("requestBody") else None
        responses = {str(k): schemas.resolve(v) for k, v in (spec.get("responses") or {}).items()}
        collection, item, parents = _collection_of(ref.path)
        resource = str(spec.get("x-resource") or collection)
        action = str(spec.get("x-action") or _infer_action(ref.method, item))
        if "." in resource and action in ("list", "create") and item is not None:
            parents, item = (*parents, item), None
        elif item is None and parents and action not in ("list", "create") and "." not in resource:
            parents, item = parents[:-1], parents[-1]  # an action on an item: /invoices/{id}/void
        security = spec.get("security", global_security)
        operation = Operation(
            method=ref.method.upper(),
            path=ref.path,
            spec=spec,
            params=tuple(merged.values()),
            body=body if isinstance(body, dict) else None,
            body_required=bool(isinstance(body, dict) and body.get("required")),
            responses=responses,
            resource=resource,
            action=action,
            item_param=item,
            parent_params=parents,
            security=tuple(s for s in security if isinstance(s, dict)) if isinstance(security, list) else None,
        )
        operations.append(operation)
        routes.add(operation.method, ref.path, operation)
    x_errors = data.get("x-errors")
    return ApiModel(name, data, schemas, operations, routes, x_errors if isinstance(x_errors, dict) else {})
