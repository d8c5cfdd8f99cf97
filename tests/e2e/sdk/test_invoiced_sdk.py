"""Invoiced's official Python SDK (``invoiced`` 3.0) against the facturare mock, through the workflows Invoiced's
README and API reference show. Each step asserts the state the documentation describes."""

from __future__ import annotations

import urllib.parse
from typing import Any

import invoiced
import pytest
import requests

from tests.e2e.sdk.conftest import Sdk

DAY = 86400


def _customer(sdk: Sdk, name: str = "Acme SRL") -> Any:
    return sdk.client.Customer.create(name=name, email="billing@acme.example", payment_terms="NET 30")


def _invoice(sdk: Sdk, customer: Any, *costs: float) -> Any:
    items = [{"name": f"Line {n}", "quantity": 1, "unit_cost": cost} for n, cost in enumerate(costs)]
    return sdk.client.Invoice.create(customer=customer.id, items=items)


def test_invoice_totals_dates_and_lines(invoiced_sdk: Sdk) -> None:
    customer = _customer(invoiced_sdk)
    assert customer.object == "customer" and customer.name == "Acme SRL"
    invoice = invoiced_sdk.client.Invoice.create(
        customer=customer.id,
        payment_terms="NET 30",
        items=[{"name": "Widget", "quantity": 2, "unit_cost": 150}, {"name": "Setup fee", "unit_cost": 50}],
        discounts=[{"amount": 10}],
        taxes=[{"amount": 35}],
    )
    # line items: amount = quantity x unit_cost, quantity defaults to 1, each an object of its own (the SDK's
    # objects are dicts, so ``invoice.items`` is dict.items: the lines are read by key)
    assert [(line["object"], line["quantity"], line["amount"]) for line in invoice["items"]] == [
        ("line_item", 2, 300),
        ("line_item", 1, 50),
    ]
    assert (invoice.subtotal, invoice.total, invoice.balance) == (350, 375, 375)
    assert invoice.status == "not_sent" and invoice.paid is False
    assert invoice.due_date == invoice.date + 30 * DAY  # from payment_terms NET 30
    assert invoice.pdf_url.endswith(f"/{invoice.id}/pdf") and invoice.number

    again = invoiced_sdk.client.Invoice.retrieve(invoice.id)
    assert (again.total, again.balance, again.due_date) == (375, 375, invoice.due_date)

    again["items"] = [*again["items"], {"name": "Extra", "quantity": 3, "unit_cost": 10}]
    assert again.save()
    assert (again.subtotal, again.total, again.balance) == (380, 405, 405)


def test_send_then_payments_settle_the_invoice(invoiced_sdk: Sdk) -> None:
    client = invoiced_sdk.client
    customer = _customer(invoiced_sdk)
    invoice = _invoice(invoiced_sdk, customer, 300, 150)

    emails = invoice.send(to=[{"name": "Billing", "email": "billing@acme.example"}])
    assert emails and emails[0].object == "email"
    assert client.Invoice.retrieve(invoice.id).status == "sent"

    first = client.Payment.create(
        customer=customer.id, amount=200, method="check",
        applied_to=[{"type": "invoice", "invoice": invoice.id, "amount": 200}],
    )  # fmt: skip
    assert first.balance == 0  # the whole amount is applied
    partly = client.Invoice.retrieve(invoice.id)
    assert (partly.balance, partly.paid, partly.status) == (250, False, "sent")

    client.Payment.create(
        customer=customer.id, amount=250, applied_to=[{"type": "invoice", "invoice": invoice.id, "amount": 250}]
    )
    settled = client.Invoice.retrieve(invoice.id)
    assert (settled.balance, settled.paid, settled.status) == (0, True, "paid")

    # the wrong state gets Invoiced's own error: no more payments, no delete, no void
    with pytest.raises(invoiced.errors.InvalidRequestError) as refused:
        client.Payment.create(amount=1, applied_to=[{"type": "invoice", "invoice": invoice.id, "amount": 1}])
    assert refused.value.status_code == 400 and "already been paid" in str(refused.value)
    with pytest.raises(invoiced.errors.InvalidRequestError, match="cannot be deleted"):
        settled.delete()
    with pytest.raises(invoiced.errors.InvalidRequestError, match="cannot be voided"):
        settled.void()
    assert client.Invoice.retrieve(invoice.id).status == "paid"


def test_a_voided_part_payment_is_owed_again(invoiced_sdk: Sdk) -> None:
    """Voiding a payment (the SDK's ``Payment.delete``) reopens what it paid (Invoiced's "Void a payment")."""
    client = invoiced_sdk.client
    customer = _customer(invoiced_sdk)
    invoice = _invoice(invoiced_sdk, customer, 300, 150)
    applied = [[{"type": "invoice", "invoice": invoice.id, "amount": amount}] for amount in (200, 250)]
    parts = [client.Payment.create(customer=customer.id, amount=a[0]["amount"], applied_to=a) for a in applied]
    assert (client.Invoice.retrieve(invoice.id).balance, client.Invoice.retrieve(invoice.id).paid) == (0, True)
    assert parts[0].delete() and parts[0].voided is True
    reopened = client.Invoice.retrieve(invoice.id)
    assert (reopened.balance, reopened.paid, reopened.status) == (200, False, "not_sent")


