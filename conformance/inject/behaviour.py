"""Mutations of status codes, media types, headers and behaviour (writes, tenants, auth, paths)."""

from __future__ import annotations

from typing import Any

from apimodel import Api
from conformance.inject.exchange import Exchange, InjectorState
from conformance.inject.mutations import mutation

__all__: list[str] = []


def _has(api: Api, test: Any) -> bool:
    return any(test(op) for op in api.operations)


def _json_success(api: Api) -> bool:
    return _has(api, lambda op: any(s.startswith("2") for s in op.responses))


def _json_body(api: Api) -> bool:
    """Some success response is JSON (what ``change-content-type`` changes)."""
    return _has(
        api,
        lambda op: any(
            s.startswith("2") and any("json" in m for m in (r.get("content") or {})) for s, r in op.responses.items()
        ),
    )


def _pagination(api: Api, style: str) -> bool:
    return _has(api, lambda op: op.pagination is not None and op.pagination.style == style)


def _credentialed(api: Api) -> bool:
    return bool(api.credentials)


@mutation("change-status", {"undocumented-status"}, _json_success)
def change_status(state: InjectorState, exchange: Exchange) -> None:
    """Answer success with a 2xx status the operation does not declare."""
    if exchange.operation is None or not exchange.is_success:
        return
    declared = set(exchange.operation.responses)
    exchange.status = next(s for s in (203, 207, 226, 299) if str(s) not in declared)


@mutation("change-content-type", {"unexpected-content-type"}, _json_body)
def change_content_type(state: InjectorState, exchange: Exchange) -> None:
    """Send JSON success bodies as ``text/html``."""
    if exchange.is_success and "json" in (exchange.header("content-type") or ""):
        exchange.set_header("content-type", "text/html; charset=utf-8")


@mutation("server-error", {"server-error", "undocumented-status"}, _json_success)
def server_error(state: InjectorState, exchange: Exchange) -> None:
    """Turn success into an undeclared 500 with a plain-text body."""
    if exchange.is_success and exchange.method != "HEAD":
        exchange.status = 500
        exchange.set_header("content-type", "text/plain")
        exchange.response_body = b"Internal Server Error"


@mutation("drop-pagination-header", {"missing-header", "pagination-mismatch"}, lambda s: _pagination(s, "link"))
def drop_pagination_header(state: InjectorState, exchange: Exchange) -> None:
    """Drop the Link and total-count headers of link-paginated lists."""
    pagination = exchange.operation.pagination if exchange.operation else None
    if exchange.is_success and pagination is not None and pagination.style == "link":
        exchange.set_header("link", None)
        exchange.set_header(pagination.total_header or "x-total-count", None)


@mutation("wrong-total-count", {"pagination-mismatch"}, lambda s: _pagination(s, "offset") or _pagination(s, "link"))
def wrong_total_count(state: InjectorState, exchange: Exchange) -> None:
    """Overstate the total of a list (``count`` of ``{count, items}``, or the total-count header)."""
    pagination = exchange.operation.pagination if exchange.operation else None
    if not exchange.is_success or pagination is None:
        return
    if pagination.style == "offset":
        body = exchange.json()
        key = pagination.count
        if isinstance(body, dict) and isinstance(body.get(key), int):
            body[key] += 7
            exchange.set_json(body)
    elif pagination.style == "link":
        name = pagination.total_header or "x-total-count"
        total = exchange.header(name)
        if total is not None and total.isdigit():
            exchange.set_header(name, str(int(total) + 7))


def _errors_only_with_error_status(api: Api) -> bool:
    return (api.errors.reason.source == "hint" or bool(api.errors.kinds)) and not api.errors.in_success


@mutation("error-with-200", {"error-with-success-status"}, _errors_only_with_error_status)
def error_with_200(state: InjectorState, exchange: Exchange) -> None:
    """Send 4xx error envelopes with status 200."""
    if 400 <= exchange.status < 500 and exchange.json() is not None:
        exchange.status = 200


@mutation("break-pdf", {"wrong-media"}, lambda s: _has(s, lambda op: "application/pdf" in str(op.raw)))
def break_pdf(state: InjectorState, exchange: Exchange) -> None:
    """Send HTML where a PDF is promised."""
    if exchange.is_success and (exchange.header("content-type") or "").startswith("application/pdf"):
        exchange.response_body = b"<html><body>not a pdf</body></html>"


@mutation(
    "ignore-write",
    {"state-inconsistency"},
    lambda s: _has(s, lambda op: op.role == "update"),
    request=True,
)
def ignore_write(state: InjectorState, exchange: Exchange) -> None:
    """Answer updates from the stored object without applying them."""
    operation = exchange.operation
    if operation is None or operation.role != "update":
        return
    if state.matcher.match("GET", exchange.path) is not None:
        exchange.method = "GET"
        exchange.body = b""


def _read_by_id(api: Api) -> bool:
    """Whether a tenant can read something by id in the path: where a leak would show (not e-Cont's RPC calls)."""
    return _has(api, lambda op: op.method == "GET" and "{" in op.path)


@mutation("leak-tenant", {"tenant-leak"}, lambda s: _credentialed(s) and _read_by_id(s), request=True)
def leak_tenant(state: InjectorState, exchange: Exchange) -> None:
    """Serve every tenant from the first tenant's data (credentials of the others are swapped)."""
    if len(state.tenants) < 2:
        return
    first, *others = state.tenants
    for other in others:
        pairs = [*zip(other.headers, first.headers, strict=False), *zip(other.query, first.query, strict=False)]
        pairs += list(zip(other.body, first.body, strict=False))
        for (_, theirs), (_, ours) in pairs:
            if theirs and theirs != ours:
                exchange.headers = [(k, v.replace(theirs.encode(), ours.encode())) for k, v in exchange.headers]
                exchange.query = exchange.query.replace(theirs.encode(), ours.encode())
                exchange.body = exchange.body.replace(theirs.encode(), ours.encode())


@mutation("ignore-auth", {"auth-not-enforced"}, _credentialed, request=True)
def ignore_auth(state: InjectorState, exchange: Exchange) -> None:
    """Accept requests without valid credentials (the first tenant's are put in)."""
    if not state.tenants:
        return
    first = state.tenants[0]
    for name, value in first.headers:
        exchange.set_header(name, value, response=False)
    if first.query:
        kept = [
            p for p in exchange.query.split(b"&") if p and p.split(b"=")[0] not in {n.encode() for n, _ in first.query}
        ]
        kept += [f"{n}={v}".encode() for n, v in first.query]
        exchange.query = b"&".join(kept)
    if first.body and exchange.body:
        import json

        try:
            body = json.loads(exchange.body)
        except ValueError:
            return
        exchange.body = json.dumps(first.apply_body(body)).encode()
        exchange.set_header("content-length", str(len(exchange.body)), response=False)


@mutation(
    "break-trailing-slash",
    {"path-rule"},
    lambda s: bool(s.operations) and all(op.path.endswith("/") for op in s.operations),
    request=True,
)
def break_trailing_slash(state: InjectorState, exchange: Exchange) -> None:
    """Accept paths without their mandatory trailing slash."""
    if not exchange.path.endswith("/"):
        exchange.path += "/"
