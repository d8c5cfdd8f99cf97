"""Mock behaviour driven by x- extensions, on a small inline spec; every response is checked against it."""

from __future__ import annotations

import httpx2
import pytest

from conformance.mock import MockConfig, create_app, demo_credentials
from tests.mock.helpers import MINIBILL, CheckedClient

BODY = {
    "invoice": {
        "buyer_name": "Acme",
        "kind": "vat",
        "issue_date": "2024-01-10",
        "paid": "1",
        "positions": [{"name": "A", "quantity": 2, "price": "10.50"}, {"name": "B", "quantity": 1, "price": "4"}],
    }
}


@pytest.fixture
def client() -> CheckedClient:
    return CheckedClient(create_app([MINIBILL]), "minibill")


def token(tenant: int = 0) -> dict[str, str]:
    return {"api_token": demo_credentials(str(MINIBILL), tenant)["MINI_TOKEN"]}


def test_create_fills_ids_numbers_totals_and_coerces(client: CheckedClient) -> None:
    first = client.post("/invoices.json", params=token(), json=BODY)
    second = client.post("/invoices.json", params=token(), json=BODY)
    assert first.status_code == 201
    data = first.json()
    assert (data["id"], data["number"]) == (1, "FV/0001")
    assert second.json()["number"] == "FV/0002"
    assert data["price_gross"] == "25.00"
    assert [p["total"] for p in data["positions"]] == ["21.00", "4.00"]
    assert data["paid"] is True and data["status"] == "issued"
    assert client.get("/invoices/1.json", params=token()).json() == data


