"""Generated clients driving the in-process mock: import, credentials, and a transport that can fault once."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import httpx2
import pytest

from apimodel.project import GENERATED_DIR
from conformance.mock import MockConfig, create_app, demo_credentials
from conformance.mock.transport import SyncASGITransport

__all__ = ["FaultOnce", "Loop", "client_module", "loop"]


def client_module(api: str) -> ModuleType:
    """``<api>_client`` from ``generated/<api>``; skips with the command to run when it is not generated."""
    folder = GENERATED_DIR / api
    if not (folder / f"{api}_client" / "__init__.py").exists():
        pytest.skip(f"generated/{api} does not exist; run `specforge generate {api}`")
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return importlib.import_module(f"{api}_client")


class FaultOnce(httpx2.BaseTransport):
    """Sends through the mock; after ``arm(kind)`` the next request asks the mock for that fault (once)."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner
        self.armed: str | None = None
        self.sent: list[tuple[str, str, int]] = []
        self.chaos: list[str] = []  # each response's X-Mock-Chaos (what chaos mode changed), "" when none

    def arm(self, kind: str) -> None:
        self.armed = kind

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if self.armed is not None:
            # A copy: the client resends its own request object when it retries.
            headers = {**request.headers, "X-Mock-Fault": self.armed}
            request = httpx2.Request(request.method, request.url, headers=headers, content=request.content)
            self.armed = None
        response = self.inner.handle_request(request)
        self.sent.append((request.method, request.url.path, response.status_code))
        self.chaos.append(response.headers.get("x-mock-chaos", ""))
        return response


@dataclass
class Loop:
    """One API's generated client against a fresh mock; ``bad`` uses credentials the mock rejects."""

    api: str
    module: ModuleType
    types: ModuleType
    transport: FaultOnce
    client: Any
    bad: Any
    credentials: dict[str, str] = field(repr=False, default_factory=dict)


def loop(api: str, monkeypatch: pytest.MonkeyPatch, config: MockConfig | None = None) -> Iterator[Loop]:
    module = client_module(api)
    credentials = demo_credentials(api)
    transport = FaultOnce(SyncASGITransport(create_app([api], config=config)))
    base = f"http://mock/{api}"
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    client = module.Client(base_url=base, http_client=httpx2.Client(transport=transport))
    for name, value in credentials.items():
        monkeypatch.setenv(name, "wrong" + value[5:])
    bad = module.Client(base_url=base, http_client=httpx2.Client(transport=transport))
    try:
        types = importlib.import_module(f"{api}_client.types")
        yield Loop(api, module, types, transport, client, bad, credentials)
    finally:
        client.close()
        bad.close()
