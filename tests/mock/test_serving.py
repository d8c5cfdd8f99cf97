"""How ``specforge mock`` serves the app: what it stores is moved out of the cyclic collector's reach as it grows."""

from __future__ import annotations

import gc

import httpx2

from conformance.mock import create_app, demo_credentials
from conformance.mock.transport import SyncASGITransport
from specforge.commands.serving import _Settling
from tests.mock.helpers import MINIBILL


def test_every_so_many_writes_what_was_stored_is_frozen() -> None:
    """A full collection walks every object the collector tracks; the stored invoices, plain JSON freed by their
    reference counts, are moved out of its reach every ``WRITES`` writes (``gc.freeze()``), reads not counting."""
    app = _Settling(create_app([MINIBILL]))
    app.WRITES = 40
    params = {"api_token": demo_credentials(str(MINIBILL))["MINI_TOKEN"]}
    body = {"invoice": {"buyer_name": "Acme", "kind": "vat", "issue_date": "2024-01-10"}}
    gc.collect()
    gc.freeze()
    try:
        with httpx2.Client(transport=SyncASGITransport(app), base_url="http://mock/minibill") as client:
            before = gc.get_freeze_count()
            for _ in range(39):
                assert client.post("/invoices.json", params=params, json=body).status_code == 201
            for _ in range(100):
                assert client.get("/invoices.json", params=params).status_code == 200  # reads do not count
            assert gc.get_freeze_count() == before
            assert client.post("/invoices.json", params=params, json=body).status_code == 201  # the 40th write
            assert gc.get_freeze_count() - before > 40  # the 40 invoices at least, and what their buckets hold
        buckets = app.app.state.mock.servers["minibill"].store._buckets.values()
        stored = [obj for bucket in buckets for obj in bucket.objects.values()]
        tracked = {id(obj) for obj in gc.get_objects()}
        assert len(stored) == 40 and not any(id(obj) in tracked for obj in stored)  # out of the collector's walk
    finally:
        gc.unfreeze()
