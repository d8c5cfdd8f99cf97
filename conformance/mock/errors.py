"""Error replies in each API's own envelope: the model's error kinds, or the operation's declared error schema."""

from __future__ import annotations

from typing import Any

from apimodel import Operation
from conformance.mock.copying import json_copy
from conformance.mock.model import ServedApi
from conformance.mock.samples import Sampler
from conformance.mock.schema import FieldError

__all__ = ["DEFAULT_STATUS", "ERROR_HEADER", "ErrorReply", "declared_status", "header_text", "mentions", "render_error"]

ERROR_HEADER = "X-Mock-Error"  # what was wrong, where the spec's error body has no room to say it (AWS's ``{}``)

DEFAULT_STATUS: dict[str, int] = {
    "validation": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "payload_too_large": 413,
    "unsupported_media_type": 415,
    "rate_limited": 429,
    "server": 500,
    "unavailable": 503,
}
_FALLBACK_KIND = {"unavailable": "server", "method_not_allowed": "not_found"}
# where a spec without error kinds does not declare an error's own status, the declared ones that may carry it
_NEAREST: dict[str, tuple[int, ...]] = {
    "validation": (400, 422),
    "unauthorized": (401, 403, 400),
    "forbidden": (403, 401, 400),
    "not_found": (404, 410, 400),
    "payload_too_large": (413, 400, 422),
    "unsupported_media_type": (415, 400, 422),
    "rate_limited": (429, 503),
    "server": (500, 503),
    "unavailable": (503, 500),
}

_AUTH_STATUSES = (401, 403, 407)

ErrorReply = tuple[int, Any]


def _substitute(template: Any, values: dict[str, Any]) -> Any:
    if isinstance(template, str) and template.startswith("$") and template in values:
        return values[template]
    if isinstance(template, dict):
        return {k: _substitute(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_substitute(v, values) for v in template]
    return template


def _placeholders(status: int, message: str, errors: list[FieldError]) -> dict[str, Any]:
    first = errors[0] if errors else None
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(error.param or "non_field_errors", []).append(error.message)
    return {
        "$message": message,
        "$param": (first.param if first else "") or "",
        "$status": status,
        "$field_errors_map": by_field or {"non_field_errors": [message]},
        "$field_errors_flat": {k: v[0] for k, v in by_field.items()} or {"non_field_errors": message},
        "$field_errors_list": [{k: [{"_error_code": m} for m in v]} for k, v in by_field.items()]
        or [{"non_field_errors": [{"_error_code": message}]}],
    }


def _declared(op: Operation | None, status: int) -> Any:
    if op is None:
        return None
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        response = op.responses.get(key)
        if isinstance(response, dict):
            return response
    return None


def declared_status(op: Operation, kind: str) -> int | None:
    """The status an error of ``kind`` takes on ``op`` among those the operation declares: its own, a near one
    (401 for a refusal the spec calls 403), any declared status of its class (no auth refusal for a missing
    object), or ``None`` when none is declared."""
    own = DEFAULT_STATUS.get(kind, 400)
    for status in (own, *_NEAREST.get(kind, ())):
        if _declared(op, status) is not None:
            return status
    family = str(own)[0]
    # a missing object is never an auth refusal: a client takes 401/403 for wrong credentials (a run against
    # GitHub's mock, whose reads declare 401 and 403 but no 404, was judged locked out); invalid input may be one
    refusals = _AUTH_STATUSES if kind == "not_found" else ()
    return next(
        (int(c) for c in sorted(op.responses) if c.isdigit() and c[0] == family and int(c) not in refusals), None
    )


def _fill_generic(value: Any, message: str, status: int) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            lower = key.lower()
            if isinstance(item, str) and any(w in lower for w in ("message", "detail", "error", "description", "msg")):
                out[key] = message
            elif isinstance(item, int) and not isinstance(item, bool) and lower in ("code", "status", "status_code"):
                out[key] = status
            else:
                out[key] = _fill_generic(item, message, status)
        return out
    return value


def render_error(
    api: ServedApi,
    sampler: Sampler,
    op: Operation | None,
    kind: str,
    message: str,
    errors: list[FieldError] | None = None,
    status: int | None = None,
) -> ErrorReply:
    """The status and body for an error of ``kind`` (``validation``, ``not_found``...)."""
    errors = errors or []
    declared = api.model.errors
    if declared.kinds:
        spec = declared.kind(kind) or declared.kind(_FALLBACK_KIND.get(kind, "")) or declared.kind("validation")
        if spec is not None:
            own = spec.status if spec.name == kind else None
            code = status or (own if own is not None else DEFAULT_STATUS[kind])
            return code, _substitute(spec.body, _placeholders(code, message, errors))
    code = status or DEFAULT_STATUS.get(kind, 400)
    response = _declared(op, code)
    media = (response or {}).get("content") or {}
    for media_type, content in media.items():
        if "json" in media_type and isinstance(content, dict):
            if "schema" not in content:  # a body the spec shows only by example, or not at all
                return code, _first_example(api, content, {"message": message, "code": code})
            schema = content["schema"]
            body = sampler.shared(schema)
            filled = _fill_generic(body, message, code)  # builds new containers where it writes
            # the message goes where the schema takes it; a field with an enum or a format keeps its sample
            return code, filled if api.schemas.is_valid(schema, filled, "response") else json_copy(body)
    return code, {"message": message, "code": code}


def _first_example(api: ServedApi, content: dict[str, Any], otherwise: Any) -> Any:
    if "example" in content:
        return json_copy(content["example"])
    examples = content.get("examples")
    for example in examples.values() if isinstance(examples, dict) else ():
        value = api.schemas.resolve(example)
        if isinstance(value, dict) and "value" in value:
            return json_copy(value["value"])
    return otherwise


def header_text(text: str) -> str:
    """``text`` as an HTTP header value: one line of printable ASCII, every other character escaped as Python
    writes it (``\\xe9``, ``\\n``), so nothing is lost and nothing breaks the header."""
    escaped = text.encode("ascii", "backslashreplace").decode("ascii")
    return "".join(c if " " <= c < "\x7f" else repr(c)[1:-1] for c in escaped)


def mentions(value: Any, text: str) -> bool:
    """Whether some string inside ``value`` (a decoded body) holds ``text``."""
    if isinstance(value, str):
        return text in value
    if isinstance(value, dict):
        return any(mentions(v, text) for v in value.values())
    if isinstance(value, list):
        return any(mentions(v, text) for v in value)
    return False
