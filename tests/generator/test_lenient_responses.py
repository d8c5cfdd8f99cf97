"""Functional tests: a generated client parses responses that deviate from their schema (lenient by default),
raises pydantic's error when strict, and raises typed errors for bodies it cannot use at all."""

from __future__ import annotations

import asyncio
import logging
from types import ModuleType
from typing import Any

import httpx2
import pydantic
import pytest

from tests.generator.conftest import GenerateClient
from tests.generator.specs import billing_spec
from tests.generator.test_client_runtime import Handler, make

PAGE = {"style": "page", "page": "page", "per-page": "per_page"}
GOOD: dict[str, Any] = {
    "id": 1,
    "number": "INV-1",
    "status": "draft",
    "lines": [{"name": "Tea", "quantity": 2}],
    "customer": {"name": "Acme", "email": "a@acme.example"},
}


def lenient_spec(pagination: dict[str, Any] = PAGE, list_schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """The billing spec with nested objects on an invoice: lines (an array) and a customer."""
    spec = billing_spec(pagination=pagination, list_schema=list_schema)
    schemas = spec["components"]["schemas"]
    schemas["Invoice"]["properties"]["lines"] = {"type": "array", "items": {"$ref": "#/components/schemas/Line"}}
    schemas["Invoice"]["properties"]["customer"] = {"$ref": "#/components/schemas/Customer"}
    schemas["Line"] = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "quantity": {"type": "integer"}},
    }
    schemas["Customer"] = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
    }
    return spec


@pytest.fixture
def billing(generate_client: GenerateClient) -> ModuleType:
    return generate_client(lenient_spec(), "lenient")


def answering(body: Any, status: int = 200, **headers: str) -> Handler:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if isinstance(body, bytes):
            return httpx2.Response(status, content=body, headers=headers)
        return httpx2.Response(status, json=body, headers=headers)

    return handler


DRIFTED: dict[str, Any] = {
    **GOOD,
    "number": None,  # null where the schema allows none
    "status": "archived",  # an enum value the spec does not list
    "lines": [{"name": "Tea", "quantity": "two"}, {"quantity": 1}],  # wrong type nested; a required field missing
    "customer": ["not", "an", "object"],  # a nested object that is not one
    "brand_new": {"x": 1},  # a field the spec does not know
}


