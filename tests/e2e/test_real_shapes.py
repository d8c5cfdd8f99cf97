"""The shapes issue 12 measured: an older BitFaktura invoice without ``view_url`` and with ``payment_type: null``
(written here by hand after the public documentation's field list) reaches the generated client intact."""

from __future__ import annotations

import logging
from typing import Any

import httpx2
import pydantic
import pytest

from tests.e2e.harness import client_module

OLD_INVOICE: dict[str, Any] = {
    "id": 4711,
    "number": "FV 12/2018",
    "kind": "vat",
    "income": True,
    "issue_date": "2018-03-05",
    "sell_date": "2018-03-05",
    "payment_to": "2018-03-12",
    "status": "issued",
    "price_net": "100.00",
    "price_gross": "123.00",
    "price_tax": "23.00",
    "currency": "PLN",
    "payment_type": None,
    "buyer_name": "Klient Sp. z o.o.",
    "token": "a1b2c3d4e5",
    "created_at": "2018-03-05T10:11:12+01:00",
    "updated_at": "2018-03-05T10:11:12+01:00",
    "legacy_gtu_code": "GTU_12",  # a field the spec does not list
    "positions": [
        {"id": 1, "name": "Usługa", "quantity": "1.0", "tax": "23", "total_price_gross": "123.0"},
    ],
}


def _client(module: Any, **options: Any) -> Any:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=OLD_INVOICE)

    transport = httpx2.MockTransport(handler)
    return module.Client(
        base_url="http://127.0.0.1:9", api_token="T", http_client=httpx2.Client(transport=transport), **options
    )


def test_old_invoice_without_view_url_parses(caplog: pytest.LogCaptureFixture) -> None:
    module = client_module("bitfaktura")
    with caplog.at_level(logging.WARNING, logger="bitfaktura_client"):
        invoice = _client(module).invoices.retrieve(4711)
    assert isinstance(invoice, module.types.Invoice)
    assert invoice.number == "FV 12/2018" and invoice.price_gross == "123.00" and invoice.payment_type is None
    assert invoice.positions[0].name == "Usługa" and invoice.model_extra == {"legacy_gtu_code": "GTU_12"}
    assert invoice.view_url is None
    assert [(d.pointer, d.kind) for d in module.deviations(invoice)] == [("/view_url", "missing")]
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning.startswith("invoices.retrieve: ") and "(missing) at /view_url: expected AnyUrl" in warning


def test_old_invoice_strictly_raises_naming_view_url() -> None:
    module = client_module("bitfaktura")
    with pytest.raises(pydantic.ValidationError, match="view_url"):
        _client(module, strict=True).invoices.retrieve(4711)
