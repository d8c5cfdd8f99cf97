"""eFactori (onFact v5) responses in the shapes the vendor documents them. Typed by hand; values are ours.

Sources:
- VENDOR: github.com/onFact/onfact5-api-php (the official PHP client, last commit 2021-05), src/openapi.json: the
  vendor's own OpenAPI description of each object, with the types it gives each field (a contact's
  ``number_formatted`` is an integer, a payment's ``payment_account_id`` a string, a document's ``created`` and
  ``modified`` are dates); list schemas with ``count`` and ``items``.
- CLIENT: the same repository's src/Helper/Index.php reads a list's ``count``, an optional ``paging`` object and
  ``items``.
- api-facts §3.5 (from the same spec): the success envelope ``{id, code}`` of a create, update or delete, and the
  error body ``{code, message, errors: [{field: [{_error_code: text}]}]}``; an ``Unauthorized`` has no ``errors``.
"""

from __future__ import annotations

from typing import Any

from tests.specs.real_payloads import RealPayload

__all__ = ["KEPT", "PAYLOADS"]

VENDOR = "github:onFact/onfact5-api-php@3912ad4 src/openapi.json components/schemas/{}"
CLIENT = "github:onFact/onfact5-api-php@3912ad4 src/Helper/Index.php (count, optional paging, items)"


def _money(amount: float) -> dict[str, float]:
    return {"_": amount, "EUR": amount}


def _contact(**changes: Any) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "id": 5501,
        "number": 1042,
        "number_formatted": 1042,  # an integer in the vendor's schema (specs/efactori.yaml had a string only)
        "name": "Brasserie De Koe BV",
        "street": "Markt",
        "streetnumber": "12",
        "citycode": "9000",
        "city": "Gent",
        "country_id": "BEL",
        "language_id": "nld",
        "currency_id": "EUR",
        "vat": "BE0123456749",
        "email": "boekhouding@dekoe.example",
        "customer": "2021-03-02T10:14:00+01:00",  # role flags are datetimes (the vendor's "datetime" format)
        "prospect": None,
        "supplier": None,
        "term_invoices": 30,
        "created": "2021-03-02T10:14:00+01:00",
        "modified": "2021-04-19T16:02:11+02:00",
    }
    contact.update(changes)
    return contact


def _invoice(**changes: Any) -> dict[str, Any]:
    invoice: dict[str, Any] = {
        "id": 88101,
        "journal_id": 1,
        "currency_id": "EUR",
        "number": 57,
        "number_formatted": "2021/0057",
        "date": "2021-05-03",
        "status": "sent",
        "customer_id": 5501,
        "customer_name": "Brasserie De Koe BV",
        "customer_street": "Markt",
        "customer_streetnumber": "12",
        "customer_citycode": "9000",
        "customer_city": "Gent",
        "customer_vat": "BE0123456749",
        "country_id": "BEL",
        "language_id": "nld",
        "vattype": "excl",
        "term": 30,
        "expiration_date": "2021-06-02",
        "automatic_reminders": True,
        "total_amount_excl": _money(100.0),
        "total_tax_amount": _money(21.0),
        "total_amount_incl": _money(121.0),
        "invoice_lines": [
            {
                "id": 301,
                "type": "line",
                "name": "Consultancy",
                "price": 100.0,
                "quantity": 1,
                "vat": 21,
                "unit_code_id": "ZZ",
                "price_excl": _money(100.0),
                "total_amount_incl": _money(121.0),
            }
        ],
        "created": "2021-05-03",  # ``format: date`` in the vendor's Invoice schema (was date-time only here)
        "modified": "2021-05-03",
    }
    invoice.update(changes)
    return invoice


PAYLOADS = [
    RealPayload(
        "contact-get", "efactori", "GET", "/v1/contacts/5501.json", 200, "Contact", VENDOR.format("Contact"), _contact()
    ),
    RealPayload(
        "invoice-get-datetimes",
        "efactori",
        "GET",
        "/v1/invoices/88101.json",
        200,
        "Invoice",
        VENDOR.format("Invoice") + " (timestamps as date-times, as contacts have them)",
        _invoice(created="2021-05-03T09:12:44+00:00", modified="2021-05-04T08:00:00+00:00"),
    ),
    RealPayload(
        "contact-list-with-paging",
        "efactori",
        "GET",
        "/v1/contacts.json",
        200,
        "ContactList",
        CLIENT,
        {"count": 1, "paging": {}, "items": [_contact()]},
    ),
    RealPayload(
        "create-success",
        "efactori",
        "POST",
        "/v1/contacts.json",
        201,
        "Success",
        VENDOR.format("Success"),
        {"id": 5502, "code": "Created"},
    ),
    RealPayload(
        "validation-error",
        "efactori",
        "POST",
        "/v1/contacts.json",
        400,
        "EfactoriError",
        VENDOR.format("Error"),
        {
            "code": "ValidationError",
            "message": "The data could not be saved.",
            "errors": [{"name": [{"_empty": "This field cannot be left empty"}]}],
        },
    ),
    RealPayload(
        "unauthorized",
        "efactori",
        "GET",
        "/v1/contacts.json",
        401,
        "EfactoriError",
        VENDOR.format("Error"),
        {"code": "Unauthorized", "message": "Unauthorized"},
    ),
]

# Shapes the vendor's spec documents and specs/efactori.yaml still refuses, on purpose, each with the field it refuses
# and why (the spec's description of the field says the same). The generated client parses them leniently.
KEPT = [
    # created/modified: the vendor says `format: date` on documents but a datetime on contacts; the spec assumes a
    # timestamp for both (a document's time of creation), so a date-only value is drift conform should report.
    (
        RealPayload(
            "invoice-get",
            "efactori",
            "GET",
            "/v1/invoices/88101.json",
            200,
            "Invoice",
            VENDOR.format("Invoice"),
            _invoice(),
        ),
        ["created", "modified"],
    ),
    # payment_account_id: a string in the vendor's schema, an integer here: it is the integer id of a payment
    # account, and the same schema is the request body, which stays strict.
    (
        RealPayload(
            "payment-get",
            "efactori",
            "GET",
            "/v1/payments/7701.json",
            200,
            "Payment",
            VENDOR.format("Payment"),
            {
                "id": 7701,
                "payment_account_id": "12",
                "date": "2021-05-20",
                "amount": _money(121.0),
                "currency_id": "EUR",
                "name": "Overschrijving",
                "iban": "BE68539007547034",
            },
        ),
        ["payment_account_id"],
    ),
]
