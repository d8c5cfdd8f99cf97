"""A seeded mock answers the spec's own examples: an object known only by a token is there to read."""

from __future__ import annotations

import httpx2

from conformance.mock import MockConfig, SyncASGITransport, create_app


def test_econts_documented_key_reaches_a_seeded_invoice_and_only_the_first_tenants_first_one() -> None:
    """e-Cont has no create operation (its invoices come from ``put/invoice`` actions) and reads an invoice only by
    its access key: the seeded mock used to hold no invoice, so a live read-only run reached nothing."""
    app = create_app(["econt"], config=MockConfig(seed_data=True, self_check=True))
    store = app.state.mock.servers["econt"].store
    keys = [[o["key"] for o in store.bucket(t, "invoices").objects.values()] for t in (0, 1)]
    assert [len(k) for k in keys] == [3, 3] and len({*keys[0], *keys[1]}) == 6
    assert keys[0][0] == "9f2c4e1ab07d4c58a3e6d1b2c3f4a5b6"  # the put reply's example and the key parameter's
    with httpx2.Client(transport=SyncASGITransport(app), base_url="http://mock/econt/facturare/v1") as client:
        documented = client.get("/pdf/sendinvoice", params={"key": "9f2c4e1ab07d4c58a3e6d1b2c3f4a5b6"})
        other = client.get("/pdf/sendinvoice", params={"key": keys[1][2]})
        unknown = client.get("/pdf/sendinvoice", params={"key": "0" * 32})
    assert documented.status_code == 200 and documented.content.startswith(b"%PDF"), documented.text[:200]
    assert other.status_code == 200 and unknown.status_code == 404
    assert app.state.mock.violations() == {"econt": []}
