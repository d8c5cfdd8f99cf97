"""The portability rules: warnings with a pointer and a fix for what other languages' tools trip over."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from apimodel.diagnostics import Diagnostic
from apimodel.loader import SpecDocument
from apimodel.project import API_NAMES
from generator.portability import GO_NAME
from generator.validation import validate_document, validate_path
from specforge.cli import main

PORTABLE = {
    "nullable-without-type",
    "ref-siblings",
    "example-unchecked",
    "reserved-schema-name",
    "illegal-property-name",
}

BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Acme Billing", "version": "1"},
    "paths": {
        "/customers": {
            "get": {
                "operationId": "listCustomers",
                "responses": {
                    "200": {
                        "description": "customers",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Customer"}},
                                "example": [{"id": 1, "card": {"last4": "4242"}, "total": "1.50"}],
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Customer": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "card": {"type": "object", "nullable": True, "allOf": [{"$ref": "#/components/schemas/Card"}]},
                    "total": {"allOf": [{"$ref": "#/components/schemas/Amount"}], "description": "Sum."},
                },
            },
            "Card": {"type": "object", "properties": {"last4": {"type": "string"}}},
            "Amount": {"type": "string", "pattern": "^[0-9.]+$"},
        }
    },
}


def _portable(data: dict[str, Any]) -> list[Diagnostic]:
    document = SpecDocument(path=Path("acme.yaml"), label="acme.yaml", data=data, raw=b"")
    return [d for d in validate_document(document, api=None, profile="generic") if d.code in PORTABLE]


def _with(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    change(data["components"]["schemas"])
    return data


def test_a_portable_spec_gets_no_portability_warning() -> None:
    assert _portable(BASE) == []


def test_nullable_without_type_is_a_warning_and_so_is_every_example_it_hides() -> None:
    found = _portable(_with(lambda s: s["Customer"]["properties"]["card"].pop("type")))
    assert {(d.code, d.pointer, d.severity) for d in found} == {
        ("nullable-without-type", "/components/schemas/Customer/properties/card", "warning"),
        ("example-unchecked", "/paths/~1customers/get/responses/200/content/application~1json", "warning"),
    }
    nullable = next(d for d in found if d.code == "nullable-without-type")
    assert "beside allOf" in nullable.message and "add the type" in nullable.hint


def test_ref_with_siblings_is_a_warning_naming_the_ignored_keys() -> None:
    def change(schemas: dict[str, Any]) -> None:
        schemas["Customer"]["properties"]["total"] = {"$ref": "#/components/schemas/Amount", "description": "Sum."}

    [found] = _portable(_with(change))
    assert (found.code, found.pointer) == ("ref-siblings", "/components/schemas/Customer/properties/total")
    assert "description" in found.message and "allOf" in found.hint


@pytest.mark.parametrize("name", ["Error", "Object", "String", "Date", "Map", "List", "Type", "Class", "File"])
def test_schema_names_that_collide_with_built_in_types_are_warnings_with_a_suggestion(name: str) -> None:
    found = _portable(_with(lambda s: s.__setitem__(name, {"type": "object"})))
    assert [(d.code, d.pointer) for d in found] == [("reserved-schema-name", f"/components/schemas/{name}")]
    assert f"'Acme{name}'" in found[0].hint


@pytest.mark.parametrize(("name", "suggestion"), [("_", "Default"), ("2fa_required", "Field2faRequired")])
def test_property_names_that_are_no_identifier_need_a_name_extension(name: str, suggestion: str) -> None:
    found = _portable(_with(lambda s: s["Card"]["properties"].__setitem__(name, {"type": "number"})))
    assert [(d.code, d.pointer) for d in found] == [
        ("illegal-property-name", f"/components/schemas/Card/properties/{name}")
    ]
    assert f"'{GO_NAME}: {suggestion}'" in found[0].hint
    named = _with(lambda s: s["Card"]["properties"].__setitem__(name, {"type": "number", GO_NAME: "Amount"}))
    assert _portable(named) == []


def test_example_values_are_data_not_schemas() -> None:
    def change(schemas: dict[str, Any]) -> None:
        schemas["Card"]["example"] = {"$ref": "not a reference", "nullable": True, "last4": "4242"}

    assert _portable(_with(change)) == []


@pytest.mark.parametrize("api", API_NAMES)
def test_our_specs_have_no_portability_warning(api: str) -> None:
    _, found = validate_path(api)
    assert [d.format() for d in found if d.code in PORTABLE] == []


def test_validate_prints_each_warning_as_one_line_and_exits_zero(tmp_path: Path) -> None:
    spec = tmp_path / "acme.yaml"
    spec.write_text(yaml.safe_dump(_with(lambda s: s.__setitem__("Error", {"type": "object"}))), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(spec)])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "reserved-schema-name" in line)
    assert line.startswith("warning[reserved-schema-name] ") and "#/components/schemas/Error: " in line
