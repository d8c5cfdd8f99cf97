"""Pagination: the pagination hint where the spec says it, otherwise inferred from a list's parameters,
its response shape and its response headers. A list that matches no style stays one page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apimodel.facts import Pagination, Parameter, Reason
from apimodel.schemas import Schemas
from apimodel.shapes import ListShape, list_shape

__all__ = ["PagingGuess", "infer_body_pagination", "infer_pagination", "names_a_page_position"]

_PAGE = ("page", "page_number", "pagenumber")
_SKIP_PAGES = ("skippages", "skip_pages")  # e-conomic's classic pagination: pages to skip, from 0
_PER_PAGE = ("per_page", "perpage", "page_size", "pagesize", "limit", "size")
_OFFSET = ("offset", "skip")
_LIMIT = ("limit", "per_page", "page_size", "pagesize", "max_results", "maxresults", "count", "size")
# a cursor list's page size where it is no plain limit: AWS's MaxRecords (query protocol), MaxItems (REST-XML)
_MAX_ITEMS = (*_LIMIT, "max_items", "maxitems", "max_records", "maxrecords")
_COUNT = ("count", "total", "total_count", "totalcount", "total_results", "totalresults", "total_items")
_TOTAL_HEADERS = ("x-total-count", "x-total", "total-count")
_NEXT_URLS = ("next_url", "next_page_url", "nextpageurl", "nextlink", "next_link", "@odata.nextlink")
_CURSOR_PARAMS = (
    "starting_after",
    "page_token",
    "pagetoken",
    "next_token",
    "nexttoken",
    "cursor",
    "after",
    "continuation_token",
    "continuationtoken",
    "marker",
    "page_cursor",
)
_NEXT_CURSORS = (
    "next_cursor",
    "nextcursor",
    "next_page_token",
    "nextpagetoken",
    "next_token",
    "nexttoken",
    "continuation_token",
    "continuationtoken",
    "next_marker",
    "nextmarker",
    "next_page",
    "cursor",
)
# query cursors whose answer carries the next position under the same name: AWS's ``Marker`` in, ``Marker`` out (the
# query protocol) and ``NextToken``; read only where the answer has no next cursor (Route 53 answers ``NextMarker``
# beside a ``Marker`` that echoes the page asked for). Other names may echo the position asked for, so they never count
_ECHOED = ("marker", "next_token", "nexttoken")
_HAS_MORE = ("has_more", "hasmore", "has_next", "hasnext", "more", "is_truncated", "istruncated", "truncated")


def names_a_page_position(names: Sequence[str]) -> bool:
    """Whether one of ``names`` (parameters or body properties) is one a page's position travels in: a page
    number, an offset, pages to skip or a cursor. A list with none declares no way to ask for a second page."""
    return any(_find(names, wanted) for wanted in (_PAGE, _OFFSET, _SKIP_PAGES, _CURSOR_PARAMS))


@dataclass(frozen=True)
class PagingGuess:
    pagination: Pagination | None
    reason: Reason  # why it pages this way, or why it was not recognised


def _find(names: Sequence[str], wanted: tuple[str, ...]) -> str | None:
    """The first parameter whose name (case and separators aside) is one of ``wanted``, in ``wanted`` order."""
    folded = {n.lower().replace("-", "_"): n for n in names}
    return next((folded[w] for w in wanted if w in folded), None)


def _fields(schemas: Schemas, shape: ListShape) -> list[tuple[str, Any]]:
    """The envelope's properties and those of its object properties one level down (``meta.next_page_url``),
    each with its schema."""
    if shape.envelope is None:
        return []
    props = schemas.properties(shape.envelope)
    found = [(k, v) for k, v in props.items() if k != shape.items]
    for key, value in props.items():
        if key != shape.items and schemas.schema_type(value) == "object":
            found += [(f"{key}.{k}", v) for k, v in schemas.properties(value).items()]
    return found


def _field(
    fields: list[tuple[str, Any]], wanted: tuple[str, ...], kinds: tuple[str, ...], schemas: Schemas
) -> str | None:
    """The first field whose last name (case and separators aside) is one of ``wanted`` and whose type fits."""
    folded: dict[str, str] = {}
    for path, schema in fields:
        last = path.rsplit(".", 1)[-1].lower().replace("-", "_")
        if schemas.schema_type(schema) in kinds:
            folded.setdefault(last, path)
    return next((folded[w] for w in wanted if w in folded), None)


def _count_field(schemas: Schemas, shape: ListShape) -> str | None:
    top = [(k, v) for k, v in _fields(schemas, shape) if "." not in k]
    return _field(top, _COUNT, ("integer", "number"), schemas)


def _next_url_field(schemas: Schemas, shape: ListShape, cursor: str | None) -> str | None:
    """A field that holds the next page's URL: named so, or ``next``/``links.next`` when no cursor parameter
    suggests it is a token."""
    fields = _fields(schemas, shape)
    found = _field(fields, _NEXT_URLS, ("string",), schemas)
    if found is None and cursor is None:
        found = _field(fields, ("next",), ("string",), schemas)
    return found


def _echoed(schemas: Schemas, shape: ListShape, cursor: str, names: tuple[str, ...] | None) -> str | None:
    """The envelope's textual field named as the request's cursor (AWS answers its ``NextToken``/``Marker`` so),
    where the cursor's name is one of ``names`` (None: any)."""
    folded = cursor.lower().replace("-", "_")
    if names is not None and folded not in names:
        return None
    top = [(k, v) for k, v in _fields(schemas, shape) if "." not in k]
    return _field(top, (folded,), ("string",), schemas)