def test_validation_uses_the_api_envelope(client: CheckedClient) -> None:
    response = client.post("/invoices.json", params=token(), json={"invoice": {"buyer_name": ""}})
    assert response.status_code == 422
    assert response.json()["code"] == "error"
    assert "invoice.buyer_name" in response.json()["message"]
    bad_json = client.post(
        "/invoices.json", params=token(), content=b"{nope", headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 422
    wrong_type = client.post("/invoices.json", params=token(), content=b"x", headers={"content-type": "text/plain"})
    assert wrong_type.status_code == 415
    assert client.get("/invoices.json", params={**token(), "per_page": "zero"}).status_code == 422


def test_auth_alternatives_and_tenant_isolation(client: CheckedClient) -> None:
    creds0, creds1 = demo_credentials(str(MINIBILL), 0), demo_credentials(str(MINIBILL), 1)
    assert client.post("/invoices.json", json=BODY).status_code == 401
    assert client.post("/invoices.json", params={"api_token": "nope"}, json=BODY).status_code == 401
    made = client.post("/invoices.json", headers={"Authorization": f"Bearer {creds0['MINI_TOKEN']}"}, json=BODY)
    assert made.status_code == 201
    mixed = {"X-Key": creds0["MINI_KEY"], "X-Company-UUID": creds1["MINI_COMPANY_UUID"]}
    assert client.get("/invoices/1.json", headers=mixed).status_code == 403
    own = {"X-Key": creds0["MINI_KEY"], "X-Company-UUID": creds0["MINI_COMPANY_UUID"]}
    assert client.get("/invoices/1.json", headers=own).status_code == 200
    assert client.get("/invoices/1.json", params=token(1)).status_code == 404
    assert client.get("/invoices.json", params=token(1)).json() == []
    assert client.request("DELETE", "/invoices/1.json", params=token(1)).status_code == 404
    assert client.get("/invoices/1.json", params=token()).status_code == 200


def test_update_delete_and_actions(client: CheckedClient) -> None:
    client.post("/invoices.json", params=token(), json=BODY)
    updated = client.request("PUT", "/invoices/1.json", params=token(), json={"invoice": {"buyer_name": "Beta"}})
    assert updated.json()["buyer_name"] == "Beta" and updated.json()["number"] == "FV/0001"
    assert client.post("/invoices/1/void.json", params=token()).json() == {"id": 1, "code": "success"}
    assert client.get("/invoices/1.json", params=token()).json()["status"] == "voided"
    changed = client.post("/invoices/1/change_status.json", params={**token(), "status": "paid"})
    assert changed.json()["status"] == "paid"
    assert client.request("DELETE", "/invoices/1.json", params=token()).status_code == 204
    assert client.get("/invoices/1.json", params=token()).status_code == 404


def test_filters_sorting_and_link_pagination(client: CheckedClient) -> None:
    for name, kind, day in [
        ("Zeta", "vat", "2024-01-05"),
        ("Alpha", "proforma", "2024-02-05"),
        ("Mid", "vat", "2024-03-05"),
    ]:
        body = {"invoice": {**BODY["invoice"], "buyer_name": name, "kind": kind, "issue_date": day}}
        client.post("/invoices.json", params=token(), json=body)
    names = lambda r: [o["buyer_name"] for o in r.json()]  # noqa: E731
    assert names(client.get("/invoices.json", params={**token(), "kind": "vat"})) == ["Zeta", "Mid"]
    assert names(client.get("/invoices.json", params={**token(), "order": "buyer_name.desc"})) == [
        "Zeta",
        "Mid",
        "Alpha",
    ]
    assert names(client.get("/invoices.json", params={**token(), "q": "alp"})) == ["Alpha"]
    assert names(client.get("/invoices.json", params={**token(), "filter[kind]": "proforma"})) == ["Alpha"]
    period = {"period": "more", "date_from": "2024-02-01", "date_to": "2024-03-31"}
    assert names(client.get("/invoices.json", params={**token(), **period})) == ["Alpha", "Mid"]
    page = client.get("/invoices.json", params={**token(), "per_page": 2, "page": 1})
    assert len(page.json()) == 2 and page.headers["X-Total-Count"] == "3"
    assert 'rel="next"' in page.headers["Link"]
    last = client.get("/invoices.json", params={**token(), "per_page": 2, "page": 2})
    assert names(last) == ["Mid"] and 'rel="next"' not in last.headers["Link"]


def test_views_return_the_document(client: CheckedClient) -> None:
    client.post("/invoices.json", params=token(), json=BODY)
    pdf = client.get("/invoices/1.pdf", params=token())
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    xml = client.get("/invoices/1.xml", params=token()).text
    assert "<number>FV/0001</number>" in xml and "<total>21.00</total>" in xml and "<price_gross>25.00" in xml
    assert client.get("/invoices/9.pdf", params=token()).status_code == 404


def test_prefer_and_faults(client: CheckedClient) -> None:
    assert client.get("/invoices.json", params=token(), headers={"Prefer": "code=404"}).status_code == 404
    limited = client.get("/invoices.json", params=token(), headers={"X-Mock-Fault": "429"})
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    assert client.get("/invoices.json", params=token(), headers={"X-Mock-Fault": "500"}).status_code == 500
    with pytest.raises(httpx2.RemoteProtocolError):
        client.client.get("/minibill/invoices.json", params=token(), headers={"X-Mock-Fault": "drop"})


def test_configured_faults_are_repeatable() -> None:
    config = MockConfig(fault_rate=0.5, faults=("503",), random_seed=7)
    runs = []
    for _ in range(2):
        client = CheckedClient(create_app([MINIBILL], config=config), "minibill")
        runs.append([client.get("/invoices.json", params=token()).status_code for _ in range(20)])
    assert runs[0] == runs[1] and {200, 500} <= set(runs[0]) | {500} and 200 in runs[0]
    assert any(code != 200 for code in runs[0])


def test_robustness(client: CheckedClient) -> None:
    assert client.get("/nowhere").status_code == 404
    assert client.request("PATCH", "/invoices.json", params=token()).status_code == 405
    deep: object = "x"
    for _ in range(200):
        deep = [deep]
    nested = client.post("/invoices.json", params=token(), json={"invoice": {"buyer_name": "x", "positions": deep}})
    assert nested.status_code == 422
    odd = client.post("/invoices.json", params=token(), json={"invoice": {"buyer_name": "\u202e\ud7ff\U0001f600\x00"}})
    assert odd.status_code == 201 and odd.json()["buyer_name"] == "\u202e\ud7ff\U0001f600\x00"
    small = CheckedClient(create_app([MINIBILL], config=MockConfig(max_body_bytes=100)), "minibill")
    assert small.post("/invoices.json", params=token(), content=b" " * 1000).status_code == 413


def test_seed_data_and_reset() -> None:
    app = create_app([MINIBILL], config=MockConfig(seed_data=True))
    client = CheckedClient(app, "minibill")
    assert len(client.get("/invoices.json", params=token()).json()) == 3
    assert len(client.get("/invoices.json", params=token(1)).json()) == 3
    client.post("/invoices.json", params=token(), json=BODY)
    app.state.mock.reset()
    assert len(client.get("/invoices.json", params=token()).json()) == 3
