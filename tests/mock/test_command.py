"""``specforge mock`` as a process: the banner names the port it really listens on (also for ``--port 0``)."""

from __future__ import annotations

import re
import time

import httpx2
import pytest

from tests.mock.helpers import MINIBILL
from tests.served import mock_process


@pytest.mark.slow
def test_port_zero_banner_prints_the_bound_port() -> None:
    with mock_process("--spec", str(MINIBILL)) as served:
        assert re.fullmatch(r"minibill: http://127\.0\.0\.1:(\d+)/minibill", served.banner[0]), served.banner
        assert served.port != 0
        assert httpx2.get(f"{served.urls['minibill']}/invoices.json", timeout=5).status_code == 401  # wants the token


@pytest.mark.slow
def test_kept_alive_requests_do_not_wait_for_delayed_acks() -> None:
    """A correctness bound, not a benchmark: with Nagle's algorithm left on, every request on a kept-alive
    connection waited for the client's delayed ACK (about 40 ms, whatever the spec). Served right, a request
    to the mock over loopback takes a few milliseconds even on a loaded machine."""
    with mock_process("--spec", str(MINIBILL)) as served, httpx2.Client(timeout=5) as client:  # one connection
        url = f"{served.urls['minibill']}/invoices.json"
        assert client.get(url).status_code == 401
        timings = []
        for _ in range(15):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 401
    timings.sort()
    assert timings[len(timings) // 2] < 0.020, [round(t * 1000, 1) for t in timings]
