"""Pagination: the pagination hint where the spec says it, otherwise inferred from a list's parameters,
its response shape and its response headers. A list that matches no style stays one page."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apimodel.facts import FieldPath, Pagination, Parameter, Reason
from apimodel.schemas import Schemas
from apimodel.shapes import ListShape, list_shape

__all__ = ["MS_PAGEABLE", "PagingGuess", "infer_body_pagination", "infer_pagination", "names_a_page_position"]

# AutoRest's x-ms-pageable (github.com/Azure/autorest/blob/main/docs/extensions/readme.md#x-ms-pageable): the page's
# items under ``itemName`` (default ``value``), the next page's URL under ``nextLinkName``; "if the model does not have
# a next link property then specify null" (its test server's nullnextlink list "must ignore any kind of nextLink, and
# stop after page 1"). APIs.guru's conversion writes that null as ``x-ms-pageable: {}``
MS_PAGEABLE = "x-ms-pageable"

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
# a next page's URL named for what it loads: Discourse's ``load_more_notifications: "/notifications?offset=60&..."``
# (meta.discourse.org/t/how-to-get-notifications-via-the-api/120951), ``load_more_groups``
_NEXT_URL_PREFIXES = ("load_more_",)
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
    # not paged because there is nothing to page: the answer is the whole collection (no position to ask for, nothing
    # in the answer that points to more) or one object; False where a list may page in a way not recognised
    whole: bool = False


def _find(names: Sequence[str], wanted: tuple[str, ...]) -> str | None:
    """The first parameter whose name (case and separators aside) is one of ``wanted``, in ``wanted`` order; of two
    that differ only so, the one named first."""
    folded: dict[str, str] = {}
    for name in names:
        folded.setdefault(name.lower().replace("-", "_"), name)
    return next((folded[w] for w in wanted if w in folded), None)


# APIs.guru's conversion of AWS's models adds each paginator's input token and limit key as a query parameter of its
# own, under the SDK's member name, beside the one sent on the wire: Route 53's ListResourceRecordSets declares
# ``name``, ``type``, ``identifier`` and ``maxitems`` ("GET /2013-04-01/hostedzone/Id/rrset?identifier=...&maxitems=
# ...&name=...&type=...", docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html) and also
# ``StartRecordName``, ``StartRecordType``, ``StartRecordIdentifier`` and ``MaxItems``, each described only so:
_ALIAS_DESCRIPTIONS = ("Pagination token", "Pagination limit")


def _alias(parameter: Parameter) -> bool:
    """Whether a query parameter is one of those aliases: a name the server may not read."""
    return parameter.description in _ALIAS_DESCRIPTIONS


def _fields(schemas: Schemas, shape: ListShape) -> list[tuple[FieldPath, Any]]:
    """The envelope's properties and those of its object properties one level down (``("meta", "next_page_url")``),
    each with its schema."""
    if shape.envelope is None:
        return []
    props = schemas.properties(shape.envelope)
    found: list[tuple[FieldPath, Any]] = [((k,), v) for k, v in props.items() if k != shape.items]
    for key, value in props.items():
        if key != shape.items and schemas.schema_type(value) == "object":
            found += [((key, k), v) for k, v in schemas.properties(value).items()]
    return found


def _top(fields: list[tuple[FieldPath, Any]]) -> list[tuple[FieldPath, Any]]:
    """The fields of the envelope itself, not of its objects."""
    return [(path, schema) for path, schema in fields if len(path) == 1]


def _shown(path: FieldPath) -> str:
    """A path as a reason shows it: ``meta.next_page_url``."""
    return ".".join(path)


def _field(
    fields: list[tuple[FieldPath, Any]], wanted: tuple[str, ...], kinds: tuple[str, ...], schemas: Schemas
) -> FieldPath | None:
    """The first field whose last key (case and separators aside) is one of ``wanted`` and whose type fits."""
    folded: dict[str, FieldPath] = {}
    for path, schema in fields:
        last = path[-1].lower().replace("-", "_")
        if schemas.schema_type(schema) in kinds:
            folded.setdefault(last, path)
    return next((folded[w] for w in wanted if w in folded), None)


def _count_field(schemas: Schemas, shape: ListShape) -> str | None:
    found = _field(_top(_fields(schemas, shape)), _COUNT, ("integer", "number"), schemas)
    return found[0] if found else None


def _next_url_field(schemas: Schemas, shape: ListShape, cursor: str | None) -> FieldPath | None:
    """A field that holds the next page's URL: named so, or ``next``/``links.next`` when no cursor parameter
    suggests it is a token."""
    fields = _fields(schemas, shape)
    found = _field(fields, _NEXT_URLS, ("string",), schemas)
    if found is None and cursor is None:
        found = _field(fields, ("next",), ("string",), schemas)
    if found is None:
        top = [(k, v) for k, v in _top(fields) if schemas.schema_type(v) == "string"]
        found = next((k for k, _ in top if k[0].lower().startswith(_NEXT_URL_PREFIXES)), None)
    return found


def _echoed(schemas: Schemas, shape: ListShape, cursor: str, names: tuple[str, ...] | None) -> FieldPath | None:
    """The envelope's textual field named as the request's cursor (AWS answers its ``NextToken``/``Marker`` so),
    where the cursor's name is one of ``names`` (None: any)."""
    folded = cursor.lower().replace("-", "_")
    if names is not None and folded not in names:
        return None
    return _field(_top(_fields(schemas, shape)), (folded,), ("string",), schemas)


