"""Wrapper models around a plain value take that value, type-checked by ``mypy --strict`` against generated/econt
and generated/facturare (not run)."""

from __future__ import annotations

from econt_client import Client as Econt
from econt_client import types as econt_types
from facturare_client import Client as Facturare
from facturare_client import types as facturare_types


def plain_values(econt: Econt, facturare: Facturare) -> None:
    line: econt_types.LineItemParam = {"product_name": "Widget", "product_price": "277.15", "product_qnt": 2}
    model = econt_types.LineItem(product_name="Gadget", product_qnt=1)
    econt.invoices.put(order={"order_number": "984", "amount": "554.30"}, items={"984": line, "985": model})
    facturare.coupons.create(name="Spring", value=10.0, metadata={"campaign": "spring"})


def wrappers_still_work(econt: Econt, facturare: Facturare) -> None:
    items = econt_types.LineItems.model_validate({"984": {"product_name": "Widget"}})
    econt.invoices.put(order=econt_types.Order(order_number="984"), items=items)
    facturare.coupons.create(name="Spring", value=10.0, metadata=facturare_types.Metadata({"campaign": "spring"}))
