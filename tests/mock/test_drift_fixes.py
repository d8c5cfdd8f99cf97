"""Mock bugs the conformance suites found (once allow-listed in conformance/testing.py), each pinned on its spec."""

from __future__ import annotations

import re

import pytest
from starlette.applications import Starlette

from conformance.mock import create_app
from conformance.mock.samples import Sampler
from conformance.mock.schema import SchemaSet
from tests.mock.helpers import CheckedClient, api_client, example


@pytest.fixture(scope="module")
def apps() -> dict[str, Starlette]:
    return {api: create_app([api]) for api in ("facturare", "efactori", "bitfaktura", "cloudinvoice")}


def _client(apps: dict[str, Starlette], api: str, tenant: int = 0) -> CheckedClient:
    apps[api].state.mock.reset()
    return api_client(apps[api], api, tenant)


def test_payment_sources_are_listed_and_deleted(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "facturare")
    customer = client.post("/customers", json=example(apps["facturare"], "facturare", "post", "/customers")).json()
    path = f"/customers/{customer['id']}/payment_sources"
    body = example(apps["facturare"], "facturare", "post", "/customers/{customer_id}/payment_sources")
    card = client.post(path, json=body).json()
    assert card["object"] == "card"
    listed = client.get(path)
    assert listed.json() == [card] and listed.headers["X-Total-Count"] == "1"
    assert client.delete(f"/customers/{customer['id']}/cards/{card['id']}").status_code == 204
    emptied = client.get(path)
    assert emptied.json() == [] and emptied.headers["X-Total-Count"] == "0"
    assert client.delete(f"/customers/{customer['id']}/cards/{card['id']}").status_code == 404


@pytest.mark.parametrize("kind", ["invoices", "estimates", "credit_notes"])
def test_attachment_lists_send_their_pagination_headers(apps: dict[str, Starlette], kind: str) -> None:
    client = _client(apps, "facturare")
    made = client.post(f"/{kind}", json=example(apps["facturare"], "facturare", "post", f"/{kind}")).json()
    listed = client.get(f"/{kind}/{made['id']}/attachments")
    assert listed.json() == [] and listed.headers["X-Total-Count"] == "0"
    assert 'rel="last"' in listed.headers["Link"]
    assert client.get(f"/{kind}/{made['id'] + 100}/attachments").status_code == 404


def test_payment_plan_is_per_invoice_and_per_tenant(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "facturare")
    other = api_client(apps["facturare"], "facturare", tenant=1)
    invoice = client.post("/invoices", json=example(apps["facturare"], "facturare", "post", "/invoices")).json()
    plan = f"/invoices/{invoice['id']}/payment_plan"
    client.put(plan, json=example(apps["facturare"], "facturare", "put", "/invoices/{invoice_id}/payment_plan"))
    assert client.get(plan).status_code == 200
    assert other.get(plan).status_code == 404
    assert client.get("/invoices/999/payment_plan").status_code == 404


def test_sub_resources_of_a_missing_parent_and_bad_queries_are_refused(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "facturare")
    line = {"name": "Consultanță", "unit_cost": 100}
    assert client.post("/customers/77/line_items", json=line).status_code == 404
    assert client.get("/estimates", params={"start_date": "abc"}).status_code == 400


@pytest.mark.parametrize(
    ("pattern", "accepted"),
    [(r"^-?[0-9]+(\.[0-9]+)?$", "1.00"), (r"^-?\d+(\.\d+)?$", "1.00"), (r"^[0-9]+$", "1"), (r"^[A-Z]{3}$", "EUR")],
)
def test_pattern_samples_match_their_pattern(pattern: str, accepted: str) -> None:
    value = Sampler(SchemaSet({})).sample({"type": "string", "pattern": pattern})
    assert value == accepted and re.search(pattern, value)


