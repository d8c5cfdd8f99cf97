"""Checks on single responses: error envelopes with success status, PDF bodies, pagination."""

from __future__ import annotations

import json
import re
from typing import Any

from apimodel.diagnostics import join_pointer
from conformance.checks.registry import DriftFailure, extra_check
from conformance.context import RunContext

__all__ = [
    "documents_errors_in_success",
    "error_envelope_status",
    "is_error_envelope",
    "pagination_consistency",
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


def documents_errors_in_success(spec: dict[str, Any]) -> bool:
    """Whether the spec declares that errors may come with a 2xx status (``x-errors.match-in-success``)."""
    errors = spec.get("x-errors")
    return isinstance(errors, dict) and bool(errors.get("match-in-success"))


def _is_error_envelope(spec: dict[str, Any], body: Any) -> bool:
    errors = spec.get("x-errors") or {}
    if not isinstance(body, dict) or not isinstance(errors, dict):
        return False
    match = errors.get("match-in-success")
    if isinstance(match, dict) and match:
        return all(body.get(k) == v for k, v in match.items())
    # Without a declared marker, an envelope is recognised by the keys every declared error body uses.
    bodies = [k.get("body") for k in (errors.get("kinds") or {}).values() if isinstance(k, dict)]
    keys = [set(b) for b in bodies if isinstance(b, dict) and b]
    common = set.intersection(*keys) if keys else set()
    return bool(common) and common <= set(body) and len(common) >= 2


@extra_check
def error_envelope_status(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """An error envelope never comes with a success status, unless the spec says it may (``match-in-success``)."""
    if documents_errors_in_success(run.spec):
        return
    if not 200 <= response.status_code < 300 or not _is_error_envelope(run.spec, body_json(response)):
        return
    operation = case.operation
    raise DriftFailure(
        kind="error-with-success-status",
        operation=operation.label,
        title="Error envelope with a success status",
        message=f"status {response.status_code} with body {response.content[:200]!r}",
        pointer="/x-errors",
        spec_says="errors use the x-errors envelope with a 4xx/5xx status",
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


def _page_numbers(case: Any, pagination: dict[str, Any]) -> tuple[int, int | None]:
    query = case.query or {}

    def number(name: str, default: int | None) -> int | None:
        value = query.get(str(pagination.get(name, name)))
        try:
            return int(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    page = number("page", 1) or 1
    return page, number("per-page", pagination.get("default-per-page"))


def _drift(case: Any, message: str, pointer: str) -> DriftFailure:
    return DriftFailure(
        kind="pagination-mismatch",
        operation=case.operation.label,
        title="Pagination disagrees with itself",
        message=message,
        pointer=pointer,
        spec_says="x-pagination: headers, counts and page contents agree",
        api_did=message,
    )


@extra_check
def pagination_consistency(run: RunContext, ctx: Any, response: Any, case: Any) -> None:
    """Link, X-Total-Count, short last pages and ``{count, items}`` agree with the page contents."""
    pagination = case.operation.definition.raw.get("x-pagination")
    if not isinstance(pagination, dict) or not 200 <= response.status_code < 300:
        return
    pointer = join_pointer("paths", case.operation.path, case.operation.method.lower(), "x-pagination")
    body = body_json(response)
    style = pagination.get("style")
    if style == "offset":
        items_key, count_key = str(pagination.get("items", "items")), str(pagination.get("count", "count"))
        if (
            not isinstance(body, dict)
            or not isinstance(body.get(items_key), list)
            or not isinstance(body.get(count_key), int)
        ):
            return
        offset = _int((case.query or {}).get(str(pagination.get("offset", "offset"))), 0) or 0
        expected_max = max(0, body[count_key] - offset)
        if len(body[items_key]) > expected_max:
            raise _drift(
                case, f"{count_key}={body[count_key]} but {len(body[items_key])} items at offset {offset}", pointer
            )
        limit = _int((case.query or {}).get(str(pagination.get("limit", "limit"))), pagination.get("default-per-page"))
        short = limit is not None and limit > 0 and len(body[items_key]) < min(limit, expected_max)
        if short or (limit is None and expected_max > 0 and not body[items_key]):
            raise _drift(
                case,
                f"{count_key}={body[count_key]}, limit {limit}, offset {offset}: only {len(body[items_key])} items",
                pointer,
            )
        return
    if not isinstance(body, list):
        return
    page, per_page = _page_numbers(case, pagination)
    if style == "link":
        total_name = str(pagination.get("total-header") or "X-Total-Count")
        total_text = header(response, total_name)
        links = {rel: url for url, rel in _LINK.findall(header(response, "link") or "")}
        if total_text is None and pagination.get("total-header"):
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


def _int(value: Any, default: int | None) -> Any:
    try:
        return int(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def is_error_envelope(spec: dict[str, Any], response: Any) -> bool:
    """Whether ``response`` carries the spec's error envelope (whatever its status)."""
    return _is_error_envelope(spec, body_json(response))
