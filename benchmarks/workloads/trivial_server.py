"""A trivial HTTP server for the load generator's ceiling: ``python -m benchmarks.workloads.trivial_server PORT``.

It answers every request on 127.0.0.1 with the same small 200 response, parsing nothing beyond the end of
the headers, on uvloop where installed. Whatever rate wrk reaches against it, wrk is not what limits a row
that is slower.
"""

from __future__ import annotations

import asyncio
import sys
from typing import cast

__all__ = ["main"]

_ANSWER = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"


class _Answer(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport, self.pending = cast(asyncio.Transport, transport), b""  # uvloop's is no subclass

    def data_received(self, data: bytes) -> None:
        data = self.pending + data
        count = data.count(b"\r\n\r\n")  # requests without bodies: each ends at its blank line
        self.pending = data[data.rfind(b"\r\n\r\n") + 4 :] if count else data
        if count:
            self.transport.write(_ANSWER * count)


async def _serve(port: int) -> None:
    server = await asyncio.get_running_loop().create_server(_Answer, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def main() -> None:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency
        asyncio.run(_serve(int(sys.argv[1])))
    else:
        uvloop.run(_serve(int(sys.argv[1])))


if __name__ == "__main__":
    main()
