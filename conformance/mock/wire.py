"""The mock's HTTP/1.1 protocol on uvicorn: simple requests answered on the spot, each answer in one write.

uvicorn runs every request as an ASGI task: a coroutine chain through the application and its middleware,
``receive`` and ``send`` messages, and the answer's head and body checked and written apart. The mock computes
its answers synchronously, so for a plain request (HTTP/1.1, a body of known and modest size, no ``Expect``, no
upgrade, no injected fault) :class:`OneWriteProtocol` asks the application for the answer as soon as the request
is complete and writes it in one piece, without a task: about a third of what a petstore retrieve cost the server
went into that machinery. Everything else (and every request while an ASGI answer is under way, so that
pipelined answers keep their order) goes through uvicorn and the application as before.

On that path too, uvicorn writes a response's status line and headers as soon as the app starts the response,
and the body when the app sends it: two ``send`` calls on the socket, and two segments the client reads. The mock
always sends its body at once, so the head is held back until the body's first write (or the end of the
response, or the connection's close) and they go out together. A ``100 Continue`` goes out at once.

Without ``httptools`` it is uvicorn's choice, as before.
"""

from __future__ import annotations

import asyncio
import logging
import urllib.parse
from collections.abc import Callable
from typing import Any

__all__ = ["QUICK_BODY", "Answer", "http_protocol", "quick_of"]

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]  # status, headers as sent (the length among them), body
Quick = Callable[[str, str, bytes, list[tuple[bytes, bytes]]], Callable[[bytes], Answer] | None]

QUICK_BODY = 64 * 1024  # a larger body (or one of unknown length) is read by the application, as it comes
_FAILED = (500, [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"21")], b"Internal Server Error")
_log = logging.getLogger("uvicorn.error")


class _HeldHead:
    """The connection's transport, with the first write of each response held until the next write."""

    __slots__ = ("_fresh", "_held", "_transport")

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._held: bytes | None = None
        self._fresh = True  # the next write is a response's first: its head

    def write(self, data: bytes) -> None:
        if self._fresh and data[:9] == b"HTTP/1.1 ":
            if data[9:10] == b"1":  # an interim answer (100 Continue) goes out now; the head follows later
                self._transport.write(data)
                return
            self._fresh = False
            self._held = data
            return
        self._fresh = False
        held = self._held
        if held is not None:
            self._held = None
            data = held + data
        self._transport.write(data)

    def whole(self, data: bytes) -> None:
        """A whole answer, head and body: written now (nothing is held between two answers)."""
        self._transport.write(data)

    def flush(self) -> None:
        """The response is over: what is held goes out, and the next write begins another response."""
        held, self._held, self._fresh = self._held, None, True
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def quick_of(app: Any, name: str = "quick") -> Any:
    """The fast path's answerer of ``app``: its own ``quick``, or its mock's (``app.state.mock.quick``); ``name``:
    another of the fast path's calls (``hold_writes``, ``release_writes``), found the same way."""
    quick = getattr(app, name, None)
    if quick is None:
        mock = getattr(getattr(app, "state", None), "mock", None)
        quick = getattr(mock, name, None)
    return quick if callable(quick) else None


