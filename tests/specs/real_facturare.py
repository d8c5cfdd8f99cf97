"""facturare (Invoiced) responses in the shapes Invoiced's public reference shows. Typed by hand; values are ours.

Source: github.com/Invoiced/api (the Slate source of Invoiced's API reference, commit e3a3561131e3, 2024-03-06),
data/**/*.json: the example objects the reference prints for each endpoint, and CHANGELOG.md.
"""

from __future__ import annotations

from typing import Any

from tests.specs.real_payloads import RealPayload

__all__ = ["PAYLOADS"]

DOCS = "github:Invoiced/api@e3a3561131e3 data/{}"


def _line(ident: int, name: str, unit_cost: float, quantity: float = 1) -> dict[str, Any]:
    # data/invoicing/line_items/object.json: a document's line has no created_at, catalog_item may be null
    return {
        "id": ident,
        "object": "line_item",
        "catalog_item": None,
        "type": "product",
        "name": name,
        "description": None,
        "quantity": quantity,
        "unit_cost": unit_cost,
        "amount": unit_cost * quantity,
        "discountable": True,
        "discounts": [],
        "taxable": True,
        "taxes": [],
        "metadata": {},
    }


def _tax(ident: int, amount: float) -> dict[str, Any]:
    return {"id": ident, "object": "tax", "amount": amount, "tax_rate": None}


def _customer(**changes: Any) -> dict[str, Any]:
    """data/customers/retrieve.json: payment_source null, many nullable contact and tax fields."""
    customer: dict[str, Any] = {
        "id": 20001,
        "object": "customer",
        "number": "CUST-0101",
        "name": "Nord Office SRL",
        "email": "accounts@example.md",
        "autopay": False,
        "payment_terms": "NET 30",
        "payment_source": None,
        "taxes": [],
        "type": "company",
        "attention_to": "Ion Rusu",
        "address1": "str. Stefan cel Mare 1",
        "address2": None,
        "city": "Chisinau",
        "state": None,
        "postal_code": "MD-2001",
        "country": "MD",
        "language": None,
        "currency": None,
        "tax_id": "1003600000001",
        "phone": "+373 22 000 000",
        "notes": None,
        "sign_up_page": None,
        "sign_up_url": None,
        "statement_pdf_url": "https://example.invoiced.com/statements/aaaa1111/pdf",
        "created_at": 1415222128,
        "updated_at": 1415222128,
        "metadata": {},
        "autopay_delay_days": None,
        "avalara_entity_use_code": None,
        "avalara_exemption_number": None,
        "chase": True,
        "chasing_cadence": None,
        "next_chase_step": None,
        "credit_hold": False,
        "credit_limit": None,
        "owner": None,
        "parent_customer": None,
        "taxable": True,
        "ach_gateway": None,
        "cc_gateway": None,
    }
    customer.update(changes)
    return customer


def _document(kind: str, **changes: Any) -> dict[str, Any]:
    """The fields invoices, credit notes and estimates share in data/invoicing/invoices/object.json and kin."""
    document: dict[str, Any] = {
        "id": 46001,
        "object": kind,
        "customer": 20001,
        "ship_to": None,
        "name": None,
        "currency": "usd",
        "draft": False,
        "closed": False,
        "number": "INV-0101",
        "date": 1416290400,
        "payment_terms": "NET 14",
        "purchase_order": None,
        "items": [_line(7, "Copy paper, case", 45), _line(8, "Delivery", 10)],
        "notes": None,
        "subtotal": 55,
        "discounts": [],
        "taxes": [_tax(20554, 3.85)],
        "total": 58.85,
        "url": f"https://example.invoiced.com/{kind}s/bbbb2222",
        "pdf_url": f"https://example.invoiced.com/{kind}s/bbbb2222/pdf",
        "created_at": 1415229884,
        "updated_at": 1415229884,
        "metadata": {},
    }
    document.update(changes)
    return document


_INVOICE = _document(
    "invoice",
    paid=False,
    status="not_sent",
    autopay=False,
    attempt_count=0,
    next_payment_attempt=None,
    subscription=None,
    due_date=1417500000,
    balance=58.85,
    payment_url="https://example.invoiced.com/invoices/bbbb2222/payment",
    payment_plan=None,
)

