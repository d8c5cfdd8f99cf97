"""``specforge mock`` as a process: the banner names the port it really listens on (also for ``--port 0``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import httpx2
import pytest

from tests.mock.helpers import MINIBILL


@pytest.mark.slow
def test_port_zero_banner_prints_the_bound_port() -> None:
    entry = "from specforge.cli import main; main()"
    command = [sys.executable, "-c", entry, "mock", "--spec", str(MINIBILL), "--port", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.match(r"minibill: http://127\.0\.0\.1:(\d+)/minibill$", first.strip())
        assert match and match.group(1) != "0", first
        url = f"http://127.0.0.1:{match.group(1)}/minibill/invoices.json"
        deadline, status = time.monotonic() + 20, None
        while status is None and time.monotonic() < deadline:
            try:
                status = httpx2.get(url, timeout=2).status_code
            except httpx2.TransportError:
                time.sleep(0.1)
        assert status == 401  # it serves, and wants the token
    finally:
        process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.slow
def test_kept_alive_requests_do_not_wait_for_delayed_acks() -> None:
    """A correctness bound, not a benchmark: with Nagle's algorithm left on, every request on a kept-alive
    connection waited for the client's delayed ACK (about 40 ms, whatever the spec). Served right, a request
    to the mock over loopback takes a few milliseconds even on a loaded machine."""
    entry = "from specforge.cli import main; main()"
    command = [sys.executable, "-c", entry, "mock", "--spec", str(MINIBILL), "--port", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        port = re.findall(r":(\d+)/minibill", process.stdout.readline())[0]
        url = f"http://127.0.0.1:{port}/minibill/invoices.json"
        with httpx2.Client(timeout=5) as client:  # one connection, kept alive
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    client.get(url)
                    break
                except httpx2.TransportError:
                    time.sleep(0.1)
            timings = []
            for _ in range(15):
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
                assert response.status_code == 401
        timings.sort()
        assert timings[len(timings) // 2] < 0.020, [round(t * 1000, 1) for t in timings]
    finally:
        process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
