"""What the mock rows send: for a spec, a list, a retrieve and a create of one resource, with credentials.

The requests come from the API model (the resource that has all three roles, its create operation's example
body) and the demo tenant's credentials, so ours and Prism get byte-identical requests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from apimodel import Operation
from conformance.auth import credentials_from_env
from conformance.mock import create_app, demo_credentials
from conformance.mock.app import body_example

__all__ = ["Call", "Plan", "plan"]

ROLES = ("list", "retrieve", "create")


@dataclass(frozen=True)
class Call:
    """One request: ``path`` is relative to the API's root and may hold ``{id}`` (a created object's id)."""

    role: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.role}: {self.method} {self.path.split('?')[0]}"


@dataclass(frozen=True)
class Plan:
    """The calls of one spec, and the roles it has no operation for (reported as not measured)."""

    name: str
    calls: dict[str, Call]
    missing: dict[str, str]
    id_field: str = "id"


def _path(op: Operation, query: tuple[tuple[str, str], ...]) -> str:
    path = op.path
    if op.item_param:
        path = path.replace("{" + op.item_param + "}", "{id}")
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")


def plan(target: str | Path, name: str | None = None) -> Plan:
    """The list, retrieve and create calls of the first top-level resource that has all three (else the ones it has)."""
    app = create_app([target] if name is None else [f"{name}={target}"])
    server = next(iter(app.state.mock.servers.values()))
    model = server.api.model
    creds = credentials_from_env(model, demo_credentials(target, name=name))
    by_resource: dict[str, dict[str, Operation]] = {}
    for op in model.operations:
        if not op.parent_params and op.role in ROLES:
            by_resource.setdefault(op.resource, {}).setdefault(op.role, op)
    if not by_resource:  # an RPC API: its first operation that takes a JSON body stands in for a create
        first = next((op for op in model.operations if body_example(server, op)[0]), None)
        by_resource = {"": {"create": first}} if first is not None else {}
    chosen = max(by_resource.values(), key=len, default={})
    headers = dict(creds.headers)
    if model.content_type_required:
        headers["Content-Type"] = model.content_type_required
    calls: dict[str, Call] = {}
    for role, op in sorted(chosen.items(), key=lambda item: ROLES.index(item[0])):  # lists before creates pile up
        body = None
        call_headers = dict(headers)
        if op.method in ("POST", "PUT", "PATCH"):
            example = creds.apply_body(body_example(server, op)[1])
            body = json.dumps(example).encode("utf-8")
            call_headers.setdefault("Content-Type", "application/json")
        calls[role] = Call(role, op.method, _path(op, creds.query), body, call_headers)
    missing = {role: f"{model.name} has no {role} operation" for role in ROLES if role not in calls}
    id_field = model.resource_of(chosen["retrieve"]).id_field if "retrieve" in chosen else "id"
    return Plan(model.name, calls, missing, id_field)
