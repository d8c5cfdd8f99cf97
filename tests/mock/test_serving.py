"""How ``specforge mock`` serves the app: what it stores is moved out of the cyclic collector's reach as it grows."""

from __future__ import annotations

import asyncio
import gc
import json
from typing import Any

from conformance.mock import create_app, demo_credentials
from specforge.commands.serving import _Settling
from tests.mock.helpers import MINIBILL


async def _call(app: Any, method: str, path: str, body: bytes = b"") -> int:
    token = demo_credentials(str(MINIBILL))["MINI_TOKEN"]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": f"/minibill{path}",
        "raw_path": f"/minibill{path}".encode(),
        "query_string": f"api_token={token}".encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4010),
    }
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


def test_every_so_many_writes_what_was_stored_is_frozen() -> None:
    """A full collection walks every object the collector tracks; the stored invoices, plain JSON freed by their
    reference counts, are moved out of its reach every ``WRITES`` writes (``gc.freeze()``), reads not counting."""
    app = _Settling(create_app([MINIBILL]))
    app.WRITES = 40
    body = json.dumps({"invoice": {"buyer_name": "Acme", "kind": "vat", "issue_date": "2024-01-10"}}).encode()
    gc.collect()
    gc.freeze()
    try:

        async def run() -> tuple[int, int]:
            before = gc.get_freeze_count()
            for _ in range(39):
                assert await _call(app, "POST", "/invoices.json", body) == 201
            for _ in range(100):
                assert await _call(app, "GET", "/invoices.json") == 200  # reads do not count
            unfrozen = gc.get_freeze_count()
            assert await _call(app, "POST", "/invoices.json", body) == 201  # the 40th write
            return unfrozen - before, gc.get_freeze_count() - unfrozen

        during, at_the_fortieth = asyncio.run(run())
        assert during == 0
        assert at_the_fortieth > 40  # the 40 invoices at least, and what their buckets hold
        buckets = app.app.state.mock.servers["minibill"].store._buckets.values()
        stored = [obj for bucket in buckets for obj in bucket.objects.values()]
        tracked = {id(obj) for obj in gc.get_objects()}
        assert len(stored) == 40 and not any(id(obj) in tracked for obj in stored)  # out of the collector's walk
    finally:
        gc.unfreeze()
