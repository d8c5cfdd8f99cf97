"""Integrators' own SDKs from PyPI pointed at the mock: Invoiced's ``invoiced`` at facturare, Fakturownia's
``fakturownia-client`` and ``fakturownia`` at bitfaktura.

``invoiced`` and ``fakturownia`` send with ``requests`` and offer no transport, so they talk to the mock over
loopback (127.0.0.1, a free port); ``fakturownia-client`` takes an ``httpx`` transport, so it drives the app
in-process through :class:`HttpxToMock`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import fakturownia.core
import fakturownia_client
import httpx
import httpx2
import invoiced
import pytest

from specforge.testing import MockedApi, Mocks


class HttpxToMock(httpx.BaseTransport):
    """An ``httpx`` transport that hands each request to the mock's in-process ``httpx2`` transport, under
    the API's mount (``https://acme.fakturownia.pl/invoices.json`` -> ``<mock>/bitfaktura/invoices.json``)."""

    def __init__(self, api: MockedApi) -> None:
        assert api.transport is not None
        self.api, self.inner = api, api.transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = self.api.base_url + request.url.raw_path.decode("ascii")
        forwarded = httpx2.Request(request.method, url, headers=list(request.headers.raw), content=request.read())
        answer = self.inner.handle_request(forwarded)
        return httpx.Response(answer.status_code, headers=list(answer.headers.raw), content=answer.read())


@dataclass
class Sdk:
    """One SDK's client bound to the mock, the mock itself, and a client whose key the mock refuses."""

    api: MockedApi
    client: Any
    bad: Any


@pytest.fixture
def mocks() -> Iterator[Mocks]:
    with Mocks() as started:
        yield started


@pytest.fixture
def invoiced_sdk(mocks: Mocks) -> Sdk:
    api = mocks.start("facturare", loopback=True)
    client = invoiced.Client(api.credentials["FACTURARE_API_KEY"])
    client.api_url = api.base_url
    bad = invoiced.Client("wrong-key")
    bad.api_url = api.base_url
    return Sdk(api, client, bad)


@pytest.fixture
def fakturownia_client_sdk(mocks: Mocks) -> Iterator[Sdk]:
    api = mocks.start("bitfaktura")
    token = api.credentials["BITFAKTURA_API_TOKEN"]
    client = fakturownia_client.FakturowniaClient(
        "acme.fakturownia.pl", token, transport=HttpxToMock(api), max_retries=0
    )
    bad = fakturownia_client.FakturowniaClient(
        "acme.fakturownia.pl", "wrong-token", transport=HttpxToMock(api), max_retries=0
    )
    yield Sdk(api, client, bad)
    client.close()
    bad.close()


@pytest.fixture
def fakturownia_sdk(mocks: Mocks) -> Sdk:
    api = mocks.start("bitfaktura", loopback=True)
    client = fakturownia.core.ApiClient(api.credentials["BITFAKTURA_API_TOKEN"], base_url=api.base_url + "/")
    bad = fakturownia.core.ApiClient("wrong/token", base_url=api.base_url + "/")
    return Sdk(api, client, bad)
