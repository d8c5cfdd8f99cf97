"""The mock's HTTP protocol (``conformance.mock.wire``): uvicorn's own httptools protocol, driven here byte for
byte on a recording transport, with each answer's head sent in the same write as its body."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import uvicorn
from uvicorn.server import ServerState

from conformance.mock import create_app, demo_credentials
from conformance.mock.wire import http_protocol
from tests.mock.helpers import MINIBILL


class _Recorder(asyncio.Transport):
    """What the protocol writes to the socket, one entry per write, and whether it closed the connection."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: Any) -> None:
        assert not self.closed, "a write after close"
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 4010)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def _exchange(*chunks: bytes) -> tuple[_Recorder, list[int]]:
    """Send ``chunks`` on one connection to the mock (minibill), letting it answer after each; what it wrote, and
    how many writes there were after each chunk."""
    app = create_app([MINIBILL])

    async def run() -> tuple[_Recorder, list[int]]:
        config = uvicorn.Config(app, http=http_protocol(), log_level="critical", lifespan="off")
        config.load()
        protocol = config.http_protocol_class(config=config, server_state=ServerState(), app_state={})
        transport, counts = _Recorder(), []
        protocol.connection_made(transport)
        for chunk in chunks:
            protocol.data_received(chunk)
            for _ in range(50):  # the answer is written by the request's task
                await asyncio.sleep(0)
            counts.append(len(transport.writes))
        return transport, counts

    return asyncio.run(run())


def _request(path: str, method: str = "GET", headers: str = "", body: bytes = b"") -> bytes:
    token = demo_credentials(str(MINIBILL))["MINI_TOKEN"]
    length = f"Content-Length: {len(body)}\r\n" if body else ""
    head = f"{method} /minibill{path}?api_token={token} HTTP/1.1\r\nHost: 127.0.0.1\r\n{length}{headers}\r\n"
    return head.encode() + body


def _parts(write: bytes) -> tuple[bytes, bytes]:
    head, _, body = write.partition(b"\r\n\r\n")
    return head, body


def test_an_answer_is_one_write_head_and_body() -> None:
    body = json.dumps({"invoice": {"buyer_name": "Acme", "kind": "vat", "issue_date": "2024-01-10"}}).encode()
    sent, _ = _exchange(
        _request("/invoices.json", "POST", "Content-Type: application/json\r\n", body),
        _request("/invoices.json"),
        _request("/invoices/999.json"),
    )
    assert len(sent.writes) == 3  # keep-alive: three answers, one write each
    statuses = [write.split(b" ", 2)[1] for write in sent.writes]
    assert statuses == [b"201", b"200", b"404"]
    for write in sent.writes:
        head, rest = _parts(write)
        length = int(next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))[15:])
        assert len(rest) == length  # the whole body came with its head
    assert json.loads(_parts(sent.writes[1])[1])[0]["buyer_name"] == "Acme"
    assert not sent.closed


def test_a_head_answer_is_its_head_alone_and_is_not_held() -> None:
    sent, _ = _exchange(_request("/invoices.json", "HEAD"), _request("/invoices.json"))
    assert len(sent.writes) == 2
    head, rest = _parts(sent.writes[0])
    assert head.startswith(b"HTTP/1.1 200") and rest == b""  # sent at the end of the response, with no body
    assert sent.writes[1].startswith(b"HTTP/1.1 200")


def test_a_dropped_connection_still_sends_what_it_sent_before() -> None:
    """The ``drop`` fault: a head promising 1000 bytes, one byte of body, then the connection is cut."""
    sent, _ = _exchange(_request("/invoices.json", headers="X-Mock-Fault: drop\r\n"))
    assert sent.closed
    assert b"".join(sent.writes).endswith(b"\r\n\r\n{")
    assert b"content-length: 1000" in b"".join(sent.writes).lower()


def test_junk_gets_its_400_before_the_connection_closes() -> None:
    sent, _ = _exchange(b"NOT HTTP AT ALL\r\n\r\n")
    assert sent.closed
    assert b"".join(sent.writes).startswith(b"HTTP/1.1 400")


def test_continue_goes_out_at_once_and_the_answer_after_it() -> None:
    """A client that waits for ``100 Continue`` before its body gets it before the body is read, not held."""
    body = json.dumps({"invoice": {"buyer_name": "Acme", "kind": "vat", "issue_date": "2024-01-10"}}).encode()
    headers = f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nExpect: 100-continue\r\n"
    sent, counts = _exchange(_request("/invoices.json", "POST", headers), body)
    assert counts == [1, 2]
    assert sent.writes[0] == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert sent.writes[1].startswith(b"HTTP/1.1 201") and sent.writes[1].endswith(b"}")  # the answer: one write
