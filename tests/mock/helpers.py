"""A client for the in-process mock that checks every response against the spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.testclient import TestClient

from conformance.mock import validate_response

__all__ = ["MINIBILL", "CheckedClient"]

MINIBILL = Path(__file__).parent / "specs" / "minibill.yaml"


class CheckedClient:
    """Sends requests to one API of the app and fails the test on any non-conforming response."""

    def __init__(self, app: Starlette, api: str) -> None:
        self.app, self.api = app, api
        self.model = app.state.mock.servers[api].api
        self.client = TestClient(app, base_url="http://mock", raise_server_exceptions=True)
        self.checked = 0

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
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

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)
