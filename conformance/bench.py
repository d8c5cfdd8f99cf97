"""Timing a conformance run of our APIs against the mock, in-process or over loopback (for benchmarks/)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from apimodel.project import API_NAMES
from conformance.engine import ApiResult, ConformOptions
from conformance.presets import QUICK
from conformance.suite import ConformError, run_against_mock

__all__ = ["ConformanceTiming", "serve_mock", "time_conformance"]

Mode = Literal["in-process", "loopback"]


@dataclass(frozen=True)
class ConformanceTiming:
    """One timed run: wall time, test cases and drift, in total and per API."""

    mode: Mode
    seconds: float
    test_cases: int
    drifts: int
    results: tuple[ApiResult, ...]

    @property
    def cases_per_second(self) -> float:
        return self.test_cases / self.seconds if self.seconds > 0 else 0.0

    def per_api(self) -> list[tuple[str, float, int]]:
        """``(api, seconds, test cases)`` per API."""
        return [(r.api, r.elapsed, r.test_cases) for r in self.results]


@contextmanager
def serve_mock(apis: Sequence[str], *, app: Any = None, start_timeout: float = 20.0) -> Iterator[str]:
    """The mock (or ``app``) served by uvicorn on 127.0.0.1, a free port, in a thread.

    Yields ``http://127.0.0.1:PORT/{api}``; the server stops when the block ends.
    """
    import uvicorn

    import conformance.mock as mock
    from conformance.mock.wire import http_protocol

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = app or mock.create_app(list(apis))
    config = uvicorn.Config(app, http=http_protocol(app), log_level="error", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            sock.close()
            raise ConformError(f"the mock did not start on 127.0.0.1:{port} within {start_timeout:.0f}s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/{{api}}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def time_conformance(
    apis: Sequence[str] = API_NAMES, *, mode: Mode = "in-process", options: ConformOptions = QUICK
) -> ConformanceTiming:
    """Conform ``apis`` against a fresh mock and time it; ``loopback`` sends real HTTP to 127.0.0.1.

    Raises ``ConformError`` (one line) when the mock is missing or does not start.
    """
    started = time.perf_counter()
    results: list[ApiResult]
    if mode == "loopback":
        with serve_mock(apis) as url:
            results = run_against_mock(apis, options, base_url=url)
    else:
        results = run_against_mock(apis, options)
    seconds = time.perf_counter() - started
    return ConformanceTiming(
        mode=mode,
        seconds=seconds,
        test_cases=sum(r.test_cases for r in results),
        drifts=sum(len(r.drifts) for r in results),
        results=tuple(results),
    )


def _main(argv: Any = None) -> None:  # python -m conformance.bench [loopback]
    import sys

    mode: Mode = "loopback" if "loopback" in (argv or sys.argv[1:]) else "in-process"
    timing = time_conformance(mode=mode)
    for api, seconds, cases in timing.per_api():
        print(f"{api:13} {seconds:7.1f}s {cases:6d} cases")
    print(f"{mode}: {timing.seconds:.1f}s, {timing.test_cases} cases, {timing.cases_per_second:.0f} cases/s")


if __name__ == "__main__":
    _main()
