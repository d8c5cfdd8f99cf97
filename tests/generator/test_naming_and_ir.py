"""Unit tests: names decided once (identifiers, classes, resources, methods) and the IR built from a spec."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from apimodel.loader import load_spec
from apimodel.roles import place
from apimodel.walk import OperationRef
from generator.client.build import build_client
from generator.client.naming import class_name, python_identifier, snake_case, unique_name
from tests.generator.specs import billing_spec


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("fooBar", "foo_bar"),
        ("HTTPCode", "http_code"),
        ("X-Total-Count", "x_total_count"),
        ("price_lists", "price_lists"),
    ],
)
def test_snake_case(raw: str, expected: str) -> None:
    assert snake_case(raw) == expected


def test_python_identifier_avoids_keywords_digits_and_reserved() -> None:
    assert python_identifier("class") == "class_"
    assert python_identifier("1st") == "value_1st"
    assert python_identifier("request_options") == "request_options_"
    assert python_identifier("@type", fallback="field") == "type"
    assert python_identifier("", fallback="field") == "field"


def test_class_name_and_unique_name() -> None:
    assert class_name("price_list") == "PriceList"
    assert class_name("customers.contacts") == "CustomersContacts"
    taken: set[str] = set()
    assert [unique_name("list", taken) for _ in range(3)] == ["list", "list_2", "list_3"]


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/v1/customers", ("customers", "list")),
        ("post", "/v1/customers", ("customers", "create")),
        ("get", "/v1/customers/{customer}", ("customers", "retrieve")),
        ("delete", "/v1/customers/{customer}", ("customers", "delete")),
        ("post", "/v1/invoices/{invoice}/void", ("invoices", "void")),
        ("get", "/v1/customers/{customer}/sources", ("customers.sources", "list")),
        ("get", "/v1/customers/search", ("customers", "search")),
    ],
)
def test_foreign_names_come_from_verb_and_path(method: str, path: str, expected: tuple[str, str]) -> None:
    ref = OperationRef(path, method, {"operationId": "SomethingElse"}, {})
    collections = frozenset({"/v1/customers", "/v1/customers/{customer}/sources"})
    placed = place(
        ref,
        hinted_resource=None,
        hinted_action=None,
        has_view=False,
        effect_kind=None,
        collections=collections,
        list_shaped=lambda path: None,
    )
    assert (placed.resource, placed.action) == expected


def test_ir_uses_x_hints_and_decides_every_name(tmp_path: Path) -> None:
    spec = tmp_path / "billing.yaml"
    spec.write_text(yaml.safe_dump(billing_spec(pagination={"style": "page"})), encoding="utf-8")
    ir = build_client(load_spec(spec), api="billing", regenerate="x").ir
    invoices = {r.attribute: r for r in ir.resources}["invoices"]
    methods = {op.name: op for op in invoices.operations}
    assert set(methods) == {
        "list",
        "create",
        "retrieve",
        "delete",
        "download_pdf",
        "retrieve_xml",
        "send_by_email",
        "next_number",
    }
    assert (
        methods["download_pdf"].response_kind == "bytes"
        and methods["download_pdf"].stream_name == "download_pdf_stream"
    )
    assert methods["retrieve_xml"].response_kind == "text"
    assert methods["next_number"].response_kind == "headers"
    assert methods["delete"].return_annotation == "None"
    assert methods["list"].paging is not None and methods["list"].paging.item_type == "types.Invoice"
    assert methods["create"].idempotent is False and methods["retrieve"].idempotent is True
    assert [(c.argument, c.kind) for c in ir.credentials] == [("api_key", "basic"), ("api_token", "query")]
    assert [s.name for s in ir.servers] == ["production", "sandbox"]
    assert ir.errors.type_expression == "types.Error" and ir.errors.match_in_success == (("code", "error"),)


def test_a_resource_never_takes_a_name_the_client_runtime_uses(tmp_path: Path) -> None:
    """betfair.com (APIs.guru) has a resource named "request": as ``client.request`` it would hide the runtime's
    own ``request`` method, which every call goes through."""
    ok = {"200": {"description": "ok"}}
    paths = {f"/{name}": {"get": {"responses": ok}} for name in ("request", "stream", "close", "things")}
    spec = tmp_path / "clash.yaml"
    spec.write_text(yaml.safe_dump({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}))
    attributes = {r.attribute for r in build_client(load_spec(spec), api="clash", regenerate="x").ir.resources}
    assert attributes == {"request_2", "stream_2", "close_2", "things"}
