"""Lists that declare no paging parameter, audited on the real-world sample (issue 16), style by style:

- Azure, "x-ms-pageable" (github.com/Azure/autorest/blob/main/docs/extensions/readme.md#x-ms-pageable): the next
  page's URL is the page's ``nextLinkName`` property; "if the model does not have a next link property then specify
  null", and AutoRest's test server has such a list ("/paging/nullnextlink") that "must ignore any kind of nextLink,
  and stop after page 1". APIs.guru writes that null as ``x-ms-pageable: {}`` (36 of the sample's lists).
- Discourse: the answer names its next page's URL ``load_more_<items>``, a URI reference
  (meta.discourse.org/t/how-to-get-notifications-via-the-api/120951: ``"load_more_notifications":
  "/notifications?offset=60&username=blake"``), with no paging parameter declared.
- A bare array or envelope with no position parameter, no page size and nothing in the answer that points to more
  (no next, more, truncated, cursor, token, marker, page or link word, no total) is the whole collection: nothing to
  page. Anything that may point to more keeps it out of that count, so the count never hides a list that pages.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from apimodel import api_from_data
from tests.generator.conftest import GenerateClient
from tests.generator.test_token_pagination import walk

ITEM = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
ITEMS = {"type": "array", "items": ITEM}
STRING = {"type": "string"}
VERSION = {"name": "api-version", "in": "query", "required": True, "schema": STRING}


def _get(operation_id: str, schema: dict[str, Any], *, params: tuple[Any, ...] = (), **extra: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": "OK", "content": {"application/json": {"schema": schema}}}
    if "headers" in extra:
        answer["headers"] = extra.pop("headers")
    return {"get": {"operationId": operation_id, "parameters": list(params), "responses": {"200": answer}, **extra}}


def _object(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def _query(name: str, schema: dict[str, Any] = STRING) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema}


def _ops(paths: dict[str, Any]) -> dict[str, Any]:
    doc = {"openapi": "3.0.3", "info": {"title": "Things", "version": "1"}, "paths": paths}
    return {op.operation_id: op for op in api_from_data("things", doc).operations}


def test_x_ms_pageable_without_a_next_link_name_is_the_whole_collection() -> None:
    ops = _ops(
        {
            "/managers": _get("Managers_List", _object(value=ITEMS), params=(VERSION,), **{"x-ms-pageable": {}}),
            # the null is the spec's word even where the page has a nextLink: AutoRest ignores it
            "/disks": _get(
                "Disks_List",
                _object(value=ITEMS, nextLink=STRING),
                params=(VERSION,),
                **{"x-ms-pageable": {"nextLinkName": None}},
            ),
            # a next link under another name than the usual ones, read from x-ms-pageable
            "/shares": _get(
                "Shares_List",
                _object(value=ITEMS, nextPageLink=STRING),
                params=(VERSION,),
                **{"x-ms-pageable": {"nextLinkName": "nextPageLink"}},
            ),
        }
    )
    for name in ("Managers_List", "Disks_List"):
        assert ops[name].role == "list" and ops[name].pagination is None and ops[name].whole_collection, name
        assert "x-ms-pageable has no nextLinkName" in dict(ops[name].reasons)["pagination"].detail
    shares = ops["Shares_List"]
    assert shares.pagination is not None and not shares.whole_collection
    assert (shares.pagination.style, shares.pagination.next_url, shares.pagination.items) == (
        "next-url",
        ("nextPageLink",),
        "value",
    )


def test_a_list_is_whole_only_where_nothing_may_point_to_more() -> None:
    ops = _ops(
        {
            "/scripts": _get("allScripts", ITEMS),  # otoroshi: a bare array, no parameter
            "/tags": _get("listTags", _object(tags=ITEMS, extras=_object(categories=ITEMS))),
            "/limited": _get("limited", ITEMS, params=(_query("limit", {"type": "integer"}),)),  # a size, no position
            "/posts": _get("listPosts", _object(latest_posts=ITEMS), params=(_query("before"),)),  # Discourse's keyset
            "/counted": _get("counted", _object(items=ITEMS, total_rows=_object())),
            "/truncated": _get("truncated", _object(Items=ITEMS, IsTruncated={"type": "boolean"})),
            "/nested": _get("nested", _object(users=ITEMS, topic_list=_object(per_page={"type": "integer"}))),
            "/linked": _get("linked", ITEMS, headers={"Link": {"schema": STRING}}),
        }
    )
    assert ops["allScripts"].whole_collection and ops["listTags"].whole_collection
    for name in ("limited", "listPosts", "counted", "truncated", "nested", "linked"):
        assert ops[name].role == "list" and ops[name].pagination is None, name
        assert not ops[name].whole_collection, name
    assert "'IsTruncated' may point to more" in dict(ops["truncated"].reasons)["pagination"].detail


def _discourse() -> dict[str, Any]:
    page = _object(notifications=ITEMS, total_rows_notifications={"type": "integer"}, load_more_notifications=STRING)
    flag = _object(groups=ITEMS, load_more_groups={"type": "boolean"})  # a look-alike: not a URL
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Forum", "version": "1"},
        "paths": {"/notifications.json": _get("getNotifications", page), "/groups.json": _get("listGroups", flag)},
    }
    return doc


def test_a_load_more_url_in_the_answer_is_a_next_url() -> None:
    ops = {op.operation_id: op for op in api_from_data("forum", _discourse()).operations}
    pagination = ops["getNotifications"].pagination
    assert pagination is not None and pagination.reason.source == "inferred"
    assert (pagination.style, pagination.next_url, pagination.items) == (
        "next-url",
        ("load_more_notifications",),
        "notifications",
    )
    assert ops["listGroups"].pagination is None and not ops["listGroups"].whole_collection


NAMES = [f"note {i}" for i in range(7)]  # three to a page: 3, 3, 1


def _handler(seen: list[str]) -> Any:
    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(str(request.url))
        start = int(request.url.params.get("offset", "0"))
        page: dict[str, Any] = {
            "notifications": [{"id": i, "name": n} for i, n in enumerate(NAMES)][start : start + 3],
            "total_rows_notifications": len(NAMES),
        }
        if start + 3 < len(NAMES):  # as Discourse answers it: a path without .json, relative to the host
            page["load_more_notifications"] = f"/notifications?offset={start + 3}&username=blake"
        return httpx2.Response(200, json=page)

    return handle


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_client_follows_load_more_urls(mode: str, generate_client: GenerateClient) -> None:
    module = generate_client(_discourse(), f"forum_notes_{mode}")
    seen: list[str] = []
    items = walk(module, mode, "https://forum.test", _handler(seen), lambda client: client.notifications.list())
    assert [item.name for item in items] == NAMES  # every page, each item once
    assert seen == [
        "https://forum.test/notifications.json",
        "https://forum.test/notifications?offset=3&username=blake",
        "https://forum.test/notifications?offset=6&username=blake",
    ]
