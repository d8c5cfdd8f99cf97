"""Every operation of every spec the mock serves answers without 5xx, and every answer conforms to the spec."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from apimodel import Operation
from apimodel.diagnostics import SpecError
from apimodel.project import API_NAMES
from conformance.mock import MockConfig, create_app, load_api
from conformance.mock.credentials import credential_slots, derive_value
from tests.corpus import corpus_spec
from tests.mock.helpers import CheckedClient


def _ours() -> list[str]:
    found = []
    for name in API_NAMES:
        try:
            load_api(name)
        except SpecError:
            continue
        found.append(name)
    return found


def _set_pointer(body: Any, pointer: str, value: str) -> None:
    tokens = pointer.strip("/").split("/")
    for token in tokens[:-1]:
        if not isinstance(body, dict):
            return
        body = body.setdefault(token, {})
    if isinstance(body, dict):
        body[tokens[-1]] = value


def _request(client: CheckedClient, op: Operation) -> dict[str, Any]:
    model, sampler = client.model, client.app.state.mock.servers[client.api].sampler
    path, query, headers = op.path, {}, {}
    for param in op.params:
        value = sampler.sample(param.schema)
        if param.location == "path":
            path = path.replace("{" + param.name + "}", "1" if param.name == op.item_param else str(value))
        elif param.location == "query" and param.required:
            query[param.name] = value if not isinstance(value, bool) else str(value).lower()
        elif param.location == "header" and param.required:
            headers[param.name] = str(value)
    body = None
    content = (op.body or {}).get("content") or {}
    media = next((m for m in content if "json" in m), None)
    if media:
        body = content[media].get("example") or sampler.sample(content[media].get("schema") or {})
    for slot in credential_slots(model.model):
        value = derive_value(client.api, 0, slot)
        if slot.kind == "apikey-header":
            headers[slot.name] = slot.prefix + value
        elif slot.kind == "apikey-query":
            query[slot.name] = slot.prefix + value
        elif slot.kind == "basic-user":
            headers["Authorization"] = "Basic " + base64.b64encode(f"{value}:".encode()).decode()
        elif slot.kind == "auth-scheme" and "Authorization" not in headers:
            headers["Authorization"] = f"{slot.name.title()} {value}"
        elif slot.kind == "body" and isinstance(body, dict):
            _set_pointer(body, slot.name, value)
    kwargs: dict[str, Any] = {"params": query, "headers": headers}
    if media:
        kwargs["json"] = body
    return {"path": path, **kwargs}


def _exercise(target: str | Path, name: str) -> int:
    client = CheckedClient(create_app([target], config=MockConfig(seed_data=True)), name)
    for op in client.model.operations:
        request = _request(client, op)
        path = request.pop("path")
        response = client.request(op.method, path, **request)
        assert response.status_code < 500, (op.key, response.status_code, response.text[:300])
    return client.checked


@pytest.mark.parametrize("api", _ours())
def test_every_operation_of_our_specs_conforms(api: str) -> None:
    assert _exercise(api, api) == len(load_api(api).operations)


@pytest.mark.parametrize("spec", ["oai-petstore.yaml", "oai-petstore-expanded.yaml", "oai-uspto.yaml"])
def test_every_operation_of_corpus_specs_conforms(spec: str) -> None:
    path = corpus_spec(spec)
    assert _exercise(path, path.stem) == len(load_api(path).operations)


def test_petstore_keeps_state_without_hints() -> None:
    client = CheckedClient(create_app([corpus_spec("oai-petstore-expanded.yaml")]), "oai-petstore-expanded")
    made = client.post("/pets", json={"name": "rex", "tag": "dog"}).json()
    assert made["name"] == "rex" and isinstance(made["id"], int)
    assert client.get("/pets").json() == [made]
    assert client.get(f"/pets/{made['id']}").json() == made
    assert client.request("DELETE", f"/pets/{made['id']}").status_code == 204
    missing = client.get(f"/pets/{made['id']}")
    assert missing.status_code == 404 and "message" in missing.json()
    assert client.post("/pets", json={"tag": "x"}).status_code == 400
