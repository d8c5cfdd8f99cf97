"""facturare_client against the mock: customer, invoices with lines, pages, PDF, update, void, delete, errors, 429."""

from __future__ import annotations

import pytest

from tests.e2e.harness import Loop


def _invoice(loop: Loop, customer: int, name: str, quantity: int, unit_cost: float) -> object:
    line = loop.types.LineItem(name=name, quantity=quantity, unit_cost=unit_cost)
    return loop.client.invoices.create(customer=customer, items=[line])


def test_invoice_lifecycle(facturare: Loop) -> None:
    client, errors = facturare.client, facturare.module
    customer = client.customers.create(name="Acme SRL", email="billing@acme.example")
    assert customer.id and customer.name == "Acme SRL"

    invoice = _invoice(facturare, customer.id, "Widget", 2, 150)
    assert invoice.customer == customer.id
    assert invoice.total == 300 and [item.name for item in invoice.items] == ["Widget"]

    updated = client.invoices.update(invoice.id, name="Widgets, May", purchase_order="PO-7")
    assert updated.name == "Widgets, May"
    assert client.invoices.retrieve(invoice.id).purchase_order == "PO-7"

    assert client.invoices.void(invoice.id).status == "voided"
    assert client.invoices.retrieve(invoice.id).status == "voided"

    other = _invoice(facturare, customer.id, "Gadget", 1, 5)
    client.invoices.delete(other.id)
    with pytest.raises(errors.NotFoundError):
        client.invoices.retrieve(other.id)


def test_first_page_reports_total_and_next(facturare: Loop) -> None:
    customer = facturare.client.customers.create(name="Pager SRL")
    created = [_invoice(facturare, customer.id, f"Line {n}", 1, 10 + n).id for n in range(5)]
    page = facturare.client.invoices.list(per_page=2)
    assert page.total == 5 and len(page.items) == 2 and page.has_next_page()
    assert {item.id for item in page.items} <= set(created)


def test_iterating_walks_every_page(facturare: Loop) -> None:
    customer = facturare.client.customers.create(name="Pager SRL")
    created = {_invoice(facturare, customer.id, f"Line {n}", 1, 10 + n).id for n in range(5)}
    assert {invoice.id for invoice in facturare.client.invoices.list(per_page=2)} == created


def test_invoice_pdf_downloads_as_bytes(facturare: Loop) -> None:
    customer = facturare.client.customers.create(name="Acme SRL")
    invoice = _invoice(facturare, customer.id, "Widget", 1, 100)
    pdf = facturare.client.invoices.retrieve_pdf(invoice.id)  # GET /invoices/{id} with Accept: application/pdf
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    with facturare.client.invoices.retrieve_pdf_stream(invoice.id) as chunks:
        assert b"".join(chunks) == pdf


def test_errors_are_typed(facturare: Loop) -> None:
    errors = facturare.module
    with pytest.raises(errors.AuthenticationError) as denied:
        facturare.bad.customers.retrieve(1)
    assert denied.value.status_code == 401
    assert all(value not in str(denied.value) for value in facturare.credentials.values())
    with pytest.raises(errors.NotFoundError):
        facturare.client.customers.retrieve(424242)
    customer = facturare.client.customers.create(name="Acme SRL")
    with pytest.raises(errors.BadRequestError) as invalid:
        facturare.client.invoices.create(customer=customer.id, currency="toolong")
    assert invalid.value.status_code == 400 and "currency" in str(invalid.value.body)


def test_forced_429_is_retried_after_retry_after(facturare: Loop) -> None:
    customer = facturare.client.customers.create(name="Acme SRL")
    facturare.transport.arm("429")
    assert facturare.client.customers.retrieve(customer.id).id == customer.id
    assert [status for _, _, status in facturare.transport.sent[-2:]] == [429, 200]
