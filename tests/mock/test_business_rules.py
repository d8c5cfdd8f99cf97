"""Business rules the specs declare, through HTTP against the mock: prices taken from stored products, the event
log's order and filter, and the rules of efactori, econt and cloudinvoice."""

from __future__ import annotations

import datetime

import pytest
from starlette.applications import Starlette

from conformance.mock import create_app, demo_credentials
from tests.mock.helpers import CheckedClient, api_client, example

APIS = ("bitfaktura", "facturare", "efactori", "econt", "cloudinvoice")
TODAY = datetime.date.today().isoformat()  # the book year of a document created without a date


@pytest.fixture(scope="module")
def apps() -> dict[str, Starlette]:
    return {api: create_app([api]) for api in APIS}


def _client(apps: dict[str, Starlette], api: str, tenant: int = 0) -> CheckedClient:
    apps[api].state.mock.reset()
    return api_client(apps[api], api, tenant)


def _product(client: CheckedClient, **fields: str) -> dict:
    answer = client.post("/products.json", json={"product": {"name": "Консультація", "code": "K1", **fields}})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _money(obj: dict, *names: str) -> tuple[float, ...]:
    """The amounts, as numbers: a price the caller sent is kept as sent (``"100"``), a computed one has two decimals."""
    return tuple(float(obj[name]) for name in names)


