"""The mock's HTTP protocol (``conformance.mock.wire``): uvicorn's own httptools protocol, driven here byte for
byte on a recording transport, with each answer's head sent in the same write as its body, and plain requests
answered on the spot (the fast path) with the very bytes the ASGI path writes."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from uvicorn.server import ServerState

from conformance.mock import MockConfig, create_app, demo_credentials
from conformance.mock.wire import QUICK_BODY, http_protocol
from tests.mock.helpers import MINIBILL


class _Recorder(asyncio.Transport):
    """What the protocol writes to the socket, one entry per write, and whether it closed the connection."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False
        self.reading = True

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
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True


def _exchange(*chunks: bytes, quick: bool = True, app: Any = None) -> tuple[_Recorder, list[int]]:
    """Send ``chunks`` on one connection to the mock (minibill), letting it answer after each; what it wrote, and
    how many writes there were after each chunk. ``quick``: with the fast path (the default, as served)."""
    app = app or create_app([MINIBILL])
    return asyncio.run(_drive(app, chunks, quick))


async def _drive(app: Any, chunks: tuple[bytes, ...], quick: bool, wait: int = 50) -> tuple[_Recorder, list[int]]:
    config = uvicorn.Config(app, http=http_protocol(app if quick else None), log_level="critical", lifespan="off")
    config.load()
    protocol = config.http_protocol_class(config=config, server_state=ServerState(), app_state={})
    transport, counts = _Recorder(), []
    protocol.connection_made(transport)
    for chunk in chunks:
        protocol.data_received(chunk)
        for _ in range(wait):  # an ASGI answer is written by the request's task
            await asyncio.sleep(0)
        counts.append(len(transport.writes))
    return transport, counts


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


_INVOICE = json.dumps({"invoice": {"buyer_name": "Acme", "kind": "vat", "issue_date": "2024-01-10"}}).encode()
_JSON = "Content-Type: application/json\r\n"


def _conversation() -> list[bytes]:
    """Requests of every kind of answer: a create, a list, a retrieve, a miss, a HEAD, broken JSON, a wrong token, a
    route that does not exist, a method that is not allowed, and a request that closes the connection."""
    wrong = b"GET /minibill/invoices.json?api_token=wrong HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    return [
        _request("/invoices.json", "POST", _JSON, _INVOICE),
        _request("/invoices.json"),
        _request("/invoices/1.json"),
        _request("/invoices/999.json"),
        _request("/invoices.json", "HEAD"),
        _request("/invoices.json", "POST", _JSON, b'{"invoice": '),
        wrong,
        _request("/nowhere"),
        _request("/invoices.json", "DELETE"),
        _request("/invoices.json", headers="Connection: close\r\n"),
    ]


def test_the_fast_path_writes_the_bytes_the_asgi_path_writes() -> None:
    """Every answer of the conversation, on a fresh mock each time, byte for byte the same either way; and the fast
    path answered each within its ``data_received`` (no task, no turn of the event loop)."""
    slow, _ = asyncio.run(_drive(create_app([MINIBILL]), tuple(_conversation()), quick=False))
    fast, counts = asyncio.run(_drive(create_app([MINIBILL]), tuple(_conversation()), quick=True, wait=0))
    assert counts == list(range(1, len(_conversation()) + 1))  # answered on the spot, one write each
    assert [w.split(b"\r\n", 1)[0] for w in fast.writes] == [
        b"HTTP/1.1 201 Created",
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 404 Not Found",
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 422 Unprocessable Entity",  # minibill's status for a body that does not parse
        b"HTTP/1.1 401 Unauthorized",
        b"HTTP/1.1 404 Not Found",
        b"HTTP/1.1 405 Method Not Allowed",
        b"HTTP/1.1 200 OK",
    ]
    # the two runs may straddle a second: a stored object's created_at/updated_at are the one thing let differ
    stamp = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    assert [stamp.sub(b"<time>", w) for w in fast.writes] == [stamp.sub(b"<time>", w) for w in slow.writes]
    assert b"connection: close\r\n" in fast.writes[-1] and fast.closed and slow.closed


def test_pipelined_requests_are_answered_in_order() -> None:
    """Three requests in one segment: three answers, in the order asked, each one write."""
    sent, counts = _exchange(
        _request("/invoices.json", "POST", _JSON, _INVOICE)
        + _request("/invoices/1.json")
        + _request("/invoices/2.json")
    )
    assert counts == [3]
    assert [w.split(b" ", 2)[1] for w in sent.writes] == [b"201", b"200", b"404"]
    assert json.loads(_parts(sent.writes[1])[1])["buyer_name"] == "Acme"


