"""A union with a null-only branch ("X or null" in OpenAPI 3.0) becomes ``X | None`` in the models."""

from __future__ import annotations

from pathlib import Path

import yaml

from apimodel.loader import load_spec
from generator.client.build import build_client
from generator.client.models import fold_null_branches

NULL = {"type": "object", "nullable": True, "enum": [None]}
CARD = {"$ref": "#/components/schemas/Card"}


def test_a_single_branch_and_null_becomes_a_nullable_all_of() -> None:
    schema = {"description": "d", "anyOf": [CARD, NULL], "readOnly": True}
    assert fold_null_branches(schema) == {"description": "d", "readOnly": True, "allOf": [CARD], "nullable": True}


def test_several_branches_keep_their_union_and_become_nullable() -> None:
    text = {"type": "string"}
    folded = fold_null_branches({"properties": {"a": {"oneOf": [CARD, text, NULL]}}})
    assert folded == {"properties": {"a": {"oneOf": [CARD, text], "nullable": True}}}


def test_other_unions_and_the_input_are_left_alone() -> None:
    schema = {"anyOf": [CARD, {"type": "string", "nullable": True}]}  # a nullable string is no null-only branch
    before = repr(schema)
    assert fold_null_branches(schema) == schema
    assert repr(schema) == before


def test_the_generated_model_is_the_ref_or_none(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Cards", "version": "1"},
        "paths": {
            "/customers/{id}": {
                "get": {
                    "operationId": "getCustomer",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Card": {"type": "object", "properties": {"last4": {"type": "string"}}},
                "Customer": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "integer"}, "payment_source": {"anyOf": [CARD, NULL]}},
                },
            }
        },
    }
    path = tmp_path / "cards.yaml"
    path.write_text(yaml.safe_dump(spec), "utf-8")
    source = build_client(load_spec(path), api="cards", regenerate="specforge generate").models_source
    assert "payment_source: Card | None = None" in source
    assert "root: None" not in source
