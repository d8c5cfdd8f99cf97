"""Checks that replay a successful call changed in one way: path, headers, credentials, tenant."""

from __future__ import annotations

from typing import Any

from apimodel import Operation, hints
from apimodel.diagnostics import join_pointer
from conformance.auth import Credentials
from conformance.checks.registry import DriftFailure, extra_check
from conformance.checks.responses import body_json, header, pagination_pointer
from conformance.context import RunContext
from conformance.drift import DriftKind

__all__ = [
    "body_credentials_honoured",
    "content_type_required",
    "count_matches_items",
    "credentials_required",
    "pdf_when_asked",
    "tenant_isolation",
    "trailing_slash",
    "write_persisted",
]


def _send(ctx: Any, parent: Any, probe: Any, headers: dict[str, str] | None = None) -> Any:
    """Send ``probe`` as part of ``parent``'s scenario; ``headers`` are forced (schemathesis resets ``Accept``)."""
    kwargs = dict(ctx.internals.transport_kwargs or {})
    if headers:
        kwargs["headers"] = {**(kwargs.get("headers") or {}), **headers}
    if parent.operation.app is not None:
        kwargs.setdefault("app", parent.operation.app)
    ctx.internals.record_case(parent_id=parent.id, case=probe)
    response = parent.operation.schema.transport.send(probe, **kwargs)
    ctx.internals.record_response(case_id=probe.id, response=response)
    return response


def _replaced(credentials: Credentials, case: Any, swap: Credentials | None = None) -> Any:
    """A copy of ``case`` with ``credentials`` (every alternative's) removed, body ones made invalid, or replaced
    by ``swap``'s."""
    header_names = {k.lower() for c in credentials.every() for k, _ in c.headers}
    query_names = {k for c in credentials.every() for k, _ in c.query}
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() not in header_names}
    query = {k: v for k, v in (case.query or {}).items() if k not in query_names}
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
    """Where the spec requires a Content-Type on every request, one with another media type is refused."""
    required = run.model.content_type_required
    if required is None or not 200 <= response.status_code < 300 or (case.body is not None and not _is_read(case)):
        return
    # The run's configuration adds the required header to every case, so the probe forces another media
    # type instead of leaving it out: the rule refuses both (specs/README.md).
    wrong = "text/plain" if required != "text/plain" else "application/octet-stream"
    reply = _send(ctx, case, case.derive(keep_auth=True), headers={"Content-Type": wrong})
    if 200 <= reply.status_code < 300:
        raise _fail(
            case,
            "path-rule",
            f"Request with Content-Type {wrong} accepted",
            f"Content-Type: {required} is required on every request ({hints.CONTENT_TYPE_REQUIRED})",
            f"answered {reply.status_code} to Content-Type {wrong}",
        )


