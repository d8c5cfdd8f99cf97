"""Request bodies as plain dicts, type-checked by ``mypy --strict`` against generated/facturare (not run)."""

from __future__ import annotations

from facturare_client import Client, types


def dict_bodies(client: Client) -> None:
    line: types.LineItemParam = {"name": "Copy paper", "quantity": 1, "unit_cost": 9.5, "taxes": [{"amount": 1.0}]}
    invoice = client.invoices.create(
        customer=15444,
        items=[line, {"name": "Delivery", "unit_cost": 5, "discounts": [{"amount": 2}]}],
        ship_to={"name": "Acme", "address1": "1 Main St", "city": "Austin", "country": "US"},
    )
    total: float | None = invoice.total
    client.invoices.update(invoice.id, items=[{"name": "Copy paper", "quantity": 2, "unit_cost": 9.5}])
    print(total)


def model_bodies_still_work(client: Client) -> None:
    client.invoices.create(customer=15444, items=[types.LineItem.model_validate({"name": "Copy paper"})])
