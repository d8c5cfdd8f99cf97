"""``SyncASGITransport``: sync ``httpx2`` clients drive an ASGI app in-process, with no socket.

The app runs on an event loop in a worker thread owned by an anyio blocking portal; each request
is handed to that loop and the calling thread waits for the whole response.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import MutableMapping
from typing import Any

import anyio
import httpx2
from anyio.from_thread import BlockingPortal

__all__ = ["SyncASGITransport"]


class SyncASGITransport(httpx2.BaseTransport):
    """An ``httpx2.BaseTransport`` that sends each request to ``app`` (an ASGI application).

    ``raise_app_exceptions=False`` turns an exception raised by the app before it answers into a
    500 response. An app that starts a response and then fails (the mock's ``drop`` fault) shows
    up as ``httpx2.RemoteProtocolError``, as a cut connection would. Close the transport (or the
    client that owns it) to stop the portal's thread; it restarts on the next request.
    """

    def __init__(
        self,
        app: Any,
        *,
        raise_app_exceptions: bool = True,
        root_path: str = "",
        client: tuple[str, int] = ("127.0.0.1", 123),
    ) -> None:
        self.app = app
        self.raise_app_exceptions = raise_app_exceptions
        self.root_path = root_path
        self.client = client
        self._lock = threading.Lock()
        self._portal: BlockingPortal | None = None
        self._thread: threading.Thread | None = None

    def _get_portal(self) -> BlockingPortal:
        with self._lock:
            if self._portal is None:
                found: list[BlockingPortal] = []
                ready = threading.Event()
                # a daemon thread: a transport nobody closed must not keep the interpreter alive
                thread = threading.Thread(target=_serve, args=(found, ready), name="mock-asgi-portal", daemon=True)
                thread.start()
                ready.wait()
                self._portal, self._thread = found[0], thread
                weakref.finalize(self, _stop, found[0], thread)
            return self._portal

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = request.read()
        status, headers, content = self._get_portal().call(self._run, request, body)
        return httpx2.Response(status, headers=headers, content=content, request=request)

    async def _run(self, request: httpx2.Request, body: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(k.lower(), v) for k, v in request.headers.raw],
            "scheme": request.url.scheme,
            "path": request.url.path,
            "raw_path": request.url.raw_path.split(b"?")[0],
            "query_string": request.url.query,
            "server": (request.url.host, request.url.port),
            "client": self.client,
            "root_path": self.root_path,
        }
        sent = False
        done = anyio.Event()
        status: int | None = None
        headers: list[tuple[bytes, bytes]] = []
        parts: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await done.wait()
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = int(message["status"]), list(message.get("headers") or [])
            elif message["type"] == "http.response.body":
                if message.get("body") and request.method != "HEAD":
                    parts.append(bytes(message["body"]))
                if not message.get("more_body", False):
                    done.set()

        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            if status is not None and not done.is_set():
                raise httpx2.RemoteProtocolError(
                    "the server closed the connection mid-response", request=request
                ) from exc
            if self.raise_app_exceptions or status is not None:
                raise
            return 500, [], b""
        if status is None:
            raise httpx2.RemoteProtocolError("the app returned without a response", request=request)
        return status, headers, b"".join(parts)

    def close(self) -> None:
        with self._lock:
            portal, thread, self._portal, self._thread = self._portal, self._thread, None, None
        if portal is not None and thread is not None:
            _stop(portal, thread)


def _serve(found: list[BlockingPortal], ready: threading.Event) -> None:
    async def main() -> None:
        async with BlockingPortal() as portal:
            found.append(portal)
            ready.set()
            await portal.sleep_until_stopped()

    anyio.run(main)


def _stop(portal: BlockingPortal, thread: threading.Thread) -> None:
    if thread.is_alive() and thread is not threading.current_thread():
        with contextlib.suppress(RuntimeError):  # already stopped
            portal.call(portal.stop)
        thread.join(timeout=5)
