"""The API model on specs without hints: every fact inferred from standard OpenAPI, with its reason."""

from __future__ import annotations

from typing import Any

import pytest

from apimodel import Api, api_from_data
from apimodel.paging import names_a_page_position


def _json(schema: dict[str, Any], headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _query(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "in": "query", "schema": {"type": "integer"}} for n in names]


THING = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
ERROR = {"type": "object", "properties": {"message": {"type": "string"}, "code": {"type": "integer"}}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _spec(paths: dict[str, Any], **extra: Any) -> Api:
    data = {
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Thing": THING, "Error": ERROR}, **extra.pop("components", {})},
        **extra,
    }
    return api_from_data("things-api", data)


def _list(parameters: list[dict[str, Any]], schema: dict[str, Any], headers: dict[str, Any] | None = None) -> Any:
    return {"get": {"parameters": parameters, "responses": {"200": _json(schema, headers)}}}


REF = {"$ref": "#/components/schemas/Thing"}


def test_offset_and_limit_with_a_count_page_by_offset() -> None:
    envelope = {"type": "object", "properties": {"total": {"type": "integer"}, "data": {"type": "array", "items": REF}}}
    api = _spec({"/things": _list(_query("offset", "limit"), envelope)})
    (op,) = api.operations
    assert op.role == "list" and op.pagination is not None
    assert (op.pagination.style, op.pagination.items, op.pagination.count) == ("offset", "data", "total")
    assert op.pagination.reason.source == "inferred"
    assert "'offset'" in op.pagination.reason.detail and "'total'" in op.pagination.reason.detail


def test_page_parameters_and_a_link_header_page_by_link() -> None:
    headers = {"Link": {"schema": {"type": "string"}}, "X-Total-Count": {"schema": {"type": "integer"}}}
    api = _spec({"/things": _list(_query("page", "per_page"), {"type": "array", "items": REF}, headers)})
    pagination = api.operations[0].pagination
    assert pagination is not None and pagination.style == "link"
    assert (pagination.page, pagination.per_page, pagination.total_header) == ("page", "per_page", "X-Total-Count")


def test_page_parameters_on_a_bare_array_page_until_a_short_page() -> None:
    api = _spec({"/things": _list(_query("Page", "PageSize"), {"type": "array", "items": REF})})
    pagination = api.operations[0].pagination
    assert pagination is not None and (pagination.style, pagination.page, pagination.per_page) == (
        "page",
        "Page",
        "PageSize",
    )


def _envelope(**extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {**extra, "data": {"type": "array", "items": REF}}}


STRING = {"type": "string"}


@pytest.mark.parametrize(
    ("parameters", "envelope", "expected"),
    [
        # Stripe: starting_after takes the last item's id while has_more is true
        (
            _query("starting_after", "limit"),
            _envelope(has_more={"type": "boolean"}),
            ("starting_after", None, ("has_more",)),
        ),
        # Google: pageToken takes nextPageToken
        (_query("pageToken", "pageSize"), _envelope(nextPageToken=STRING), ("pageToken", ("nextPageToken",), None)),
        # AWS, as the collection converts it: NextToken in and out
        (_query("NextToken", "MaxResults"), _envelope(NextToken=STRING), ("NextToken", ("NextToken",), None)),
    ],
)
def test_cursors_come_from_the_page_or_the_last_item(
    parameters: list[dict[str, Any]], envelope: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    pagination = _spec({"/things": _list(parameters, envelope)}).operations[0].pagination
    assert pagination is not None and pagination.style == "cursor" and pagination.items == "data"
    assert (pagination.cursor, pagination.next_cursor, pagination.has_more) == expected


def test_a_textual_page_that_takes_a_token_is_a_cursor_not_a_page_number() -> None:
    parameters = [{"name": "page", "in": "query", "schema": STRING}, *_query("limit")]  # Stripe's search
    envelope = _envelope(has_more={"type": "boolean"}, next_page={"type": "string", "nullable": True})
    pagination = _spec({"/things/search": _list(parameters, envelope)}).operations[0].pagination
    assert pagination is not None and (pagination.style, pagination.cursor, pagination.next_cursor) == (
        "cursor",
        "page",
        ("next_page",),
    )


def test_the_next_page_url_in_the_body_is_followed() -> None:
    meta = {"type": "object", "properties": {"next_page_url": STRING, "page_size": {"type": "integer"}}}
    api = _spec({"/Things": _list(_query("Page", "PageSize", "PageToken"), _envelope(meta=meta))})
    pagination = api.operations[0].pagination
    assert pagination is not None and (pagination.style, pagination.next_url) == ("next-url", ("meta", "next_page_url"))
    assert dict(pagination.settings()) == {"items": "data", "next_url": ("meta", "next_page_url")}


@pytest.mark.parametrize(
    ("parameters", "why"),
    [
        (_query("limit"), "no page or offset parameter"),
        (_query("starting_after", "limit"), "no next cursor or has-more flag"),
    ],
)
def test_lists_not_recognised_stay_one_page_and_say_why(parameters: list[dict[str, Any]], why: str) -> None:
    api = _spec({"/things": _list(parameters, {"type": "array", "items": REF})})
    op = api.operations[0]
    reason = op.reason("pagination")
    assert op.role == "list" and op.pagination is None
    assert reason is not None and why in reason.detail


def test_a_spec_that_declares_pagination_is_not_second_guessed() -> None:
    paged = _list(_query("page", "per_page"), {"type": "array", "items": REF})
    paged["get"]["x-pagination"] = {"style": "page", "page": "page", "per-page": "per_page"}
    other = _list(_query("page", "per_page"), {"type": "array", "items": REF})
    api = _spec({"/things": paged, "/others": other})
    declared, left = api.operations
    assert declared.pagination is not None and declared.pagination.reason.source == "hint"
    assert left.pagination is None and left.reason("pagination") is not None


def test_collections_items_and_nested_collections_come_from_paths_and_responses() -> None:
    listing = {"type": "array", "items": REF}
    api = _spec(
        {
            "/v1/users": {
                "get": {"responses": {"200": _json(listing)}},
                "post": {"responses": {"201": _json(REF)}},
            },
            "/v1/users/{id}": {"parameters": [ID], "get": {"responses": {"200": _json(REF)}}},
            "/v1/users/{id}/repos": {
                "parameters": [ID],
                "get": {"responses": {"200": _json(listing)}},
                "post": {"responses": {"201": _json(REF)}},
            },
            "/v1/users/{id}/block": {"parameters": [ID], "post": {"responses": {"200": _json(REF)}}},
            "/v1/users/search": {"get": {"responses": {"200": _json(listing)}}},
            "/v1/account": {"get": {"responses": {"200": _json(REF)}}},
        }
    )
    placed = {op.key: (op.resource, op.action, op.role, op.item_param, op.parent_params) for op in api.operations}
    assert placed == {
        "GET /v1/users": ("users", "list", "list", None, ()),
        "POST /v1/users": ("users", "create", "create", None, ()),
        "GET /v1/users/{id}": ("users", "retrieve", "retrieve", "id", ()),
        "GET /v1/users/{id}/repos": ("users.repos", "list", "list", None, ("id",)),
        "POST /v1/users/{id}/repos": ("users.repos", "create", "create", None, ("id",)),
        "POST /v1/users/{id}/block": ("users", "block", "action", "id", ()),
        "GET /v1/users/search": ("users", "search", "list", None, ()),
        "GET /v1/account": ("account", "retrieve", "retrieve", None, ()),
    }
    repos = api.operation("GET", "/v1/users/{id}/repos")
    assert repos is not None and "a collection" in str(repos.reason("resource"))
    assert api.resource("users.repos") is not None and api.resource("users.repos").stored  # type: ignore[union-attr]


def test_credentials_without_hints_are_named_after_the_api_and_the_scheme() -> None:
    schemes = {
        "bearerAuth": {"type": "http", "scheme": "bearer"},
        "basicAuth": {"type": "http", "scheme": "basic"},
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        "botToken": {"type": "http", "scheme": "Bot"},
    }
    api = _spec({}, components={"securitySchemes": schemes})
    found = {c.scheme: (c.kind, c.name, c.env) for c in api.credentials}
    assert found == {
        "apiKey": ("header", "X-Api-Key", ("THINGS_API_API_KEY",)),
        "basicAuth": ("basic", "basic", ("THINGS_API_BASIC_AUTH_USERNAME", "THINGS_API_BASIC_AUTH_PASSWORD")),
        "bearerAuth": ("bearer", "bearer", ("THINGS_API_BEARER_AUTH",)),
        "botToken": ("bearer", "bot", ("THINGS_API_BOT_TOKEN",)),
    }
    assert all(c.reason.source == "inferred" for c in api.credentials)


def test_the_error_envelope_is_the_schema_error_responses_share() -> None:
    error = {"description": "bad", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    other = {"description": "odd", "content": {"application/json": {"schema": REF}}}
    api = _spec(
        {
            "/a": {"get": {"responses": {"200": _json(REF), "404": error, "default": error}}},
            "/b": {"get": {"responses": {"200": _json(REF), "400": other, "500": error}}},
        }
    )
    assert api.errors.schema_ref == "#/components/schemas/Error"
    assert api.errors.reason.source == "inferred" and "2 of 3 4xx/default" in api.errors.reason.detail


def test_a_broken_spec_still_gives_a_model_and_warnings_for_bad_hints() -> None:
    api = _spec(
        {
            "/x": {"get": {"tags": {"not": "a list"}, "parameters": "nope", "responses": "nope", "x-pagination": {}}},
            "/y": "not an object",
        },
        security="nope",
        servers=[{"url": "https://x.example", "variables": "nope"}],
    )
    (op,) = api.operations
    assert op.params == () and op.pagination is None
    assert [d.code for d in api.diagnostics] == ["unsupported-pagination"]
    assert api.servers[0].variables == ()


def _xml(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"text/xml": {"schema": schema}}}}


def test_an_xml_answer_says_whether_an_operation_lists() -> None:
    """AWS's query protocol keys every action on the root (``GET /#Action=...``): the answer's schema, XML as it is,
    tells a list (``DescribeThings``: an array of things) from an action on one thing (``CreateThing``)."""
    listing = {"type": "object", "properties": {"Marker": STRING, "Things": {"type": "array", "items": REF}}}
    created = {"type": "object", "properties": {"Thing": REF}}
    api = _spec(
        {
            "/#Action=DescribeThings": {"get": {"responses": _xml(listing)}},
            "/#Action=CreateThing": {"get": {"responses": _xml(created)}},
        }
    )
    roles = {op.path: op.role for op in api.operations}
    assert roles == {"/#Action=DescribeThings": "list", "/#Action=CreateThing": "retrieve"}
    # the client reads no XML: a list in XML is called as one page, never walked by a pager
    assert all(op.pagination is None for op in api.operations)


def test_pages_to_skip_count_from_zero() -> None:
    """e-conomic's classic pagination (its spec's "Pagination" section): ``/paged?skippages=0&pagesize=20``."""
    size = {"name": "PageSize", "in": "query", "schema": {"type": "integer", "default": 20}}
    api = _spec({"/things/paged": _list([*_query("SkipPages"), size], {"type": "array", "items": REF})})
    pagination = api.operations[0].pagination
    assert pagination is not None and pagination.style == "page"
    assert (pagination.page, pagination.per_page, pagination.first_page, pagination.default_per_page) == (
        "SkipPages",
        "PageSize",
        0,
        20,
    )
    # without a page size, pages to skip say nothing about where a page ends: one page
    api = _spec({"/things/paged": _list(_query("SkipPages"), {"type": "array", "items": REF})})
    assert api.operations[0].pagination is None


@pytest.mark.parametrize(
    ("names", "positioned"),
    [
        (["SkipPages", "PageSize"], True),
        (["nextToken", "maxResults"], True),
        (["offset"], True),
        (["api-version", "$filter"], False),  # Azure's lists whose page has no nextLink: one page
        (["access_token", "limit"], False),  # a credential is no page token; a size alone is no position
    ],
)
def test_a_list_declares_a_page_position_or_not(names: list[str], positioned: bool) -> None:
    assert names_a_page_position(names) is positioned


def test_a_list_order_is_read_and_a_misspelled_one_is_a_warning() -> None:
    paging = {"style": "link", "page": "page", "per-page": "per_page"}
    api = _spec(
        {
            "/new": {"get": {"responses": {"200": _json(REF)}, "x-pagination": {**paging, "order": "newest-first"}}},
            "/old": {"get": {"responses": {"200": _json(REF)}, "x-pagination": {**paging, "order": "latest"}}},
        }
    )
    newest, oldest = sorted(api.operations, key=lambda o: o.path)
    assert newest.pagination is not None and newest.pagination.newest_first
    assert oldest.pagination is not None and not oldest.pagination.newest_first
    (warning,) = api.diagnostics
    assert warning.code == "bad-order" and "'latest'" in warning.message and warning.pointer.endswith("/order")
