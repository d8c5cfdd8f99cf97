"""efactori_client against the mock: contact, invoices with lines, pages, PDF, update, delete, errors, 429."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.harness import Loop


def _line(loop: Loop, name: str, price: float) -> Any:
    return loop.types.DocumentLine.model_validate(
        {"type": "line", "name": name, "quantity": 2, "price": price, "vat": 21}
    )


def _invoice(loop: Loop, customer_id: int, name: str, price: float) -> Any:
    return loop.client.invoices.create(
        date="2024-03-15",
        currency_id="EUR",
        customer_id=customer_id,
        customer_name="Boulangerie Dupont SRL",
        invoice_lines=[_line(loop, name, price)],
    )


def test_invoice_lifecycle(efactori: Loop) -> None:
    client = efactori.client
    contact = client.contacts.create(number=12, name="Boulangerie Dupont SRL", email="compta@dupont.be")
    assert client.contacts.retrieve(contact.id).name == "Boulangerie Dupont SRL"

    created = _invoice(efactori, contact.id, "Oven maintenance", 450.0)
    invoice = client.invoices.retrieve(created.id)
    assert invoice.customer_name == "Boulangerie Dupont SRL"
    assert [line.name for line in invoice.invoice_lines or []] == ["Oven maintenance"]

    pdf = client.invoices.download_pdf(created.id)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")

    client.invoices.update(
        created.id,
        customer_name="Dupont & Fils SRL",
        invoice_lines=[_line(efactori, "Oven maintenance", 450.0)],
        order_reference="PO-9",
    )
    again = client.invoices.retrieve(created.id)
    assert (again.customer_name, again.order_reference) == ("Dupont & Fils SRL", "PO-9")

    client.invoices.delete(created.id)  # onFact moves it to the trash bin
    assert client.invoices.retrieve(created.id).deleted is True


def test_iterating_walks_every_page(efactori: Loop) -> None:
    contact = efactori.client.contacts.create(number=1, name="Pager SRL")
    created = {_invoice(efactori, contact.id, f"L{n}", 1.0 + n).id for n in range(5)}
    first = efactori.client.invoices.list(limit=2)
    assert first.total == 5 and len(first.items) == 2 and first.has_next_page()
    assert {invoice.id for invoice in efactori.client.invoices.list(limit=2)} == created


def test_errors_are_typed(efactori: Loop) -> None:
    errors = efactori.module
    with pytest.raises(errors.AuthenticationError) as denied:
        efactori.bad.invoices.list()
    assert all(value not in str(denied.value) for value in efactori.credentials.values())
    with pytest.raises(errors.NotFoundError):
        efactori.client.invoices.retrieve(424242)
    with pytest.raises(errors.BadRequestError) as invalid:
        efactori.client.invoices.create(customer_name="X", invoice_lines=[], currency_id="EURO")
    assert invalid.value.status_code == 400 and "EURO" in str(invalid.value)


def test_forced_429_is_retried_after_retry_after(efactori: Loop) -> None:
    contact = efactori.client.contacts.create(number=3, name="Acme")
    efactori.transport.arm("429")
    assert efactori.client.contacts.retrieve(contact.id).id == contact.id
    assert [status for _, _, status in efactori.transport.sent[-2:]] == [429, 200]
