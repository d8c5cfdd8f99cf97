"""Checks on single responses: error envelopes with success status, PDF bodies, pagination."""

from __future__ import annotations

import json
import re
from typing import Any

from apimodel import Api, FieldPath, Operation, Pagination, hints
from apimodel.diagnostics import join_pointer
from conformance.checks.registry import DriftFailure, extra_check
from conformance.context import RunContext

__all__ = [
    "error_envelope_status",
    "is_error_envelope",
    "is_state_refusal",
    "is_unwritten_singleton",
    "pagination_consistency",
    "pagination_pointer",
    "pdf_body",
]


def header(response: Any, name: str) -> str | None:
    for key, values in (response.headers or {}).items():
        if key.lower() == name.lower() and values:
            return str(values[0])
    return None


def body_json(response: Any) -> Any:
    if "json" not in (header(response, "content-type") or ""):
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        return None


@extra_check
def error_envelope_status(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """An error envelope never comes with a success status, unless the spec says it may."""
    errors = run.model.errors
    if errors.in_success or not 200 <= response.status_code < 300 or not errors.is_envelope(body_json(response)):
        return
    operation = case.operation
    raise DriftFailure(
        kind="error-with-success-status",
        operation=operation.label,
        title="Error envelope with a success status",
        message=f"status {response.status_code} with body {response.content[:200]!r}",
        pointer=hints.document_pointer(hints.ERRORS),
        spec_says=f"errors use the {hints.ERRORS} envelope with a 4xx/5xx status",
        api_did=f"answered {response.status_code} with an error envelope",
    )


@extra_check
def pdf_body(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """A body sent as ``application/pdf`` is a PDF."""
    content_type = header(response, "content-type") or ""
    if not content_type.startswith("application/pdf") or case.method.upper() == "HEAD":
        return
    if response.content[:5] == b"%PDF-":
        return
    raise DriftFailure(
        kind="wrong-media",
        operation=case.operation.label,
        title="Not a PDF",
        message=f"body starts with {response.content[:16]!r}",
        pointer=join_pointer("paths", case.operation.path, case.operation.method.lower(), "responses"),
        spec_says="application/pdf",
        api_did=f"sent a body starting {response.content[:16]!r}",
    )


_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([a-z]+)"?')


def _page_numbers(case: Any, pagination: Pagination) -> tuple[int, int | None]:
    query = case.query or {}
    page = _int(query.get(pagination.page), 1) or 1
    return page, _int(query.get(pagination.per_page), pagination.default_per_page)


def _drift(case: Any, message: str, pointer: str) -> DriftFailure:
    return DriftFailure(
        kind="pagination-mismatch",
        operation=case.operation.label,
        title="Pagination disagrees with itself",
        message=message,
        pointer=pointer,
        spec_says="the pagination's headers, counts and page contents agree",
        api_did=message,
    )


def pagination_pointer(operation: Operation) -> str:
    """Where the spec says how a list pages: its hint, or the operation the style was inferred from."""
    hinted = operation.pagination is not None and operation.pagination.reason.source == "hint"
    return f"{operation.pointer}/{hints.PAGINATION}" if hinted else operation.pointer


@extra_check
def pagination_consistency(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """Link, X-Total-Count, short last pages and ``{count, items}`` agree with the page contents."""
    operation = run.operation(case)
    pagination = operation.pagination if operation is not None else None
    if operation is None or pagination is None or not 200 <= response.status_code < 300:
        return
    pointer = pagination_pointer(operation)
    body = body_json(response)
    style = pagination.style
    if style == "offset":
        items_key, count_key = pagination.items, pagination.count
        if (
            not isinstance(body, dict)
            or not isinstance(body.get(items_key), list)
            or not isinstance(body.get(count_key), int)
        ):
            return
        offset = _int((case.query or {}).get(pagination.offset), 0) or 0
        expected_max = max(0, body[count_key] - offset)
        if len(body[items_key]) > expected_max:
            raise _drift(
                case, f"{count_key}={body[count_key]} but {len(body[items_key])} items at offset {offset}", pointer
            )
        limit = _int((case.query or {}).get(pagination.limit), pagination.default_per_page)
        short = limit is not None and limit > 0 and len(body[items_key]) < min(limit, expected_max)
        if short or (limit is None and expected_max > 0 and not body[items_key]):
            raise _drift(
                case,
                f"{count_key}={body[count_key]}, limit {limit}, offset {offset}: only {len(body[items_key])} items",
                pointer,
            )
        return
    if style in ("cursor", "next-url"):
        _check_cursor(case, pagination, body, pointer)
        return
    if not isinstance(body, list):
        return
    page, per_page = _page_numbers(case, pagination)
    if style == "link":
        total_name = pagination.total_header or "X-Total-Count"
        total_text = header(response, total_name)
        links = {rel: url for url, rel in _LINK.findall(header(response, "link") or "")}
        if total_text is None and pagination.total_header:
            raise _drift(case, f"no {total_name} header on a page of {len(body)} items", pointer)
        if total_text is None or not total_text.isdigit() or per_page is None:
            return
        total = int(total_text)
        before = (page - 1) * per_page
        expected = max(0, min(per_page, total - before))
        if len(body) != expected:
            raise _drift(
                case, f"total {total}, page {page} of {per_page}: expected {expected} items, got {len(body)}", pointer
            )
        if total > before + per_page and "next" not in links:
            raise _drift(case, f"total {total} leaves items after page {page} but no rel=next link", pointer)
        if total <= before + per_page and "next" in links:
            raise _drift(case, f"page {page} is the last of {total} items but a rel=next link is sent", pointer)
    elif style == "page" and per_page is not None and len(body) > per_page:
        raise _drift(case, f"{len(body)} items on a page of {per_page}", pointer)


def _shown(path: FieldPath | None) -> str:
    return ".".join(path or ())


def _dig(data: Any, path: FieldPath | None) -> Any:
    for key in path or ():
        data = data.get(key) if isinstance(data, dict) else None
    return data if path else None


def _check_cursor(case: Any, pagination: Pagination, body: Any, pointer: str) -> None:
    """A page that says more follow has items and a way to the next page; a next-page URL is a string."""
    if not isinstance(body, dict) or not isinstance(body.get(pagination.items), list):
        return
    items = body[pagination.items]
    more = _dig(body, pagination.has_more) if pagination.has_more else None
    following = _dig(body, pagination.next_cursor or pagination.next_url)
    if more is True and not items:
        raise _drift(case, f"{_shown(pagination.has_more)} is true on a page without items", pointer)
    if more is True and pagination.next_cursor and following in (None, ""):
        gives = f"{_shown(pagination.has_more)} is true but {_shown(pagination.next_cursor)} gives no cursor"
        raise _drift(case, gives, pointer)
    if pagination.next_url and following is not None and not isinstance(following, str):
        raise _drift(case, f"{_shown(pagination.next_url)} is {following!r}, not a URL", pointer)


def _int(value: Any, default: int | None) -> Any:
    try:
        return int(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def is_error_envelope(api: Api, response: Any) -> bool:
    """Whether ``response`` carries the API's error envelope (whatever its status)."""
    return api.errors.is_envelope(body_json(response))


def is_state_refusal(api: Api, method: str, path: str, response: Any) -> bool:
    """A schema-valid request the spec says the API refuses in some states (the effect hint's ``refuse``, or a create
    naming an object the tenant lacks: the refers-to hint's), answered with the API's error envelope and a 4xx the
    operation declares: the documented refusal (paying a voided invoice, applying more than the balance, an unknown
    client code), not a rejection of valid data."""
    found = api.operation(method.upper(), path)
    owner = api.resource(found.resource) if found is not None else None
    references = found is not None and found.role == "create" and owner is not None and owner.checked_references
    refusing = found is not None and found.effect is not None and found.effect.refuses
    if found is None or not (refusing or references) or response is None:
        return False
    status = response.status_code
    declared = str(status) in found.responses or f"{str(status)[0]}XX" in found.responses
    return 400 <= status < 500 and declared and is_error_envelope(api, response)


def is_unwritten_singleton(api: Api, method: str, path: str, status: int | None) -> bool:
    """A 404 from a read of a sub-object there is at most one of per parent, written by its own call (an Invoiced
    invoice's payment plan, which ``PUT /invoices/{id}/payment_plan`` creates): the spec declares the 404 for a
    parent that has none, so a parent just created without one is rightly answered 404, not a resource the
    create made and then lost (schemathesis's ``ensure_resource_availability`` takes the path prefix for that)."""
    found = api.operation(method.upper(), path)
    if found is None or status != 404 or "404" not in found.responses:
        return False
    resource = api.resource(found.resource)
    return resource is not None and resource.singleton