def _default_int(schemas: Schemas, parameters: Sequence[Parameter], name: str) -> int | None:
    """The default a query parameter's schema declares, if it is a whole number."""
    schema = next((p.schema for p in parameters if p.location == "query" and p.name == name), None)
    default = schemas.mapping(schemas.resolve(schema)).get("default")
    return default if isinstance(default, int) and not isinstance(default, bool) else None


def infer_pagination(
    schemas: Schemas, parameters: Sequence[Parameter], response: Mapping[str, Any] | None, header_names: Sequence[str]
) -> PagingGuess:
    """How a list pages, from its query parameters, success response schema and response headers."""
    query = [p.name for p in parameters if p.location == "query"]
    textual = {p.name for p in parameters if p.location == "query" and schemas.schema_type(p.schema) == "string"}
    shape = list_shape(schemas, response)
    if shape is None:
        return PagingGuess(None, Reason("inferred", "not a list: the success response holds no array"))
    where = f"items under {shape.items!r}" if shape.items else "a bare array"
    page, per_page = _find(query, _PAGE), _find(query, _PER_PAGE)
    skip_pages = _find(query, _SKIP_PAGES) if page is None and per_page else None
    offset, limit = _find(query, _OFFSET), _find(query, _LIMIT)
    headers = {h.lower(): h for h in header_names}
    items = shape.items or "items"
    cursor = _find(query, _CURSOR_PARAMS)
    if cursor is None and page in textual and _field(_fields(schemas, shape), _NEXT_CURSORS, ("string",), schemas):
        cursor, page = page, None  # a textual page that takes a token from the response (Stripe's search)
    next_url = _next_url_field(schemas, shape, cursor)
    if next_url is not None:
        why = f"the next page's URL in {next_url!r}; {where}"
        reason = Reason("inferred", why)
        size = per_page or limit or "limit"
        pagination = Pagination("next-url", reason, items=items, next_url=next_url, cursor=cursor, limit=size)
        return PagingGuess(pagination, pagination.reason)
    if cursor is not None:
        fields = _fields(schemas, shape)
        token = _field(fields, _NEXT_CURSORS, ("string",), schemas) or _echoed(schemas, shape, cursor, _ECHOED)
        more = _field(fields, _HAS_MORE, ("boolean",), schemas)
        if token is None and more is None:
            why = f"not paginated: a cursor parameter {cursor!r}, but no next cursor or has-more flag in the response"
            return PagingGuess(None, Reason("inferred", why))
        how = f"the next cursor in {token!r}" if token else f"the last item's id while {more!r} is true"
        why = f"query parameter {cursor!r} takes {how}; {where}"
        size = _find(query, _MAX_ITEMS) or "limit"
        pagination = Pagination("cursor", Reason("inferred", why), items=items, cursor=cursor, next_cursor=token,
                                has_more=more, limit=size)  # fmt: skip
        return PagingGuess(pagination, pagination.reason)
    if offset and limit:
        count = _count_field(schemas, shape)
        why = f"query parameters {offset!r} and {limit!r}; {where}" + (f", total in {count!r}" if count else "")
        reason = Reason("inferred", why)
        pagination = Pagination("offset", reason, offset=offset, limit=limit, items=items, count=count or "count")
        return PagingGuess(pagination, pagination.reason)
    if skip_pages and per_page:
        # e-conomic, "Pagination" in its spec's description: ``/paged?skippages=0&pagesize=20``, a page of items;
        # the next page skips one more, a short page is the last
        why = (
            f"query parameters {skip_pages!r} (pages to skip, from 0) and {per_page!r}; {where}, ending on a short page"
        )
        default = _default_int(schemas, parameters, per_page)
        pagination = Pagination("page", Reason("inferred", why), page=skip_pages, per_page=per_page, items=items,
                                first_page=0, default_per_page=default)  # fmt: skip
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


def infer_body_pagination(
    schemas: Schemas, body: Mapping[str, Any] | None, response: Mapping[str, Any] | None
) -> PagingGuess | None:
    """A read that takes its page token in the JSON request body and answers the next one beside its list, or
    None. AWS's JSON protocol pages so ("pagination tokens": a request's ``NextToken``/``Marker`` takes the
    response's ``NextToken``/``Marker``/``NextMarker``; docs.aws.amazon.com/cli/latest/userguide/cli-usage-pagination
    and each service's API reference), as do Google's POST search methods (AIP-158 ``page_token`` ->
    ``next_page_token``). Both sides must say it: a token property in the request body and, in the response, an
    array and a textual next token, named as the request's (AWS echoes ``NextToken``) or as a next cursor."""
    found = schemas.json_content(body) if body is not None else None
    shape = list_shape(schemas, response)
    if found is None or shape is None or shape.envelope is None:
        return None
    textual = [k for k, v in schemas.properties(found[1]).items() if schemas.schema_type(v) == "string"]
    cursor = _find(textual, _CURSOR_PARAMS)
    if cursor is None:
        return None
    top = [(k, v) for k, v in _fields(schemas, shape) if "." not in k]
    token = _echoed(schemas, shape, cursor, None) or _field(top, _NEXT_CURSORS, ("string",), schemas)
    if token is None:
        return None
    numeric = [k for k, v in schemas.properties(found[1]).items() if schemas.schema_type(v) == "integer"]
    size = _find(numeric, _MAX_ITEMS) or "limit"
    why = f"request body property {cursor!r} takes the next token in {token!r}; items under {shape.items!r}"
    pagination = Pagination("cursor", Reason("inferred", why), items=shape.items or "items", cursor=cursor,
                            next_cursor=token, cursor_in="body", limit=size)  # fmt: skip
    return PagingGuess(pagination, pagination.reason)