def _start_fields(
    schemas: Schemas, shape: ListShape, parameters: Sequence[Parameter]
) -> tuple[FieldPath, list[tuple[str, FieldPath]]] | None:
    """Route 53's lists (REST-XML; docs.aws.amazon.com/Route53/latest/APIReference, e.g. API_ListGeoLocations.html):
    while ``IsTruncated`` is true the answer names where the next page starts in one or more fields, ``Next<X>``
    (``NextContinentCode``, ``NextRecordName``) or ``<X>Marker`` (``TrafficPolicyIdMarker``), and the next request
    sends each back in the query parameter named ``<X>``, ``start<X>`` or the last words of ``<X>``
    (``startcontinentcode``, ``name``, ``trafficpolicyid``). The flag and each field's pairing with exactly one
    optional query parameter (no alias) must be found, or None: a list not paired so stays one page."""
    fields = _top(_fields(schemas, shape))
    more = _field(fields, _HAS_MORE, ("boolean",), schemas)
    if more is None:
        return None
    optional = [p.name for p in parameters if p.location == "query" and not p.required and not _alias(p)]
    pairs: list[tuple[str, FieldPath]] = []
    for path, schema in fields:
        words = _WORD.findall(path[0])
        if words[:1] == ["Next"]:
            start = words[1:]
        elif words[-1:] == ["Marker"]:
            start = words[:-1]
        else:
            continue
        if not start or schemas.schema_type(schema) != "string":
            continue  # ``Marker``: the position asked for, echoed
        names = {"".join(start[i:]).lower() for i in range(len(start))} | {"start" + "".join(start).lower()}
        found = [name for name in optional if name.lower().replace("-", "").replace("_", "") in names]
        if len(found) != 1 or found[0] in [name for name, _ in pairs]:
            return None
        pairs.append((found[0], path))
    return (more, pairs) if pairs else None


def _default_int(schemas: Schemas, parameters: Sequence[Parameter], name: str) -> int | None:
    """The default a query parameter's schema declares, if it is a whole number."""
    schema = next((p.schema for p in parameters if p.location == "query" and p.name == name), None)
    default = schemas.mapping(schemas.resolve(schema)).get("default")
    return default if isinstance(default, int) and not isinstance(default, bool) else None


def infer_pagination(
    schemas: Schemas,
    parameters: Sequence[Parameter],
    response: Mapping[str, Any] | None,
    header_names: Sequence[str],
    pageable: Any = None,
) -> PagingGuess:
    """How a list pages, from its query parameters, success response schema and response headers, and the
    operation's ``x-ms-pageable`` where it has one (``pageable``)."""
    # the wire names first: where APIs.guru's alias folds to the same name (``Marker`` beside ``marker``), the
    # parameter that is sent wins
    query = [p.name for p in parameters if p.location == "query" and not _alias(p)]
    query += [p.name for p in parameters if p.location == "query" and _alias(p)]
    textual = {p.name for p in parameters if p.location == "query" and schemas.schema_type(p.schema) == "string"}
    shape = list_shape(schemas, response)
    if shape is None:
        return PagingGuess(None, Reason("inferred", "not a list: the success response holds no array"), whole=True)
    where = f"items under {shape.items!r}" if shape.items else "a bare array"
    if isinstance(pageable, Mapping):
        declared = _ms_pageable(schemas, shape, pageable, where)
        if declared is not None:
            return declared
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
        why = f"the next page's URL in {_shown(next_url)!r}; {where}"
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
        if token is not None:
            how = f"the next cursor in {_shown(token)!r}"
        else:
            how = f"the last item's id while {_shown(more or ())!r} is true"
        why = f"query parameter {cursor!r} takes {how}; {where}"
        size = _find(query, _MAX_ITEMS) or "limit"
        pagination = Pagination("cursor", Reason("inferred", why), items=items, cursor=cursor, next_cursor=token,
                                has_more=more, limit=size)  # fmt: skip
        return PagingGuess(pagination, pagination.reason)
    starts = _start_fields(schemas, shape, parameters)
    if starts is not None:
        more, pairs = starts
        shown = ", ".join(f"{name!r} takes {_shown(path)!r}" for name, path in pairs)
        why = f"query parameters start where the answer says while {_shown(more)!r} is true: {shown}; {where}"
        (first, path), *others = pairs
        size = _find(query, _MAX_ITEMS) or "limit"
        pagination = Pagination("cursor", Reason("inferred", why), items=items, cursor=first, next_cursor=path,
                                has_more=more, more_cursors=tuple(others), limit=size)  # fmt: skip
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
    pointer = _points_to_more(schemas, shape, header_names)
    sized = _find(query, _MAX_ITEMS)  # a page size without a position: a first page, not the whole collection
    if pointer is None and sized is None and not any(_may_position(name) for name in query):
        why = f"the whole collection in one response: no position parameter (query: {found}), nothing in the answer "
        why += "points to more"
        return PagingGuess(None, Reason("inferred", why), whole=True)
    hint = f"; {pointer!r} may point to more" if pointer else ""
    return PagingGuess(None, Reason("inferred", f"not paginated: no page or offset parameter (query: {found}){hint}"))


