"""The specs accept what the real APIs send, and still reject requests that lack what the docs require.

Each response body in ``real_bitfaktura`` and ``real_facturare`` follows a public record (its ``source``); it is
checked against the response the spec declares for the operation, with the validator the mock's self-check uses,
and parsed by the generated client's model for it.
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from typing import Any

import httpx2
import pytest

from apimodel import load_api
from conformance.mock import validate_response
from conformance.mock.model import ServedApi, serve
from tests.e2e.harness import client_module
from tests.specs import real_bitfaktura, real_cloudinvoice, real_econt, real_efactori, real_facturare
from tests.specs.real_payloads import RealPayload

PAYLOADS = [
    *real_bitfaktura.PAYLOADS,
    *real_facturare.PAYLOADS,
    *real_econt.PAYLOADS,
    *real_cloudinvoice.PAYLOADS,
    *real_efactori.PAYLOADS,
]


@cache
def _served(api: str) -> ServedApi:
    return serve(load_api(api))


def _problems(payload: RealPayload) -> list[str]:
    body = json.dumps(payload.body).encode()
    found = validate_response(
        _served(payload.api), payload.method, payload.path, payload.status, "application/json", body
    )
    return [str(p) for p in found]


KEPT = real_efactori.KEPT  # (payload, the fields the spec refuses in it on purpose)


def test_every_payload_names_its_public_source() -> None:
    every = [*PAYLOADS, *(p for p, _ in KEPT)]
    assert len({p.id for p in every}) == len(every)
    assert {p.api for p in PAYLOADS} == {"bitfaktura", "facturare", "econt", "cloudinvoice", "efactori"}
    for payload in every:
        assert payload.source.startswith(("github:", "https://")), payload.id


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.id)
def test_real_payload_matches_the_operations_response(payload: RealPayload) -> None:
    assert _problems(payload) == []


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.id)
def test_generated_model_parses_the_real_payload(payload: RealPayload) -> None:
    client_module(payload.api)
    model = getattr(importlib.import_module(f"{payload.api}_client.types"), payload.model)
    parsed = model.model_validate(payload.body)
    if "id" in payload.body:
        assert parsed.id == payload.body["id"]
    else:  # an envelope: every key it sent comes back
        assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == payload.body


@pytest.mark.parametrize(("payload", "fields"), KEPT, ids=[p.id for p, _ in KEPT])
def test_shapes_kept_out_of_the_spec_fail_only_there_and_still_parse(payload: RealPayload, fields: list[str]) -> None:
    """A documented shape the spec refuses on purpose (its field's description says why) is drift for conform, and
    only for those fields; the generated client still returns the model, with those fields as sent."""
    problems = _problems(payload)
    assert sorted(p.split(" -> 200 ", 1)[1].split(":", 1)[0] for p in problems) == sorted(fields), problems
    module = client_module(payload.api)
    http = httpx2.Client(transport=httpx2.MockTransport(lambda r: httpx2.Response(200, json=payload.body)))
    client = module.Client(base_url="http://127.0.0.1:9", http_client=http, **_CREDENTIALS[payload.api])
    result = _retrieve(client, payload)
    assert result.id == payload.body["id"]
    # each field is kept as sent (a deviation) or read the lax way ("12" as 12, a date as its midnight)
    assert {d.pointer for d in module.deviations(result)} <= {f"/{f}" for f in fields}
    for field in fields:
        assert str(getattr(result, field)).startswith(str(payload.body[field]))


@pytest.mark.parametrize(
    ("payload", "missing"), real_bitfaktura.REJECTED, ids=[p.id for p, _ in real_bitfaktura.REJECTED]
)
def test_shapes_rejected_on_purpose_fail_only_for_their_reason(payload: RealPayload, missing: list[str]) -> None:
    problems = _problems(payload)
    assert len(problems) == len(missing)
    for name, problem in zip(missing, problems, strict=True):
        assert f'"{name}" is a required property' in problem


def test_the_payloads_keep_the_quirks_the_spec_had_rejected() -> None:
    # the measured failures of issue 12; if a payload lost them, the acceptance above would prove nothing
    by_id = {p.id: p.body for p in PAYLOADS}
    assert "view_url" not in by_id["bitfaktura:invoice-get-2018"]
    assert by_id["bitfaktura:invoice-get-2018"]["payment_type"] is None
    assert "created_at" not in by_id["facturare:pending-line-item"]
    assert by_id["facturare:customer-retrieve"]["payment_source"] is None
    assert by_id["facturare:estimate-voided"]["approved"] is False
    assert "timestamp" not in by_id["facturare:event-before-timestamp"]
    assert by_id["efactori:contact-get"]["number_formatted"] == 1042  # an integer, as the vendor types it
    assert by_id["cloudinvoice:lines-page-last"]["next"] is None and "limit" in by_id["cloudinvoice:empty-page"]


_CREDENTIALS: dict[str, dict[str, str]] = {
    "efactori": {"company_uuid": "c0ffee00-0000-4000-8000-000000000001", "session_key": "k"}
}
_RESOURCES = {"Invoice": "invoices", "Payment": "payments"}


def _retrieve(client: Any, payload: RealPayload) -> Any:
    """The payload's object, fetched by its resource's ``retrieve`` (the MockTransport answers with it)."""
    return getattr(client, _RESOURCES[payload.model]).retrieve(payload.body["id"])


def _request_errors(api: str, method: str, path: str, body: Any) -> list[str]:
    served = _served(api)
    match = served.routes.match(method, path)
    assert match is not None and match.target is not None, f"{method} {path}"
    operation = match.target
    assert operation.body is not None
    schema = operation.body["content"]["application/json"]["schema"]
    return [f"{e.param}: {e.message}" for e in served.schemas.errors(schema, body, "request")]


# Request bodies the documentation shows, minimal: accepted as they are.
DOCUMENTED_REQUESTS = [
    # Fakturownia README, "dodanie nowej faktury (minimalna wersja)"
    (
        "bitfaktura",
        "POST",
        "/invoices.json",
        {"invoice": {"payment_to_kind": 5, "client_id": 1, "positions": [{"product_id": 1, "quantity": 2}]}},
    ),
    # Fakturownia README, "Dodawanie nowej płatności"
    (
        "bitfaktura",
        "POST",
        "/banking/payments.json",
        {"banking_payment": {"name": "Payment 001", "price": 100.05, "invoice_id": None, "paid": True, "kind": "api"}},
    ),
    # Invoiced reference: create a customer with a name, an invoice for a customer with one line
    ("facturare", "POST", "/customers", {"name": "Acme", "email": "billing@acmecorp.com"}),
    ("facturare", "POST", "/invoices", {"customer": 15444, "items": [{"name": "Copy paper", "unit_cost": 45}]}),
    ("facturare", "POST", "/payments", {"amount": 800, "customer": 15444, "method": "check"}),
]


@pytest.mark.parametrize(("api", "method", "path", "body"), DOCUMENTED_REQUESTS, ids=lambda v: str(v)[:40])
def test_documented_request_bodies_are_accepted(api: str, method: str, path: str, body: Any) -> None:
    assert _request_errors(api, method, path, body) == []


# Requests lacking what the documentation requires: (body, the property named in the error).
INCOMPLETE_REQUESTS = [
    ("bitfaktura", "POST", "/invoices.json", {"positions": [{"product_id": 1}]}, "invoice"),
    ("bitfaktura", "PUT", "/invoices/1.json", {"status": "paid"}, "invoice"),
    ("bitfaktura", "POST", "/clients.json", {"name": "Client1 SA"}, "client"),
    ("bitfaktura", "POST", "/products.json", {"name": "Hosting"}, "product"),
    ("bitfaktura", "POST", "/banking/payments.json", {"price": 100.05}, "banking_payment"),
    ("facturare", "POST", "/customers", {"email": "billing@acmecorp.com"}, "name"),
    ("facturare", "POST", "/invoices", {"items": [{"name": "Copy paper", "unit_cost": 45}]}, "customer"),
    ("facturare", "POST", "/credit_notes", {"items": []}, "customer"),
    ("facturare", "POST", "/estimates", {"items": []}, "customer"),
    ("facturare", "POST", "/payments", {"customer": 15444}, "amount"),
]


@pytest.mark.parametrize(("api", "method", "path", "body", "missing"), INCOMPLETE_REQUESTS, ids=lambda v: str(v)[:40])
def test_requests_missing_a_documented_requirement_are_rejected(
    api: str, method: str, path: str, body: Any, missing: str
) -> None:
    errors = _request_errors(api, method, path, body)
    assert any(e.startswith(f"{missing}:") and "required" in e for e in errors), errors


def test_read_only_fields_the_responses_require_are_not_asked_of_requests() -> None:
    # an invoice the response must carry id, token and timestamps for is created without any of them
    assert _request_errors("bitfaktura", "POST", "/invoices.json", {"invoice": {"buyer_name": "X"}}) == []
    # the response's required id is read-only; a create request sends only what the docs ask for
    assert _request_errors("facturare", "POST", "/customers/1/line_items", {"name": "Delivery", "unit_cost": 10}) == []
