"""Request bodies as plain dicts, type-checked by ``mypy --strict`` against generated/bitfaktura (not run)."""

from __future__ import annotations

from bitfaktura_client import Client, types


def dict_bodies(client: Client) -> None:
    position: types.InvoicePositionInputParam = {"name": "Produkt A1", "tax": 23, "total_price_gross": 10.0}
    invoice = client.invoices.create(
        invoice={"kind": "vat", "buyer_name": "Client1 SA", "positions": [position, {"name": "B", "quantity": 2}]}
    )
    gross: str | float | None = invoice.price_gross
    client.invoices.update(invoice.id, invoice={"buyer_name": "Renamed SA", "positions": [{"id": 1, "_destroy": 1}]})
    buyer = client.clients.create(client={"name": "Client1 SA", "tax_no": "6272616681", "email": None})
    client.payments.create(banking_payment={"name": "Payment 001", "price": "100.05", "invoice_id": buyer.id})
    print(gross)


def named_enums(client: Client) -> None:
    period: types.InvoicePeriod = "this_month"  # a long enum is a named Literal alias
    for invoice in client.invoices.list(period=period, income="yes"):
        print(invoice.id)


def model_bodies_still_work(client: Client) -> None:
    client.invoices.create(invoice=types.InvoiceInput.model_validate({"kind": "vat", "buyer_name": "Client1 SA"}))
