"""CloudInvoice responses in the shapes its public documentation shows. Typed by hand; values are ours.

Sources:
- V3: www.cloudinvoice.net/documentation/index/ (seed 004): ``GET /v3/`` answers ``{"status": "OK"}``; an error is
  ``{status_code, error_type, generic_msg, detail_msg, error_code, errors}`` with an empty ``detail_msg`` and a
  string per field under ``errors`` (``non_field_errors`` for the rest).
- NEW: apidocs.cloudinvoice.net (the successor API the v3 spec takes its list conventions from): a list answers
  ``{limit, offset, count, next, previous, results}`` with ``next`` and ``previous`` null at the ends. Only the
  envelope is taken from it: the successor's records have other fields than v3 (api-facts §5.3).
"""

from __future__ import annotations

from tests.specs.real_payloads import RealPayload

__all__ = ["PAYLOADS"]

V3 = "https://www.cloudinvoice.net/documentation/index/ (seed 004, v3)"
NEW = "https://apidocs.cloudinvoice.net/documentacao-api/series-de-documentos/numeracoes/list (successor API)"

PAYLOADS = [
    RealPayload("root-status", "cloudinvoice", "GET", "/", 200, "Status", V3, {"status": "OK"}),
    RealPayload(
        "validation-error",
        "cloudinvoice",
        "POST",
        "/documents/",
        400,
        "CloudinvoiceError",
        V3,
        {
            "status_code": 400,
            "error_type": "api_error",
            "generic_msg": "A server error occurred.",
            "detail_msg": "",
            "error_code": "validation_error",
            "errors": {"non_field_errors": "Não existe nenhum cliente com este código."},
        },
    ),
    RealPayload(
        "empty-page",
        "cloudinvoice",
        "GET",
        "/documents/",
        200,
        "DocumentPage",
        NEW,
        {"limit": 10, "offset": 0, "count": 0, "next": None, "previous": None, "results": []},
    ),
    RealPayload(
        "lines-page-last",
        "cloudinvoice",
        "GET",
        "/documents/1/details/",
        200,
        "DocumentLinePage",
        NEW,
        {
            "limit": 10,
            "offset": 10,
            "count": 10,
            "next": None,
            "previous": "https://www.cloudinvoice.net/v3/documents/1/details/?limit=10",
            "results": [],
        },
    ),
]
