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