def test_marking_sent_and_overpaying(invoiced_sdk: Sdk) -> None:
    client = invoiced_sdk.client
    invoice = _invoice(invoiced_sdk, _customer(invoiced_sdk), 100)
    assert invoice.save(sent=True)  # PATCH {sent: true}: marked sent without an email
    assert invoice.status == "sent" and client.Invoice.retrieve(invoice.id).status == "sent"
    with pytest.raises(invoiced.errors.InvalidRequestError, match="exceeds the invoice balance"):
        client.Payment.create(amount=150, applied_to=[{"type": "invoice", "invoice": invoice.id, "amount": 150}])
    assert client.Invoice.retrieve(invoice.id).balance == 100  # a refused payment changes nothing
    assert client.Payment.list()[1].total_count == 0


def test_void_and_delete(invoiced_sdk: Sdk) -> None:
    client = invoiced_sdk.client
    customer = _customer(invoiced_sdk)
    voided, unpaid = _invoice(invoiced_sdk, customer, 80), _invoice(invoiced_sdk, customer, 20)
    assert voided.void() and voided.status == "voided"
    with pytest.raises(invoiced.errors.InvalidRequestError, match="voided invoice cannot be paid"):
        voided.pay()
    with pytest.raises(invoiced.errors.InvalidRequestError, match="voided invoice"):
        client.Payment.create(amount=80, applied_to=[{"type": "invoice", "invoice": voided.id, "amount": 80}])
    assert client.Invoice.retrieve(voided.id).status == "voided"

    assert unpaid.delete()
    with pytest.raises(invoiced.errors.InvalidRequestError) as missing:
        client.Invoice.retrieve(unpaid.id)
    assert missing.value.status_code == 404


def test_credit_note_totals_and_void(invoiced_sdk: Sdk) -> None:
    client = invoiced_sdk.client
    customer = _customer(invoiced_sdk)
    note = client.CreditNote.create(
        customer=customer.id, items=[{"name": "Refund", "quantity": 2, "unit_cost": 25}], taxes=[{"amount": 5}]
    )
    assert (note.subtotal, note.total) == (50, 55)
    assert note.void() and client.CreditNote.retrieve(note.id).status == "voided"


def test_list_filters_pages_and_links(invoiced_sdk: Sdk) -> None:
    client = invoiced_sdk.client
    mine, other = _customer(invoiced_sdk), _customer(invoiced_sdk, "Other SRL")
    created = [_invoice(invoiced_sdk, mine, 10 + n).id for n in range(3)]
    _invoice(invoiced_sdk, other, 99)

    page, meta = client.Invoice.list(per_page=2, filter={"customer": mine.id}, sort="id ASC")
    assert meta.total_count == 3 and [invoice.id for invoice in page] == created[:2]
    following = urllib.parse.urlsplit(meta.links["next"])
    # Invoiced's docs tell clients to follow these links: absolute, every query parameter kept
    assert meta.links["next"].startswith(invoiced_sdk.api.base_url + "/invoices?")
    query = urllib.parse.parse_qs(following.query)
    assert query == {"filter[customer]": [str(mine.id)], "page": ["2"], "per_page": ["2"], "sort": ["id ASC"]}
    # the SDK cannot follow a link itself (list() takes parameters, not a URL): request the link as it is
    answer = requests.get(meta.links["next"], auth=(invoiced_sdk.client.api_key, ""), timeout=10)
    assert [invoice["id"] for invoice in answer.json()] == created[2:]


def test_pdf_through_the_api(invoiced_sdk: Sdk) -> None:
    # The SDK has no PDF method; Invoiced serves the PDF of GET /invoices/{id} with Accept: application/pdf.
    invoice = _invoice(invoiced_sdk, _customer(invoiced_sdk), 42)
    answer = requests.get(
        f"{invoiced_sdk.api.base_url}/invoices/{invoice.id}",
        headers={"Accept": "application/pdf"},
        auth=(invoiced_sdk.client.api_key, ""),
        timeout=10,
    )
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")


def test_unknown_id_and_wrong_key(invoiced_sdk: Sdk) -> None:
    with pytest.raises(invoiced.errors.InvalidRequestError) as missing:
        invoiced_sdk.client.Customer.retrieve(424242)
    assert missing.value.status_code == 404
    with pytest.raises(invoiced.errors.AuthenticationError) as denied:
        invoiced_sdk.bad.Customer.list()
    assert denied.value.status_code == 401
    assert invoiced_sdk.client.api_key not in str(denied.value)


def test_events_newest_first_and_related_to(invoiced_sdk: Sdk) -> None:
    client = invoiced_sdk.client
    customer = _customer(invoiced_sdk)
    invoice = _invoice(invoiced_sdk, customer, 120)
    client.Payment.create(
        customer=customer.id, amount=120, applied_to=[{"type": "invoice", "invoice": invoice.id, "amount": 120}]
    )
    events, meta = client.Event.list(related_to=f"invoice,{invoice.id}")  # as Invoiced's own PHP gist lists them
    # newest first, as Invoiced lists events; only the events about this invoice
    assert [event.type for event in events] == ["invoice.paid", "invoice.updated", "invoice.created"]
    assert meta.total_count == 3 and all(event["data"]["object"]["id"] == invoice.id for event in events)
    everything, _ = client.Event.list()
    assert [event.type for event in everything][-1] == "customer.created"  # the oldest last
