"""A client for the in-process mock that checks every response against the spec."""

from __future__ import annotations

import base64
import copy
from pathlib import Path
from typing import Any

import httpx2
from starlette.applications import Starlette

from conformance.mock import SyncASGITransport, demo_credentials, validate_response

__all__ = ["MINIBILL", "CheckedClient", "api_client", "auth_headers", "example", "fresh_client"]

MINIBILL = Path(__file__).parent / "specs" / "minibill.yaml"


class CheckedClient:
    """Sends requests to one API of the app and fails the test on any non-conforming response."""

    def __init__(self, app: Starlette, api: str) -> None:
        self.app, self.api = app, api
        self.model = app.state.mock.servers[api].api
        self.client = httpx2.Client(transport=SyncASGITransport(app), base_url="http://mock")
        self.checked = 0

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx2.Response:
        response = self.client.request(method, f"/{self.api}{path}", **kwargs)
        if response.status_code >= 500 and response.status_code not in (500, 503):
            raise AssertionError(f"{method} {path}: unexpected {response.status_code}")
        problems = validate_response(
            self.model,
            method,
            path.split("?")[0],
            response.status_code,
            response.headers.get("content-type", ""),
            response.content,
        )
        assert not problems, [str(p) for p in problems]
        self.checked += 1
        return response

    def get(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self.request("DELETE", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx2.Response:
        return self.request("PATCH", path, **kwargs)


def auth_headers(api: str, tenant: int = 0) -> dict[str, str]:
    """Headers carrying ``tenant``'s demo credentials for one of our APIs (header/Basic schemes)."""
    creds = demo_credentials(api, tenant)
    if api == "facturare":
        return {"Authorization": "Basic " + base64.b64encode(f"{creds['FACTURARE_API_KEY']}:".encode()).decode()}
    if api == "efactori":
        return {"X-COMPANY-UUID": creds["EFACTORI_COMPANY_UUID"], "X-SESSION-KEY": creds["EFACTORI_SESSION_KEY"]}
    if api == "cloudinvoice":
        return {"Authorization": f"Token {creds['CLOUDINVOICE_API_KEY']}", "Content-Type": "application/json"}
    return {}


def api_client(app: Starlette, api: str, tenant: int = 0) -> CheckedClient:
    """A checked client of one of our APIs that sends ``tenant``'s credentials on every request."""
    client = CheckedClient(app, api)
    client.client.headers.update(auth_headers(api, tenant))
    if api == "bitfaktura":
        client.client.params = client.client.params.set(
            "api_token", demo_credentials(api, tenant)["BITFAKTURA_API_TOKEN"]
        )
    return client


def fresh_client(apps: dict[str, Starlette], api: str, tenant: int = 0) -> CheckedClient:
    """A checked client of ``api`` (one of ``apps``, by name) whose mock state was just reset."""
    apps[api].state.mock.reset()
    return api_client(apps[api], api, tenant)


def example(app: Starlette, api: str, method: str, path: str, media: str = "application/json") -> Any:
    """The request body example an operation of the spec shows (its first one)."""
    model = app.state.mock.servers[api].api
    body = model.schemas.resolve(model.data["paths"][path][method]["requestBody"])
    content = body["content"][media]
    if "example" in content:
        return copy.deepcopy(content["example"])
    return copy.deepcopy(model.schemas.resolve(next(iter(content["examples"].values())))["value"])
