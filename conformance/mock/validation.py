"""Checking a response against the spec: status declared, media type declared, JSON body (or each document of a
sequential JSON body) valid."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from conformance.jsonseq import SequenceError, decode_sequence, is_json_sequence
from conformance.mock.model import ServedApi

__all__ = ["ResponseProblem", "json_response_schema", "validate_response"]


@dataclass(frozen=True)
class ResponseProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


_NONE: Mapping[str, str] = {}


def _operation(
    api: ServedApi, method: str, path: str, headers: Mapping[str, str], query: Mapping[str, str]
) -> Any | None:
    """The operation the mock answered as: among operations sharing a method and path (AWS's ``/#Action=Name``),
    the one the request's header or query value names, as the mock picks it."""
    match = api.routes.match(method, path)
    return None if match is None else match.pick(headers, query)


def _declared(responses: Mapping[str, Any], status: int) -> Any:
    """The response the spec declares for ``status``: its own code, then its range (``4XX``), then ``default``."""
    return next((responses[k] for k in (str(status), f"{str(status)[0]}XX", "default") if k in responses), None)


def validate_response(
    api: ServedApi,
    method: str,
    path: str,
    status: int,
    content_type: str,
    body: bytes,
    *,
    headers: Mapping[str, str] = _NONE,
    query: Mapping[str, str] = _NONE,
) -> list[ResponseProblem]:
    """Every way the response breaks the spec (empty when it conforms). ``path`` is relative to the API; ``headers``
    (lower-case names) and ``query`` of the request tell apart operations that share the method and path."""
    op = _operation(api, method, path, headers, query)
    where = f"{method} {path} -> {status}"
    if op is None:
        return [] if status in (404, 405) else [ResponseProblem(where, "no operation matches, yet not 404/405")]
    response = _declared(op.responses, status)
    if response is None:
        return [ResponseProblem(where, f"status {status} is not declared by {op.key}")]
    content = response.get("content") or {}
    if not content or method == "HEAD" or not body:
        if content and not body and method != "HEAD" and status != 204:
            return [ResponseProblem(where, "the spec declares a body but the response has none")]
        return []
    media = content_type.split(";")[0].strip().lower()
    declared = next((m for m in content if m.lower() == media), None)
    if declared is None:
        declared = next((m for m in content if m.endswith("/*") and media.startswith(m[:-1])), None)
    if declared is None:
        return [ResponseProblem(where, f"content type {media!r} is not declared ({', '.join(content)})")]
    if is_json_sequence(declared):  # NDJSON, JSON Lines, json-seq: each line one document
        try:
            documents = decode_sequence(body, declared)
        except SequenceError as exc:
            return [ResponseProblem(where, f"the {declared} body: {exc}")]
        found = api.schemas.sequence_errors(content[declared] or {}, documents, "response")
        return [ResponseProblem(f"{where} {e.param}", e.message) for e in found]
    if "json" not in declared:
        if declared == "application/pdf" and not body.startswith(b"%PDF"):
            return [ResponseProblem(where, "declared application/pdf but the body is not a PDF")]
        return []
    try:
        value = json.loads(body)
    except ValueError:
        return [ResponseProblem(where, "the body is not valid JSON")]
    schema = (content[declared] or {}).get("schema")
    if schema is None:
        return []
    return [ResponseProblem(f"{where} {e.param}", e.message) for e in api.schemas.errors(schema, value, "response")]


def json_response_schema(
    api: ServedApi,
    method: str,
    path: str,
    status: int,
    content_type: str,
    *,
    headers: Mapping[str, str] = _NONE,
    query: Mapping[str, str] = _NONE,
) -> object | None:
    """The schema the spec declares for this JSON response, or None (not JSON, not declared, no schema)."""
    op = _operation(api, method, path, headers, query)
    if op is None:
        return None
    content = (_declared(op.responses, status) or {}).get("content") or {}
    media = content_type.split(";")[0].strip().lower()
    declared = next((m for m in content if m.lower() == media), None)
    if declared is None or "json" not in declared or is_json_sequence(declared):  # chaos drifts one document
        return None
    schema: object | None = (content[declared] or {}).get("schema")
    return schema