class _Turn:
    """The answers given in one turn of the event loop, held until what their requests wrote is committed once
    for all of them (a group commit: ``hold_writes`` and ``release_writes``, where the app keeps a state file)."""

    __slots__ = ("answers", "hold", "open", "release")

    def __init__(self, hold: Callable[[], bool] | None, release: Callable[[], None] | None) -> None:
        self.hold = hold if release is not None else None
        self.release = release
        self.answers: list[tuple[Any, bytes, bool]] = []  # protocol, answer, keep-alive
        self.open = False

    def take(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Before a request is answered: whether its answer waits for the turn's commit."""
        if self.hold is None:
            return False
        if not self.hold():
            self.hold = None  # no state file: nothing is ever committed, no answer ever waits
            return False
        if not self.open:
            self.open = True
            loop.call_soon(self.end)  # after every request of this turn: the loop runs it once they are answered
        return True

    def end(self) -> None:
        self.open = False
        answers, self.answers = self.answers, []
        assert self.release is not None
        try:
            self.release()
        except Exception as exc:  # none of the answers stands: what they say is not in the state file
            _log.error("Exception in ASGI application\n", exc_info=exc)
            answers = [(protocol, protocol.failed(), False) for protocol, _, _ in answers]
        for protocol, data, keep_alive in answers:
            protocol.send(data, keep_alive)


def http_protocol(app: Any = None) -> type[asyncio.Protocol] | str:
    """uvicorn's httptools protocol, answering ``app``'s plain requests on the spot (where it has a ``quick``, see
    :func:`quick_of`) and writing each answer at once (``"auto"`` where httptools is missing)."""
    try:
        import httptools
        from uvicorn.protocols.http.httptools_impl import HEADER_RE, HEADER_VALUE_RE, STATUS_LINE, HttpToolsProtocol
    except ImportError:  # pragma: no cover - httptools is a dependency of ours
        return "auto"

    Headers = list[tuple[bytes, bytes]]

    def _head(status: int, defaults: Headers, headers: Headers, close: bool) -> bytes:
        """The status line and headers as uvicorn writes them (its defaults first); ``ValueError`` for a header
        uvicorn would refuse."""
        parts = [STATUS_LINE[status]]
        for name, value in defaults:
            parts += (name, b": ", value, b"\r\n")
        for name, value in headers:
            if HEADER_RE.search(name) or HEADER_VALUE_RE.search(value):
                raise ValueError(f"an invalid header: {name!r}")
            if name == b"connection" and b"close" in value.lower():
                close = False  # said already
            parts += (name, b": ", value, b"\r\n")
        if close:
            parts.append(b"connection: close\r\n")
        parts.append(b"\r\n")
        return b"".join(parts)

    answerer: Quick | None = quick_of(app)
    turn = _Turn(quick_of(app, "hold_writes"), quick_of(app, "release_writes"))

    class OneWriteProtocol(HttpToolsProtocol):
        _pending: Callable[[bytes], Answer] | None = None  # the request being answered on the spot
        _body: list[bytes]

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(_HeldHead(transport))  # type: ignore[arg-type]

        def on_headers_complete(self) -> None:
            self._pending = self._quick() if answerer is not None else None
            if self._pending is None:
                super().on_headers_complete()
            else:
                self._body = []

        def _quick(self) -> Callable[[bytes], Answer] | None:
            """The request's answer as a function of its body, when it is one to answer on the spot."""
            parser = self.parser
            if self.expect_100_continue or parser.should_upgrade() or parser.get_http_version() != "1.1":
                return None
            if self.cycle is not None and not self.cycle.response_complete:
                return None  # an ASGI answer is under way: this one waits its turn, in the pipeline
            if self.limit_concurrency is not None:
                return None
            for name, value in self.headers:
                if name == b"transfer-encoding" or (
                    name == b"content-length" and (not value.isdigit() or int(value) > QUICK_BODY)
                ):
                    return None
            url = httptools.parse_url(self.url)
            path = url.path.decode("ascii")
            if "%" in path:
                path = urllib.parse.unquote(path)
            assert answerer is not None
            return answerer(parser.get_method().decode("ascii"), path, url.query or b"", self.headers)

        def on_body(self, body: bytes) -> None:
            if self._pending is None:
                super().on_body(body)
            else:
                self._body.append(body)

        def on_message_complete(self) -> None:
            pending = self._pending
            if pending is None:
                super().on_message_complete()
                return
            self._pending = None
            keep_alive = self.parser.should_keep_alive()
            held = turn.take(self.loop)
            status = 500
            try:
                status, headers, body = pending(b"".join(self._body))
                data = _head(status, self.server_state.default_headers, headers, not keep_alive) + body
            except Exception as exc:  # what the ASGI path's 500 says; the cause goes to the log
                _log.error("Exception in ASGI application\n", exc_info=exc)
                data, keep_alive = self.failed(), False
            self._body = []
            if self.access_log and self.access_logger.isEnabledFor(logging.INFO):  # as uvicorn logs its answers
                where = "{}:{}".format(*self.client) if self.client else "-"
                method = self.parser.get_method().decode("ascii")
                self.access_logger.info('%s - "%s %s HTTP/1.1" %d', where, method, self.url.decode("latin-1"), status)
            if held:  # sent once the turn's writes are committed; this connection reads on meanwhile
                turn.answers.append((self, data, keep_alive))
                self.on_response_complete()
                return
            transport: Any = self.transport
            transport.whole(data)
            if not keep_alive:
                transport.close()
            self.on_response_complete()
            if self.flow.write_paused:
                self.flow.pause_reading()  # a client that sends without reading: read on once it has caught up

        def send(self, data: bytes, keep_alive: bool) -> None:
            """A held answer, once its turn's writes are committed (not if the client is gone meanwhile)."""
            transport: Any = self.transport
            if transport.is_closing():
                return
            transport.whole(data)
            if not keep_alive:
                transport.close()
            elif self.flow.write_paused:
                self.flow.pause_reading()

        def failed(self) -> bytes:
            """The 500 answer (the connection is closed after it)."""
            status, headers, body = _FAILED
            return _head(status, self.server_state.default_headers, headers, True) + body

        def resume_writing(self) -> None:
            super().resume_writing()
            if self.cycle is None or self.cycle.response_complete:
                self.flow.resume_reading()

        def on_response_complete(self) -> None:
            self.transport.flush()  # type: ignore[attr-defined]  # a HEAD answer's head is its only write
            super().on_response_complete()

    return OneWriteProtocol
