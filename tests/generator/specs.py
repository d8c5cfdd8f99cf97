"""Small inline specs exercising one feature each (shared by the functional tests)."""

from __future__ import annotations

from typing import Any

__all__ = ["billing_spec"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


_ERRORS = {"404": {"description": "not found", **_json(_ref("Error"))}, "429": {"description": "slow down"}}


def billing_spec(*, pagination: dict[str, Any], list_schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """A tiny invoicing API: CRUD on invoices, a PDF, an XML view, HEAD, an action, and a paged list."""
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Billing", "version": "1.0"},
        "servers": [
            {
                "url": "https://{prefix}.billing.example/api",
                "description": "Production",
                "variables": {"prefix": {"default": "demo"}},
            },
            {"url": "https://sandbox.billing.example/api", "description": "Sandbox"},
        ],
        "security": [{"key": []}, {"token": []}],
        "x-errors": {"schema": "#/components/schemas/Error", "match-in-success": {"code": "error"}},
        "paths": {
            "/invoices": {
                "get": {
                    "operationId": "listInvoices",
                    "x-resource": "invoices",
                    "x-action": "list",
                    "x-pagination": pagination,
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "integer"}},
                        {"name": "per_page", "in": "query", "schema": {"type": "integer"}},
                        {"name": "offset", "in": "query", "schema": {"type": "integer"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {"name": "status", "in": "query", "schema": _ref("Status")},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            **_json(list_schema or {"type": "array", "items": _ref("Invoice")}),
                        },
                        **_ERRORS,
                    },
                },
                "post": {
                    "operationId": "createInvoice",
                    "x-resource": "invoices",
                    "x-action": "create",
                    "requestBody": {"required": True, **_json(_ref("InvoiceCreate"))},
                    "responses": {"201": {"description": "created", **_json(_ref("Invoice"))}, **_ERRORS},
                },
            },
            "/invoices/{id}": {
                "parameters": [id_param],
                "get": {
                    "operationId": "getInvoice",
                    "x-resource": "invoices",
                    "x-action": "retrieve",
                    "parameters": [{"name": "X-Trace-Id", "in": "header", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok", **_json(_ref("Invoice"))}, **_ERRORS},
                },
                "delete": {
                    "operationId": "deleteInvoice",
                    "x-resource": "invoices",
                    "x-action": "delete",
                    "responses": {"204": {"description": "gone"}, **_ERRORS},
                },
            },
            "/invoices/{id}.pdf": {
                "parameters": [id_param],
                "get": {
                    "operationId": "invoicePdf",
                    "x-resource": "invoices",
                    "x-action": "download_pdf",
                    "responses": {
                        "200": {
                            "description": "pdf",
                            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                        }
                    },
                },
            },
            "/invoices/{id}.xml": {
                "parameters": [id_param],
                "get": {
                    "operationId": "invoiceXml",
                    "x-resource": "invoices",
                    "x-action": "retrieve_xml",
                    "responses": {
                        "200": {"description": "xml", "content": {"application/xml": {"schema": {"type": "string"}}}}
                    },
                },
            },
            "/invoices/{id}/send": {
                "parameters": [id_param],
                "post": {
                    "operationId": "sendInvoice",
                    "x-resource": "invoices",
                    "x-action": "send_by_email",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "properties": {"email_to": {"type": "string"}}}
                            }
                        }
                    },
                    "responses": {"200": {"description": "sent", **_json(_ref("Result"))}},
                },
            },
            "/invoices/next-number": {
                "head": {
                    "operationId": "nextNumber",
                    "x-resource": "invoices",
                    "x-action": "next_number",
                    "responses": {"200": {"description": "number in a header"}},
                },
            },
        },
        "components": {
            "securitySchemes": {
                "key": {"type": "http", "scheme": "basic", "x-basic-username-only": True, "x-env": ["BILLING_API_KEY"]},
                "token": {"type": "apiKey", "in": "query", "name": "api_token", "x-env": ["BILLING_API_TOKEN"]},
            },
            "schemas": {
                "Status": {"type": "string", "enum": ["draft", "paid"]},
                "Invoice": {
                    "type": "object",
                    "required": ["id", "number"],
                    "properties": {
                        "id": {"type": "integer"},
                        "number": {"type": "string"},
                        "status": _ref("Status"),
                        "note": {"type": "string", "nullable": True},
                    },
                },
                "InvoiceCreate": {
                    "type": "object",
                    "required": ["number"],
                    "properties": {
                        "number": {"type": "string"},
                        "note": {"type": "string", "nullable": True},
                        "status": _ref("Status"),
                    },
                },
                "Result": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}},
                "Error": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {"message": {"type": "string"}, "param": {"type": "string"}},
                },
            },
        },
    }
