"""econt_client against the mock: place invoices (customer and lines), fetch the PDF by key, errors, 429.

e-Cont has no list, update or delete call, so the workflow is place, fetch and fail.
"""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from tests.e2e.harness import Loop

ORDER: dict[str, Any] = {
    "id": 1234,
    "order_number": "WC-1234",
    "amount": "554.30",
    "currency": "MDL",
    "date_created": "2023-10-08 14:05:12",
    "status": "pending",
    "billing": {"company": "Alfa Trade SRL", "first_name": "Ion", "city": "Chișinău", "email": "contabil@alfatrade.md"},
}
LINE: dict[str, Any] = {
    "product_id": 77,
    "product_sku": "CAF-500",
    "product_name": "Cafea boabe 500 g",
    "product_price": "185.10",
    "product_qnt": 2,
    "product_unit": "buc",
    "line_total": "370.20",
}


def _put(loop: Loop, order: Any = None) -> Any:
    items = loop.types.LineItems.model_validate({"984": LINE})
    return loop.client.invoices.put(order=order or loop.types.Order.model_validate(ORDER), items=items)


def test_placed_invoice_and_its_pdf(econt: Loop) -> None:
    first, second = _put(econt), _put(econt)
    assert first.data.key and first.data.key != second.data.key and second.data.id != first.data.id
    assert first.data.order.order_number == "WC-1234"
    assert [line.product_name for line in first.data.items.root.values()] == ["Cafea boabe 500 g"]
    pdf = econt.client.invoices.send_pdf(key=first.data.key)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")


def test_errors_are_typed(econt: Loop) -> None:
    errors = econt.module
    with pytest.raises(errors.AuthenticationError) as denied:
        econt.bad.invoices.put(
            order=econt.types.Order.model_validate(ORDER), items=econt.types.LineItems.model_validate({"1": LINE})
        )
    assert all(value not in str(denied.value) for value in econt.credentials.values())
    with pytest.raises(errors.NotFoundError):
        econt.client.invoices.send_pdf(key="0" * 32)
    with pytest.raises(pydantic.ValidationError):
        econt.types.Order.model_validate({**ORDER, "currency": "MDLXX"})
    with pytest.raises(errors.BadRequestError) as invalid:  # past the client's own validation
        _put(econt, econt.types.Order.model_validate(ORDER).model_copy(update={"currency": "MDLXX"}))
    assert invalid.value.status_code == 400


def test_forced_429_is_retried_after_retry_after(econt: Loop) -> None:
    key = _put(econt).data.key
    econt.transport.arm("429")
    assert econt.client.invoices.send_pdf(key=key).startswith(b"%PDF-")
    assert [status for _, _, status in econt.transport.sent[-2:]] == [429, 200]
