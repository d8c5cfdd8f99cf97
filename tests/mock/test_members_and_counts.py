"""facturare's members and chasing cadences through HTTP against the mock: each invited member is a user of its own
(the id is the mock's, not the spec's sample), and a cadence counts the customers enrolled in it as they stand."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from conformance.mock import create_app
from conformance.mock.config import MockConfig
from tests.mock.helpers import api_client, example, fresh_client


@pytest.fixture(scope="module")
def apps() -> dict[str, Starlette]:
    return {"facturare": create_app(["facturare"])}


def test_each_invited_member_is_a_user_with_an_id_of_its_own(apps: dict[str, Starlette]) -> None:
    client = fresh_client(apps, "facturare")
    other = fresh_client(apps, "facturare", tenant=1)
    seeded = {m["user"]["id"] for m in client.get("/members").json()}
    invited = []
    for email, who in (("ion@agroprod.md", client), ("ana@agroprod.md", client), ("ion@vinaria.md", other)):
        made = who.post("/members", json={"email": email, "first_name": "Ion", "role": "contabil"})
        assert made.status_code == 201, made.text
        invited.append(made.json())
    users = [m["user"]["id"] for m in invited]
    assert len(set(users)) == 3 and not set(users) & seeded  # unique, also beside the tenant's existing members
    assert all(isinstance(u, int) and u > 0 for u in users)
    assert 1976 not in users  # the user id of the spec's response example
    listed = {m["id"]: m["user"]["id"] for m in client.get("/members", params={"per_page": 100}).json()}
    assert listed[invited[0]["id"]] == users[0] and listed[invited[1]["id"]] == users[1]  # the id stays
    assert invited[2]["id"] not in listed  # another tenant's member


def test_a_cadence_counts_the_customers_enrolled_in_it(apps: dict[str, Starlette]) -> None:
    client = fresh_client(apps, "facturare")
    body = example(apps["facturare"], "facturare", "post", "/customer_chasing_cadences")
    made = client.post("/customer_chasing_cadences", json=body)
    assert made.status_code == 201, made.text
    cadence = made.json()["id"]
    assert made.json()["num_customers"] == 0
    enrolled = [client.post("/customers", json={"name": n, "chasing_cadence": cadence}).json() for n in ("A", "B")]
    client.post("/customers", json={"name": "Client c"})

    def counted() -> int:
        found: int = client.get(f"/customer_chasing_cadences/{cadence}").json()["num_customers"]
        return found

    assert counted() == 2
    client.patch(f"/customers/{enrolled[0]['id']}", json={"chasing_cadence": None})
    assert counted() == 1
    listed = client.get("/customer_chasing_cadences", params={"per_page": 100}).json()
    assert next(c for c in listed if c["id"] == cadence)["num_customers"] == 1
    client.delete(f"/customers/{enrolled[1]['id']}")
    assert counted() == 0


def test_seeded_members_are_distinct_users() -> None:
    app = create_app(["facturare"], config=MockConfig(seed_data=True))
    users = [m["user"]["id"] for t in (0, 1) for m in api_client(app, "facturare", t).get("/members").json()]
    assert len(users) >= 4 and len(set(users)) == len(users)  # on main's code every seeded member was user 1
