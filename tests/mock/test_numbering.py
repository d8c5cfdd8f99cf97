"""Document numbers through HTTP against the mock, as an integrator meets them: onFact (efactori) counts per journal
and per book year, and a number the client chooses moves its sequence on in every API whose numbering the mock
computes, so the next number left out follows it instead of repeating or going back."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from conformance.mock import MockConfig, create_app
from tests.mock.helpers import CheckedClient, api_client, fresh_client

APIS = ("efactori", "facturare", "bitfaktura")
LINE = {"name": "Pain", "quantity": 1, "price": 2.5}


@pytest.fixture(scope="module")
def apps() -> dict[str, Starlette]:
    return {api: create_app([api]) for api in APIS}


def _client(apps: dict[str, Starlette], api: str) -> CheckedClient:
    return fresh_client(apps, api)


def _efactori_number(client: CheckedClient, **fields: Any) -> int:
    made = client.post("/v1/invoices.json", json={"customer_name": "Dupont", "invoice_lines": [LINE], **fields})
    assert made.status_code == 201, made.text
    number: int = client.get(f"/v1/invoices/{made.json()['id']}.json").json()["number"]
    return number


def _announced(client: CheckedClient, date: str, **query: object) -> str:
    answer = client.request("HEAD", "/v1/invoices.json", params={"date": date, **query})
    assert answer.status_code == 200, answer.text
    return answer.headers["X-NEXT-NUMBER"]


def test_efactori_numbers_start_again_every_book_year(apps: dict[str, Starlette]) -> None:
    """The next-number call's ``date`` "selects the book year: numbering starts again at 1 every book year" (the
    parameter's documentation), and the document's ``date`` "also selects the book year of the numbering
    sequence" (the field's): each journal counts once per year."""
    client = _client(apps, "efactori")
    made = [
        _efactori_number(client, date=date, **({"journal_id": journal} if journal else {}))
        for date, journal in (
            ("2025-03-01", None),
            ("2025-11-30", None),
            ("2026-01-02", None),  # a new book year starts at 1
            ("2025-12-31", None),  # back in 2025: that year's sequence goes on
            ("2026-02-01", 7),  # another journal of 2026 counts alone
            ("2026-02-02", None),
        )
    ]
    assert made == [1, 2, 1, 3, 1, 2]
    assert _announced(client, "2025-06-15") == "4" and _announced(client, "2026-06-15") == "3"
    assert _announced(client, "2026-06-15", journal_id=7) == "2" and _announced(client, "2024-06-15") == "1"
    this_year = datetime.date.today().isoformat()
    expected = _announced(client, this_year)
    assert str(_efactori_number(client)) == expected  # no date: the current book year, as the HEAD call says


def test_efactori_chosen_number_moves_its_sequence_on(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "efactori")
    assert _efactori_number(client, date="2026-03-01") == 1
    assert _efactori_number(client, date="2026-03-02", number=40) == 40
    assert _announced(client, "2026-05-01") == "41"
    assert _efactori_number(client, date="2026-03-03") == 41  # not 2, and not 40 again
    assert _efactori_number(client, date="2026-03-04", number=12) == 12  # a lower free number is kept as sent...
    assert _efactori_number(client, date="2026-03-05") == 42  # ...and the sequence does not move back
    assert _efactori_number(client, date="2026-03-06", number=42) == 42  # a taken number is accepted (assumption)
    assert _efactori_number(client, date="2026-03-07") == 43
    assert _announced(client, "2025-05-01") == "1"  # another book year is untouched
    assert _announced(client, "2026-05-01", journal_id=7) == "1"  # and so is another journal


@pytest.mark.parametrize("state", [False, True], ids=["memory", "state-file"])
def test_a_chosen_number_past_what_a_double_holds_exactly_moves_nothing(state: bool, tmp_path: Path) -> None:
    """Numbers past JavaScript's Number.MAX_SAFE_INTEGER (2**53 - 1) are kept as sent but not counted on, the same
    in memory and in a state file (whose counters are doubles: past 2**53 every later number would repeat).
    A number of 31 digits once got a 500 from a mock with a state file (SQLite holds no integer that large)."""
    config = MockConfig(state_file=tmp_path / "mock.sqlite") if state else None
    client = api_client(create_app(["efactori"], config=config), "efactori")
    assert _efactori_number(client, date="2026-03-01") == 1
    for chosen in (10**30, 2**53, 2**53 - 2):
        assert _efactori_number(client, date="2026-03-02", number=chosen) == chosen
    assert _efactori_number(client, date="2026-03-03") == 2**53 - 1  # the last chosen number was counted on
    assert _efactori_number(client, date="2026-03-04", number=int("9" * 300)) == int("9" * 300)
    assert _efactori_number(client, date="2026-03-05") == 2**53
    longer = b'{"customer_name": "Dupont", "invoice_lines": [], "number": ' + b"9" * 5000 + b"}"
    refused = client.post("/v1/invoices.json", content=longer, headers={"content-type": "application/json"})
    assert refused.status_code == 400  # Python reads no integer of more than 4,300 digits: said, not a 500
    assert refused.json()["message"] == "the request body holds a number of more than 4,300 digits"


def test_facturare_chosen_invoice_and_customer_numbers_move_their_sequences_on(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "facturare")
    customer = client.post("/customers", json={"name": "Agroprod SRL", "number": "CUST-0040"})
    assert customer.status_code == 201, customer.text
    assert customer.json()["number"] == "CUST-0040"
    following = client.post("/customers", json={"name": "Vinaria SRL"}).json()
    assert following["number"] == "CUST-0041"

    def invoice(**fields: Any) -> str:
        body = {"customer": customer.json()["id"], "items": [{"name": "x", "unit_cost": 5}], **fields}
        made = client.post("/invoices", json=body)
        assert made.status_code == 201, made.text
        number: str = client.get(f"/invoices/{made.json()['id']}").json()["number"]
        return number

    assert invoice() == "INV-0001"
    assert invoice(number="INV-0040") == "INV-0040"
    assert invoice() == "INV-0041"
    assert invoice(number="PO-7") == "PO-7"  # a number outside the format is kept and moves nothing
    assert invoice() == "INV-0042"


def test_bitfaktura_chosen_invoice_number_moves_the_periods_sequence_on(apps: dict[str, Starlette]) -> None:
    client = _client(apps, "bitfaktura")
    today = datetime.date.today()

    def invoice(**fields: Any) -> str:
        body = {"invoice": {"buyer_name": "ТОВ Клієнт", "positions": [{"name": "x", "price_net": "10"}], **fields}}
        made = client.post("/invoices.json", json=body)
        assert made.status_code == 201, made.text
        number: str = client.get(f"/invoices/{made.json()['id']}.json").json()["number"]
        return number

    period = f"{today.month}/{today.year}"
    assert invoice() == f"1/{period}"
    assert invoice(number=f"40/{period}") == f"40/{period}"
    assert invoice() == f"41/{period}"
    assert invoice(number=f"90/{today.month % 12 + 1}/1999") == f"90/{today.month % 12 + 1}/1999"  # another period
    assert invoice() == f"42/{period}"