def test_bitfaktura_decimals_are_decimal_strings(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    decimal = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
    product = client.post("/products.json", json={"product": {"name": "Produkt A1"}}).json()
    client_ = client.post("/clients.json", json={"client": {"name": "Client1"}}).json()
    values = [product.get(k) for k in ("price_net", "quantity", "purchase_price_net")]
    values += [client_.get(k) for k in ("discount", "balance")]
    assert values and all(v is None or decimal.match(v) for v in values), values


def test_an_id_no_int64_holds_is_refused_not_stored_as_another(apps: dict[str, Starlette]) -> None:
    """``conform bitfaktura`` with every phase (seed 11): ``PUT /clients/{id}.json`` with ``category_id`` a string of
    45 digits (IdInput took any digit string) answered 200 and read back ``category_id=1``: the value could not be an
    int64, so the response repair put the sample in its place. IdInput's string now has at most 18 digits (ids are
    int64), and the mock refuses a number its field cannot hold on any spec (``test_any_spec``)."""
    client = _client(apps, "bitfaktura")
    huge = "-626423996134461227043196135911199610249880298"
    refused = client.post("/clients.json", json={"client": {"name": "A", "category_id": huge}})
    assert refused.status_code == 422 and "category_id" in refused.text, refused.text
    made = client.post("/clients.json", json={"client": {"name": "A", "category_id": "5"}}).json()
    assert made["category_id"] == 5
    again = client.put(f"/clients/{made['id']}.json", json={"client": {"category_id": str(2**63)}})
    assert again.status_code == 422 and "category_id" in again.text, again.text
    assert client.get(f"/clients/{made['id']}.json").json()["category_id"] == 5
    edge = client.put(f"/clients/{made['id']}.json", json={"client": {"category_id": "9" * 18}})
    assert edge.status_code == 200 and edge.json()["category_id"] == int("9" * 18)


def test_bitfaktura_xml_create_and_filtered_xml_lists(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    xml = example(apps["bitfaktura"], "bitfaktura", "post", "/invoices.xml", "application/xml")
    made = client.post("/invoices.xml", content=xml.encode(), headers={"Content-Type": "application/xml"})
    assert made.status_code == 201 and made.text.count("<invoice>") == 1
    body = {"client": {"name": "Client1", "external_id": "100"}}
    client.post("/clients.json", json=body)
    none = client.get("/clients.xml", params={"external_id": "101"})
    one = client.get("/clients.xml", params={"external_id": "100"})
    assert none.status_code == 200 and '<clients type="array"></clients>' in none.text
    assert one.status_code == 200 and one.text.count("<client>") == 1 and '<clients type="array">' in one.text


def test_cloudinvoice_document_lines_and_page_links(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "cloudinvoice")
    body = example(apps["cloudinvoice"], "cloudinvoice", "post", "/documents/")
    client.post("/clients/", json={"code": body["client_code"], "name": "Padaria Central"})  # the client it names
    document = client.post("/documents/", json=body).json()
    details = client.get(f"/documents/{document['id']}/details/").json()
    assert details["count"] == len(body["lines"]) == len(details["results"]) > 0
    assert details["next"] is None and details["previous"] is None
    for _ in range(3):
        client.post("/products/", json=example(apps["cloudinvoice"], "cloudinvoice", "post", "/products/"))
    page = client.get("/products/", params={"limit": 1, "offset": 1}).json()
    assert page["next"].endswith("/cloudinvoice/products/?offset=2&limit=1")
    assert page["previous"].endswith("/cloudinvoice/products/?offset=0&limit=1")
    assert client.get("/products/", params={"limit": 5}).json()["next"] is None


def test_efactori_hides_write_only_fields_and_answers_real_codes(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    body = example(apps["efactori"], "efactori", "post", "/v1/invoices.json")
    for line in body["invoice_lines"]:
        line["product_number"] = "P-1"
    made = client.post("/v1/invoices.json", json=body).json()
    assert made["code"] == "Created"
    invoice = client.get(f"/v1/invoices/{made['id']}.json").json()
    assert invoice["invoice_lines"] and all("product_number" not in line for line in invoice["invoice_lines"])


@pytest.mark.parametrize(("word", "expected"), [("yes", True), ("no", False), ("1", True), ("false", False)])
def test_bitfaktura_flag_words_are_stored_as_booleans(apps: dict[str, Starlette], word: str, expected: bool) -> None:
    client = _client(apps, "bitfaktura")
    created = client.post("/clients.json", json={"client": {"name": "Client1"}}).json()
    invoice = client.post(
        "/invoices.json", json={"invoice": {"client_id": created["id"], "positions": [{"name": "A", "quantity": 1}]}}
    ).json()
    client.put(f"/invoices/{invoice['id']}.json", json={"invoice": {"show_discount": word}})
    assert client.get(f"/invoices/{invoice['id']}.json").json()["show_discount"] is expected
