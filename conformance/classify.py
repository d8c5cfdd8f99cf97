"""Turning a schemathesis failure into a drift entry: kind, spec pointer, both sides, and a patch."""

from __future__ import annotations

from typing import Any

from apimodel.diagnostics import join_pointer
from apimodel.diagnostics.oneof import covered_branches
from apimodel.loader import resolve_pointer
from apimodel.schemas import Schemas
from conformance.checks.registry import DriftFailure
from conformance.drift import Drift, DriftKind, SpecPatch
from conformance.pointers import response_key, response_pointer, schema_pointer

__all__ = ["classify_failure"]

_BY_CLASS: dict[str, DriftKind] = {
    "UndefinedStatusCode": "undocumented-status",
    "UndefinedContentType": "unexpected-content-type",
    "MissingContentType": "unexpected-content-type",
    "MalformedMediaType": "unexpected-content-type",
    "ContentDeserializationError": "malformed-body",
    "DiscriminatorMismatch": "type-mismatch",
    "MissingHeaders": "missing-header",
    "UseAfterFree": "state-inconsistency",
    "EnsureResourceAvailability": "state-inconsistency",
    "IgnoredAuth": "auth-not-enforced",
    "ObjectLevelAuthorizationViolation": "tenant-leak",
    "AcceptedNegativeData": "negative-data-accepted",
    "MissingHeaderNotRejected": "negative-data-accepted",
    "RejectedPositiveData": "positive-data-rejected",
    "ServerError": "server-error",
}

_SCHEMA_KEYWORD_KINDS: dict[str, DriftKind] = {
    "required": "missing-required-field",
    "enum": "enum-value",
    "const": "enum-value",
    "additionalProperties": "unexpected-field",
    "not": "unexpected-field",  # schemathesis forbids writeOnly properties in responses this way
}


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error_ref(schema: str | None) -> dict[str, Any]:
    content_schema: dict[str, Any] = {"$ref": schema} if schema else {"type": "object"}
    return {"description": "Error", "content": {"application/json": {"schema": content_schema}}}


def _admits_nothing(spec: dict[str, Any], pointer: str, options: list[Any]) -> bool:
    """Whether every option of the ``oneOf`` at ``pointer`` is within another, so that no value matches exactly one
    (one with a discriminator is left alone, as validate leaves it: tools pick the option by it)."""
    try:
        parent = resolve_pointer(spec, pointer.rsplit("/", 1)[0])
    except KeyError:
        return False
    if not isinstance(parent, dict) or "discriminator" in parent:
        return False
    nullable = not str(spec.get("openapi", "")).startswith("3.1")
    covered = covered_branches(Schemas(spec), options, nullable_keyword=nullable)
    return len(covered) == len(options)


def _schema_drift(
    failure: Any, spec: dict[str, Any], response_at: str, content_type: str | None
) -> tuple[DriftKind, str, str, str, SpecPatch | None]:
    path = list(getattr(failure, "schema_path", []) or [])
    keyword = str(path[-1]) if path else ""
    kind = _SCHEMA_KEYWORD_KINDS.get(keyword, "type-mismatch")
    pointer = schema_pointer(spec, response_at, content_type, path)
    instance = getattr(failure, "instance", None)
    where = "/".join(str(p) for p in getattr(failure, "instance_path", []) or [])
    try:
        said = resolve_pointer(spec, pointer)
    except KeyError:
        said = None
    spec_says = f"{keyword}: {_short(said)}" if said is not None else _short(failure.title)
    if keyword == "oneOf" and isinstance(said, list) and _admits_nothing(spec, pointer, said):
        # no response could pass: the spec's slip, not the API's (otoroshi's JWT source: InQueryParam and InCookie
        # alike, InHeader a narrower one)
        spec_says = (
            "oneOf whose every option accepts only values another option accepts too, so no value is valid "
            "(specforge validate: oneof-indistinct); tell the options apart, or write anyOf"
        )
    api_did = f"at /{where}: {_short(instance, 120)}" if kind != "missing-required-field" else _short(failure.message)
    patch: SpecPatch | None = None
    if kind == "enum-value" and keyword == "enum":
        patch = SpecPatch(
            ({"op": "add", "path": f"{pointer}/-", "value": instance},), "document the value the API sends"
        )
    elif kind == "missing-required-field" and isinstance(said, list):
        missing = [name for name in said if isinstance(instance, dict) and name not in instance]
        ops = tuple({"op": "remove", "path": f"{pointer}/{said.index(name)}"} for name in reversed(missing))
        if ops:
            patch = SpecPatch(ops, f"make {', '.join(missing)} optional if the API may omit it")
    elif keyword == "type" and instance is None:
        parent = pointer.rsplit("/", 1)[0]
        patch = SpecPatch(({"op": "add", "path": f"{parent}/nullable", "value": True},), "the API sends null here")
    return kind, pointer, spec_says, api_did, patch


