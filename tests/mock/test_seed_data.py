"""``--seed-data``: every seeded object validates, names only its own tenant's objects, and lives in the present."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from apimodel.project import API_NAMES
from apimodel.references import date_form
from conformance.mock import create_app
from conformance.mock.config import MockConfig
from conformance.mock.seeding import named_ids


def _seeded(api: str) -> Any:
    return create_app([api], config=MockConfig(seed_data=True)).state.mock.servers[api]


def _dates(server: Any, schema: Any, obj: Any) -> list[datetime.date]:
    """The request-side dates of an object (not the mock's own created_at/updated_at stamps)."""
    found = []
    for name, prop in server.api.schemas.properties(schema).items():
        resolved = server.api.schemas.resolve(prop)
        form, value = date_form(name, resolved), obj.get(name)
        if form == "unix" and isinstance(value, int):
            found.append(datetime.datetime.fromtimestamp(value, datetime.UTC).date())
        elif form in ("date", "date-time") and isinstance(value, str) and value[:4].isdigit():
            found.append(datetime.date.fromisoformat(value[:10]))
    return found


@pytest.mark.parametrize("api", API_NAMES)
def test_seeded_objects_validate_resolve_in_their_tenant_and_start_today(api: str) -> None:
    server = _seeded(api)
    model, store = server.api.model, server.store
    today = datetime.date.today()
    seen = 0
    for resource in model.resources:
        if not resource.stored or "." in resource.name:
            continue
        for tenant in range(len(server.tenants)):
            for obj in store.bucket(tenant, resource.name).objects.values():
                seen += 1
                assert server.api.schemas.is_valid(resource.schema, obj, "response"), (resource.name, obj)
                for target, field, key in named_ids(model, resource.schema, obj):
                    objects = store.bucket(tenant, target).objects
                    if objects:  # what the tenant has of it, the object names (by id, or by the field it holds)
                        by_field = any(o.get(field) == key for o in objects.values())
                        found = objects.get(str(key)) if field is None else by_field
                        assert found, (resource.name, target, field, key)
                for day in _dates(server, resource.schema, obj):
                    assert today - datetime.timedelta(days=2) <= day <= today + datetime.timedelta(days=800), (
                        resource.name,
                        day,
                    )
    assert seen > 0 or api == "econt"  # e-Cont's RPC creates nothing a list shows


def test_a_bounded_day_number_is_no_timestamp() -> None:
    # Invoiced's cadence run_date (7: the 7th of the month) must not be read, moved or checked as UNIX seconds
    assert date_form("run_date", {"type": "integer", "minimum": 1, "maximum": 31}) is None
    assert date_form("due_date", {"type": "integer", "format": "int64"}) == "unix"
    assert date_form("created_at", {"type": "integer", "maximum": 4102444800}) == "unix"  # a bound in 2100
    cadences = _seeded("facturare").store.bucket(0, "customer_chasing_cadences").objects.values()
    assert cadences and all(1 <= c["run_date"] <= 31 for c in cadences if c.get("run_date") is not None)


def test_references_name_the_tenants_own_objects() -> None:
    server = _seeded("facturare")
    for tenant in range(len(server.tenants)):
        customers = {str(k) for k in server.store.bucket(tenant, "customers").objects}
        invoices = list(server.store.bucket(tenant, "invoices").objects.values())
        assert invoices and all(str(i["customer"]) in customers for i in invoices)


def test_bitfaktura_numbers_follow_the_current_period() -> None:
    server = _seeded("bitfaktura")
    today = datetime.date.today()
    numbers = [i["number"] for i in server.store.bucket(0, "invoices").objects.values()]
    assert numbers and all(n.endswith(f"/{today.month}/{today.year}") for n in numbers), numbers


def test_facturare_payments_are_seeded_within_their_invoices_balance() -> None:
    server = _seeded("facturare")
    for tenant in range(len(server.tenants)):
        invoices = server.store.bucket(tenant, "invoices").objects
        payments = list(server.store.bucket(tenant, "payments").objects.values())
        assert len(payments) == 3
        for payment in payments:
            (line,) = payment["applied_to"]
            invoice = invoices[str(line["invoice"])]
            assert invoice["customer"] == payment["customer"]  # the payment's customer owns the invoice it pays
            assert 0 < line["amount"] <= payment["amount"]  # the rest is the customer's credit
            assert invoice["balance"] == invoice["total"] - line["amount"] > 0  # applied, and still open to pay
            assert invoice["paid"] is False


def test_references_by_another_name_or_by_code_name_seeded_objects() -> None:
    efactori = _seeded("efactori")
    contacts = efactori.store.bucket(0, "contacts").objects
    invoices = list(efactori.store.bucket(0, "invoices").objects.values())
    assert invoices and all(str(i["customer_id"]) in contacts for i in invoices)  # customer_id names a contact
    cloudinvoice = _seeded("cloudinvoice")
    codes = {c["code"] for c in cloudinvoice.store.bucket(0, "clients").objects.values()}
    documents = list(cloudinvoice.store.bucket(0, "documents").objects.values())
    assert documents and {d["client_code"] for d in documents} == codes  # each seeded client's code, by code
    other = {c["code"] for c in cloudinvoice.store.bucket(1, "clients").objects.values()}
    assert not codes & other  # each tenant names its own clients


def test_nested_collections_that_are_read_get_one_object_under_each_seeded_parent() -> None:
    """A read-only run creates nothing, so it reaches a customer's contacts and pending line items, or an invoice's
    payment plan (a singleton, 404 until written), only if the seed holds some."""
    server = _seeded("facturare")
    for tenant in range(len(server.tenants)):
        customers = list(server.store.bucket(tenant, "customers").objects)
        assert customers
        for key in customers:
            for nested in ("customers.contacts", "customers.line_items"):
                assert len(server.store.bucket(tenant, nested, (str(key),)).objects) == 1, (tenant, key, nested)
        invoices = list(server.store.bucket(tenant, "invoices").objects)
        assert invoices
        for key in invoices:
            assert len(server.store.bucket(tenant, "invoices.payment_plan", (str(key),)).objects) == 1, (tenant, key)


def test_a_list_of_ids_that_refers_to_a_collection_names_the_tenants_own_seeded_objects() -> None:
    """An invoice's write-only ``attachments`` (file ids, ``x-refers-to`` on the items) is seeded with the tenant's
    own files, which are seeded first; the example's file 13 is no seeded file."""
    server = _seeded("facturare")
    for tenant in range(len(server.tenants)):
        files = set(server.store.bucket(tenant, "files").objects)
        assert files
        for key in server.store.bucket(tenant, "invoices").objects:
            kept = server.store.get(tenant, "invoices#attachments", (), key)
            assert kept is not None and kept["attachments"] and {str(i) for i in kept["attachments"]} <= files
