"""cloudinvoice_client against the mock: client, documents with lines, pages, PDF, update, errors, 429.

CloudInvoice v3 has no delete or void call for documents, so the workflow ends with the update.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.harness import Loop


def _client(loop: Loop) -> Any:
    return loop.client.clients.create(code="C0001", name="Padaria Central", country="PT")


def _document(loop: Loop, code: str, description: str) -> Any:
    line = {"description": description, "quantity": "2.000", "unit_price": "1.50", "tax_rate": "6.00"}
    return loop.client.documents.create(
        document_nature="FT",
        document_date="2019-05-20",
        client_code=code,
        currency="EUR",
        lines=[loop.types.DocumentLine.model_validate(line)],
    )


def test_document_lifecycle(cloudinvoice: Loop) -> None:
    client = cloudinvoice.client
    buyer = _client(cloudinvoice)
    document = _document(cloudinvoice, buyer.code, "Pão de forma 500 g")
    assert [line.description for line in document.lines] == ["Pão de forma 500 g"]
    assert client.documents.retrieve(document.id).client_code == "C0001"
    pdf = client.documents.download_pdf(document.id)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    assert client.clients.update(buyer.id, email="geral@padaria.pt").email == "geral@padaria.pt"
    assert client.clients.retrieve(buyer.id).email == "geral@padaria.pt"


def test_iterating_walks_every_page(cloudinvoice: Loop) -> None:
    buyer = _client(cloudinvoice)
    created = {_document(cloudinvoice, buyer.code, f"Linha {n}").id for n in range(5)}
    first = cloudinvoice.client.documents.list(limit=2)
    assert first.total == 5 and len(first.items) == 2 and first.has_next_page()
    assert {d.id for d in cloudinvoice.client.documents.list(limit=2)} == created


def test_document_lines_are_listed(cloudinvoice: Loop) -> None:
    buyer = _client(cloudinvoice)
    document = _document(cloudinvoice, buyer.code, "Pão de forma 500 g")
    lines = cloudinvoice.client.documents.lines.list(document.id)
    assert [line.description for line in lines] == ["Pão de forma 500 g"]


def test_errors_are_typed(cloudinvoice: Loop) -> None:
    errors = cloudinvoice.module
    with pytest.raises(errors.AuthenticationError) as denied:  # v3's envelope, with the error's own status
        cloudinvoice.bad.clients.retrieve(1)
    assert denied.value.status_code == 401 and denied.value.body["status_code"] == 401
    assert all(value not in str(denied.value) for value in cloudinvoice.credentials.values())
    with pytest.raises(errors.NotFoundError) as missing:
        cloudinvoice.client.documents.retrieve(424242)
    assert missing.value.status_code == 404 and missing.value.body["status_code"] == 404
    with pytest.raises(errors.APIStatusError) as invalid:
        cloudinvoice.client.documents.create(document_nature="FT", document_date="not a date", lines=[])
    assert invalid.value.body["status_code"] == 400


def test_forced_429_is_retried_after_retry_after(cloudinvoice: Loop) -> None:
    # CloudInvoice throttles with HTTP 400, body status_code 429 and Retry-After (x-errors rate_limited).
    buyer = _client(cloudinvoice)
    cloudinvoice.transport.arm("429")
    assert cloudinvoice.client.clients.retrieve(buyer.id).id == buyer.id
    assert [status for _, _, status in cloudinvoice.transport.sent[-2:]] == [400, 200]