def _ms_pageable(schemas: Schemas, shape: ListShape, pageable: Mapping[str, Any], where: str) -> PagingGuess | None:
    """What ``x-ms-pageable`` says: the next page's URL under ``nextLinkName`` (where the page has that field), or,
    its ``nextLinkName`` null (or left out), the whole collection in one response. None: the page lacks the field."""
    name = pageable.get("nextLinkName")
    if not isinstance(name, str) or not name:
        why = f"the whole collection in one response: {MS_PAGEABLE} has no nextLinkName; {where}"
        return PagingGuess(None, Reason("inferred", why), whole=True)
    if schemas.schema_type(schemas.properties(shape.envelope).get(name)) != "string":
        return None  # not on the page: left to inference
    why = f"the next page's URL in {name!r} ({MS_PAGEABLE} nextLinkName); {where}"
    # the name is one key, dots and all (``@odata.nextLink``)
    pagination = Pagination("next-url", Reason("inferred", why), items=shape.items or "items", next_url=(name,))
    return PagingGuess(pagination, pagination.reason)


# what a list's answer may say more follows by: a next position or link, a flag, a page size, or (at the top only) a
# total; a list whose answer says none of these (a word of a field's or a header's name) and that takes no position is
# answered whole
_MORE_WORDS = frozenset(("next", "more", "truncated", "cursor", "token", "marker", "continuation", "page", "link"))
_TOTAL_WORDS = frozenset(("total", "count"))
# a query parameter that may carry a position under a name the styles above do not read (Discourse's ``before``)
_POSITION_WORDS = frozenset(
    ("before", "after", "since", "until", "start", "from", "marker", "cursor", "offset", "page")
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _words(name: str) -> set[str]:
    """The words of a name, whatever its case style: ``IsTruncated``, ``load_more_groups``, ``x-total-count``."""
    return {w.lower() for w in _WORD.findall(name)}


def _points_to_more(schemas: Schemas, shape: ListShape, header_names: Sequence[str]) -> str | None:
    """The first response field or header whose name says more may follow, or None."""
    named = [(_shown(path), len(path) == 1) for path, _ in _fields(schemas, shape)]
    for name, top in named + [(header, True) for header in header_names]:
        words = _words(name)
        if words & _MORE_WORDS or (top and words & _TOTAL_WORDS):
            return name
    return None


def _may_position(name: str) -> bool:
    return bool(_words(name) & _POSITION_WORDS)


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
    top = _top(_fields(schemas, shape))
    token = _echoed(schemas, shape, cursor, None) or _field(top, _NEXT_CURSORS, ("string",), schemas)
    if token is None:
        return None
    numeric = [k for k, v in schemas.properties(found[1]).items() if schemas.schema_type(v) == "integer"]
    size = _find(numeric, _MAX_ITEMS) or "limit"
    why = f"request body property {cursor!r} takes the next token in {_shown(token)!r}; items under {shape.items!r}"
    pagination = Pagination("cursor", Reason("inferred", why), items=shape.items or "items", cursor=cursor,
                            next_cursor=token, cursor_in="body", limit=size)  # fmt: skip
    return PagingGuess(pagination, pagination.reason)
