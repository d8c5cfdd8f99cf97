"""One secret, one argument: schemes declaring the same environment variable collapse into one constructor argument
that travels where the spec prefers, or where ``<argument>_placement`` says."""

from __future__ import annotations

import copy
import json
import logging
from types import ModuleType
from typing import Any

import httpx2
import pytest

from generator.client.build import build_client
from tests.generator.conftest import GenerateClient
from tests.generator.specs import billing_spec

SECRET = "s3cr3t-0123abcd"


def _spec() -> dict[str, Any]:
    """One token sent three ways; the document lists the bearer scheme first, so it is the preferred one."""
    spec = copy.deepcopy(billing_spec(pagination={"style": "page"}))
    spec["security"] = [{"bearer": []}, {"token": []}]
    spec["x-body-credentials"] = [{"pointer": "/api_token", "env": "BILLING_API_TOKEN"}]
    spec["components"]["securitySchemes"] = {
        "token": {"type": "apiKey", "in": "query", "name": "api_token", "x-env": ["BILLING_API_TOKEN"]},
        "bearer": {"type": "http", "scheme": "bearer", "x-env": ["BILLING_API_TOKEN"]},
        "partner": {"type": "apiKey", "in": "header", "name": "X-Partner", "x-env": ["BILLING_PARTNER_KEY"]},
    }
    return spec


@pytest.fixture
def placed(generate_client: GenerateClient) -> ModuleType:
    return generate_client(_spec(), "placed")


def _send(module: ModuleType, **kwargs: Any) -> httpx2.Request:
    seen: list[httpx2.Request] = []
    transport = httpx2.MockTransport(lambda r: seen.append(r) or httpx2.Response(201, json={"id": 1, "number": "A"}))
    client = module.Client(http_client=httpx2.Client(transport=transport), **kwargs)
    client.invoices.create(number="A")
    assert SECRET not in repr(client)
    return seen[0]


def _token_places(request: httpx2.Request) -> set[str]:
    places = set()
    if request.url.params.get("api_token") == SECRET:
        places.add("query")
    if request.headers.get("authorization") == f"Bearer {SECRET}":
        places.add("bearer")
    if json.loads(request.content or b"{}").get("api_token") == SECRET:
        places.add("body")
    return places


def test_one_argument_per_secret_with_every_placement_in_preference_order(tmp_path: Any) -> None:
    path = tmp_path / "placed.yaml"
    path.write_text(json.dumps(_spec()), encoding="utf-8")
    from apimodel.loader import load_spec

    credentials = build_client(load_spec(path), api="placed", regenerate="x").ir.credentials
    assert [c.argument for c in credentials] == ["api_token", "partner_key"]
    token = credentials[0]
    assert [p.label for p in token.placements] == ["bearer", "query", "body"]  # security order, the body last
    assert (token.kind, token.env) == ("bearer", ("BILLING_API_TOKEN",))
    assert credentials[1].placements == ()  # a secret of its own keeps one placement


def test_the_preferred_placement_is_the_only_one_sent(placed: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _token_places(_send(placed, api_token=SECRET)) == {"bearer"}
    monkeypatch.setenv("BILLING_API_TOKEN", SECRET)  # one environment variable
    assert _token_places(_send(placed)) == {"bearer"}


@pytest.mark.parametrize("placement", ["bearer", "query", "body"])
def test_another_placement_by_option(placed: ModuleType, placement: str) -> None:
    assert _token_places(_send(placed, api_token=SECRET, api_token_placement=placement)) == {placement}


def test_an_unknown_placement_is_a_clear_error_without_the_secret(placed: ModuleType) -> None:
    with pytest.raises(ValueError) as raised:
        placed.Client(api_token=SECRET, api_token_placement="header")
    message = str(raised.value)
    assert "api_token_placement='header'" in message
    assert "'bearer', 'query', 'body'" in message
    assert SECRET not in message
    with pytest.raises(ValueError, match="api_token_placement=a int is not allowed"):
        placed.Client(api_token=SECRET, api_token_placement=3)


def test_the_secret_stays_out_of_errors_and_logs(placed: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    def deny(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(404, json={"message": "no such invoice"})

    for placement in ("query", "body"):
        client = placed.Client(
            api_token=SECRET,
            api_token_placement=placement,
            http_client=httpx2.Client(transport=httpx2.MockTransport(deny)),
        )
        with caplog.at_level(logging.DEBUG, logger="placed_client"), pytest.raises(placed.NotFoundError) as raised:
            client.invoices.retrieve(7)
        assert SECRET not in str(raised.value) and SECRET not in repr(raised.value)
        assert caplog.records and all(SECRET not in r.getMessage() for r in caplog.records if r.name == "placed_client")


def test_a_request_without_a_body_sends_the_body_placement_the_next_way(placed: ModuleType) -> None:
    seen: list[httpx2.Request] = []
    transport = httpx2.MockTransport(lambda r: seen.append(r) or httpx2.Response(204))
    client = placed.Client(api_token=SECRET, api_token_placement="body", http_client=httpx2.Client(transport=transport))
    client.invoices.delete(1)
    assert _token_places(seen[0]) == {"bearer"}  # the preferred placement that is not the body