def test_a_request_behind_an_asgi_answer_waits_its_turn() -> None:
    """A request with an injected latency goes through the application; the plain one pipelined behind it is not
    answered before it (the answers keep the order of the requests)."""
    slow = _request("/invoices.json", headers="X-Mock-Fault: latency=30ms\r\n")

    async def run() -> _Recorder:
        sent, counts = await _drive(create_app([MINIBILL]), (slow + _request("/invoices/999.json"),), True, wait=0)
        assert counts == [0]  # neither answered yet: the first sleeps, the second waits behind it
        for _ in range(200):
            await asyncio.sleep(0.005)
            if len(sent.writes) == 2:
                break
        return sent

    sent = asyncio.run(run())
    assert [w.split(b" ", 2)[1] for w in sent.writes] == [b"200", b"404"]


@pytest.mark.parametrize(
    ("what", "chunks"),
    [
        (
            "a chunked body",
            (
                _request("/invoices.json", "POST", _JSON + "Transfer-Encoding: chunked\r\n")
                + b"%x\r\n" % len(_INVOICE)
                + _INVOICE
                + b"\r\n0\r\n\r\n",
            ),
        ),
        (
            "a body past the fast path's size",
            (_request("/invoices.json", "POST", _JSON, _INVOICE[:-2] + b" " * QUICK_BODY + b"}}"),),
        ),
    ],
)
def test_bodies_the_fast_path_leaves_to_the_application_are_read_whole(what: str, chunks: tuple[bytes, ...]) -> None:
    sent, _ = _exchange(*chunks)
    assert len(sent.writes) == 1, what
    assert sent.writes[0].startswith(b"HTTP/1.1 201"), what
    assert json.loads(_parts(sent.writes[0])[1])["buyer_name"] == "Acme"


def test_a_failing_answer_is_a_500_that_closes_the_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error inside the mock: a plain 500 (the ASGI path's says the same, though Starlette leaves out the
    ``connection: close`` it then closes with), and the connection closes."""
    app = create_app([MINIBILL])
    server = app.state.mock.servers["minibill"]

    def broken(*_args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(server, "handle", broken)
    fast, _ = _exchange(_request("/invoices.json"), app=app)
    slow, _ = _exchange(_request("/invoices.json"), app=app, quick=False)
    for sent in (fast, slow):
        assert len(sent.writes) == 1 and sent.closed
        assert sent.writes[0].startswith(b"HTTP/1.1 500") and sent.writes[0].endswith(b"\r\n\r\nInternal Server Error")
    assert b"connection: close\r\n" in fast.writes[0]


def test_a_client_that_does_not_read_is_not_read_from() -> None:
    """Flow control: while the socket's buffer is full, the fast path stops reading requests; it reads on when the
    buffer drains."""

    async def run() -> None:
        app = create_app([MINIBILL])
        config = uvicorn.Config(app, http=http_protocol(app), log_level="critical", lifespan="off")
        config.load()
        protocol = config.http_protocol_class(config=config, server_state=ServerState(), app_state={})
        transport = _Recorder()
        protocol.connection_made(transport)
        protocol.pause_writing()  # what the transport says once its buffer passes the high-water mark
        protocol.data_received(_request("/invoices.json"))
        assert len(transport.writes) == 1 and not transport.reading
        protocol.resume_writing()
        assert transport.reading

    asyncio.run(run())


def test_a_body_past_the_mocks_limit_is_refused_on_the_fast_path_too() -> None:
    """``--max-body-bytes`` below the fast path's size: a body past it is a 413 either way, never taken."""
    from conformance.mock import MockConfig

    answers = []
    for quick in (True, False):
        app = create_app([MINIBILL], config=MockConfig(max_body_bytes=100))
        create = _request("/invoices.json", "POST", _JSON, _INVOICE[:-2] + b" " * 200 + b"}}")
        sent, _ = _exchange(create, _request("/invoices.json"), app=app, quick=quick)
        answers.append(sent.writes)
    fast, slow = answers
    assert fast == slow
    assert fast[0].startswith(b"HTTP/1.1 413")
    assert json.loads(_parts(fast[1])[1]) == []  # nothing was stored


