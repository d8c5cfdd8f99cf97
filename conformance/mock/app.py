"""``create_app``: every chosen API mounted at ``/<api>`` in one Starlette application."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount

from apimodel import Operation
from apimodel import load_api as load_model
from apimodel.diagnostics import SpecError
from apimodel.hints import fill
from apimodel.project import API_NAMES
from apimodel.yamlfast import collector_paused
from conformance.mock.config import MockConfig, load_tenants_file
from conformance.mock.copying import json_copy
from conformance.mock.credentials import CredentialSlot, Tenants, credential_slots, derive_value
from conformance.mock.model import ServedApi, serve
from conformance.mock.request import ParsedRequest
from conformance.mock.seeding import Seeds, fit_amounts, references_of, seed_order
from conformance.mock.server import ApiServer, decoded_headers
from conformance.mock.shared import SharedState
from conformance.mock.wire import Answer

__all__ = ["MockState", "body_example", "create_app", "demo_credentials", "load_api"]

_MOUNT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def load_api(target: str | Path, name: str | None = None) -> ServedApi:
    """One of our APIs (by name) or any spec file, ready to serve; raise ``SpecError`` when it cannot load."""
    return serve(load_model(target, name))


@functools.lru_cache(maxsize=32)
def _slots_for(target: str | Path, name: str | None) -> tuple[str, tuple[CredentialSlot, ...]]:
    model = load_model(target, name)
    return model.name, tuple(credential_slots(model))


def demo_credentials(api: str | Path, tenant: int = 0, *, name: str | None = None) -> dict[str, str]:
    """Environment variable assignments for a demo tenant of ``api`` (an API name or a spec path)."""
    served_as, slots = _slots_for(api, name)
    return {slot.env: derive_value(served_as, tenant, slot) for slot in slots}


@dataclass
class MockState:
    """Reachable as ``app.state.mock``: the served APIs by name, and a reset for tests."""

    servers: dict[str, ApiServer]
    config: MockConfig
    shared: SharedState | None = None

    def reset(self) -> None:
        for server in self.servers.values():
            server.store.reset()
            server.violations.clear()
            if self.config.seed_data:
                seed(server)

    def violations(self) -> dict[str, list[str]]:
        """With ``MockConfig(self_check=True)``: each API's responses that broke its spec, as sent."""
        return {name: list(server.violations) for name, server in self.servers.items()}

    def credentials(self, api: str, tenant: int = 0) -> dict[str, str]:
        return dict(self.servers[api].tenants.values[tenant])

    def hold_writes(self) -> bool:
        """For the server's fast path: what the requests it answers from now on write is committed at
        :meth:`release_writes`, once, before their answers are sent (a group commit); ``False`` when there is no
        state file, so nothing to commit and no answer to hold."""
        if self.shared is None:
            return False
        self.shared.hold()
        return True

    def release_writes(self) -> None:
        """Commit what was written since :meth:`hold_writes` (an error: the commit's)."""
        if self.shared is not None:
            self.shared.release()

    def quick(
        self, method: str, path: str, query: bytes, headers: list[tuple[bytes, bytes]]
    ) -> Callable[[bytes], Answer] | None:
        """For the server's fast path (:mod:`conformance.mock.wire`): the answer to a request for ``/<api>/...``
        as a function of its body, or ``None`` when the ASGI application answers it (another path, an injected
        fault); ``headers`` as on the wire (names in lower case)."""
        found = _served(self.servers, path)
        if found is None:
            return None
        server, name = found
        return server.quick(method, path[len(name) + 1 :], query, decoded_headers(headers))


def body_example(server: ApiServer, op: Operation) -> tuple[bool, Any]:
    """Whether ``op`` takes a JSON body, and the one its spec shows (example, first named example, else a sample)."""
    content = (op.body or {}).get("content") or {}
    media = next((c for m, c in content.items() if "json" in m and isinstance(c, dict)), None)
    if media is None:
        return False, None
    example = media.get("example")
    if example is None and isinstance(media.get("examples"), dict) and media["examples"]:
        first = next(iter(media["examples"].values()))
        example = server.api.schemas.resolve(first).get("value")
    if example is None:
        example = server.sampler.sample(media.get("schema") or {})
    return True, example


