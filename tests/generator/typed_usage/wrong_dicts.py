"""Dict bodies mypy must refuse (the line numbers are asserted by the test)."""

from __future__ import annotations

from bitfaktura_client import Client as Bitfaktura
from bitfaktura_client import types
from econt_client import Client as Econt
from facturare_client import Client as Facturare


def wrong(bitfaktura: Bitfaktura, facturare: Facturare, econt: Econt) -> None:
    bitfaktura.invoices.create(invoice={"buyer_nam": "typo"})
    bitfaktura.invoices.create(invoice={"kind": "not-a-kind"})
    login: types.LoginRequestParam = {"login": "a"}
    facturare.invoices.create(customer=1, items=[{"unit_cost": "nine"}])
    bitfaktura.invoices.list(period="someday")
    econt.invoices.put(order={}, items={"984": {"product_qnt": "two"}})
    facturare.coupons.create(name="Spring", value=10.0, metadata={"campaign": 1})
    print(login)