def test_bitfaktura_product_gross_follows_net_and_tax_on_create(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    from_net = _product(client, price_net="100", tax="23")  # the seed's own create
    assert _money(from_net, "price_net", "price_gross", "price_tax") == (100, 123, 23)
    assert from_net["price_gross"] == "123.00"  # a decimal string, as the API sends money
    from_gross = _product(client, price_gross="123", tax="23")
    assert _money(from_gross, "price_net", "price_gross", "price_tax") == (100, 123, 23)
    exempt = _product(client, price_net="40", tax="zw")  # a rate that is a word is 0 %
    assert _money(exempt, "price_gross", "price_tax") == (40, 0)
    assert client.get(f"/products/{from_net['id']}.json").json()["price_gross"] == "123.00"


def test_bitfaktura_product_update_recomputes_net_from_gross(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    product = _product(client, price_net="100", tax="23")
    path = f"/products/{product['id']}.json"
    new_gross = client.put(path, json={"product": {"price_gross": "246"}}).json()  # the seed's update sends gross
    assert _money(new_gross, "price_net", "price_gross", "price_tax") == (200, 246, 46)
    ignored = client.put(path, json={"product": {"price_net": "1"}}).json()  # net cannot be set on update
    assert _money(ignored, "price_net", "price_gross") == (200, 246)
    new_rate = client.put(path, json={"product": {"tax": "8"}}).json()  # the gross price stays, the net follows
    assert _money(new_rate, "price_net", "price_gross", "price_tax") == (227.78, 246, 18.22)
    assert client.get(path).json()["price_net"] == "227.78"
    comma = client.put(path, json={"product": {"price_gross": "108,00"}}).json()  # a decimal comma, as the API takes
    assert (comma["price_gross"], comma["price_net"]) == ("108.00", "100.00")


def test_bitfaktura_position_takes_the_products_price(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    product = _product(client, price_net="100", tax="23")
    other = _product(client, price_gross="50", tax="0")
    positions = [
        {"product_id": product["id"], "quantity": 2},  # the README's minimal create
        {"product_id": other["id"], "quantity": 1, "price_net": "40", "name": "Знижка"},  # what the line sends wins
    ]
    answer = client.post("/invoices.json", json={"invoice": {"buyer_name": "ТОВ Клієнт", "positions": positions}})
    assert answer.status_code == 201, answer.text
    invoice = answer.json()
    first, second = invoice["positions"]
    assert (first["name"], first["code"], first["tax"]) == ("Консультація", "K1", "23")
    assert _money(first, "price_net", "price_gross", "total_price_net", "total_price_gross") == (100, 123, 200, 246)
    assert second["name"] == "Знижка" and _money(second, "price_net", "total_price_gross") == (40, 40)
    assert _money(invoice, "price_net", "price_gross", "price_tax") == (240, 286, 46)
    unknown = {"product_id": 987654321, "quantity": 1, "name": "Без товару", "price_net": "10", "tax": "0"}
    lone = client.post("/invoices.json", json={"invoice": {"buyer_name": "ТОВ Клієнт", "positions": [unknown]}})
    assert _money(lone.json()["positions"][0], "total_price_gross") == (10,)  # no such product: the line as sent


def _event_types(client: CheckedClient, **params: str) -> list[tuple[str, int]]:
    answer = client.get("/events", params={"per_page": "100", **params})
    assert answer.status_code == 200, answer.text
    return [(e["type"], e["data"]["object"]["id"]) for e in answer.json()]


def test_facturare_events_newest_first_and_related_to(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "facturare")
    first = client.post("/customers", json={"name": "Agroprod SRL"}).json()
    second = client.post("/customers", json={"name": "Vinaria SRL"}).json()
    client.patch(f"/customers/{first['id']}", json={"email": "contabil@agroprod.md"})
    invoice = client.post("/invoices", json={"customer": first["id"], "items": [{"name": "x", "unit_cost": 5}]}).json()
    assert _event_types(client) == [
        ("invoice.created", invoice["id"]),
        ("customer.updated", first["id"]),
        ("customer.created", second["id"]),
        ("customer.created", first["id"]),
    ]
    related = _event_types(client, related_to=f"customer,{first['id']}")
    assert related == [("customer.updated", first["id"]), ("customer.created", first["id"])]
    assert _event_types(client, related_to=f"invoice,{invoice['id']}") == [("invoice.created", invoice["id"])]
    assert _event_types(client, related_to=f"invoice,{invoice['id'] + 1}") == []  # no such invoice
    assert _event_types(client, related_to=f"payment,{invoice['id']}") == []  # the type counts, not only the id
    paged = client.get("/events", params={"per_page": "1", "page": "2", "related_to": f"customer,{first['id']}"})
    assert [e["type"] for e in paged.json()] == ["customer.created"] and paged.headers["X-Total-Count"] == "2"
    assert "related_to=customer%2C" in paged.headers["Link"]  # the filter travels in the page links
    bad = client.get("/events", params={"related_to": "customer"})
    assert bad.status_code == 400 and "related_to" in bad.text


def test_efactori_totals_add_vat_and_discounts_as_money_maps(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    lines = [
        {"name": "Pain", "quantity": 10, "price": 2.5, "vat": 6},
        {"name": "Service", "quantity": 2, "price": 100, "vat": 21, "discount": 10, "discount_type": "percent"},
        {"name": "Transport", "quantity": 1, "price": 50, "vat": 21, "discount": 5, "discount_type": "amount"},
    ]
    made = client.post("/v1/invoices.json", json={"customer_name": "Boulangerie Dupont SRL", "invoice_lines": lines})
    assert made.status_code == 201, made.text
    invoice = client.get(f"/v1/invoices/{made.json()['id']}.json").json()
    first, second, third = invoice["invoice_lines"]
    assert [first[k]["_"] for k in ("total_amount_excl", "total_tax_amount", "total_amount_incl")] == [25, 1.5, 26.5]
    assert [second[k]["_"] for k in ("base_total_amount_excl", "total_discount_excl", "total_amount_excl")] == [
        200,
        20,
        180,
    ]
    assert (second["total_tax_amount"]["_"], second["total_amount_incl"]["_"]) == (37.8, 217.8)
    assert (third["total_discount_excl"]["_"], third["total_amount_incl"]["_"]) == (5, 54.45)
    totals = [invoice[k]["_"] for k in ("total_amount_excl", "total_tax_amount", "total_amount_incl")]
    assert totals == [250, 48.75, 298.75]
    assert invoice["base_total_amount_excl"]["_"] == 275 and invoice["total_discount_excl"]["_"] == 25
    edited = dict(lines[0], quantity=20)
    update = {"customer_name": "Boulangerie Dupont SRL", "invoice_lines": [edited]}  # the client sends it whole
    assert client.put(f"/v1/invoices/{invoice['id']}.json", json=update).status_code == 200
    again = client.get(f"/v1/invoices/{invoice['id']}.json").json()
    assert [again[k]["_"] for k in ("total_amount_excl", "total_amount_incl")] == [50, 53]  # the lines replaced


def _document(client: CheckedClient, **fields: object) -> object:
    lines = [
        {"description": "Pão de forma", "quantity": "20.000", "unit_price": "1.50", "tax_rate": "6.00"},
        {"description": "Entrega", "quantity": "1", "unit_price": "10.00", "tax_rate": "23.00", "discount": "10"},
    ]
    return client.post(
        "/documents/", json={"document_nature": "FT", "document_date": "2026-01-05", "lines": lines, **fields}
    )


def test_cloudinvoice_totals_tax_and_unknown_client_code(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "cloudinvoice")
    made = client.post("/clients/", json={"code": "C0012", "name": "Padaria Central, Lda."})
    assert made.status_code == 201, made.text
    answer = _document(client, client_code="C0012")
    assert answer.status_code == 201, answer.text
    document = answer.json()
    # 30.00 at 6 % and 9.00 (10.00 less 10 %) at 23 %
    assert (document["net_total"], document["tax_total"], document["gross_total"]) == ("39.00", "3.87", "42.87")
    assert client.get(f"/documents/{document['id']}/").json()["gross_total"] == "42.87"
    assert document["sent"] is False
    mail = {"email": "geral@padariacentral.pt", "subject": "Fatura", "body": "Segue em anexo."}
    assert client.post(f"/documents/{document['id']}/email/", json=mail).json() == {"status": "OK"}
    assert client.get(f"/documents/{document['id']}/").json()["sent"] is True  # e-mailed: marked sent
    anonymous = _document(client)  # no client_code: an anonymous final consumer
    assert anonymous.status_code == 201
    unknown = _document(client, client_code="C9999")  # the seed's own error example
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"non_field_errors": "Não existe nenhum cliente com este código."}
    assert unknown.json()["error_code"] == "validation_error"
    listed = client.get("/documents/").json()
    assert [d["id"] for d in listed["results"]] == [document["id"], anonymous.json()["id"]]  # nothing stored
    other = _client_of_tenant(apps, "cloudinvoice", 1)
    assert _document(other, client_code="C0012").status_code == 400  # another tenant's client is unknown here


def _client_of_tenant(apps: dict[str, Starlette], api: str, tenant: int) -> CheckedClient:
    return api_client(apps[api], api, tenant)


def test_econt_refuses_a_payer_without_email_and_stores_nothing(apps: dict[str, Starlette]) -> None:
    """The only refusal e-Cont's docs name: the payer's email is required, the invoice is sent there."""
    client = _client(apps, "econt")
    body = example(apps["econt"], "econt", "post", "/facturare/v1/put/invoice")
    creds = demo_credentials("econt")
    body["connect"].update(client=creds["ECONT_CLIENT_ID"], token=creds["ECONT_TOKEN"])
    placed = client.post("/facturare/v1/put/invoice", json=body)
    assert placed.status_code == 200 and placed.json()["data"]["status"] == "actual"  # issued, unpaid
    before = len(apps["econt"].state.mock.servers["econt"].store.bucket(0, "invoices").objects)
    del body["order"]["billing"]["email"]
    refused = client.post("/facturare/v1/put/invoice", json=body)
    assert refused.status_code == 400 and refused.json()["status"] == "FAIL"
    assert list(refused.json()["data"]["message"]) == ["order.billing.email"]  # what is missing, and where
    assert len(apps["econt"].state.mock.servers["econt"].store.bucket(0, "invoices").objects) == before


def test_efactori_numbers_documents_as_its_next_number_call_says(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    other = _client_of_tenant(apps, "efactori", 1)
    line = {"name": "Pain", "quantity": 1, "price": 2.5}
    numbers = []
    for _ in range(2):
        announced = client.request("HEAD", "/v1/invoices.json", params={"date": TODAY})
        made = client.post("/v1/invoices.json", json={"customer_name": "Dupont", "invoice_lines": [line]}).json()
        numbers.append(client.get(f"/v1/invoices/{made['id']}.json").json()["number"])
        assert announced.headers["X-NEXT-NUMBER"] == str(numbers[-1])  # the number the HEAD call announced
    assert numbers == [1, 2]
    chosen = client.post("/v1/invoices.json", json={"customer_name": "Dupont", "number": 40, "invoice_lines": [line]})
    assert client.get(f"/v1/invoices/{chosen.json()['id']}.json").json()["number"] == 40  # a number sent is kept
    assert other.request("HEAD", "/v1/invoices.json", params={"date": TODAY}).headers["X-NEXT-NUMBER"] == "1"
    assert client.request("HEAD", "/v1/creditnotes.json", params={"date": TODAY}).headers["X-NEXT-NUMBER"] == "1"