def seed(server: ApiServer, per_resource: int = 3) -> None:
    """A few objects per top-level resource and demo tenant, made from the create operation's example (or, for a
    resource with none, from the first POST action that creates one: e-Cont's ``put/invoice``): references name the
    tenant's own seeded objects (what they name is seeded first), dates start today (conformance.mock.seeding).

    The first demo tenant's first object carries the access tokens (token-filled properties) the creating operation's
    documented reply shows, so the spec's own examples (``pdf/sendinvoice?key=…``) reach a seeded object: the only
    way a read-only run, which creates nothing, gets to read an object known by a token alone."""
    candidates = [op for op in server.api.operations if op.role == "create" and not op.parent_params]
    covered = {op.resource for op in candidates}
    read = {op.resource for op in server.api.operations if op.safe}  # seeded only where something reads it
    candidates += [op for op in server.api.operations if op.resource in read - covered and _creates(op)]
    done: set[str] = set()
    creates: list[tuple[Operation, set[str]]] = []
    examples: dict[str, tuple[Any, Any]] = {}
    for op in candidates:
        if op.resource in done:
            continue
        done.add(op.resource)
        takes_json, example = body_example(server, op)
        if not takes_json:
            continue
        schema = _json_body_schema(op)
        examples[op.key] = (schema, example)
        creates.append((op, references_of(server.api.model, schema, json_copy(example))))
    seeds, today = Seeds(server.api.model), datetime.date.today()
    for op in seed_order(creates):
        schema, example = examples[op.key]
        for tenant in range(len(server.tenants)):
            for index in range(per_resource):
                body = _distinct(server.api.schemas, schema, json_copy(example), f"{tenant + 1}.{index + 1}")
                body = seeds.body(schema, body, tenant, index)
                body = fit_amounts(op, body, functools.partial(server.store.find_any, tenant))
                outcome = server.resources.create(tenant, op, ParsedRequest(body=body))
                if outcome.obj is not None:
                    seeds.made(tenant, op.resource, outcome.obj.get(server.resources.id_field(op)), outcome.obj)
                    settled = seeds.settle(server.resources.resource_schema(op), outcome.obj, body, today)
                    if settled is not None:
                        server.store.replace(outcome.obj, settled)
                    if tenant == 0 and index == 0:
                        _documented_tokens(server, op, settled if settled is not None else outcome.obj)
    _seed_children(server, seeds, read)


def _seed_children(server: ApiServer, seeds: Seeds, read: set[str]) -> None:
    """One object under each seeded parent, for the nested collections something reads (a customer's contacts and
    pending line items, an invoice's payment plan), from their create operation's example: a read-only run, which
    creates nothing, can only reach a nested object the seed holds."""
    done: set[str] = set()
    for op in server.api.operations:
        parent = op.resource.rsplit(".", 1)[0]
        if op.role != "create" or len(op.parent_params) != 1 or op.resource in done or op.resource not in read:
            continue
        done.add(op.resource)
        takes_json, example = body_example(server, op)
        schema = _json_body_schema(op)
        if not takes_json or not isinstance(example, dict):
            continue
        for tenant in range(len(server.tenants)):
            for index, key in enumerate(list(server.store.bucket(tenant, parent).objects)):
                body = _distinct(server.api.schemas, schema, json_copy(example), f"{tenant + 1}.{index + 1}")
                request = ParsedRequest(body=seeds.body(schema, body, tenant, index))
                request.path_params = {op.parent_params[0]: key}
                server.resources.create(tenant, op, request)


def _json_body_schema(op: Operation) -> Any:
    """The schema of the operation's JSON request body, if it takes one."""
    return next((c.get("schema") for m, c in (op.body or {}).get("content", {}).items() if "json" in m), None)


def _creates(op: Operation) -> bool:
    """A POST to a collection with a body, the way the mock's dispatcher takes it as a create."""
    return op.method == "POST" and op.item_param is None and not op.parent_params and bool(op.body)


def _documented_tokens(server: ApiServer, op: Operation, obj: dict[str, Any]) -> None:
    """``obj`` with each property filled with a token set to the value the success reply's example shows for it."""
    schemas = server.api.schemas
    names = [
        n
        for n, p in schemas.properties(server.resources.resource_schema(op)).items()
        if fill(schemas.resolve(p)) == "token"
    ]
    content = (op.responses.get(op.success_status() or "") or {}).get("content") or {}
    example = next((c.get("example") for m, c in content.items() if "json" in m and isinstance(c, dict)), None)
    pending, shown = [example], None
    while pending and names and shown is None:  # the object inside its envelope: the dict that has the tokens
        node = pending.pop(0)
        if isinstance(node, dict):
            shown = node if all(isinstance(node.get(n), str) for n in names) else None
            pending += list(node.values())
        elif isinstance(node, list):
            pending += node
    if shown is not None:
        server.store.replace(obj, {**obj, **{n: shown[n] for n in names}})


