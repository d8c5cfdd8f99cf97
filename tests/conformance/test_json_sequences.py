"""conform on sequential JSON (NDJSON, JSON Lines, json-seq): schemathesis has no serializer for such a request body
and skips such a response unread. On otoroshi (APIs.guru) every ``application/ndjson`` bulk operation ended the run
with "Serialization not possible: No supported serializers for media types: application/ndjson"; now the body goes
out one document a line and each response line is checked against the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apimodel import api_from_data, load_api
from conformance.auth import Credentials
from conformance.engine import ConformOptions, Target, run_spec
from conformance.jsonseq import decode_sequence
from conformance.suite import run_against_mock

EVENT = {
    "type": "object",
    "required": ["id", "kind"],
    "properties": {"id": {"type": "integer"}, "kind": {"type": "string", "enum": ["created", "deleted"]}},
}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Seq", "version": "1"},
    "paths": {
        "/events": {
            "get": {
                "operationId": "streamEvents",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/x-ndjson": {"schema": {"$ref": "#/components/schemas/Event"}}},
                    }
                },
            }
        },
        "/events/_bulk": {
            "post": {
                "operationId": "bulkEvents",
                "requestBody": {
                    "required": True,
                    "content": {"application/ndjson": {"schema": {"$ref": "#/components/schemas/Event"}}},
                },
                "responses": {
                    "200": {"description": "done", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": {"description": "bad"},
                },
            }
        },
    },
    "components": {"schemas": {"Event": EVENT}},
}
OPTIONS = ConformOptions(max_examples=4, seed=1, phases=("examples", "fuzzing"))


def _is_event(value: Any) -> bool:
    return isinstance(value, dict) and type(value.get("id")) is int and value.get("kind") in ("created", "deleted")


def _server(lines: list[bytes], received: list[bytes]) -> Starlette:
    """An API that streams ``lines`` and takes any bulk body, keeping each one it got."""

    async def events(request: Request) -> Response:
        return Response(b"".join(line + b"\n" for line in lines), media_type="application/x-ndjson")

    async def bulk(request: Request) -> Response:
        body = await request.body()
        received.append(body)
        try:
            documents = decode_sequence(body, "application/ndjson")
        except ValueError:
            documents = []
        return JSONResponse({}) if documents and all(_is_event(d) for d in documents) else Response(status_code=400)

    return Starlette(routes=[Route("/events", events), Route("/events/_bulk", bulk, methods=["POST"])])


def _run(lines: list[bytes]) -> tuple[Any, list[bytes]]:
    received: list[bytes] = []
    model = api_from_data("seq", SPEC)
    target = Target("http://localhost", app=_server(lines, received))
    return run_spec(model, target, credentials=Credentials(), options=OPTIONS), received


def test_an_ndjson_request_body_is_sent_one_document_a_line_and_the_run_has_no_error() -> None:
    result, received = _run([b'{"id": 1, "kind": "created"}'])
    assert result.errors == (), result.errors
    assert result.drifts == (), result.drifts
    assert received, "no bulk request was sent"
    documents = [decode_sequence(body, "application/ndjson") for body in received if body]
    assert documents and all(len(d) == 1 for d in documents), received[:3]  # one generated document, one line
    reached = {c.operation: c.reached for c in result.coverage}
    assert reached == {"GET /events": True, "POST /events/_bulk": True}, result.coverage


def test_a_line_of_an_ndjson_response_that_breaks_the_schema_is_drift_naming_the_line() -> None:
    result, _ = _run([b'{"id": 1, "kind": "created"}', b'{"id": 2, "kind": "archived"}'])
    found = [d for d in result.drifts if d.operation == "GET /events"]
    assert [(d.kind, d.check) for d in found] == [("enum-value", "json_sequence_body")], result.drifts
    assert "line 2" in found[0].api_did and "archived" in found[0].api_did, found[0]
    assert found[0].pointer == "#/paths/~1events/get/responses/200/content/application~1x-ndjson/schema"


def test_a_response_line_that_is_no_json_is_a_malformed_body() -> None:
    result, _ = _run([b'{"id": 1, "kind": "created"}', b"{oops"])
    found = [(d.kind, d.api_did) for d in result.drifts if d.operation == "GET /events"]
    assert found == [("malformed-body", "line 2 is not one JSON document")], result.drifts


def test_conform_against_the_mock_of_a_spec_with_ndjson_bodies_runs_clean(tmp_path: Path) -> None:
    spec = tmp_path / "seq.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    from conformance.mock import MockConfig

    result = run_against_mock([str(spec)], OPTIONS, mock_config=MockConfig(self_check=True))[0]
    assert result.errors == () and result.drifts == (), (result.errors, result.drifts)
    assert result.mock_violations == (), result.mock_violations
    assert result.operations_reached == len(load_api(spec).operations) == 2, result.coverage
