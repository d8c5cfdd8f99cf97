"""Whole-workflow semantics of efactori and econt documents against the in-process mock, each read back by a later
GET (or, for e-Cont, which has no read call, from what the put answers and stores): VAT-inclusive prices, numbering
per journal, status after a payment or an email, and e-Cont line totals."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from starlette.applications import Starlette

from conformance.mock import create_app, demo_credentials
from tests.mock.helpers import CheckedClient, example, fresh_client

APIS = ("efactori", "econt")
TOTALS = ("total_amount_excl", "total_tax_amount", "total_amount_incl")


@pytest.fixture(scope="module")
def apps() -> dict[str, Starlette]:
    return {api: create_app([api]) for api in APIS}


def _client(apps: dict[str, Starlette], api: str) -> CheckedClient:
    return fresh_client(apps, api)


def _amounts(obj: dict[str, Any], *names: str) -> list[float]:
    return [obj[name]["_"] for name in names]


def _invoice(client: CheckedClient, lines: list[dict[str, Any]], **fields: object) -> dict[str, Any]:
    body = {"customer_name": "Boulangerie Dupont SRL", "invoice_lines": lines, **fields}
    made = client.post("/v1/invoices.json", json=body)
    assert made.status_code == 201, made.text
    answer = client.get(f"/v1/invoices/{made.json()['id']}.json")
    assert answer.status_code == 200, answer.text
    invoice: dict[str, Any] = answer.json()
    return invoice


def test_efactori_incl_prices_give_the_excl_amount_and_vat_the_other_way_round(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    lines = [
        {"name": "Pain", "quantity": 3, "price": 10, "vat": 21},  # 30.00 including VAT
        {"name": "Service", "quantity": 2, "price": 121, "vat": 21, "discount": 10, "discount_type": "percent"},
        {"name": "Transport", "quantity": 1, "price": 50, "vat": 6, "discount": 5.3, "discount_type": "amount"},
    ]
    invoice = _invoice(client, lines, vattype="incl")
    first, second, third = invoice["invoice_lines"]
    assert _amounts(first, *TOTALS) == [24.79, 5.21, 30]  # 30 / 1.21, and the total including VAT stays exact
    assert _amounts(first, "base_total_amount_excl", "base_total_amount_incl") == [24.79, 30]
    assert _amounts(second, "base_total_amount_incl", "total_discount_incl", "total_discount_excl") == [242, 24.2, 20]
    assert _amounts(second, *TOTALS) == [180, 37.8, 217.8]
    assert _amounts(third, *TOTALS) == [42.17, 2.53, 44.7]  # the amount discount is taken including VAT too
    assert _amounts(invoice, *TOTALS) == [246.96, 45.54, 292.5]
    assert _amounts(invoice, "base_total_amount_incl", "total_discount_incl") == [322, 29.5]
    excl = _invoice(client, lines[:1], vattype="excl")  # the same price read excluding VAT
    assert _amounts(excl, *TOTALS) == [30, 6.3, 36.3]
    assert _amounts(_invoice(client, lines[:1]), *TOTALS) == [30, 6.3, 36.3]  # no vattype: excl
    path = f"/v1/invoices/{excl['id']}.json"
    switched = {"customer_name": "Boulangerie Dupont SRL", "vattype": "incl", "invoice_lines": lines[:1]}
    assert client.put(path, json=switched).status_code == 200
    assert _amounts(client.get(path).json(), *TOTALS) == [24.79, 5.21, 30]  # an update reads the prices again


def _next(client: CheckedClient, resource: str = "invoices", **query: object) -> str:
    answer = client.request("HEAD", f"/v1/{resource}.json", params={"date": datetime.date.today().isoformat(), **query})
    assert answer.status_code == 200
    return answer.headers["X-NEXT-NUMBER"]


def test_efactori_numbers_each_journal_on_its_own(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    line = {"name": "Pain", "quantity": 1, "price": 2.5}
    made = []
    for journal in (None, 7, 7, None, 8):
        announced = _next(client, journal_id=journal) if journal is not None else _next(client)
        number = _invoice(client, [line], journal_id=journal)["number"]
        assert str(number) == announced  # the number the HEAD call announced for that journal
        made.append(number)
    assert made == [1, 1, 2, 2, 1]
    assert (_next(client), _next(client, journal_id=7), _next(client, journal_id=8)) == ("3", "3", "2")
    assert _next(client, journal_id=9) == "1"  # a journal nothing was numbered in yet
    assert _next(client, "creditnotes", journal_id=7) == "1"  # each document type keeps its own journals


def test_efactori_payment_covering_the_total_marks_the_invoice_paid(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    invoice = _invoice(client, [{"name": "Pain", "quantity": 100, "price": 6, "vat": 21}])  # 726.00 due
    path = f"/v1/invoices/{invoice['id']}"
    payment = {"payment_account_id": 3, "date": "2024-04-10", "amount": {"_": 700.0}}
    assert client.post(f"{path}/payments.json", json=payment).status_code == 201
    assert client.get(f"{path}.json").json().get("status") is None  # a part payment changes no status
    payment["amount"] = {"_": 726.0}
    assert client.post(f"{path}/payments.json", json=payment).status_code == 201
    assert client.get(f"{path}.json").json()["status"] == "paid"
    mail = {"to": "compta@boulangerie-dupont.be", "subject": "F00001", "text": "<p>Bonjour</p>"}
    assert client.post(f"{path}/emails.json", json=mail).status_code == 201
    assert client.get(f"{path}.json").json()["status"] == "paid"  # emailing a paid invoice keeps it paid


def test_efactori_email_marks_a_new_document_sent(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    invoice = _invoice(client, [{"name": "Pain", "quantity": 1, "price": 6}])
    path = f"/v1/invoices/{invoice['id']}"
    mail = {"to": "compta@boulangerie-dupont.be", "subject": "F00001", "text": "<p>Bonjour</p>"}
    assert client.post(f"{path}/emails.json", json=mail).status_code == 201
    assert client.get(f"{path}.json").json()["status"] == "sent"
    made = client.post("/v1/proposals.json", json={"customer_name": "Dupont", "proposal_lines": []})
    assert made.status_code == 201, made.text
    proposal = f"/v1/proposals/{made.json()['id']}"
    assert client.post(f"{proposal}/document-events.json", json={"status": "draft"}).status_code == 201
    assert client.post(f"{proposal}/emails.json", json=mail).status_code == 201
    assert client.get(f"{proposal}.json").json()["status"] == "sent"  # a draft is sent


def test_efactori_trashed_document_refuses_payment_and_email(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    invoice = _invoice(client, [{"name": "Pain", "quantity": 1, "price": 6}])
    path = f"/v1/invoices/{invoice['id']}"
    assert client.delete(f"{path}.json").status_code == 200
    payment = {"payment_account_id": 3, "date": "2024-04-10", "amount": {"_": 6.0}}
    refused = client.post(f"{path}/payments.json", json=payment)
    assert refused.status_code == 400 and refused.json()["code"] == "ValidationError", refused.text
    mail = {"to": "compta@boulangerie-dupont.be", "subject": "F00001", "text": "<p>Bonjour</p>"}
    assert client.post(f"{path}/emails.json", json=mail).status_code == 400
    stored = client.get(f"{path}.json").json()
    assert stored["deleted"] is True and stored.get("status") is None  # nothing changed


def test_efactori_locked_invoice_can_be_neither_changed_nor_deleted_until_unlocked(apps: dict[str, Starlette]) -> None:
    """``locked``: "a locked document can be neither changed nor deleted" (the field's documentation). The field is
    writable, so writing ``locked: false`` is how it unlocks (an assumption written in the spec)."""
    client = _client(apps, "efactori")
    lines = [{"name": "Pain", "quantity": 1, "price": 10, "vat": 21}]
    invoice = _invoice(client, lines)
    path = f"/v1/invoices/{invoice['id']}.json"
    whole = {"customer_name": "Boulangerie Dupont SRL", "invoice_lines": lines}  # an update sends the whole invoice
    assert client.put(path, json={**whole, "locked": True}).status_code == 200
    changed = client.put(path, json={**whole, "text": "<p>changed</p>"})
    deleted = client.delete(path)
    assert changed.status_code == 400 and "locked" in changed.json()["message"], changed.text
    assert deleted.status_code == 400 and "locked" in deleted.json()["message"], deleted.text
    kept = client.get(path).json()
    assert kept["locked"] is True and kept.get("deleted") is not True and kept.get("text") != "<p>changed</p>"
    assert client.put(path, json={**whole, "locked": False, "text": "<p>changed</p>"}).status_code == 200
    assert client.get(path).json()["text"] == "<p>changed</p>"
    assert client.delete(path).status_code == 200
    assert client.get(path).json()["deleted"] is True


def test_econt_line_total_is_price_times_quantity_where_the_shop_sends_none(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "econt")
    body = example(apps["econt"], "econt", "post", "/facturare/v1/put/invoice")
    creds = demo_credentials("econt")
    body["connect"].update(client=creds["ECONT_CLIENT_ID"], token=creds["ECONT_TOKEN"])
    del body["items"]["984"]["line_total"]  # 185.10 x 2
    body["items"]["985"]["line_total"] = "180.00"  # the shop's own total (a discount it gave) is kept
    body["items"]["986"] = {"product_name": "Zahăr 1 kg", "product_price": "19.99", "product_qnt": 3}
    placed = client.post("/facturare/v1/put/invoice", json=body)
    assert placed.status_code == 200, placed.text
    items = placed.json()["data"]["items"]
    assert [items[k]["line_total"] for k in ("984", "985", "986")] == ["370.20", "180.00", "59.97"]
    stored = apps["econt"].state.mock.servers["econt"].store.bucket(0, "invoices").objects
    (invoice,) = stored.values()  # what the invoice keeps, as its PDF would show it
    assert [invoice["items"][k]["line_total"] for k in ("984", "985", "986")] == ["370.20", "180.00", "59.97"]
