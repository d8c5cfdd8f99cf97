"""Integrators' own SDKs from PyPI pointed at the mock: Invoiced's ``invoiced`` at facturare, Fakturownia's
``fakturownia-client`` and ``fakturownia`` at bitfaktura.

``invoiced`` and ``fakturownia`` send with ``requests`` and offer no transport, so they talk to the mock over
loopback (127.0.0.1, a free port); ``fakturownia-client`` takes an ``httpx`` transport, so it drives the app
in-process through :class:`HttpxToMock`.

Every SDK also runs against ``specforge mock --workers 2 --state FILE``, a process of its own (the ``workers``
variant): a team's shared mock. The SDKs open a new connection per request (``requests.request``; the
``fakturownia-client`` transport keeps none alive), so the kernel spreads one test's requests over both workers,
and an object is often created through one worker and read, changed or paid through the other.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fakturownia.core
import fakturownia_client
import httpx
import httpx2
import invoiced
import pytest

from specforge.testing import MockedApi, Mocks
from tests.served import mock_process

# one process in memory (the default mock), or two workers sharing a state file
SERVED = [pytest.param("memory", id="memory"), pytest.param("workers", id="workers", marks=pytest.mark.slow)]


class HttpxToMock(httpx.BaseTransport):
    """An ``httpx`` transport that hands each request to the mock's in-process ``httpx2`` transport, under
    the API's mount (``https://acme.fakturownia.pl/invoices.json`` -> ``<mock>/bitfaktura/invoices.json``)."""

    def __init__(self, api: MockedApi) -> None:
        self.api = api
        # over loopback, a new connection per request (the SDK's own pool is this transport)
        self.inner = api.transport or httpx2.HTTPTransport(limits=httpx2.Limits(max_keepalive_connections=0))

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


Start = Callable[[str, bool], MockedApi]  # (API name, over loopback) -> the API, fresh for the test


@pytest.fixture(params=SERVED)
def start(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Start]:
    with contextlib.ExitStack() as cleanup:
        if request.param == "memory":
            mocks = cleanup.enter_context(Mocks())
            yield lambda name, loopback: mocks.start(name, loopback=loopback)
            return

        def workers(name: str, _: bool) -> MockedApi:
            state = str(tmp_path / f"{name}.sqlite")
            served = cleanup.enter_context(mock_process("--spec", name, "--workers", "2", "--state", state))
            url = served.urls[name]
            api = MockedApi(name, url, "loopback", tuple(served.tenants[name]), httpx2.Client(base_url=url))
            cleanup.callback(api.close)
            return api

        yield workers


@pytest.fixture
def invoiced_sdk(start: Start) -> Sdk:
    api = start("facturare", True)
    client = invoiced.Client(api.credentials["FACTURARE_API_KEY"])
    client.api_url = api.base_url
    bad = invoiced.Client("wrong-key")
    bad.api_url = api.base_url
    return Sdk(api, client, bad)


@pytest.fixture
def fakturownia_client_sdk(start: Start) -> Iterator[Sdk]:
    api = start("bitfaktura", False)
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
def fakturownia_sdk(start: Start) -> Sdk:
    api = start("bitfaktura", True)
    client = fakturownia.core.ApiClient(api.credentials["BITFAKTURA_API_TOKEN"], base_url=api.base_url + "/")
    bad = fakturownia.core.ApiClient("wrong/token", base_url=api.base_url + "/")
    return Sdk(api, client, bad)
