"""The mock on a plain spec (no x- hints): the bookshop of tests/specs."""

from __future__ import annotations

import httpx2

from conformance.mock import SyncASGITransport, create_app, demo_credentials
from tests.specs import BOOKSHOP


def test_each_create_gets_its_own_id_unless_the_client_names_one() -> None:
    """The id field is neither read-only nor hinted: a create that leaves it out still gets a new number (it used
    to get the schema's sample, 1, every time, and each create replaced the last)."""
    key = {"X-Api-Key": demo_credentials(str(BOOKSHOP))["BOOKSHOP_API_KEY"]}
    transport = SyncASGITransport(create_app([BOOKSHOP]))
    with httpx2.Client(transport=transport, base_url="http://mock/bookshop", headers=key) as client:
        made = [client.post("/books", json={"title": f"Book {n}"}).json()["id"] for n in range(3)]
        named = client.post("/books", json={"title": "Named", "id": 77}).json()
        listed = client.get("/books").json()
    assert made == [1, 2, 3] and named["id"] == 77
    assert [(b["id"], b["title"]) for b in listed] == [(1, "Book 0"), (2, "Book 1"), (3, "Book 2"), (77, "Named")]
