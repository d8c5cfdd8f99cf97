"""Body-carried credentials and settings (e-Cont's ``connect``), and environment names from descriptions."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import httpx2
import pytest

from tests.generator.conftest import GenerateClient

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "RPC", "version": "1"},
    "servers": [{"url": "https://rpc.example", "description": "Production (no sandbox is documented)"}],
    "x-body-credentials": [
        {"pointer": "/connect/client", "env": "RPC_CLIENT_ID"},
        {"pointer": "/connect/token", "env": "RPC_TOKEN"},
    ],
    "x-body-defaults": [{"pointer": "/connect/language", "env": "RPC_LANGUAGE", "default": "ro-RO"}],
    "paths": {
        "/put/invoice": {
            "post": {
                "operationId": "putInvoice",
                "x-resource": "invoices",
                "x-action": "put",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PutInvoice"}}},
                },
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Connect": {
                "type": "object",
                "required": ["client", "token", "language"],
                "properties": {
                    "client": {"type": "string"},
                    "token": {"type": "string"},
                    "language": {"type": "string"},
                },
            },
            "PutInvoice": {
                "type": "object",
                "required": ["connect", "amount"],
                "properties": {"connect": {"$ref": "#/components/schemas/Connect"}, "amount": {"type": "string"}},
            },
        }
    },
}


@pytest.fixture
def rpc(generate_client: GenerateClient) -> ModuleType:
    return generate_client(SPEC, "rpc")


def _sent(module: ModuleType, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={"status": "OK"})

    client = module.Client(http_client=httpx2.Client(transport=httpx2.MockTransport(handler)), **kwargs)
    client.invoices.put(amount="10.00")
    return client, json.loads(seen[0].content)


def test_credentials_and_default_settings_are_placed_in_the_body(rpc: ModuleType) -> None:
    client, body = _sent(rpc, client_id="C-1", token="T-SECRET")
    assert body == {"amount": "10.00", "connect": {"client": "C-1", "token": "T-SECRET", "language": "ro-RO"}}
    assert "T-SECRET" not in repr(client)


def test_a_setting_comes_from_the_argument_then_the_environment(
    rpc: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RPC_CLIENT_ID", "env-client")
    monkeypatch.setenv("RPC_TOKEN", "env-token")
    monkeypatch.setenv("RPC_LANGUAGE", "en-US")
    _, from_env = _sent(rpc)
    assert from_env["connect"] == {"client": "env-client", "token": "env-token", "language": "en-US"}
    _, from_argument = _sent(rpc, language="ru")
    assert from_argument["connect"]["language"] == "ru"


def test_the_connect_object_is_not_a_method_argument(rpc: ModuleType) -> None:
    with pytest.raises(TypeError):
        rpc.Client(client_id="c", token="t").invoices.put(amount="1", connect={"client": "x"})


def test_environment_is_named_by_the_first_environment_word(rpc: ModuleType) -> None:
    assert rpc.ENVIRONMENTS == {"production": "https://rpc.example"}


def test_a_required_content_type_is_sent_on_every_request_get_included(generate_client: GenerateClient) -> None:
    spec = {
        **SPEC,
        "x-content-type-required": "application/json",
        "paths": {
            **SPEC["paths"],
            "/status/": {
                "get": {
                    "operationId": "status",
                    "x-resource": "service",
                    "x-action": "status",
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}
                    },
                }
            },
        },
    }
    module = generate_client(spec, "strict")
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={"status": "OK"})

    client = module.Client(client_id="c", token="t", http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    client.service.status()
    client.invoices.put(amount="1")
    assert [r.method for r in seen] == ["GET", "POST"]
    assert [r.headers.get("content-type") for r in seen] == ["application/json", "application/json"]
