"""Chaos mode: success bodies drift from their schema, repeatably, reported, and not counted by self-check."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import httpx2
import pytest
from click.testing import CliRunner

from apimodel.schemas import Schemas
from conformance.mock import MockConfig, SyncASGITransport, create_app, validate_response
from conformance.mock.chaos import CHAOS_KINDS, drift, wants_chaos
from tests.mock.helpers import api_client

LISTS = {
    "bitfaktura": ["/invoices.json", "/clients.json", "/products.json"],
    "facturare": ["/invoices", "/customers", "/items", "/payments"],
    "efactori": ["/v1/invoices.json", "/v1/contacts.json", "/v1/products.json"],
    "cloudinvoice": ["/documents/", "/clients/", "/products/"],
}


def _get(app: Any, api: str, path: str, prefer: str | None = None) -> httpx2.Response:
    client = api_client(app, api).client
    return client.get(f"/{api}{path}", headers={"Prefer": prefer} if prefer else {})


def test_prefer_chaos_drifts_one_response_and_says_how() -> None:
    app = create_app(["bitfaktura"], config=MockConfig(seed_data=True))
    plain = _get(app, "bitfaktura", "/invoices.json")
    drifted = _get(app, "bitfaktura", "/invoices.json", prefer="chaos")
    assert plain.status_code == drifted.status_code == 200
    assert "x-mock-chaos" not in plain.headers and drifted.headers["x-mock-chaos"]
    assert drifted.json() != plain.json()
    model = app.state.mock.servers["bitfaktura"].api
    problems = validate_response(model, "GET", "/invoices.json", 200, "application/json", drifted.content)
    assert problems  # the drifted body really breaks the spec
    assert not validate_response(model, "GET", "/invoices.json", 200, "application/json", plain.content)
    for change in drifted.headers["x-mock-chaos"].split(", "):
        kind, _, pointer = change.partition(" ")
        assert kind in CHAOS_KINDS and pointer.startswith("/")


def test_errors_never_drift() -> None:
    app = create_app(["bitfaktura"], config=MockConfig(chaos=True))
    response = httpx2.Client(transport=SyncASGITransport(app)).get("http://mock/bitfaktura/invoices.json")
    assert response.status_code == 401 and "x-mock-chaos" not in response.headers


def _drifts(seed: int) -> list[str]:
    """What chaos changed in each list (the bodies themselves carry creation times and random tokens)."""
    app = create_app(list(LISTS), config=MockConfig(seed_data=True, chaos=True, random_seed=seed))
    return [_get(app, api, path).headers.get("x-mock-chaos", "") for api, paths in LISTS.items() for path in paths]


def test_the_same_seed_drifts_the_same_way() -> None:
    first, again, other = _drifts(5), _drifts(5), _drifts(6)
    assert any(first) and first == again
    assert first != other


def test_every_drift_kind_happens_and_self_check_does_not_count_it() -> None:
    app = create_app(list(LISTS), config=MockConfig(seed_data=True, chaos=True, random_seed=1, self_check=True))
    kinds: set[str] = set()
    for api, paths in LISTS.items():
        for path in paths:
            response = _get(app, api, path)
            assert response.status_code == 200, (api, path)
            kinds.update(part.split(" ")[0] for part in response.headers.get("x-mock-chaos", "").split(", ") if part)
    assert kinds == set(CHAOS_KINDS)
    assert app.state.mock.violations() == {api: [] for api in LISTS}


def test_each_reported_change_is_made() -> None:
    document = {
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "status": {"type": "string", "enum": ["on", "off"]},
                        "amount": {"type": "number"},
                        "note": {"type": "string"},
                        "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                    },
                }
            }
        }
    }
    schemas = Schemas(document)
    ref = {"$ref": "#/components/schemas/Thing"}
    original = {"id": 1, "name": "a", "status": "on", "amount": 2.5, "note": "n", "tags": [{"id": 2, "name": "b"}]}
    seen: set[str] = set()
    for seed in range(40):
        value, changes = drift(schemas, ref, json.loads(json.dumps(original)), random.Random(seed))
        for change in changes:
            seen.add(change.kind)
            parts = change.pointer.split("/")[1:]
            before: Any = original
            after: Any = value
            for part in parts[:-1]:
                key: Any = int(part) if part.isdigit() else part
                before, after = before[key], after[key]
            last = parts[-1]
            if change.kind == "missing-optional":
                assert last not in after and last not in ("id", "name")
            elif change.kind in ("null-optional", "null-required"):
                assert after[last] is None and (last in ("id", "name")) == (change.kind == "null-required")
            elif change.kind == "unknown-enum":
                assert after[last] not in ("on", "off")
            elif change.kind == "number-as-string":
                assert after[last] == str(before[last])
            else:
                assert last not in before and last in after
        touched = {c.pointer for c in changes}
        for key in ("id", "name", "status", "amount", "note"):  # what did not drift is as it was
            if f"/{key}" not in touched:
                assert value[key] == original[key]
    assert seen == set(CHAOS_KINDS)


@pytest.mark.parametrize(
    ("header", "wanted"),
    [("chaos", True), ("code=200, chaos", True), ("respond-async; Chaos", True), ("nochaos", False), ("", False)],
)
def test_prefer_token(header: str, wanted: bool) -> None:
    assert wants_chaos(header) is wanted


def test_mock_command_chaos_flag(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from specforge.commands import mock as command

    served: list[Any] = []

    def fake_serve(app: Any, socks: Any) -> int:
        served.append(app)
        return 0

    monkeypatch.setattr(command, "serve", fake_serve)
    result = CliRunner().invoke(
        command.mock, ["bitfaktura", "--seed-data", "--chaos", "--random-seed", "9", "--port", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "chaos: success bodies drift from their schema (seed 9" in result.output
    (app,) = served
    server = app.state.mock.servers["bitfaktura"]
    assert server.config.chaos and server.config.random_seed == 9
    assert _get(app, "bitfaktura", "/invoices.json").headers["x-mock-chaos"]
