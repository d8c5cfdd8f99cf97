"""Checks that replay a successful call changed in one way: path, headers, credentials, tenant."""

from __future__ import annotations

from typing import Any

from conformance.auth import Credentials
from conformance.checks.registry import DriftFailure, extra_check
from conformance.checks.responses import body_json
from conformance.context import RunContext
from conformance.drift import DriftKind
from generator.diagnostics import join_pointer

__all__ = [
    "body_credentials_honoured",
    "content_type_required",
    "tenant_isolation",
    "trailing_slash",
    "write_persisted",
]


def _send(ctx: Any, parent: Any, probe: Any) -> Any:
    kwargs = dict(ctx.internals.transport_kwargs or {})
    if parent.operation.app is not None:
        kwargs.setdefault("app", parent.operation.app)
    ctx.internals.record_case(parent_id=parent.id, case=probe)
    response = parent.operation.schema.transport.send(probe, **kwargs)
    ctx.internals.record_response(case_id=probe.id, response=response)
    return response


def _replaced(credentials: Credentials, case: Any, swap: Credentials | None = None) -> Any:
    """A copy of ``case`` with ``credentials`` removed (body ones made invalid), or replaced by ``swap``'s."""
    headers = {k: v for k, v in (case.headers or {}).items() if k not in dict(credentials.headers)}
    query = {k: v for k, v in (case.query or {}).items() if k not in dict(credentials.query)}
    body = case.body
    if swap is not None:
        headers.update(dict(swap.headers))
        query.update(dict(swap.query))
        body = swap.apply_body(body)
    elif credentials.body and isinstance(body, dict):
        body = Credentials(body=tuple((p, "invalid-credential") for p, _ in credentials.body)).apply_body(body)
    probe = case.derive(headers=headers, query=query)
    probe.body = body
    return probe


def _fail(case: Any, kind: DriftKind, title: str, said: str, did: str, pointer: str = "") -> DriftFailure:
    where = pointer or join_pointer("paths", case.operation.path, case.operation.method.lower())
    return DriftFailure(
        kind=kind, operation=case.operation.label, title=title, message=did, pointer=where, spec_says=said, api_did=did
    )


def _is_read(case: Any) -> bool:
    return case.method.upper() in ("GET", "HEAD")


@extra_check
def trailing_slash(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """Where every path ends with ``/`` (CloudInvoice), the path without it is not served."""
    paths = run.spec.get("paths") or {}
    if case.path == "/" or not 200 <= response.status_code < 300 or not all(str(p).endswith("/") for p in paths):
        return
    probe = case.derive(keep_auth=True)
    probe.path = case.path.rstrip("/")
    reply = _send(ctx, case, probe)
    if 200 <= reply.status_code < 300:
        raise _fail(
            case,
            "path-rule",
            "Path without trailing slash served",
            "every URL ends with /",
            f"{case.method} {probe.formatted_path} answered {reply.status_code}",
        )


@extra_check
def content_type_required(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """Where an operation declares a required ``Content-Type`` header, a request without one is refused."""
    parameters = case.operation.definition.raw.get("parameters") or []
    declared = any(isinstance(p, dict) and str(p.get("name", "")).lower() == "content-type" for p in parameters)
    declared = declared or any(
        str(p.get("$ref", "")).lower().endswith("contenttype") for p in parameters if isinstance(p, dict)
    )
    if not declared or not 200 <= response.status_code < 300 or (case.body is not None and not _is_read(case)):
        return
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "content-type"}
    reply = _send(ctx, case, case.derive(headers=headers, keep_auth=True))
    if 200 <= reply.status_code < 300:
        raise _fail(
            case,
            "path-rule",
            "Request without Content-Type accepted",
            "Content-Type: application/json is required",
            f"answered {reply.status_code} without it",
        )


@extra_check
def body_credentials_honoured(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """Credentials carried in the body (e-Cont ``connect``, BitFaktura ``api_token``) are checked."""
    if not run.credentials.body or not 200 <= response.status_code < 300 or not isinstance(case.body, dict):
        return
    reply = _send(ctx, case, _replaced(run.credentials, case))
    body = body_json(reply)
    from conformance.checks.responses import _is_error_envelope

    if 200 <= reply.status_code < 300 and not _is_error_envelope(run.spec, body):
        raise _fail(
            case,
            "auth-not-enforced",
            "Body credentials ignored",
            "x-body-credentials are required",
            f"answered {reply.status_code} with invalid body credentials",
            "/x-body-credentials",
        )


@extra_check
def tenant_isolation(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """An object one tenant can read is not readable by another tenant."""
    if not run.other_tenants or not _is_read(case) or not case.path_parameters or not 200 <= response.status_code < 300:
        return
    other = run.other_tenants[0]
    reply = _send(ctx, case, _replaced(run.credentials, case, swap=other))
    if 200 <= reply.status_code < 300 and not _is_error_envelope_reply(run, reply):
        raise _fail(
            case,
            "tenant-leak",
            "Another tenant's object served",
            "objects are visible to their tenant only",
            f"tenant 2 read {case.formatted_path} ({reply.status_code})",
        )


def _is_error_envelope_reply(run: RunContext, reply: Any) -> bool:
    from conformance.checks.responses import _is_error_envelope

    return _is_error_envelope(run.spec, body_json(reply))


@extra_check
def write_persisted(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """After a successful update, reading the object back shows the values written."""
    raw = case.operation.definition.raw
    if raw.get("x-action") != "update" or not 200 <= response.status_code < 300 or not isinstance(case.body, dict):
        return
    retrieve = _retrieve_operation(run, case)
    if retrieve is None:
        return
    probe = retrieve.Case(
        path_parameters=dict(case.path_parameters or {}),
        headers=dict(case.headers or {}),
        query={k: v for k, v in (case.query or {}).items() if k in dict(run.credentials.query)},
    )
    reply = _send(ctx, case, probe)
    stored = body_json(reply)
    if not 200 <= reply.status_code < 300 or not isinstance(stored, dict):
        return
    sent = case.body
    wrapper = _wrapper(run, case)
    if wrapper and isinstance(sent.get(wrapper), dict):
        sent = sent[wrapper]
    for key, value in sorted(sent.items()):
        scalar = isinstance(value, str | int | bool) and key in stored
        if scalar and stored[key] != value and str(stored[key]) != str(value):
            raise _fail(
                case,
                "state-inconsistency",
                "Update not applied",
                f"{key} becomes {value!r}",
                f"read back {key}={stored[key]!r} after a {response.status_code}",
            )


def _retrieve_operation(run: RunContext, case: Any) -> Any:
    item = (run.spec.get("paths") or {}).get(case.operation.path) or {}
    if not isinstance(item.get("get"), dict):
        return None
    try:
        return case.operation.schema[case.operation.path]["GET"]
    except (KeyError, LookupError):
        return None


def _wrapper(run: RunContext, case: Any) -> str | None:
    body = case.operation.definition.raw.get("requestBody") or {}
    for media in (body.get("content") or {}).values():
        schema = media.get("schema") or {}
        ref = schema.get("$ref", "")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            target = (run.spec.get("components") or {}).get("schemas", {}).get(ref.rsplit("/", 1)[1]) or {}
            wrapper = target.get("x-wrapper")
            if isinstance(wrapper, str):
                return wrapper
        wrapper = schema.get("x-wrapper")
        if isinstance(wrapper, str):
            return wrapper
    return None
