"""A request body given as a plain dict sends the same JSON as the equivalent model, and the mock accepts both."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from tests.e2e.harness import Loop


class Recording(httpx2.BaseTransport):
    """Keeps each request's JSON body, then sends it on to the mock."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner
        self.bodies: list[Any] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.bodies.append(json.loads(request.content) if request.content else None)
        return self.inner.handle_request(request)


def _recorded(loop: Loop, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Recording]:
    for name, value in loop.credentials.items():
        monkeypatch.setenv(name, value)
    recording = Recording(loop.transport)
    client = loop.module.Client(base_url=f"http://mock/{loop.api}", http_client=httpx2.Client(transport=recording))
    return client, recording


def test_bitfaktura_dict_and_model_bodies_send_the_same_json(bitfaktura: Loop, monkeypatch: pytest.MonkeyPatch) -> None:
    client, recording = _recorded(bitfaktura, monkeypatch)
    body = {
        "kind": "vat",
        "buyer_name": "Client1 SA",
        "buyer_email": None,  # an explicit null is sent, in both forms
        "positions": [{"name": "Produkt A1", "tax": 23, "total_price_gross": 10.0, "quantity": 2}],
    }
    from_dict = client.invoices.create(invoice=body)
    from_model = client.invoices.create(invoice=bitfaktura.types.InvoiceInput.model_validate(body))
    assert recording.bodies[0] == recording.bodies[1] == {"invoice": body}
    assert [p.name for p in from_dict.positions] == [p.name for p in from_model.positions] == ["Produkt A1"]

    # nested lines by the spec's own names (``_destroy`` is an alias on the model): the same edit either way
    position = from_dict.positions[0].id
    edit = {"positions": [{"id": position, "_destroy": 1}]}
    client.invoices.update(from_model.id, invoice=bitfaktura.types.InvoiceInput.model_validate(edit))
    assert client.invoices.update(from_dict.id, invoice=edit).positions == []
    assert recording.bodies[-1] == recording.bodies[-2] == {"invoice": edit}


def test_facturare_dict_and_model_bodies_send_the_same_json(facturare: Loop, monkeypatch: pytest.MonkeyPatch) -> None:
    client, recording = _recorded(facturare, monkeypatch)
    customer = client.customers.create(name="Acme SRL")
    lines = [{"name": "Widget", "quantity": 2, "unit_cost": 150.0, "taxes": [{"amount": 3.0}]}]
    ship_to = {"name": "Acme SRL", "address1": "1 Main St", "city": "Chisinau", "country": "MD"}
    from_dict = client.invoices.create(customer=customer.id, items=lines, ship_to=ship_to)
    models = facturare.types
    from_model = client.invoices.create(
        customer=customer.id,
        items=[models.LineItem.model_validate(line) for line in lines],
        ship_to=models.ShipTo.model_validate(ship_to),
    )
    assert recording.bodies[-1] == recording.bodies[-2] == {"customer": customer.id, "items": lines, "ship_to": ship_to}
    assert from_dict.total == from_model.total == 300
    assert from_dict.ship_to is not None and from_dict.ship_to.city == "Chisinau"