def _distinct(schemas: Any, schema: Any, value: Any, mark: str, depth: int = 0) -> Any:
    """``value`` with ``mark`` appended to its free-text strings (no enum, format, pattern or tight length).

    Each tenant's seeded objects then differ from every other tenant's, as on a real API, where two accounts
    never hold the same object: a tenant-isolation check must not take two equal seeds for a leak.
    """
    node = schemas.resolve(schema) if schema is not None else {}
    if depth > 4 or not isinstance(node, dict):
        return value
    if isinstance(value, dict):
        own = node.get("properties")
        properties: dict[str, Any] = own if isinstance(own, dict) else {}
        for part in node.get("allOf") or ():
            part = schemas.resolve(part)
            if isinstance(part, dict) and isinstance(part.get("properties"), dict):
                properties = {**part["properties"], **properties}
        for key, item in value.items():
            if key in properties:
                value[key] = _distinct(schemas, properties[key], item, mark, depth + 1)
        return value
    if isinstance(value, list):
        return [_distinct(schemas, node.get("items"), item, mark, depth + 1) for item in value]
    free = node.get("type") == "string" and not any(k in node for k in ("enum", "format", "pattern", "const"))
    if isinstance(value, str) and value and free and len(value) + len(mark) + 1 <= node.get("maxLength", 10**6):
        return f"{value} {mark}"
    return value


def _served(servers: dict[str, ApiServer], path: str) -> tuple[ApiServer, str] | None:
    """The API a path ``/<api>/...`` is for, and its name; ``None`` for any other path."""
    name = path[1:].split("/", 1)[0]
    server = servers.get(name)
    return (server, name) if server is not None and path.startswith(f"/{name}/") else None


class _Dispatch:
    """Sends ``/<api>/...`` straight to that API (Starlette's mount patterns stop at odd characters)."""

    def __init__(self, app: Any, servers: dict[str, ApiServer]) -> None:
        self.app, self.servers = app, servers

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            found = _served(self.servers, path)
            if found is not None:
                server, name = found
                root = scope.get("root_path", "") + f"/{name}"
                await server({**scope, "root_path": root, "path": root + path[len(name) + 1 :]}, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(targets: Sequence[str | Path] | None = None, *, config: MockConfig | None = None) -> Starlette:
    """The mock as an ASGI application: each API under ``/<api>``.

    ``targets`` are API names (default: every one of ours whose spec loads), spec paths, or
    ``NAME=PATH``. Raises ``SpecError`` for a named target that cannot be loaded.
    """
    with collector_paused():  # the specs' objects live as long as the app: collections would walk them for nothing
        return _create_app(targets, config or MockConfig())


def _create_app(targets: Sequence[str | Path] | None, config: MockConfig) -> Starlette:
    extra = load_tenants_file(config.tenants_file) if config.tenants_file else {}
    models: list[ServedApi] = []
    if targets is None:
        for name in API_NAMES:
            try:
                models.append(load_api(name))
            except SpecError:
                continue
    else:
        for target in targets:
            text = str(target)
            name, _, spec_path = text.partition("=")
            if isinstance(target, str) and spec_path and _MOUNT_NAME.fullmatch(name) and not Path(text).exists():
                models.append(load_api(Path(spec_path), name))
            else:
                models.append(load_api(target))
    shared = SharedState.open(config.state_file) if config.state_file else None
    servers: dict[str, ApiServer] = {}
    for model in models:
        slots = credential_slots(model.model)
        tenants = Tenants(model.name, slots, config.demo_tenants, extra.get(model.name, []))
        servers[model.name] = ApiServer(model, tenants, config, shared)
    app = Starlette(
        routes=[Mount(f"/{name}", app=server) for name, server in servers.items()],
        middleware=[Middleware(_Dispatch, servers=servers)],
    )
    app.state.mock = MockState(servers, config, shared)
    if config.seed_data:
        for server in servers.values():
            if not server.store.count():  # a kept state is seeded once, when it is new
                seed(server)
    return app
