"""``SyncASGITransport``: sync httpx2 clients (ours, generated) drive the mock in-process, with no socket."""

from __future__ import annotations

import sys
import threading

import httpx2
import pytest

from apimodel.project import ROOT
from conformance.mock import SyncASGITransport, create_app, demo_credentials
from tests.mock.helpers import MINIBILL


def _client(**options: bool) -> httpx2.Client:
    return httpx2.Client(transport=SyncASGITransport(create_app([MINIBILL]), **options), base_url="http://mock")


def test_round_trip_keeps_state_and_headers() -> None:
    token = {"api_token": demo_credentials(str(MINIBILL))["MINI_TOKEN"]}
    with _client() as client:
        made = client.post("/minibill/invoices.json", params=token, json={"invoice": {"buyer_name": "Zed"}})
        assert made.status_code == 201 and made.headers["content-type"] == "application/json"
        listed = client.get("/minibill/invoices.json", params=token)
        assert [i["buyer_name"] for i in listed.json()] == ["Zed"]
        assert client.head("/minibill/invoices.json", params=token).content == b""


def test_threads_share_one_app_safely() -> None:
    token = {"api_token": demo_credentials(str(MINIBILL))["MINI_TOKEN"]}
    codes: list[int] = []
    with _client() as client:

        def work() -> None:
            for _ in range(10):
                codes.append(
                    client.post(
                        "/minibill/invoices.json", params=token, json={"invoice": {"buyer_name": "T"}}
                    ).status_code
                )

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        numbers = sorted(
            i["id"] for i in client.get("/minibill/invoices.json", params={**token, "per_page": 50}).json()
        )
    assert codes == [201] * 40 and numbers == list(range(1, 41))


def test_dropped_response_is_a_transport_error_and_crashes_are_500() -> None:
    with _client() as client, pytest.raises(httpx2.RemoteProtocolError):
        client.get("/minibill/invoices.json", headers={"X-Mock-Fault": "drop"})

    async def broken(scope: object, receive: object, send: object) -> None:
        raise ValueError("boom")

    with httpx2.Client(transport=SyncASGITransport(broken, raise_app_exceptions=False)) as client:
        assert client.get("http://mock/x").status_code == 500
    with httpx2.Client(transport=SyncASGITransport(broken)) as client, pytest.raises(ValueError, match="boom"):
        client.get("http://mock/x")


def test_transport_restarts_after_close() -> None:
    transport = SyncASGITransport(create_app([MINIBILL]))
    request = httpx2.Request("GET", "http://mock/minibill/nowhere")
    assert transport.handle_request(request).status_code == 404
    transport.close()
    assert transport.handle_request(request).status_code == 404
    transport.close()


def test_a_generated_client_drives_the_mock() -> None:
    sys.path.insert(0, str(ROOT / "generated" / "cloudinvoice"))
    try:
        import cloudinvoice_client
    finally:
        sys.path.remove(str(ROOT / "generated" / "cloudinvoice"))
    app = create_app(["cloudinvoice"])
    key = demo_credentials("cloudinvoice")["CLOUDINVOICE_API_KEY"]
    http = httpx2.Client(transport=SyncASGITransport(app))
    with cloudinvoice_client.Client(api_key=key, base_url="http://mock/cloudinvoice", http_client=http) as client:
        before = len(list(client.products.list()))
        made = http.post(
            "http://mock/cloudinvoice/products/",
            json={"code": "W1", "name": "Widget", "unit_price": "9.50"},
            headers={"Authorization": f"Token {key}"},
        ).json()
        assert len(list(client.products.list())) == before + 1
        assert client.products.retrieve(made["id"]).name == "Widget"
        with pytest.raises(cloudinvoice_client.APIStatusError, match="404"):  # not_found keeps its own status
            client.products.retrieve(987654)