def test_conforming_response_has_no_deviations(billing: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    got = make(billing, answering(GOOD)).invoices.retrieve(1)
    assert isinstance(got, billing.types.Invoice) and got.lines[0].quantity == 2
    assert billing.deviations(got) == ()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_deviating_response_returns_the_model_typed_where_it_parsed(billing: ModuleType) -> None:
    got = make(billing, answering(DRIFTED)).invoices.retrieve(1)
    assert isinstance(got, billing.types.Invoice)
    assert got.id == 1 and got.number is None  # kept as sent
    assert isinstance(got.status, billing.types.Status) and got.status.value == "archived"
    first, second = got.lines
    assert isinstance(first, billing.types.Line) and first.name == "Tea" and first.quantity == "two"
    assert isinstance(second, billing.types.Line) and second.quantity == 1 and second.name is None
    assert got.customer == ["not", "an", "object"]
    assert got.model_extra == {"brand_new": {"x": 1}}
    found = {(d.pointer, d.kind) for d in billing.deviations(got)}
    assert found == {
        ("/number", "null"),
        ("/status", "enum"),
        ("/lines/0/quantity", "type"),
        ("/lines/1/name", "missing"),
        ("/customer", "type"),
    }
    quantity = next(d for d in billing.deviations(got) if d.pointer == "/lines/0/quantity")
    assert quantity.expected.startswith("int") and quantity.received == "string"
    assert "two" not in str(billing.deviations(got))  # values are never repeated (they may be secrets)


def test_one_warning_per_kind_per_operation(billing: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    client = make(billing, answering(DRIFTED))
    with caplog.at_level(logging.DEBUG, logger="lenient_client"):
        client.invoices.retrieve(1)
        client.invoices.retrieve(1)
        client.invoices.create(number="A-1")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    kinds = ("enum", "missing", "null", "type")
    assert len(warnings) == 2 * len(kinds)  # retrieve's four kinds once, create's four kinds once
    for operation in ("invoices.retrieve", "invoices.create"):
        for kind in kinds:
            assert sum(m.startswith(f"{operation}: ") and f"({kind})" in m for m in warnings) == 1
    type_warning = next(m for m in warnings if m.startswith("invoices.retrieve") and "(type)" in m)
    assert "at /lines/0/quantity: expected int" in type_warning and "(and 1 more)" in type_warning
    debug = [r for r in caplog.records if r.levelno == logging.DEBUG and "deviates" in r.getMessage()]
    assert len(debug) == len(kinds)  # the second retrieve: the same news, at debug level


def test_strict_client_and_strict_call_raise_pydantic_error(billing: ModuleType) -> None:
    with pytest.raises(pydantic.ValidationError) as raised:
        make(billing, answering(DRIFTED), strict=True).invoices.retrieve(1)
    assert {e["loc"][0] for e in raised.value.errors()} >= {"number", "lines", "customer"}
    with pytest.raises(pydantic.ValidationError):
        make(billing, answering(DRIFTED)).invoices.retrieve(1, request_options={"strict": True})
    lenient = make(billing, answering(DRIFTED), strict=True).invoices.retrieve(1, request_options={"strict": False})
    assert lenient.number is None


def test_list_items_carry_their_own_deviations(billing: ModuleType) -> None:
    body = [GOOD, {**GOOD, "id": 2, "number": None}, "not an invoice"]
    page = make(billing, answering(body)).invoices.list(per_page=10)
    first, second, third = page.items
    assert billing.deviations(first) == ()
    assert [(d.pointer, d.kind) for d in billing.deviations(second)] == [("/1/number", "null")]
    assert third == "not an invoice"
    assert [(d.pointer, d.kind) for d in billing.deviations(page.items)] == [("/1/number", "null"), ("/2", "type")]


def test_page_envelope_without_its_list(generate_client: GenerateClient) -> None:
    schema = {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Invoice"}},
        },
    }
    offset = {"style": "offset", "offset": "offset", "limit": "limit", "count": "count", "items": "items"}
    module = generate_client(lenient_spec(offset, schema), "envelope")
    page = make(module, answering({"count": "many", "items": None})).invoices.list(limit=2)
    assert page.items == [] and page.total is None and not page.has_next_page()
    assert [(d.pointer, d.kind, d.expected) for d in module.deviations(page.items)] == [("/items", "null", "list")]
    with pytest.raises(pydantic.ValidationError):
        make(module, answering({"count": 1, "items": None}), strict=True).invoices.list(limit=2)
    with pytest.raises(module.APIResponseValidationError) as raised:
        make(module, answering({"count": 1, "rows": []})).invoices.list(limit=2)
    assert raised.value.body == {"count": 1, "rows": []} and "'items'" in str(raised.value)


def test_body_that_is_not_json_raises_a_typed_error(billing: ModuleType) -> None:
    html = b"<html><body>Bad gateway at /api?api_token=TOKEN-SECRET</body></html>"
    client = make(billing, answering(html, **{"content-type": "text/html"}))
    with pytest.raises(billing.APIResponseDecodeError) as raised:
        client.invoices.retrieve(1)
    error = raised.value
    assert isinstance(error, billing.APIResponseError) and isinstance(error, billing.APIError)
    assert error.status_code == 200 and error.content_type == "text/html"
    assert error.body_start.startswith(b"<html><body>Bad gateway") and error.body == html
    assert "invoices.retrieve" in str(error) and "text/html" in str(error) and "<html>" in str(error)
    assert "TOKEN-SECRET" not in str(error) and b"TOKEN-SECRET" not in error.body_start
    with pytest.raises(billing.APIResponseDecodeError):  # strict or not: there is no pydantic error to give
        make(billing, answering(b"{truncated", **{"content-type": "application/json"}), strict=True).invoices.retrieve(
            1
        )
    with pytest.raises(billing.APIResponseDecodeError):  # a page too
        make(billing, answering(b"oops", **{"content-type": "text/plain"})).invoices.list()


def test_body_with_nothing_of_its_shape_raises_with_the_body(billing: ModuleType) -> None:
    with pytest.raises(billing.APIResponseValidationError) as raised:
        make(billing, answering([GOOD])).invoices.retrieve(1)
    assert raised.value.body == [GOOD] and raised.value.status_code == 200
    assert "expected Invoice, received array" in str(raised.value)
    with pytest.raises(pydantic.ValidationError):
        make(billing, answering([GOOD]), strict=True).invoices.retrieve(1)


def test_async_client_is_lenient_too(billing: ModuleType) -> None:
    async def run() -> Any:
        async def handler(request: httpx2.Request) -> httpx2.Response:
            return httpx2.Response(200, json=DRIFTED)

        http = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
        client = billing.AsyncClient(api_key="K", api_token="T", http_client=http)
        got = await client.invoices.retrieve(1)
        with pytest.raises(pydantic.ValidationError):
            await client.invoices.retrieve(1, request_options={"strict": True})
        await http.aclose()
        return got

    got = asyncio.run(run())
    assert got.lines[0].name == "Tea" and ("/number", "null") in {(d.pointer, d.kind) for d in billing.deviations(got)}


def test_enum_in_a_union_branch_that_lost_is_no_deviation(
    generate_client: GenerateClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Stripe-style sources: ``oneOf`` objects told apart by a one-value ``object`` enum. Trying the card branch
    on a bank account meets an unlisted value; the result holds none, so nothing is reported."""
    spec = lenient_spec()
    schemas = spec["components"]["schemas"]
    for name, tag in (("Card", "card"), ("BankAccount", "bank_account")):
        schemas[name] = {
            "type": "object",
            "required": ["object"],
            "properties": {"object": {"type": "string", "enum": [tag]}, "last4": {"type": "string"}},
        }
    schemas["Invoice"]["properties"]["source"] = {
        "oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/BankAccount"}]
    }
    module = generate_client(spec, "sources")
    got = make(module, answering({**GOOD, "source": {"object": "bank_account", "last4": "4242"}})).invoices.retrieve(1)
    assert isinstance(got.source, module.types.BankAccount)
    assert module.deviations(got) == () and not [r for r in caplog.records if r.levelno >= logging.WARNING]
    drifted = make(module, answering({**GOOD, "source": {"object": "sepa_debit"}})).invoices.retrieve(1)
    assert [(d.pointer, d.kind) for d in module.deviations(drifted)] == [("/source/object", "enum")]