def classify_failure(
    *,
    api: str,
    spec: dict[str, Any],
    error_schema: str | None = None,
    check: str,
    failure: Any,
    path: str,
    method: str,
    operation_id: str,
    status: int | None,
    content_type: str | None,
    curl: str,
    redact: Any,
) -> Drift:
    """One drift entry for one failure of one check on one response; every text goes through ``redact``."""
    label = f"{method.upper()} {path}"
    operation_at = join_pointer("paths", path, method.lower())
    response_at = response_pointer(spec, path, method, status)
    patch: SpecPatch | None = None
    if isinstance(failure, DriftFailure):
        kind, pointer, spec_says, api_did, patch = (
            failure.kind,
            failure.pointer or operation_at,
            failure.spec_says or failure.title,
            failure.api_did or failure.message,
            failure.patch,
        )
    elif type(failure).__name__ == "JsonSchemaError":
        kind, pointer, spec_says, api_did, patch = _schema_drift(failure, spec, response_at, content_type)
    else:
        kind = _BY_CLASS.get(type(failure).__name__, "other")
        pointer = response_at if status is not None else operation_at
        spec_says = _short(failure.title)
        api_did = _short(failure.message.replace("\n", " "), 300)
        if kind == "undocumented-status" and status is not None:
            pointer = join_pointer("paths", path, method.lower(), "responses")
            documented = getattr(failure, "defined_status_codes", None) or []
            spec_says = f"declares {', '.join(map(str, documented)) or 'no status codes'}"
            api_did = f"answered {status}"
            declared = _error_ref(error_schema) if status >= 400 else {}
            patch = SpecPatch(
                ({"op": "add", "path": f"{pointer}/{status}", "value": declared},),
                f"declare the {status} response the API sends",
            )
        elif kind == "unexpected-content-type":
            spec_says = f"declares {', '.join(getattr(failure, 'defined_content_types', []) or []) or 'no content'}"
            api_did = f"sent Content-Type {content_type or '(none)'}"
            try:
                has_content = isinstance(resolve_pointer(spec, response_at), dict) and response_key(
                    resolve_pointer(spec, join_pointer("paths", path, method.lower(), "responses")), status or 0
                )
            except KeyError:
                has_content = False
            if has_content and content_type:
                media = content_type.split(";")[0].strip()
                patch = SpecPatch(
                    ({"op": "add", "path": f"{response_at}/content/{media.replace('/', '~1')}", "value": {}},),
                    f"declare {media} if the API really sends it",
                )
        elif kind == "missing-header":
            names = list(getattr(failure, "missing_headers", []) or [])
            pointer = f"{response_at}/headers/{names[0]}" if names else response_at
            spec_says = f"required header(s) {', '.join(names)}"
            api_did = "sent none of them" if len(names) > 1 else "did not send it"
            patch = SpecPatch(
                tuple({"op": "replace", "path": f"{response_at}/headers/{n}/required", "value": False} for n in names),
                "make the header optional if the API may omit it",
            )
    return Drift(
        api=api,
        operation=label,
        kind=kind,
        check=check,
        pointer="#" + redact(pointer),
        spec_says=redact(spec_says),
        api_did=redact(api_did),
        curl=redact(curl),
        operation_id=operation_id,
        patch=patch,
    )