PAYLOADS = [
    RealPayload(
        "customer-retrieve",
        "facturare",
        "GET",
        "/customers/20001",
        200,
        "Customer",
        DOCS.format("customers/retrieve.json"),
        _customer(),
    ),
    RealPayload(
        "customer-create",
        "facturare",
        "POST",
        "/customers",
        201,
        "Customer",
        DOCS.format("customers/create.json"),
        _customer(number="CUST-0102", id=20002),
    ),
    RealPayload(
        "invoice-object",
        "facturare",
        "GET",
        "/invoices/46001",
        200,
        "Invoice",
        DOCS.format("invoicing/invoices/object.json"),
        _INVOICE,
    ),
    RealPayload(
        "invoice-voided",
        "facturare",
        "POST",
        "/invoices/46001/void",
        200,
        "Invoice",
        DOCS.format("invoicing/invoices/voided.json"),
        {**_INVOICE, "status": "voided", "closed": True, "balance": 0},
    ),
    RealPayload(
        "pending-line-item",
        "facturare",
        "GET",
        "/customers/20001/line_items/8",
        200,
        "PendingLineItem",
        DOCS.format("pending_line_items/object.json"),
        # a pending (metered) line item: updated_at but no created_at
        {
            **_line(8, "Delivery", 10),
            "customer": 20001,
            "catalog_item": "delivery",
            "type": "service",
            "updated_at": 1607152637,
        },
    ),
    RealPayload(
        "payment-object",
        "facturare",
        "GET",
        "/payments/61",
        200,
        "Payment",
        DOCS.format("payments/object.json"),
        # a bank-feed payment not yet matched to a customer: customer and charge null
        {
            "id": 61,
            "object": "payment",
            "amount": 39,
            "balance": 39,
            "charge": None,
            "currency": "usd",
            "customer": None,
            "date": 1586880431,
            "matched": True,
            "method": "other",
            "notes": None,
            "reference": None,
            "ach_sender_id": None,
            "source": "bank_feed",
            "voided": False,
            "pdf_url": "https://example.invoiced.com/payments/cccc3333/pdf",
            "created_at": 1586880432,
            "updated_at": 1607152637,
        },
    ),
    RealPayload(
        "credit-note-object",
        "facturare",
        "GET",
        "/credit_notes/2048",
        200,
        "CreditNote",
        DOCS.format("credit_notes/object.json"),
        _document("credit_note", id=2048, number="CN-0016", paid=False, status="open", balance=58.85),
    ),
    RealPayload(
        "estimate-voided",
        "facturare",
        "POST",
        "/estimates/2048/void",
        200,
        "Estimate",
        DOCS.format("estimates/voided.json"),
        # approved is false here, where other estimate examples show null
        _document(
            "estimate",
            id=2048,
            number="EST-0016",
            status="voided",
            invoice=None,
            deposit=0,
            deposit_paid=False,
            approved=False,
            expiration_date=None,
            name="July paper delivery",
        ),
    ),
    RealPayload(
        "event-invoice-paid",
        "facturare",
        "GET",
        "/events/11296106",
        200,
        "Event",
        DOCS.format("events/object.json"),
        # the expanded customer inside carries a payment source; the user is the system (-2) with null fields
        {
            "id": 11296106,
            "type": "invoice.paid",
            "timestamp": 1606806943,
            "data": {
                "object": {
                    **_INVOICE,
                    "customer": _customer(
                        payment_source={
                            "id": 13320,
                            "object": "card",
                            "brand": "Visa",
                            "last4": "4242",
                            "exp_month": 2,
                            "exp_year": 2023,
                            "funding": "credit",
                            "chargeable": True,
                            "failure_reason": None,
                            "gateway": "invoiced",
                            "gateway_id": "card_0000",
                            "gateway_customer": None,
                            "merchant_account": 230,
                            "receipt_email": None,
                            "created_at": 1589566234,
                            "updated_at": 1589566234,
                        }
                    ),
                }
            },
            "previous": {"status": "not_sent", "paid": False, "balance": 39},
            "user": {
                "id": -2,
                "first_name": None,
                "last_name": None,
                "email": None,
                "two_factor_enabled": False,
                "created_at": None,
                "updated_at": None,
            },
        },
    ),
    RealPayload(
        "event-before-timestamp",
        "facturare",
        "GET",
        "/events/9000001",
        200,
        "Event",
        "github:Invoiced/api@e3a3561131e3 CHANGELOG.md (2016-09-12: 'Added `timestamp` property to events')",
        # an event from before 2016-09-12: the same object without timestamp
        {"id": 9000001, "type": "customer.created", "data": {"object": _customer()}},
    ),
]
