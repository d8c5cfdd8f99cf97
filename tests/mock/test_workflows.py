"""Whole integrator workflows against the mock: what one call does shows in what later calls return."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from conformance.mock import create_app, demo_credentials
from tests.mock.helpers import CheckedClient, api_client


@pytest.fixture(scope="module")
def apps() -> dict[str, Starlette]:
    return {api: create_app([api]) for api in ("facturare", "bitfaktura")}


def _client(apps: dict[str, Starlette], api: str, tenant: int = 0) -> CheckedClient:
    apps[api].state.mock.reset()
    return api_client(apps[api], api, tenant)


def test_pending_line_items_become_the_customers_invoice(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "facturare")
    customer = client.post("/customers", json={"name": "Agroprod SRL"}).json()
    pending = f"/customers/{customer['id']}/line_items"
    empty = client.post(f"/customers/{customer['id']}/invoices")
    assert empty.status_code == 400 and "no pending line items" in empty.json()["message"]
    first = client.post(pending, json={"name": "Livrare", "quantity": 2, "unit_cost": 250}).json()
    client.post(pending, json={"name": "Montaj", "quantity": 1, "unit_cost": 100})
    answer = client.post(f"/customers/{customer['id']}/invoices")
    assert answer.status_code == 201
    invoice = answer.json()
    assert invoice["customer"] == customer["id"] and invoice["object"] == "invoice"
    assert [(i["name"], i["amount"]) for i in invoice["items"]] == [("Livrare", 500), ("Montaj", 100)]
    assert invoice["items"][0]["id"] == first["id"]
    assert invoice["total"] == invoice["balance"] == 600
    assert client.get(f"/invoices/{invoice['id']}").json() == invoice
    assert client.get(pending).json() == []  # consumed
    again = client.post(f"/customers/{customer['id']}/invoices")
    assert again.status_code == 400
    other = _other_tenant(apps)
    assert other.post(f"/customers/{customer['id']}/invoices").status_code == 404


def _other_tenant(apps: dict[str, Starlette]) -> CheckedClient:
    return api_client(apps["facturare"], "facturare", tenant=1)


def test_notes_show_under_their_customer_and_invoice(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "facturare")
    customer = client.post("/customers", json={"name": "Agroprod SRL"}).json()
    other = client.post("/customers", json={"name": "Vinaria SRL"}).json()
    invoice = client.post("/invoices", json={"customer": customer["id"], "items": [{"name": "x", "unit_cost": 5}]})
    note = client.post("/notes", json={"customer_id": customer["id"], "notes": "A sunat."}).json()
    assert note["customer"] == customer["id"] and note.get("invoice") is None
    on_invoice = client.post("/notes", json={"invoice_id": invoice.json()["id"], "notes": "Trimisa."}).json()
    listed = client.get(f"/customers/{customer['id']}/notes")
    assert [n["id"] for n in listed.json()] == [note["id"]] and listed.headers["X-Total-Count"] == "1"
    assert client.get(f"/customers/{other['id']}/notes").json() == []
    assert [n["id"] for n in client.get(f"/invoices/{invoice.json()['id']}/notes").json()] == [on_invoice["id"]]
    client.delete(f"/notes/{note['id']}")
    assert client.get(f"/customers/{customer['id']}/notes").json() == []


def test_events_record_what_happened(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "facturare")
    customer = client.post("/customers", json={"name": "Agroprod SRL"}).json()
    invoice = client.post(
        "/invoices", json={"customer": customer["id"], "items": [{"name": "Hartie", "quantity": 2, "unit_cost": 50}]}
    ).json()
    client.patch(f"/customers/{customer['id']}", json={"email": "contabil@agroprod.md"})
    payment = {"customer": customer["id"], "amount": 100}
    applied = [{"type": "invoice", "invoice": invoice["id"], "amount": 100}]
    assert client.post("/payments", json={**payment, "applied_to": applied}).status_code == 201
    events = client.get("/events", params={"per_page": 100}).json()
    types = [e["type"] for e in events]
    assert types == [  # newest first, as Invoiced lists them
        "payment.created",
        "invoice.paid",
        "invoice.updated",
        "customer.updated",
        "invoice.created",
        "customer.created",
    ]
    paid = events[types.index("invoice.paid")]
    assert paid["data"]["object"]["id"] == invoice["id"] and paid["data"]["object"]["paid"] is True
    assert paid["data"]["previous"]["paid"] is False and paid["data"]["previous"]["balance"] == 100
    updated = events[types.index("customer.updated")]
    assert updated["data"]["previous"]["email"] is None and updated["data"]["object"]["email"] == "contabil@agroprod.md"
    assert isinstance(events[-1]["timestamp"], int) and events[-1]["object"] == "event"
    assert client.get(f"/events/{paid['id']}").json() == paid
    assert _other_tenant(apps).get("/events").json() == []  # each tenant its own log


def test_a_member_answers_the_invited_user_under_user(apps: dict[str, Starlette]) -> None:
    # set-from-body with a dotted target: the invitation names the user flat, the member nests it
    client = _client(apps, "facturare")
    invite = {"email": "ion@agroprod.md", "first_name": "Ion", "last_name": "Rusu", "role": "contabil"}
    member = client.post("/members", json=invite).json()
    assert {k: member["user"][k] for k in ("email", "first_name", "last_name")} == {
        "email": "ion@agroprod.md",
        "first_name": "Ion",
        "last_name": "Rusu",
    }
    assert "email" not in member  # the flat request fields stay out of the member itself
    assert client.get(f"/members/{member['id']}").json()["user"] == member["user"]
    changed = client.patch(f"/members/{member['id']}", json={"role": "administrator"}).json()
    assert changed["role"] == "administrator" and changed["user"] == member["user"]


def _bf_invoice(client: CheckedClient, gross: str, email: str | None = "contabil@client.ua") -> dict:
    position = {"name": "Послуга", "quantity": 1, "total_price_gross": gross, "tax": 23}
    invoice = {"buyer_name": "ТОВ Клієнт", "positions": [position], **({"buyer_email": email} if email else {})}
    answer = client.post("/invoices.json", json={"invoice": invoice})
    assert answer.status_code == 201
    return answer.json()


def test_bitfaktura_sorts_money_as_numbers(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    for gross in ("60.23", "246.00", "12.30", "1000.00"):
        _bf_invoice(client, gross)
    listed = client.get("/invoices.json", params={"order": "price_gross.desc", "period": "all"}).json()
    assert [i["price_gross"] for i in listed] == ["1000.00", "246.00", "60.23", "12.30"]


def test_bitfaktura_takes_api_token_in_the_body_of_an_action(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    invoice = _bf_invoice(client, "123.00")
    token = demo_credentials("bitfaktura")["BITFAKTURA_API_TOKEN"]
    bare = CheckedClient(apps["bitfaktura"], "bitfaktura")  # no token in the query
    sent = bare.post(f"/invoices/{invoice['id']}/send_by_email.json", json={"api_token": token})
    assert sent.status_code == 200 and sent.json()["code"] == "success"
    assert client.get(f"/invoices/{invoice['id']}.json").json()["status"] == "sent"
    wrong = bare.post(f"/invoices/{invoice['id']}/send_by_email.json", json={"api_token": "not-a-token"})
    assert wrong.status_code == 401
    assert bare.post(f"/invoices/{invoice['id']}/send_by_email.json").status_code == 401


def test_bitfaktura_wrong_states_get_the_apis_own_error(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    silent = _bf_invoice(client, "50.00", email=None)
    refused = client.post(f"/invoices/{silent['id']}/send_by_email.json")  # nobody to send it to
    assert refused.status_code == 200 and refused.json()["code"] == "error"
    assert client.get(f"/invoices/{silent['id']}.json").json()["status"] == "issued"
    rejected = _bf_invoice(client, "80.00")
    changed = client.post(f"/invoices/{rejected['id']}/change_status.json", params={"status": "rejected"})
    assert changed.status_code == 200
    payment = {"banking_payment": {"name": "Plata", "price": "80.00", "invoice_id": rejected["id"], "paid": True}}
    answer = client.post("/banking/payments.json", json=payment)
    assert answer.status_code == 422 and "rejected invoice" in str(answer.json()["message"])
    after = client.get(f"/invoices/{rejected['id']}.json").json()
    assert after["status"] == "rejected" and float(after["paid"]) == 0
    assert client.get("/banking/payments.json").json() == []  # nothing recorded


def test_bitfaktura_payments_include_the_invoices_they_settle(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    invoice = _bf_invoice(client, "80.00")
    payment = {"banking_payment": {"name": "Plata", "price": "80.00", "invoice_id": invoice["id"], "paid": True}}
    assert client.post("/banking/payments.json", json=payment).status_code == 201
    plain = client.get("/banking/payments.json").json()
    assert len(plain) == 1 and "invoices" not in plain[0]
    included = client.get("/banking/payments.json", params={"include": "invoices"}).json()
    assert [i["id"] for i in included[0]["invoices"]] == [invoice["id"]]
    assert included[0]["invoices"][0]["status"] == "paid"  # the payment settled it
