"""Fakturownia's Python SDKs against the bitfaktura mock (BitFaktura is Fakturownia's white label):
``fakturownia-client`` in-process through its ``transport=``, ``fakturownia`` over loopback through ``base_url=``.
The steps follow the SDKs' READMEs and Fakturownia's API documentation."""

from __future__ import annotations

import datetime

import fakturownia.exceptions
import fakturownia_client
import pytest

from tests.e2e.sdk.conftest import Sdk


def _vat_invoice(sdk: Sdk) -> fakturownia_client.models.Invoice:
    buyer = sdk.client.create_client({"name": "Acme Sp. z o.o.", "email": "billing@acme.example", "tax_no": "5252"})
    return sdk.client.create_invoice(
        {
            "kind": "vat",
            "client_id": buyer.id,
            "buyer_name": buyer.name,
            "buyer_email": "billing@acme.example",
            "positions": [
                {"name": "Consulting", "quantity": 1, "total_price_gross": "246", "tax": 23},
                {"name": "Hosting", "quantity": 1, "price_net": "50", "tax": 23},
            ],
        }
    )


def test_vat_totals_defaults_and_numbering(fakturownia_client_sdk: Sdk) -> None:
    invoice = _vat_invoice(fakturownia_client_sdk)
    # 246 gross at 23 % is 200 net; 50 net at 23 % is 61.50 gross
    assert (invoice.price_net, invoice.price_gross, invoice.price_tax) == ("250.00", "307.50", "57.50")
    today = datetime.date.today()
    assert invoice.status == "issued" and float(invoice.paid or "nan") == 0
    assert invoice.issue_date == today
    assert invoice.number == f"1/{today.month}/{today.year}"


def test_send_by_email_then_a_paid_payment_settles(fakturownia_client_sdk: Sdk) -> None:
    client = fakturownia_client_sdk.client
    invoice = _vat_invoice(fakturownia_client_sdk)
    client.send_invoice_by_email(invoice.id)
    assert client.get_invoice(invoice.id).status == "sent"

    client.create_payment({"name": "Transfer", "price": "300.00", "invoice_id": invoice.id, "paid": True})
    partly = client.get_invoice(invoice.id)
    assert (partly.status, partly.paid) == ("partial", "300.00")  # Fakturownia's status for a part paid
    rest = client.create_payment({"name": "Rest", "price": "7.50", "invoice_id": invoice.id, "paid": True})
    settled = client.get_invoice(invoice.id)
    assert (settled.status, settled.paid) == ("paid", "307.50")
    client.delete_payment(rest.id)  # the invoices it settled lose that amount (the API's delete)
    reopened = client.get_invoice(invoice.id)
    assert (reopened.status, reopened.paid) == ("partial", "300.00")


def test_pages_above_the_maximum_are_capped(fakturownia_client_sdk: Sdk) -> None:
    client = fakturownia_client_sdk.client
    for n in range(3):
        client.create_product({"name": f"Product {n}", "price_net": "10", "tax": "23"})
    assert len(client.list_products(per_page=500)) == 3  # the API caps per_page; it does not refuse it
    assert [p.name for p in client.iter_products()] == ["Product 0", "Product 1", "Product 2"]


def test_pdf_unknown_id_and_wrong_token(fakturownia_client_sdk: Sdk) -> None:
    sdk = fakturownia_client_sdk
    invoice = _vat_invoice(sdk)
    assert sdk.client.download_invoice_pdf(invoice.id).startswith(b"%PDF")
    with pytest.raises(fakturownia_client.NotFoundError):
        sdk.client.get_invoice(424242)
    with pytest.raises(fakturownia_client.AuthenticationError) as denied:
        sdk.bad.list_invoices()
    assert sdk.api.credentials["BITFAKTURA_API_TOKEN"] not in str(denied.value)


def test_delete_invoice(fakturownia_client_sdk: Sdk) -> None:
    invoice = _vat_invoice(fakturownia_client_sdk)
    fakturownia_client_sdk.client.delete_invoice(invoice.id)
    with pytest.raises(fakturownia_client.NotFoundError):
        fakturownia_client_sdk.client.get_invoice(invoice.id)


def test_fakturownia_readme_workflow(fakturownia_sdk: Sdk) -> None:
    """``fakturownia``'s README: create, read back, mark paid."""
    api = fakturownia_sdk.client
    invoice = api.invoices.create(
        seller_name="Kabaret Starszych Panów",
        buyer_name="Odrażający drab",
        buyer_email="drab@example.com",
        positions=[{"name": "Smolna szczapa", "quantity": 5, "total_price_gross": 7.33, "tax": 23}],
    )
    assert invoice.id and invoice.status == "issued" and invoice.price_gross == "7.33"
    assert invoice.get().positions[0]["total_price_gross"] == "7.33"
    invoice.send_by_email()  # posts {"api_token": ...} as a JSON body: the Rails API reads it on every action
    assert api.invoices[invoice.id].status == "sent"
    invoice.mark_paid()  # PUT {invoice: {status: paid}}
    assert api.invoices[invoice.id].status == "paid"


def test_fakturownia_errors(fakturownia_sdk: Sdk) -> None:
    # SDK quirk: HttpException.response holds the reason phrase, not the response; status_code is kept
    with pytest.raises(fakturownia.exceptions.HttpException) as missing:
        fakturownia_sdk.client.invoices[424242]
    assert missing.value.status_code == 404
    with pytest.raises(fakturownia.exceptions.HttpException) as denied:
        fakturownia_sdk.bad.invoices[1]
    assert denied.value.status_code == 401


def test_products_price_the_positions_that_name_them(fakturownia_client_sdk: Sdk) -> None:
    client = fakturownia_client_sdk.client
    product = client.create_product({"name": "Audit", "code": "A001", "price_net": "100", "tax": "23"})
    assert (float(product.price_net), product.price_gross) == (100, "123.00")  # gross from net plus tax
    repriced = client.update_product(product.id, {"price_gross": "246"})
    assert (repriced.price_net, float(repriced.price_gross)) == ("200.00", 246)  # on update the gross price wins
    invoice = client.create_invoice(
        {"buyer_name": "Acme Sp. z o.o.", "positions": [{"product_id": product.id, "quantity": 2}]}
    )
    assert (invoice.price_net, invoice.price_gross, invoice.price_tax) == ("400.00", "492.00", "92.00")
    (position,) = client.get_invoice(invoice.id).positions
    assert position.name == "Audit" and position.total_price_gross == "492.00"
