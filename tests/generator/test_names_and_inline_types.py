"""Names a person would choose and types for inline responses, on a spec without any of our hints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.client.pipeline import Generated, generate_files

ERR = {"type": "object", "properties": {"message": {"type": "string"}}}
LIMIT = {"type": "object", "properties": {"retry_in": {"type": "integer"}}}


def _answer(schema: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors() -> dict[str, Any]:
    """Every operation declares 429 with the rate-limit schema, the 4xx they share use the error schema."""
    return {
        "404": _answer({"$ref": "#/components/schemas/ApiError"}, "missing"),
        "429": _answer({"$ref": "#/components/schemas/RateLimited"}, "slow down"),
    }


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Loggers", "version": "1"},
    "paths": {
        "/loggers": {
            "get": {
                "operationId": "Logger_ListByService",
                "responses": {
                    "200": _answer(
                        {
                            "type": "object",
                            "properties": {
                                "value": {
                                    "type": "array",
                                    "items": {"type": "object", "properties": {"id": {"type": "string"}}},
                                },
                                "count": {"type": "integer"},
                            },
                        }
                    ),
                    **_errors(),
                },
            }
        },
        "/loggers/{loggerId}": {
            "parameters": [{"name": "loggerId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "Logger_Get",
                "responses": {
                    "200": _answer({"type": "object", "properties": {"id": {"type": "string"}}}),
                    **_errors(),
                },
            },
            "patch": {
                "operationId": "Logger_Update",
                "responses": {"204": {"description": "done"}, **_errors()},
            },
            "put": {
                "operationId": "Logger_CreateOrUpdate",
                "responses": {"204": {"description": "done"}, **_errors()},
            },
        },
        "/folders/{folder_id}/shared_link": {
            "parameters": [{"name": "folder_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "put": {
                "operationId": "put_folders_id_shared_link",
                "responses": {
                    "204": {"description": "done"},
                    "429": _answer({"$ref": "#/components/schemas/RateLimited"}),
                },
            },
        },
    },
    "components": {"schemas": {"ApiError": ERR, "RateLimited": LIMIT}},
}


def _generate(tmp_path: Path) -> Generated:
    path = tmp_path / "loggers.json"
    path.write_text(json.dumps(SPEC), encoding="utf-8")
    return generate_files(path, api="loggers", regenerate="x", generator_version="0")


def _methods(result: Generated) -> dict[str, tuple[str, str]]:
    return {
        f"{r.dotted}.{op.name}": (f"{op.http_method} {op.path}", op.return_annotation)
        for r in result.ir.all_resources()
        for op in r.operations
    }


def test_method_names_are_verbs_or_the_operation_id_never_the_http_method_and_path(tmp_path: Path) -> None:
    methods = _methods(_generate(tmp_path))
    assert methods["loggers.update"][0] == "PATCH /loggers/{loggerId}"
    assert methods["loggers.create_or_update"][0] == "PUT /loggers/{loggerId}"  # from Logger_CreateOrUpdate
    # an operationId that only repeats the method and path is not used; the verb for PUT is
    assert methods["folders.replace_shared_link"][0] == "PUT /folders/{folder_id}/shared_link"
    assert not [name for name in methods if name.rsplit(".", 1)[1].startswith(("put_", "get_", "post_", "patch_"))]


def test_inline_response_schemas_are_models_named_from_their_operation(tmp_path: Path) -> None:
    result = _generate(tmp_path)
    methods = _methods(result)
    assert methods["loggers.list"][1] == "types.LoggerListByServiceResponse"
    assert methods["loggers.retrieve"][1] == "types.LoggerGetResponse"
    assert "class LoggerListByServiceResponse(" in result.files["loggers_client/types/__init__.py"]
    assert not [name for name, (_, returns) in methods.items() if returns == "dict[str, Any]"]


def test_the_error_model_is_the_one_operations_share_for_4xx_not_the_429_schema(tmp_path: Path) -> None:
    assert _generate(tmp_path).ir.errors.type_expression == "types.ApiError"
