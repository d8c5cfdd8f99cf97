"""``specforge mock`` run the way a user runs it: a process of its own on 127.0.0.1 at a free port, its banner read
back (each API's base URL and its demo tenants' credentials), stopped and its pipes closed however the block ends."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2

ENTRY = "from specforge.cli import main; main()"


@dataclass
class MockProcess:
    process: subprocess.Popen[bytes]
    banner: list[str]
    urls: dict[str, str] = field(default_factory=dict)  # API name -> base URL
    tenants: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # API name -> tenants' credentials

    @property
    def port(self) -> int:
        return int(re.findall(r":(\d+)/", next(iter(self.urls.values())))[0])


def _first_line(stream: int, deadline: float) -> str:
    """The banner's first line, read byte by byte (nothing past it is taken from the pipe)."""
    line = b""
    while not line.endswith(b"\n"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no banner from the mock; it printed {line!r}")
        chunk = os.read(stream, 1)
        if not chunk:
            raise RuntimeError(f"the mock exited before its banner; it printed {line!r}")
        line += chunk
    return line.decode()


def _parse(lines: list[str], served: MockProcess) -> None:
    api = ""
    for line in lines:
        if match := re.fullmatch(r"([\w.-]+): (http://\S+)", line):
            api = match.group(1)
            served.urls[api], served.tenants[api] = match.group(2), []
        elif match := re.fullmatch(r"  tenant \d+: (.*)", line):
            pairs = (pair.split("=", 1) for pair in match.group(1).split() if "=" in pair)
            served.tenants[api].append(dict(pairs))


@contextlib.contextmanager
def stopping(process: subprocess.Popen[Any]) -> Iterator[subprocess.Popen[Any]]:
    """``process`` sent SIGTERM and waited for, and its pipes closed, however the block ends."""
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@contextlib.contextmanager
def mock_process(*args: str, timeout: float = 30.0) -> Iterator[MockProcess]:
    """``specforge mock --port 0 ARGS``, yielded once its first API answers (any status) over loopback.

    The banner is printed before the server starts, so by then all of it is in the pipe: it is read without
    waiting for more. The process is sent SIGTERM on the way out; its exit code is ``process.returncode``."""
    command = [sys.executable, "-c", ENTRY, "mock", "--port", "0", *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with stopping(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)) as process:
        assert process.stdout is not None
        deadline = time.monotonic() + timeout
        try:
            first = _first_line(process.stdout.fileno(), deadline)
        except RuntimeError as exc:
            said = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"{exc}; on stderr: {said.strip()!r}") from None
        served = MockProcess(process, [first.rstrip("\n")])
        _parse(served.banner, served)
        if not served.urls:
            raise RuntimeError(f"the mock's banner names no API: {first!r}")
        url = next(iter(served.urls.values()))
        while True:
            try:
                httpx2.get(url, timeout=2)
                break
            except httpx2.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the mock did not answer at {url} (exit code {process.returncode})") from None
                time.sleep(0.05)
        os.set_blocking(process.stdout.fileno(), False)
        rest = process.stdout.read() or b""
        served.banner += rest.decode().splitlines()
        _parse(served.banner, served)
        yield served