@extra_check
def body_credentials_honoured(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """Credentials carried in the body (e-Cont ``connect``, BitFaktura ``api_token``) are checked."""
    if not run.credentials.body or not 200 <= response.status_code < 300 or not isinstance(case.body, dict):
        return
    operation = run.operation(case)
    if operation is not None and "security" in operation.raw and (not operation.security or {} in operation.security):
        return  # the operation needs no credentials (BitFaktura's login)
    reply = _send(ctx, case, _replaced(run.credentials, case))
    if 200 <= reply.status_code < 300 and not run.model.errors.is_envelope(body_json(reply)):
        raise _fail(
            case,
            "auth-not-enforced",
            "Body credentials ignored",
            f"{hints.BODY_CREDENTIALS} are required",
            f"answered {reply.status_code} with invalid body credentials",
            hints.document_pointer(hints.BODY_CREDENTIALS),
        )


def _has_data(body: Any, is_list: bool) -> bool:
    """Whether a body shows anything: a list page without items (bare, or wrapped as ``{count, items}``) does not."""
    if isinstance(body, list):
        return bool(body)
    if isinstance(body, dict) and is_list:
        return any(isinstance(v, list) and v for v in body.values())
    if isinstance(body, dict | bytes):
        return bool(body)
    return body is not None


def _data(response: Any) -> Any:
    found = body_json(response)
    return found if found is not None else bytes(response.content or b"")


@extra_check
def credentials_required(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """Without its credentials a secured call is refused, also where refusals are not 401/403 (CloudInvoice: 400).

    schemathesis's ``ignored_auth`` covers APIs that answer 401 or 403; it is turned off for the others,
    and this check takes its place there.
    """
    unauthorized = run.model.errors.status_of("unauthorized")
    if unauthorized in (None, 401, 403) or not (run.credentials.headers or run.credentials.query):
        return
    operation = run.operation(case)
    security = operation.security if operation is not None else None
    if not security or any(requirement == {} for requirement in security) or not 200 <= response.status_code < 300:
        return
    reply = _send(ctx, case, _replaced(run.credentials, case))
    if 200 <= reply.status_code < 300 and not run.model.errors.is_envelope(body_json(reply)):
        raise _fail(
            case,
            "auth-not-enforced",
            "Call without credentials accepted",
            "the operation requires credentials",
            f"answered {reply.status_code} without credentials",
        )


def _declares_pdf_and_more(run: RunContext, case: Any) -> bool:
    operation = run.operation(case)
    for status, response in operation.responses.items() if operation is not None else ():
        content = response.get("content") or {}
        if status.startswith("2") and "application/pdf" in content and len(content) > 1:
            return True
    return False


@extra_check
def pdf_when_asked(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """Where a read declares a PDF beside JSON (Invoiced's ``Accept: application/pdf``), asking for it gets a PDF."""
    accept = next((str(v) for k, v in (case.headers or {}).items() if k.lower() == "accept"), "")
    if case.method.upper() != "GET" or "pdf" in accept or not 200 <= response.status_code < 300:
        return
    if not _declares_pdf_and_more(run, case):
        return
    wanted = {"Accept": "application/pdf"}
    reply = _send(ctx, case, case.derive(headers={**(case.headers or {}), **wanted}, keep_auth=True), wanted)
    if not 200 <= reply.status_code < 300:
        return
    media = header(reply, "content-type") or ""
    if not media.startswith("application/pdf"):
        raise _fail(
            case,
            "unexpected-content-type",
            "PDF not sent when asked for",
            "application/pdf when the request sends Accept: application/pdf",
            f"answered {reply.status_code} with Content-Type {media or '(none)'}",
        )
    if reply.content[:5] != b"%PDF-":
        raise _fail(
            case,
            "wrong-media",
            "Not a PDF",
            "application/pdf",
            f"sent a body starting {reply.content[:16]!r} when asked for a PDF",
        )


@extra_check
def tenant_isolation(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """What one tenant reads by id (an object, or a list under a parent) another tenant cannot read.

    A leak is another tenant being served the same data: an empty list under a parent the other tenant
    cannot see shows nothing, so it is not one.
    """
    if not run.other_tenants or not _is_read(case) or not case.path_parameters or not 200 <= response.status_code < 300:
        return
    mine = _data(response)
    operation = run.operation(case)
    if operation is not None and not _can_refuse(run, operation):
        return  # the spec gives the operation no error to answer another tenant with
    if operation is not None and operation.security == ():
        return  # public (``security: []``): a share link or a widget anyone may read, whoever asks
    is_list = operation is not None and (operation.role == "list" or operation.pagination is not None)
    if not _has_data(mine, is_list):
        return
    requirements = operation.security if operation is not None and operation.security is not None else None
    other = run.other_tenants[0].for_requirements(requirements or run.model.security)
    reply = _send(ctx, case, _replaced(run.credentials, case, swap=other))
    leaked = 200 <= reply.status_code < 300 and not run.model.errors.is_envelope(body_json(reply))
    if leaked and _data(reply) == mine:
        raise _fail(
            case,
            "tenant-leak",
            "Another tenant's object served",
            "objects are visible to their tenant only",
            f"tenant 2 read {case.formatted_path} ({reply.status_code}) and got tenant 1's data",
        )


@extra_check
def write_persisted(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """After a successful update, reading the object back shows the values written."""
    operation = run.operation(case)
    if operation is None or operation.role != "update":
        return
    if not 200 <= response.status_code < 300 or not isinstance(case.body, dict):
        return
    retrieve = _retrieve_operation(run, case)
    if retrieve is None:
        return
    headers = dict(case.headers or {})
    required = run.model.content_type_required
    if required is not None:
        headers.setdefault("Content-Type", required)
    probe = retrieve.Case(
        path_parameters=dict(case.path_parameters or {}),
        headers=headers,
        query={k: v for k, v in (case.query or {}).items() if k in dict(run.credentials.query)},
    )
    reply = _send(ctx, case, probe)
    stored = body_json(reply)
    if not 200 <= reply.status_code < 300 or not isinstance(stored, dict):
        return
    sent = case.body
    wrapper = operation.wrapper
    if wrapper:
        if not isinstance(sent.get(wrapper), dict):
            return  # fields outside the wrapper are not the object's: the API rightly ignores them
        sent = sent[wrapper]
    ignored = _read_only_properties(run, operation.body, wrapper)
    owner = run.model.resource(operation.resource)
    # what an update computes again whatever was sent: the spec's rule says what it becomes, not the value sent
    computed = {name: rule for name, rule in owner.computed if rule.on_update or not rule.default} if owner else {}
    for key, value in sorted(sent.items()):
        if not isinstance(value, str | int | float | bool) or key not in stored or key in ignored:
            continue
        rule = computed.get(key)
        if rule is None:
            expected, said = value, f"{key} becomes {value!r}"
        elif rule.expr is not None and rule.sum is None and not rule.on_update:
            # the value sent is one of the rule's inputs (BitFaktura's status: a 'partial' sent with nothing paid is
            # 'issued'), the others as read back
            expected = rule.expr.evaluate({**stored, key: value})
            expected = value if expected is None else expected  # no value from the rule: the one sent stays
            said = f"{key} becomes {expected!r}, by the spec's rule ({rule.expr}) on {key}={value!r}"
        else:
            continue  # computed from what the check does not send (BitFaktura's product net price, from gross and tax)
        if not _same(stored[key], expected):
            raise _fail(
                case,
                "state-inconsistency",
                "Update not applied",
                said,
                f"read back {key}={stored[key]!r} after a {response.status_code}",
            )


_TRUE, _FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off", ""})


def _same(stored: Any, sent: Any) -> bool:
    """Equal, or equal after the coercions form-style APIs apply (``"0"`` is ``false``, ``"12,50"`` is ``12.5``)."""
    if stored == sent or str(stored) == str(sent):
        return True
    if isinstance(stored, bool) or isinstance(sent, bool):
        flag, other = (stored, sent) if isinstance(stored, bool) else (sent, stored)
        text = str(other).strip().lower()
        return (text in _TRUE) if flag else (text in _FALSE)
    try:
        # Money and quantities may come back rounded to the API's precision (``"-0.00"`` for ``-8e-231``).
        return abs(float(str(stored).replace(",", ".")) - float(str(sent).replace(",", "."))) <= 0.005
    except ValueError:
        return False


def _can_refuse(run: RunContext, operation: Operation) -> bool:
    return bool(run.model.errors.kinds) or any(c[0] in "45" or c == "default" for c in operation.responses)


def _retrieve_operation(run: RunContext, case: Any) -> Any:
    if run.model.operation("GET", case.operation.path) is None:
        return None
    try:
        return case.operation.schema[case.operation.path]["GET"]
    except (KeyError, LookupError):
        return None


@extra_check
def count_matches_items(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """A ``{count, items}`` list (offset style) holds ``count`` items: asking for them from offset 0 gets them all.

    Only when the page came without a limit, so a short page says nothing by itself.
    """
    operation = run.operation(case)
    pagination = operation.pagination if operation is not None else None
    if operation is None or pagination is None or pagination.style != "offset":
        return
    if not 200 <= response.status_code < 300:
        return
    items_key, count_key = pagination.items, pagination.count
    limit_name, offset_name = pagination.limit, pagination.offset
    body = body_json(response)
    query = dict(case.query or {})
    if limit_name in query or not isinstance(body, dict) or not isinstance(body.get(count_key), int):
        return
    items = body.get(items_key)
    if not isinstance(items, list) or body[count_key] <= len(items):
        return
    wanted = min(body[count_key], pagination.max_per_page or 100)
    probe = case.derive(query={**query, offset_name: 0, limit_name: wanted}, keep_auth=True)
    reply = body_json(_send(ctx, case, probe))
    got = reply.get(items_key) if isinstance(reply, dict) else None
    if isinstance(got, list) and len(got) < wanted:
        raise _fail(
            case,
            "pagination-mismatch",
            "Count disagrees with the items",
            f"{count_key} is the number of items the list holds",
            f"{count_key}={body[count_key]} but offset 0, limit {wanted} returned {len(got)} items",
            pagination_pointer(operation),
        )


def _read_only_properties(run: RunContext, body: Any, wrapper: str | None) -> frozenset[str]:
    """Properties the request schema marks readOnly: an API rightly ignores them in a write."""
    schemas = run.model.schemas

    def properties(node: Any) -> dict[str, Any]:
        node = schemas.mapping(node)
        found: dict[str, Any] = {}
        for part in [*(node.get("allOf") or []), *(node.get("anyOf") or []), *(node.get("oneOf") or [])]:
            found.update(properties(part))
        found.update({k: schemas.resolve(v) for k, v in (node.get("properties") or {}).items()})
        return found

    names: set[str] = set()
    for media in ((body or {}).get("content") or {}).values():
        props = properties(media.get("schema") or {})
        if wrapper:
            props = properties(props.get(wrapper) or {})
        names.update(k for k, v in props.items() if isinstance(v, dict) and v.get("readOnly"))
    return frozenset(names)
