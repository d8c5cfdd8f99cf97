"""Enum values that are the names of every enum member's own properties (Adyen's FundService lists field names,
``name`` and ``value`` among them): the member is renamed, the value sent is not."""

from __future__ import annotations

import importlib
from typing import Any

from tests.generator.conftest import GenerateClient


def _spec() -> dict[str, Any]:
    field = {"type": "string", "enum": ["name", "value", "other"], "default": "value"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Fields", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "FieldName": field,
                "Problem": {"type": "object", "properties": {"field": {"$ref": "#/components/schemas/FieldName"}}},
            }
        },
    }


def test_enum_members_called_name_or_value_are_renamed_and_keep_their_values(generate_client: GenerateClient) -> None:
    module = generate_client(_spec(), "fields")
    types: Any = importlib.import_module(f"{module.__name__}.types")
    assert [m.name for m in types.FieldName] == ["name_", "value_", "other"]
    problem = types.Problem.model_validate({"field": "name"})
    assert problem.field is types.FieldName.name_ and problem.field.value == "name"
    assert types.Problem().field is types.FieldName.value_  # the default names the renamed member
    assert problem.model_dump(mode="json") == {"field": "name"}
