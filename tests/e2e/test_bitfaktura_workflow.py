"""bitfaktura_client against the mock: client, invoices with positions, pages, PDF, update, delete, errors, 429."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from tests.e2e.harness import Loop


def _client(loop: Loop) -> Any:
    body = loop.types.ClientInput.model_validate({"name": "Client1 SA", "tax_no": "6272616681", "email": "a@b.ua"})
    return loop.client.clients.create(client=body)


def _invoice(loop: Loop, client_id: int, name: str, gross: float) -> Any:
    position = {"name": name, "tax": 23, "total_price_gross": gross, "quantity": 2}
    body = {"kind": "vat", "client_id": client_id, "buyer_name": "Client1 SA", "positions": [position]}
    return loop.client.invoices.create(invoice=loop.types.InvoiceInput.model_validate(body))


def test_invoice_lifecycle(bitfaktura: Loop) -> None:
    client, errors = bitfaktura.client, bitfaktura.module
    buyer = _client(bitfaktura)
    assert buyer.id and buyer.name == "Client1 SA"

    invoice = _invoice(bitfaktura, buyer.id, "Produkt A1", 10.0)
    assert float(invoice.price_gross) == 10.0
    assert [p.name for p in invoice.positions or []] == ["Produkt A1"]

    pdf = client.invoices.download_pdf(invoice.id)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")

    body = bitfaktura.types.InvoiceInput.model_validate({"buyer_name": "Renamed SA"})
    assert client.invoices.update(invoice.id, invoice=body).buyer_name == "Renamed SA"
    assert client.invoices.retrieve(invoice.id).buyer_name == "Renamed SA"

    client.invoices.delete(invoice.id)
    with pytest.raises(errors.NotFoundError):
        client.invoices.retrieve(invoice.id)


def test_iterating_walks_every_page(bitfaktura: Loop) -> None:
    buyer = _client(bitfaktura)
    created = {_invoice(bitfaktura, buyer.id, f"P{n}", 1.0 + n).id for n in range(5)}
    first = bitfaktura.client.invoices.list(per_page=2)
    assert len(first.items) == 2 and first.has_next_page()
    assert {invoice.id for invoice in bitfaktura.client.invoices.list(per_page=2)} == created
    assert len([call for call in bitfaktura.transport.sent if call[1].endswith("/invoices.json")]) >= 3 + 5


def test_errors_are_typed(bitfaktura: Loop) -> None:
    errors = bitfaktura.module
    with pytest.raises(errors.AuthenticationError) as denied:
        bitfaktura.bad.invoices.list()
    assert all(value not in str(denied.value) for value in bitfaktura.credentials.values())
    with pytest.raises(errors.NotFoundError):
        bitfaktura.client.invoices.retrieve(424242)
    with pytest.raises(errors.UnprocessableEntityError) as invalid:
        bitfaktura.client.invoices.create(invoice=bitfaktura.types.InvoiceInput.model_validate({"kind": "nonsense"}))
    assert invalid.value.status_code == 422


def test_forced_429_is_retried_after_retry_after(bitfaktura: Loop) -> None:
    buyer = _client(bitfaktura)
    bitfaktura.transport.arm("429")
    assert bitfaktura.client.clients.retrieve(buyer.id).id == buyer.id
    assert [status for _, _, status in bitfaktura.transport.sent[-2:]] == [429, 200]


@pytest.mark.parametrize("placement", ["query", "bearer", "body"])
def test_the_one_api_token_works_in_each_placement_the_spec_allows(
    bitfaktura: Loop, placement: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in bitfaktura.credentials:  # the fixture left wrong values there; only the argument authenticates
        monkeypatch.delenv(name)
    token = bitfaktura.credentials["BITFAKTURA_API_TOKEN"]
    http = httpx2.Client(transport=bitfaktura.transport)
    base = f"http://mock/{bitfaktura.api}"
    with bitfaktura.module.Client(base_url=base, api_token=token, api_token_placement=placement, http_client=http) as c:
        created = c.clients.create(client={"name": f"Via {placement}"})  # a JSON body: the body placement applies
        assert c.clients.retrieve(created.id).name == f"Via {placement}"
    wrong = bitfaktura.module.Client(base_url=base, api_token="wrong" + token[5:], api_token_placement=placement,
                                     http_client=http)  # fmt: skip
    with pytest.raises(bitfaktura.module.AuthenticationError):
        wrong.clients.create(client={"name": "Denied"})
