"""Pagination: the pagination hint where the spec says it, otherwise inferred from a list's parameters,
its response shape and its response headers. A list that matches no style stays one page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apimodel.facts import Pagination, Reason
from apimodel.schemas import Schemas
from apimodel.shapes import ListShape, list_shape

__all__ = ["PagingGuess", "infer_pagination"]

_PAGE = ("page", "page_number", "pagenumber")
_PER_PAGE = ("per_page", "perpage", "page_size", "pagesize", "limit", "size")
_OFFSET = ("offset", "skip")
_LIMIT = ("limit", "per_page", "page_size", "pagesize", "max_results", "maxresults", "count", "size")
_COUNT = ("count", "total", "total_count", "totalcount", "total_results", "totalresults", "total_items")
_TOTAL_HEADERS = ("x-total-count", "x-total", "total-count")
_NEXT_URLS = ("next", "next_url", "next_page_url", "nextpageurl", "next_page", "nextlink", "@odata.nextlink")
_CURSOR_PARAMS = ("starting_after", "after", "cursor", "page_token", "pagetoken", "next_token", "continuation")


@dataclass(frozen=True)
class PagingGuess:
    pagination: Pagination | None
    reason: Reason  # why it pages this way, or why it was not recognised


def _find(names: Sequence[str], wanted: tuple[str, ...]) -> str | None:
    """The first parameter whose name (case and separators aside) is one of ``wanted``, in ``wanted`` order."""
    folded = {n.lower().replace("-", "_"): n for n in names}
    return next((folded[w] for w in wanted if w in folded), None)


def _count_field(schemas: Schemas, shape: ListShape) -> str | None:
    if shape.envelope is None:
        return None
    props = schemas.properties(shape.envelope)
    folded = {k.lower(): k for k, v in props.items() if schemas.schema_type(v) in ("integer", "number")}
    return next((folded[w] for w in _COUNT if w in folded), None)


def _next_url_field(schemas: Schemas, shape: ListShape) -> str | None:
    if shape.envelope is None:
        return None
    props = schemas.properties(shape.envelope)
    nested = [(f"{k}.", schemas.properties(v)) for k, v in props.items() if schemas.schema_type(v) == "object"]
    for prefix, found in [("", props), *nested]:
        folded = {k.lower(): k for k in found}
        hit = next((folded[w] for w in _NEXT_URLS if w in folded), None)
        if hit is not None:
            return prefix + hit
    return None


def infer_pagination(
    schemas: Schemas, query: Sequence[str], response: Mapping[str, Any] | None, header_names: Sequence[str]
) -> PagingGuess:
    """How a list pages, from its query parameters, success response schema and response headers."""
    shape = list_shape(schemas, response)
    if shape is None:
        return PagingGuess(None, Reason("inferred", "not a list: the success response holds no array"))
    where = f"items under {shape.items!r}" if shape.items else "a bare array"
    page, per_page = _find(query, _PAGE), _find(query, _PER_PAGE)
    offset, limit = _find(query, _OFFSET), _find(query, _LIMIT)
    headers = {h.lower(): h for h in header_names}
    items = shape.items or "items"
    next_url = _next_url_field(schemas, shape)
    cursor = _find(query, _CURSOR_PARAMS)
    if next_url is not None or cursor is not None:
        what = f"a next-page URL in {next_url!r}" if next_url else f"a cursor parameter {cursor!r}"
        return PagingGuess(None, Reason("inferred", f"not paginated: {what} (that style is not supported yet)"))
    if offset and limit:
        count = _count_field(schemas, shape)
        why = f"query parameters {offset!r} and {limit!r}; {where}" + (f", total in {count!r}" if count else "")
        reason = Reason("inferred", why)
        pagination = Pagination("offset", reason, offset=offset, limit=limit, items=items, count=count or "count")
        return PagingGuess(pagination, pagination.reason)
    if page:
        size = per_page or "per_page"
        total = next((headers[h] for h in _TOTAL_HEADERS if h in headers), None)
        if "link" in headers:
            why = f"query parameter {page!r} and a Link response header; {where}"
            reason = Reason("inferred", why)
            pagination = Pagination("link", reason, page=page, per_page=size, items=items, total_header=total)
        else:
            why = f"query parameter {page!r}" + (f" and {per_page!r}" if per_page else "") + f"; {where}"
            why += ", ending on a short page"
            pagination = Pagination("page", Reason("inferred", why), page=page, per_page=size, items=items)
        return PagingGuess(pagination, pagination.reason)
    found = ", ".join(query) or "none"
    return PagingGuess(None, Reason("inferred", f"not paginated: no page or offset parameter (query: {found})"))
