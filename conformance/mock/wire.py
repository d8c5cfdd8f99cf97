"""The mock's HTTP/1.1 protocol on uvicorn: an answer's head goes out in one write with its body.

uvicorn writes a response's status line and headers as soon as the app starts the response, and the body when
the app sends it: two ``send`` calls on the socket, and two segments the client reads, for each answer. The mock
always sends its body at once, so :class:`OneWriteProtocol` holds the head back until the body's first write (or
the end of the response, or the connection's close) and sends them together. A ``100 Continue`` goes out at once,
as before; nothing else about the protocol changes. Without ``httptools`` it is uvicorn's choice, as before.
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["http_protocol"]


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


def http_protocol() -> type[asyncio.Protocol] | str:
    """uvicorn's httptools protocol, writing each answer at once (``"auto"`` where httptools is missing)."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # pragma: no cover - httptools is a dependency of ours
        return "auto"

    class OneWriteProtocol(HttpToolsProtocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(_HeldHead(transport))  # type: ignore[arg-type]

        def on_response_complete(self) -> None:
            self.transport.flush()  # type: ignore[attr-defined]  # a HEAD answer's head is its only write
            super().on_response_complete()

    return OneWriteProtocol
