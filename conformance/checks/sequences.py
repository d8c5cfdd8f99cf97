"""Sequential JSON (NDJSON, JSON Lines, json-seq), which schemathesis can neither send nor read: request bodies go out
one generated document a line, and each response line is checked against the schema (importing this registers both).

Without the serializer a run broke off on such an operation ("No supported serializers for media types:
application/ndjson"); without the check its responses would pass unread."""

from __future__ import annotations

from typing import Any

import schemathesis

from apimodel.diagnostics import join_pointer
from conformance.checks.registry import DriftFailure, extra_check
from conformance.checks.responses import header
from conformance.context import RunContext
from conformance.drift import DriftKind
from conformance.jsonseq import SEQUENCE_MEDIA_TYPES, SequenceError, decode_sequence, encode_sequence, is_json_sequence
from conformance.pointers import response_key

__all__ = ["json_sequence_body"]


def _serializer(media_type: str) -> Any:
    def serialize(ctx: Any, value: Any) -> bytes:
        return encode_sequence([value], media_type)  # the generated body is one document of the line's schema

    return serialize


for _media in sorted(SEQUENCE_MEDIA_TYPES):
    schemathesis.serializer(_media)(_serializer(_media))

_MESSAGE_KINDS: tuple[tuple[str, DriftKind], ...] = (
    ("is a required property", "missing-required-field"),
    ("is not one of", "enum-value"),
    ("Additional properties are not allowed", "unexpected-field"),
)


@extra_check
def json_sequence_body(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """Each line of a sequential JSON response (NDJSON, JSON Lines, json-seq) is one JSON document of its schema."""
    media = header(response, "content-type") or ""
    operation = run.operation(case)
    if not is_json_sequence(media) or not response.content or case.method.upper() == "HEAD" or operation is None:
        return
    key = response_key(dict(operation.responses), response.status_code)
    content = (operation.responses.get(key) or {}).get("content") if key is not None else None
    wanted = media.split(";")[0].strip().lower()
    declared = next((m for m in content if m.lower() == wanted), None) if isinstance(content, dict) else None
    media_object = content.get(declared) if isinstance(content, dict) and declared is not None else None
    if key is None or declared is None or not isinstance(media_object, dict):  # undeclared: schemathesis says so
        return
    pointer = join_pointer("paths", case.operation.path, case.method.lower(), "responses", key, "content", declared)
    try:
        documents = decode_sequence(response.content, declared)
    except SequenceError as exc:
        raise DriftFailure(
            kind="malformed-body",
            operation=case.operation.label,
            title="Not a sequence of JSON documents",
            message=f"the {declared} body: {exc}",
            pointer=pointer,
            spec_says=f"{declared}: one JSON document a line",
            api_did=str(exc),
        ) from None
    errors = run.schemas.sequence_errors(media_object, documents, "response")
    if not errors:
        return
    first = errors[0]
    kind: DriftKind = next((k for text, k in _MESSAGE_KINDS if text in first.message), "type-mismatch")
    raise DriftFailure(
        kind=kind,
        operation=case.operation.label,
        title="A line of a sequential JSON body breaks its schema",
        message="; ".join(e.message for e in errors[:3]),
        pointer=f"{pointer}/schema",
        spec_says=f"each {declared} line follows the schema",
        api_did=first.message[:300],
    )
