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


def _client(module: Any, body: dict[str, Any] = OLD_INVOICE, **options: Any) -> Any:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=body)

    transport = httpx2.MockTransport(handler)
    return module.Client(
        base_url="http://127.0.0.1:9", api_token="T", http_client=httpx2.Client(transport=transport), **options
    )


def test_old_invoice_without_view_url_parses_cleanly(caplog: pytest.LogCaptureFixture) -> None:
    """The spec now accepts this shape (``view_url`` optional, ``payment_type`` nullable: the evidence is in
    ``tests/specs/real_bitfaktura.py``), so it parses with no deviation and no warning, strictly too."""
    module = client_module("bitfaktura")
    with caplog.at_level(logging.WARNING, logger="bitfaktura_client"):
        invoice = _client(module).invoices.retrieve(4711)
    assert isinstance(invoice, module.types.Invoice)
    assert invoice.number == "FV 12/2018" and invoice.price_gross == "123.00" and invoice.payment_type is None
    assert invoice.positions[0].name == "Usługa" and invoice.model_extra == {"legacy_gtu_code": "GTU_12"}
    assert invoice.view_url is None and not module.deviations(invoice) and caplog.records == []
    assert _client(module, strict=True).invoices.retrieve(4711).view_url is None


def test_a_field_the_spec_still_requires_missing_is_a_deviation_not_a_crash(caplog: pytest.LogCaptureFixture) -> None:
    """The same invoice without ``token``, which the spec still requires: the default client returns it with one
    deviation and one warning naming the operation and the pointer; a strict client raises naming the field."""
    module = client_module("bitfaktura")
    tokenless = {k: v for k, v in OLD_INVOICE.items() if k != "token"}
    with caplog.at_level(logging.WARNING, logger="bitfaktura_client"):
        invoice = _client(module, body=tokenless).invoices.retrieve(4711)
    assert invoice.number == "FV 12/2018" and invoice.token is None
    assert [(d.pointer, d.kind) for d in module.deviations(invoice)] == [("/token", "missing")]
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning.startswith("invoices.retrieve: ") and "(missing) at /token" in warning
    with pytest.raises(pydantic.ValidationError, match="token"):
        _client(module, body=tokenless, strict=True).invoices.retrieve(4711)