_INVOICE = json.dumps({"invoice": {"buyer_name": "Acme", "kind": "vat", "issue_date": "2024-01-10"}}).encode()
_CREATE = _request("/invoices.json", "POST", "Content-Type: application/json\r\n", _INVOICE)


async def _one_turn(app: Any, requests: list[bytes], look: Any) -> list[_Recorder]:
    """Each request on a connection of its own, all received in one turn of the event loop; ``look()`` runs before
    the loop moves on, then the loop turns until every connection has its answer."""
    config = uvicorn.Config(app, http=http_protocol(app), log_level="critical", lifespan="off")
    config.load()
    transports = []
    for request in requests:
        protocol = config.http_protocol_class(config=config, server_state=ServerState(), app_state={})
        transport = _Recorder()
        protocol.connection_made(transport)
        protocol.data_received(request)
        transports.append(transport)
    look(transports)
    for _ in range(50):
        await asyncio.sleep(0)
    return transports


def _rows(state: Path) -> int:
    with sqlite3.connect(state) as db:
        return int(db.execute("SELECT count(*) FROM objects WHERE body IS NOT NULL").fetchone()[0])


def test_answers_of_one_turn_wait_for_one_commit_of_their_writes(tmp_path: Path) -> None:
    """With a state file, the creates the fast path answers in one turn of the event loop are committed together
    (a group commit: one transaction instead of one each, the cost two workers share), and no answer goes out
    before what its request wrote is in the file, where another worker reads it."""
    state = tmp_path / "mock.sqlite"
    app = create_app([MINIBILL], config=MockConfig(state_file=state))
    statements: list[str] = []
    app.state.mock.shared._connection().set_trace_callback(statements.append)
    before: list[Any] = []
    sent = asyncio.run(
        _one_turn(
            app, [_CREATE] * 3, lambda transports: before.extend([*(list(t.writes) for t in transports), _rows(state)])
        )
    )
    assert before == [[], [], [], 0]  # answered, but held: nothing committed yet
    assert [t.writes[0].split(b" ", 2)[1] for t in sent] == [b"201"] * 3
    assert statements.count("BEGIN IMMEDIATE") == 1 and statements.count("COMMIT") == 1
    assert _rows(state) == 3
    ids = sorted(json.loads(_parts(t.writes[0])[1])["id"] for t in sent)
    assert len(set(ids)) == 3 and not any(t.closed for t in sent)


def test_a_turn_whose_commit_fails_answers_500_to_each_of_its_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No held answer says what the file does not hold: when the commit fails, each gets the plain 500, and its
    connection closes."""
    from conformance.mock.shared import SharedState

    app = create_app([MINIBILL], config=MockConfig(state_file=tmp_path / "mock.sqlite"))

    def broken(self: SharedState) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(SharedState, "_commit", broken)
    sent = asyncio.run(_one_turn(app, [_CREATE, _CREATE], lambda _: None))
    for transport in sent:
        assert len(transport.writes) == 1 and transport.closed
        assert transport.writes[0].startswith(b"HTTP/1.1 500")


def test_a_request_the_application_answers_is_committed_before_its_answer_not_held(tmp_path: Path) -> None:
    """A request that goes through the ASGI application (here a chunked body) while a turn's answers are held:
    its task runs before the turn ends, yet what it writes (and what the held ones wrote) is in the file before
    its answer goes out; the held answers go out too."""
    state = tmp_path / "mock.sqlite"
    app = create_app([MINIBILL], config=MockConfig(state_file=state))
    head, _, body = _CREATE.partition(b"\r\n\r\n")
    head = head.replace(f"Content-Length: {len(_INVOICE)}".encode(), b"Transfer-Encoding: chunked")
    chunked = head + b"\r\n\r\n" + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    seen: list[int] = []
    server = app.state.mock.servers["minibill"]
    respond = server.respond

    def watched(*args: Any) -> Any:
        answer = respond(*args)
        seen.append(_rows(state))  # what the file holds as an answer is made
        return answer

    server.respond = watched  # type: ignore[method-assign]
    sent = asyncio.run(_one_turn(app, [chunked, _CREATE, _CREATE], lambda _: None))
    assert [t.writes[0].split(b" ", 2)[1] for t in sent] == [b"201"] * 3
    assert seen == [0, 0, 3]  # the two held, then the application's: its own row and theirs committed
    assert _rows(state) == 3
