"""Serving the mock's ASGI application on bound sockets: in this process, or in one forked worker per socket.

Each worker listens on a socket of its own, all bound to one port with ``SO_REUSEPORT`` (the kernel spreads
new connections over them), and the workers share the mock's state through its SQLite file. The parent only
forwards SIGINT and SIGTERM and waits; when one worker dies, it stops the others and says which one and how.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
from types import FrameType
from typing import Any

__all__ = ["serve"]


def _run(app: Any, sock: socket.socket) -> None:
    import uvicorn

    from conformance.mock.wire import http_protocol

    # the loaded specs, schemas and samples live as long as the server: out of the collector's reach, a full
    # collection no longer walks them in the middle of a request (a p99 spike of several ms on a big spec)
    gc.collect()
    gc.freeze()

    # no proxy headers: the mock serves a developer or a CI job directly, and the middleware costs every request
    settling = _Settling(app)
    config = uvicorn.Config(settling, log_level="warning", proxy_headers=False, http=http_protocol(settling))
    uvicorn.Server(config).run(sockets=[sock])


_READS = frozenset(("GET", "HEAD", "OPTIONS"))


class _Settling:
    """The app, with what its writes stored moved out of the cyclic collector's reach every ``WRITES`` writes.

    The objects the mock stores are plain JSON data, freed by reference counting when deleted or replaced, never
    cyclic garbage. Left to the collector, each full collection walks all of them, and those come more often the
    faster the store grows: during a run of creates, pauses of tens of ms put the p99 of facturare's create at 23-39
    ms against 6 ms with the collector off (wrk, 8 connections). ``gc.freeze()`` takes no time; what it could keep
    from the collector is cyclic garbage alive at that moment, between two requests: next to nothing.
    """

    WRITES = 2000

    def __init__(self, app: Any) -> None:
        self.app, self.writes = app, 0

    @property
    def state(self) -> Any:
        """The app's state: the fast path finds the mock's other calls there (``hold_writes``, ``release_writes``)."""
        return self.app.state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self._count(scope["method"])

    def quick(self, method: str, path: str, query: bytes, headers: list[tuple[bytes, bytes]]) -> Any:
        """The mock's fast path (:func:`conformance.mock.wire.quick_of`), counted like the ASGI one."""
        answer = self.app.state.mock.quick(method, path, query, headers)
        if answer is None or method in _READS:
            return answer

        def counted(body: bytes) -> Any:
            self._count(method)
            return answer(body)

        return counted

    def _count(self, method: str) -> None:
        if method not in _READS:
            self.writes += 1
            if self.writes >= self.WRITES:
                self.writes = 0
                gc.freeze()


def serve(app: Any, socks: list[socket.socket]) -> int:
    """Serve until told to stop, one worker per socket; the exit code (0, or 1 when a worker died on its own)."""
    if len(socks) == 1:
        _run(app, socks[0])
        return 0
    shared = app.state.mock.shared
    if shared is not None:
        shared.close()  # a SQLite connection must not cross a fork: each worker opens its own
    children: list[int] = []
    for sock in socks:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child; the tests see it over loopback
            code = 1
            try:
                for other in socks:
                    if other is not sock:
                        other.close()
                _run(app, sock)
                code = 0
            finally:
                sys.stdout.flush()
                os._exit(code)
        children.append(pid)
    stopping = False

    def forward(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    code = 0
    while children:
        pid, status = os.waitpid(-1, 0)
        if pid not in children:
            continue
        children.remove(pid)
        if not stopping:
            print(f"specforge mock: worker {pid} stopped ({_describe(status)}); stopping the others", file=sys.stderr)
            code = 1
            forward(signal.SIGTERM, None)
    return code


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"
