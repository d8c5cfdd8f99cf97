"""The gaps the spec authors found, each on the real spec it is about; every response is checked against it."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from starlette.applications import Starlette

from conformance.mock import create_app, demo_credentials
from tests.mock.helpers import CheckedClient, api_client, example


@pytest.fixture(scope="module")
def apps() -> dict[str, Starlette]:
    return {api: create_app([api]) for api in ("facturare", "econt", "efactori", "bitfaktura", "cloudinvoice")}


def _client(apps: dict[str, Starlette], api: str) -> CheckedClient:
    """A fresh start for ``api`` (the apps are shared by the module's tests) and tenant 0's client."""
    apps[api].state.mock.reset()
    return api_client(apps[api], api)


def test_timestamps_follow_x_fill_not_names(apps: dict[str, Starlette]) -> None:
    facturare = _client(apps, "facturare")
    invoice = facturare.post("/invoices", json=example(apps["facturare"], "facturare", "post", "/invoices")).json()
    assert isinstance(invoice["created_at"], int) and invoice.get("next_payment_attempt") is None
    efactori = _client(apps, "efactori")
    made = efactori.post("/v1/invoices.json", json=example(apps["efactori"], "efactori", "post", "/v1/invoices.json"))
    before = efactori.get(f"/v1/invoices/{made.json()['id']}.json").json()
    time.sleep(1.05)  # timestamps have second precision
    body = example(apps["efactori"], "efactori", "put", "/v1/invoices/{id}.json")
    efactori.request("PUT", f"/v1/invoices/{made.json()['id']}.json", json=body)
    after = efactori.get(f"/v1/invoices/{made.json()['id']}.json").json()
    assert after["created"] == before["created"] and after["modified"] > before["modified"]


def test_effect_values_win_over_computed_ones(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "facturare")
    invoice = client.post("/invoices", json=example(apps["facturare"], "facturare", "post", "/invoices")).json()
    assert invoice["balance"] == invoice["total"] > 0
    paid = client.post(f"/invoices/{invoice['id']}/pay").json()
    assert (paid["balance"], paid["status"], paid["total"]) == (0, "paid", invoice["total"])


def test_singleton_sub_resource(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "facturare")
    invoice = client.post("/invoices", json=example(apps["facturare"], "facturare", "post", "/invoices")).json()
    plan = f"/invoices/{invoice['id']}/payment_plan"
    assert client.get(plan).status_code == 404
    body = example(apps["facturare"], "facturare", "put", "/invoices/{invoice_id}/payment_plan")
    made = client.put(plan, json=body).json()
    assert client.get(plan).json() == made
    assert client.delete(plan).status_code == 204 and client.get(plan).status_code == 404
    assert client.get("/invoices/999/payment_plan").status_code == 404


def test_actions_on_sub_paths_act_on_the_parent(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    made = client.post("/v1/invoices.json", json=example(apps["efactori"], "efactori", "post", "/v1/invoices.json"))
    key = made.json()["id"]
    for sub in ("payments", "emails", "letters", "document-events"):
        body = example(apps["efactori"], "efactori", "post", f"/v1/invoices/{{id}}/{sub}.json")
        assert client.post(f"/v1/invoices/{key}/{sub}.json", json=body).status_code < 300
    assert client.get("/v1/invoices.json").json()["count"] == 1
    assert client.get(f"/v1/invoices/{key}.json").json()["status"] == body["status"]  # document-events set it
    facturare = _client(apps, "facturare")
    invoice = facturare.post("/invoices", json=example(apps["facturare"], "facturare", "post", "/invoices")).json()
    assert facturare.post(f"/invoices/{invoice['id']}/void").json()["id"] == invoice["id"]
    assert [i["status"] for i in facturare.get("/invoices").json()] == ["voided"]


def test_soft_deleted_documents_leave_lists(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    body = example(apps["efactori"], "efactori", "post", "/v1/invoices.json")
    first = client.post("/v1/invoices.json", json=body).json()["id"]
    client.post("/v1/invoices.json", json=body)
    assert client.delete(f"/v1/invoices/{first}.json").status_code == 200
    listed = client.get("/v1/invoices.json").json()
    assert listed["count"] == 1 and first not in [i["id"] for i in listed["items"]]
    assert client.get(f"/v1/invoices/{first}.json").json()["deleted"] is True


def test_computed_totals_as_money_maps_and_decimal_strings(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    key = client.post(
        "/v1/invoices.json", json=example(apps["efactori"], "efactori", "post", "/v1/invoices.json")
    ).json()["id"]
    invoice = client.get(f"/v1/invoices/{key}.json").json()
    lines = [line["quantity"] * line["price"] for line in invoice["invoice_lines"]]
    assert [line["total_amount_excl"] for line in invoice["invoice_lines"]] == [{"_": v} for v in lines]
    assert invoice["total_amount_excl"] == {"_": sum(lines)}
    bitfaktura = _client(apps, "bitfaktura")
    body = {"invoice": {"buyer_name": "B", "positions": [{"name": "x", "quantity": 2, "price_net": 10.5, "tax": 23}]}}
    made = bitfaktura.post("/invoices.json", json=body).json()
    assert made["positions"][0]["quantity"] == "2" and made["positions"][0]["total_price_net"] == "21.00"
    assert made["price_net"] == "21.00"


def test_ordering_dash_syntax_and_parent_isolation(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "cloudinvoice")
    for code, name in (("B", "b"), ("A", "c"), ("C", "a")):
        client.post("/products/", json={"code": code, "name": name, "unit_price": "1.50"})
    assert [p["code"] for p in client.get("/products/", params={"ordering": "-code"}).json()["results"]] == list("CBA")
    assert [p["code"] for p in client.get("/products/", params={"ordering": "name"}).json()["results"]] == list("CBA")
    body = example(apps["cloudinvoice"], "cloudinvoice", "post", "/documents/")
    client.post("/clients/", json={"code": body["client_code"], "name": "Padaria Central"})  # the client it names
    document = client.post("/documents/", json=body)
    own = client.get(f"/documents/{document.json()['id']}/details/")
    other = api_client(apps["cloudinvoice"], "cloudinvoice", 1).get(f"/documents/{document.json()['id']}/details/")
    assert own.status_code == 200 and other.json()["error_code"] == "not_found"


def test_econt_share_link_pdf_needs_no_connect(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "econt")
    body = example(apps["econt"], "econt", "post", "/facturare/v1/put/invoice")
    creds = demo_credentials("econt")
    body["connect"].update(client=creds["ECONT_CLIENT_ID"], token=creds["ECONT_TOKEN"])
    key = client.post("/facturare/v1/put/invoice", json=body).json()["data"]["key"]
    pdf = client.get("/facturare/v1/pdf/sendinvoice", params={"key": key})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/facturare/v1/pdf/sendinvoice", params={"key": "nope"}).status_code == 404


def test_bitfaktura_public_operations_and_multipart_token(apps: dict[str, Starlette]) -> None:
    app = apps["bitfaktura"]
    app.state.mock.reset()
    bare = CheckedClient(app, "bitfaktura")
    assert bare.post("/login.json", json=example(app, "bitfaktura", "post", "/login.json")).status_code == 200
    assert bare.post("/users.json", json=example(app, "bitfaktura", "post", "/users.json")).status_code == 201
    client = api_client(app, "bitfaktura")
    key = client.post("/departments.json", json=example(app, "bitfaktura", "post", "/departments.json")).json()["id"]
    token = demo_credentials("bitfaktura")["BITFAKTURA_API_TOKEN"]
    logo = {"department[logo]": ("logo.png", b"\x89PNG\r\n\x1a\n\xff", "image/png")}
    assert bare.put(f"/departments/{key}.json", data={"api_token": token}, files=logo).status_code == 200
    assert bare.put(f"/departments/{key}.json", data={"api_token": "wrong"}, files=logo).status_code == 401


def test_bitfaktura_xml_writes_act_and_zip_is_real(apps: dict[str, Starlette]) -> None:
    app = apps["bitfaktura"]
    client = _client(apps, "bitfaktura")
    xml = example(app, "bitfaktura", "post", "/invoices.xml", "application/xml")
    made = client.post("/invoices.xml", content=xml.encode(), headers={"content-type": "application/xml"})
    assert made.status_code == 201 and "<buyer_name>Client1 SA</buyer_name>" in made.text
    (invoice,) = client.get("/invoices.json").json()
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/invoices/{invoice['id']}/attachments_zip.json").content))
    assert archive.read(archive.namelist()[0]).startswith(b"%PDF")
    sent = client.post(f"/invoices/{invoice['id']}/send_by_email.xml", params={"email_to": "a@example.com"})
    assert sent.status_code == 200 and "<code>success</code>" in sent.text
    assert client.delete(f"/invoices/{invoice['id']}.xml").status_code == 200
    assert client.get(f"/invoices/{invoice['id']}.json").status_code == 404


def test_null_sequence_field_is_filled(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    body = example(apps["bitfaktura"], "bitfaktura", "post", "/invoices.json")
    assert body["invoice"]["number"] is None
    numbers = [client.post("/invoices.json", json=body).json()["number"] for _ in range(2)]
    assert numbers[0] and numbers[0] != numbers[1]


def test_bitfaktura_refusals_come_as_200_error_envelopes(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    body = {"invoice": {"buyer_name": "B", "positions": [{"name": "x", "quantity": 1, "price_net": 1, "tax": 23}]}}
    key = client.post("/invoices.json", json=body).json()["id"]
    bad = client.post(f"/invoices/{key}/change_status.json", params={"status": "bogus"})
    assert bad.status_code == 422 and bad.json()["code"] == "error"  # a schema violation is no refusal
    good = client.post(f"/invoices/{key}/change_status.json", params={"status": "paid"})
    assert good.json()["code"] == "success" and client.get(f"/invoices/{key}.json").json()["status"] == "paid"
    refused = client.post(f"/invoices/{key}/send_by_email.json")
    assert refused.status_code == 200 and refused.json()["code"] == "error"
    sent = client.post(f"/invoices/{key}/send_by_email.json", params={"email_to": "a@example.com"})
    assert sent.json()["code"] == "success"


def test_bitfaktura_nested_attributes_on_update(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    lines = [{"name": n, "quantity": 1, "price_net": "10", "tax": 23} for n in ("a", "b")]
    made = client.post("/invoices.json", json={"invoice": {"buyer_name": "B", "positions": lines}}).json()
    first, second = (p["id"] for p in made["positions"])
    edit = [{"id": first, "quantity": 3}, {"id": second, "_destroy": 1}, {"name": "c", "quantity": 1, "price_net": 5}]
    updated = client.put(f"/invoices/{made['id']}.json", json={"invoice": {"positions": edit}}).json()
    assert [(p["name"], p["quantity"]) for p in updated["positions"]] == [("a", "3"), ("c", "1")]
    assert updated["positions"][0]["id"] == first and updated["positions"][1]["id"] not in (first, second)
    assert updated["price_net"] == "35.00"
    # the gross total kept from the create (12.30) is computed again from the new quantity: 36.90, + 5.00 (no rate)
    assert updated["positions"][0]["total_price_gross"] == "36.90" and updated["price_gross"] == "41.90"


def test_cloudinvoice_content_type_is_required_on_every_request(apps: dict[str, Starlette]) -> None:
    app = apps["cloudinvoice"]
    app.state.mock.reset()
    assert app.state.mock.servers["cloudinvoice"].api.data["x-content-type-required"] == "application/json"
    plain = CheckedClient(app, "cloudinvoice")
    plain.client.headers["Authorization"] = "Token " + demo_credentials("cloudinvoice")["CLOUDINVOICE_API_KEY"]
    for headers in ({}, {"Content-Type": "text/plain"}):
        for path in ("/", "/info/", "/clients/"):
            refused = plain.get(path, headers=headers)
            assert (refused.status_code, refused.json()["error_code"]) == (400, "unsupported_media_type"), path
    anonymous = CheckedClient(app, "cloudinvoice").get("/info/")
    assert (anonymous.status_code, anonymous.json()["error_code"]) == (401, "not_authenticated")
    client = api_client(app, "cloudinvoice")
    assert client.get("/").json() == {"status": "OK"} and client.get("/clients/").status_code == 200
    missing = client.get("/clients/999/")
    assert (missing.status_code, missing.json()["status_code"]) == (404, 404)
