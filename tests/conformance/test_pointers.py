"""A drift names the place in the spec it is about, through the schemas schemathesis bundles."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from conformance.classify import _schema_drift
from conformance.pointers import schema_pointer

_RESPONSE = "/paths/~1verifiers~1{id}/get/responses/200"


def _spec() -> dict[str, Any]:
    """otoroshi's shape (APIs.guru maif.local/otoroshi.json): a verifier whose first reference is its algorithm's,
    and whose ``source`` is a ``oneOf`` of others."""
    option = {"type": "object", "properties": {"name": {"type": "string"}}}
    schemas = {
        "Verifier": {
            "type": "object",
            "properties": {
                "algoSettings": {"oneOf": [{"$ref": "#/components/schemas/HSAlgo"}]},
                "source": {
                    "oneOf": [{"$ref": "#/components/schemas/InQuery"}, {"$ref": "#/components/schemas/InCookie"}]
                },
            },
        },
        "HSAlgo": {"type": "object", "properties": {"secret": {"type": "string"}}},
        "InQuery": option,
        "InCookie": option,
    }
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Verifier"}}}
    paths = {"/verifiers/{id}": {"get": {"responses": {"200": {"description": "ok", "content": content}}}}}
    return {"openapi": "3.0.0", "paths": paths, "components": {"schemas": schemas}}


def test_a_bundled_schema_is_the_one_the_rest_of_the_path_goes_through() -> None:
    """schemathesis reported ``x-bundled/schema000001/properties/source/oneOf``; the drift pointed at
    ``HSAlgoSettings/properties``, the first reference below the verifier, where ``source`` is not."""
    path = ["x-bundled", "schema000001", "properties", "source", "oneOf"]
    pointer = schema_pointer(_spec(), _RESPONSE, "application/json", path)
    assert pointer == "/components/schemas/Verifier/properties/source/oneOf"


def test_a_bundled_name_for_a_referenced_schema_below_still_leads_there() -> None:
    path = ["properties", "algoSettings", "oneOf", 0, "x-bundled", "schema000002", "properties", "secret", "type"]
    pointer = schema_pointer(_spec(), _RESPONSE, "application/json", path)
    assert pointer == "/components/schemas/HSAlgo/properties/secret/type"


def test_a_one_of_no_value_can_pass_is_reported_as_the_specs_slip() -> None:
    """otoroshi's source is a oneOf of InQueryParam and InCookie, alike, and InHeader, narrower: no value matches
    exactly one, so no response can pass. The drift says so, and what to change, instead of quoting the options."""
    failure = SimpleNamespace(
        schema_path=["x-bundled", "schema000001", "properties", "source", "oneOf"],
        instance={"name": "string"},
        instance_path=["source"],
        title="Response violates schema",
        message="is valid under more than one of the schemas listed in the 'oneOf' keyword",
    )
    _, pointer, spec_says, _, _ = _schema_drift(failure, _spec(), _RESPONSE, "application/json")
    assert pointer == "/components/schemas/Verifier/properties/source/oneOf"
    assert "no value is valid (specforge validate: oneof-indistinct)" in spec_says
    told_apart = _spec()
    told_apart["components"]["schemas"]["InCookie"] = {"type": "object", "required": ["cookie"]}
    _, _, spec_says, _, _ = _schema_drift(failure, told_apart, _RESPONSE, "application/json")
    assert spec_says.startswith("oneOf: [")  # a oneOf some value passes: the options, as before
