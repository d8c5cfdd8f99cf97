"""``oneof-indistinct``: a warning for a ``oneOf`` whose branches cannot be told apart, and none for one whose
branches can (a type, a required key, a const or enum value, a closed object, a discriminator)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from apimodel.diagnostics import Diagnostic
from apimodel.diagnostics.oneof import ONEOF_CODE
from apimodel.loader import SpecDocument, resolve_pointer
from generator.validation import validate_document
from specforge.cli import main

IN_QUERY = {
    "type": "object",
    "required": ["type", "name"],
    "properties": {"type": {"type": "string"}, "name": {"type": "string"}},
}
IN_HEADER = {
    **IN_QUERY,
    "required": ["type", "name", "remove"],
    "properties": {**IN_QUERY["properties"], "remove": {"type": "string"}},
}
CLOSED = {**IN_QUERY, "additionalProperties": False}


def _located(where: str) -> dict[str, Any]:
    """InQueryParam as it could be told apart: its required ``type`` has one value."""
    return {**IN_QUERY, "properties": {**IN_QUERY["properties"], "type": {"type": "string", "enum": [where]}}}


def _document(source: dict[str, Any], schemas: dict[str, Any], version: str = "3.0.3") -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verifier"}}}}
    return {
        "openapi": version,
        "info": {"title": "Jwt", "version": "1"},
        "paths": {"/verifier": {"get": {"operationId": "getVerifier", "responses": {"200": ok}}}},
        "components": {
            "schemas": {"Verifier": {"type": "object", "properties": {"source": source}}, **schemas},
        },
    }


def _found(data: dict[str, Any]) -> list[Diagnostic]:
    document = SpecDocument(path=Path("jwt.json"), label="jwt.json", data=data, raw=b"")
    return [d for d in validate_document(document, api=None, profile="generic") if d.code == ONEOF_CODE]


def _refs(*names: str) -> list[dict[str, str]]:
    return [{"$ref": f"#/components/schemas/{n}"} for n in names]


def _branch_matches(data: dict[str, Any], value: Any) -> int:
    """How many branches of the ``source`` oneOf a value is valid under, by a real JSON Schema validator."""
    options = data["components"]["schemas"]["Verifier"]["properties"]["source"]["oneOf"]
    schemas = data["components"]["schemas"]
    return sum(jsonschema.Draft4Validator(schemas[o["$ref"].rsplit("/", 1)[-1]]).is_valid(value) for o in options)


def test_otoroshis_jwt_source_is_reported_as_accepting_no_value_and_a_validator_agrees() -> None:
    """InQueryParam and InCookie have one shape, InHeader is both plus a key: every value matches two or three."""
    data = _document(
        {"oneOf": _refs("InQueryParam", "InHeader", "InCookie")},
        {"InQueryParam": IN_QUERY, "InHeader": IN_HEADER, "InCookie": IN_QUERY},
    )
    [found] = _found(data)
    assert found.severity == "warning"
    assert found.pointer == "/components/schemas/Verifier/properties/source/oneOf"
    assert resolve_pointer(data, found.pointer) == _refs("InQueryParam", "InHeader", "InCookie")
    assert "none is valid" in found.message and "1 (InHeader) is within 0 (InQueryParam), 2 (InCookie)" in found.message
    assert "tell the branches apart" in found.hint
    for value in ({"type": "a", "name": "b"}, {"type": "a", "name": "b", "remove": "c"}):
        assert _branch_matches(data, value) >= 2


def test_a_branch_inside_a_looser_one_is_reported_without_calling_the_oneof_empty() -> None:
    data = _document({"oneOf": _refs("InQueryParam", "InHeader")}, {"InQueryParam": IN_QUERY, "InHeader": IN_HEADER})
    [found] = _found(data)
    assert "fails this oneOf (branch 1 (InHeader) is within 0 (InQueryParam))" in found.message
    assert "none is valid" not in found.message
    assert _branch_matches(data, {"type": "a", "name": "b", "remove": "c"}) == 2  # InHeader's value: both
    assert _branch_matches(data, {"type": "a", "name": "b"}) == 1  # InQueryParam alone: still valid


@pytest.mark.parametrize(
    ("source", "version"),
    [
        ({"oneOf": [{"type": "string"}, {}]}, "3.0.3"),  # an empty branch accepts everything
        ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, "3.0.3"),  # every integer is a number
        ({"oneOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["b", "a", "c"]}]}, "3.0.3"),
        ({"oneOf": [{"const": "x"}, {"type": "string"}]}, "3.1.0"),
        ({"oneOf": [{"type": "string", "nullable": True}, {"type": "string", "nullable": True}]}, "3.0.3"),
        ({"oneOf": [{"type": "string", "nullable": True}, {"type": "string"}]}, "3.0.3"),  # a string matches both
        ({"oneOf": [{"type": "string"}, {"type": "string", "nullable": True}]}, "3.1.0"),  # 3.1: nullable is no keyword
        ({"oneOf": [{"type": ["string", "null"]}, {"type": ["null", "string", "integer"]}]}, "3.1.0"),
        (
            {"oneOf": [{"allOf": [{"$ref": "#/components/schemas/InQueryParam"}, {"required": ["remove"]}]}, IN_QUERY]},
            "3.0.3",
        ),
        (
            {"oneOf": [CLOSED, {**IN_QUERY, "properties": {**IN_QUERY["properties"], "remove": {"type": "string"}}}]},
            "3.0.3",
        ),
    ],
    ids=[
        "empty",
        "integer-number",
        "enum-subset",
        "const-string",
        "nullable-twins",
        "nullable-string",
        "nullable-3.1",
        "type-arrays",
        "allof",
        "closed-in-open",
    ],
)
def test_branches_a_value_cannot_tell_apart_are_reported(source: dict[str, Any], version: str) -> None:
    assert len(_found(_document(source, {"InQueryParam": IN_QUERY}, version))) == 1


@pytest.mark.parametrize(
    ("source", "version"),
    [
        (
            {"oneOf": [{"type": "integer"}, {"$ref": "#/components/schemas/InQueryParam"}]},
            "3.0.3",
        ),  # facturare's expand
        ({"oneOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b"]}]}, "3.0.3"),
        ({"oneOf": [{"const": "a"}, {"const": "b"}]}, "3.1.0"),
        ({"oneOf": [{"type": "string"}, {"type": "null"}]}, "3.1.0"),
        ({"oneOf": [_located("query"), _located("cookie")]}, "3.0.3"),  # the required key's value
        ({"oneOf": [CLOSED, {**IN_HEADER, "additionalProperties": False}]}, "3.0.3"),  # closed: remove tells them apart
        ({"oneOf": [{"type": "string"}, {"type": "integer", "nullable": True}]}, "3.0.3"),
        ({"oneOf": [{"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b"}]}, "3.0.3"),
        (
            {"oneOf": _refs("InQueryParam", "InCookie"), "discriminator": {"propertyName": "type"}},
            "3.0.3",
        ),
    ],
    ids=["type", "enum", "const", "null-3.1", "enum-on-a-key", "closed", "nullable", "pattern", "discriminator"],
)
def test_branches_told_apart_by_type_key_value_closure_or_discriminator_are_not_reported(
    source: dict[str, Any], version: str
) -> None:
    assert _found(_document(source, {"InQueryParam": IN_QUERY, "InCookie": IN_QUERY}, version)) == []


def test_a_oneof_written_in_an_example_or_an_extension_is_data_not_a_schema() -> None:
    twins = {"oneOf": [{"type": "string"}, {"type": "string"}]}
    data = _document({"type": "string"}, {})
    data["components"]["schemas"]["Verifier"]["example"] = {"source": twins}
    data["components"]["schemas"]["Verifier"]["x-shape"] = twins
    data["components"]["schemas"]["Verifier"]["properties"]["example"] = twins  # a property named "example" is a schema
    responses = data["paths"]["/verifier"]["get"]["responses"]
    responses["default"] = {"description": "error", "content": {"application/json": {"schema": twins}}}
    assert [d.pointer for d in _found(data)] == [
        "/components/schemas/Verifier/properties/example/oneOf",
        "/paths/~1verifier/get/responses/default/content/application~1json/schema/oneOf",
    ]


def test_validate_prints_the_warning_and_exits_0(tmp_path: Path) -> None:
    spec = tmp_path / "jwt.json"
    data = _document({"oneOf": _refs("InQueryParam", "InCookie")}, {"InQueryParam": IN_QUERY, "InCookie": IN_QUERY})
    spec.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(spec)])
    assert result.exit_code == 0, result.output
    assert f"warning[{ONEOF_CODE}] " in result.output
    assert (
        "#/components/schemas/Verifier/properties/source/oneOf: no value can match exactly one branch" in result.output
    )
