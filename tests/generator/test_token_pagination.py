"""Pages that a foreign spec describes without hints: the token in the JSON request body (AWS's JSON protocol) and
the next page's URL in the body (Azure's ``nextLink``). The generated client walks every page, sync and async,
against an ``httpx2.MockTransport`` that serves the pages as the provider documents them; a look-alike that does
not page stays a plain method.

- AWS, "Using pagination tokens" (each service's API reference; docs.aws.amazon.com/cli/latest/userguide/
  cli-usage-pagination.html): a response with ``NextToken`` has more results; send it back as the request's
  ``NextToken``. JSON-protocol operations are ``POST`` with the request in the body.
- Azure, "x-ms-pageable" (azure/autorest docs/extensions/readme.md#x-ms-pageable): the page is
  ``{value: [...], nextLink}``, ``nextLink`` the absolute URL of the next page, absent or null on the last page.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import pytest

from apimodel import api_from_data
from conformance.mock.listing import paginate
from tests.generator.conftest import GenerateClient

THING = {"type": "object", "properties": {"Name": {"type": "string"}, "Size": {"type": "integer"}}}
STRING = {"type": "string"}
NAMES = [f"thing {i}" for i in range(7)]  # served three to a page: 3, 3, 1


def _doc(paths: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Thing": THING, **schemas}},
    }


def _json(ref: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _rpc(target: str, request: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """An AWS JSON-protocol operation: POST on the root, told apart by its X-Amz-Target."""
    operation = {
        "operationId": target,
        "requestBody": {"required": True, **_json(f"{target}Input")},
        "responses": {"200": {"description": "Success", **_json(f"{target}Output")}},
    }
    schemas = {f"{target}Input": request, f"{target}Output": answer}
    return {f"/#X-Amz-Target=Things.{target}": {"post": operation}}, schemas


def _object(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


THINGS = {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}


def _aws_spec() -> dict[str, Any]:
    paths, schemas = _rpc(
        "ListThings",
        _object(NextToken=STRING, MaxResults={"type": "integer"}, Prefix=STRING),
        _object(Things=THINGS, NextToken=STRING),
    )
    # look-alikes that do not page: a token in the request but none in the answer, and an answer with two lists
    more, more_schemas = _rpc("DescribeThing", _object(NextToken=STRING), _object(Things=THINGS))
    two, two_schemas = _rpc(
        "GetThingAnalysis", _object(NextToken=STRING), _object(Blocks=THINGS, Warnings=THINGS, NextToken=STRING)
    )
    return _doc({**paths, **more, **two}, {**schemas, **more_schemas, **two_schemas})


def _azure_spec() -> dict[str, Any]:
    page = _object(value=THINGS, nextLink={"type": "string", "nullable": True})
    version = {"name": "api-version", "in": "query", "required": True, "schema": STRING}
    operation = {
        "operationId": "Things_List",
        "parameters": [version],
        "responses": {"200": {"description": "OK", **_json("ThingList")}},
    }
    single = {  # Azure's lists with no nextLink in their page are one page (x-ms-pageable nextLinkName: null)
        "operationId": "Sizes_List",
        "parameters": [version],
        "responses": {"200": {"description": "OK", **_json("SizeList")}},
    }
    return _doc(
        {"/things": {"get": operation}, "/sizes": {"get": single}},
        {"ThingList": page, "SizeList": _object(value=THINGS)},
    )


def test_a_token_in_the_request_body_echoed_in_the_response_is_a_body_cursor() -> None:
    ops = {op.operation_id: op for op in api_from_data("things", _aws_spec()).operations}
    pagination = ops["ListThings"].pagination
    assert pagination is not None and pagination.reason.source == "inferred"
    assert (pagination.style, pagination.cursor, pagination.next_cursor, pagination.cursor_in, pagination.items) == (
        "cursor",
        "NextToken",
        ("NextToken",),
        "body",
        "Things",
    )
    assert dict(pagination.settings())["cursor_in"] == "body"
    # a read, not a create, named by the action its path names
    assert (ops["ListThings"].role, ops["ListThings"].client_resource, ops["ListThings"].action) == (
        "list",
        "things",
        "list_things",
    )
    assert ops["DescribeThing"].pagination is None  # no next token in the answer
    assert ops["DescribeThing"].role == "create"  # and its role is left as it was
    assert ops["GetThingAnalysis"].pagination is None  # two lists: which one pages is not known


def test_an_azure_next_link_is_a_next_url_and_a_page_without_one_is_one_page() -> None:
    ops = {op.operation_id: op for op in api_from_data("things", _azure_spec()).operations}
    pagination = ops["Things_List"].pagination
    assert pagination is not None and (pagination.style, pagination.next_url, pagination.items) == (
        "next-url",
        ("nextLink",),
        "value",
    )
    assert ops["Sizes_List"].role == "list" and ops["Sizes_List"].pagination is None


def _aws_handler(seen: list[dict[str, Any]]) -> Any:
    def handle(request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content or b"{}")
        seen.append(body)
        start = int(body.get("NextToken", "0"))
        page: dict[str, Any] = {"Things": [{"Name": n, "Size": i} for i, n in enumerate(NAMES)][start : start + 3]}
        if start + 3 < len(NAMES):
            page["NextToken"] = str(start + 3)
        return httpx2.Response(200, json=page)

    return handle


def walk(module: Any, mode: str, base_url: str, handler: Any, call: Any) -> list[Any]:
    """Every item of every page, walked by the generated sync or async client."""
    transport = httpx2.MockTransport(handler)
    if mode == "sync":
        return list(call(module.Client(base_url=base_url, http_client=httpx2.Client(transport=transport))))

    async def walk_async() -> list[Any]:
        client = module.AsyncClient(base_url=base_url, http_client=httpx2.AsyncClient(transport=transport))
        return [item async for item in call(client)]

    return asyncio.run(walk_async())


def _walk(module: Any, mode: str, base_url: str, handler: Any, call: Any) -> list[str]:
    """The names of every item of every page."""
    return [thing.Name for thing in walk(module, mode, base_url, handler, call)]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_client_puts_the_next_token_into_the_request_body(mode: str, generate_client: GenerateClient) -> None:
    module = generate_client(_aws_spec(), f"aws_things_{mode}")
    seen: list[dict[str, Any]] = []

    def call(client: Any) -> Any:
        return client.things.list_things(max_results=3, prefix="thing")

    assert _walk(module, mode, "http://aws.test", _aws_handler(seen), call) == NAMES  # every page, each item once
    # the caller's body on every request, the token the previous page answered in it from the second on
    body = {"MaxResults": 3, "Prefix": "thing"}
    assert seen == [body, {**body, "NextToken": "3"}, {**body, "NextToken": "6"}]


def _azure_handler(seen: list[str]) -> Any:
    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(str(request.url))
        start = int(request.url.params.get("$skiptoken", "0"))
        page: dict[str, Any] = {"value": [{"Name": n} for n in NAMES][start : start + 3], "nextLink": None}
        if start + 3 < len(NAMES):
            page["nextLink"] = f"https://management.test/things?api-version=2023-01-01&$skiptoken={start + 3}"
        return httpx2.Response(200, json=page)

    return handle


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_client_follows_azure_next_links(mode: str, generate_client: GenerateClient) -> None:
    module = generate_client(_azure_spec(), f"azure_things_{mode}")
    seen: list[str] = []

    def call(client: Any) -> Any:
        return client.things.list(api_version="2023-01-01")

    assert _walk(module, mode, "https://management.test", _azure_handler(seen), call) == NAMES
    assert seen == [
        "https://management.test/things?api-version=2023-01-01",
        "https://management.test/things?api-version=2023-01-01&%24skiptoken=3",
        "https://management.test/things?api-version=2023-01-01&%24skiptoken=6",
    ]


def test_a_list_without_a_next_link_is_one_plain_call(generate_client: GenerateClient) -> None:
    module = generate_client(_azure_spec(), "azure_sizes")
    seen: list[str] = []
    client = module.Client(
        base_url="https://management.test",
        http_client=httpx2.Client(transport=httpx2.MockTransport(_azure_handler(seen))),
    )
    page = client.sizes.list(api_version="2023-01-01")
    assert not hasattr(page, "next_page") and len(seen) == 1  # the page's own model, not a pager


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_client_walks_the_pages_the_mock_serves_from_the_body_token(
    mode: str, generate_client: GenerateClient
) -> None:
    """Client and mock read one :class:`apimodel.Pagination`: the mock takes the token and the size from the body."""
    spec = _aws_spec()
    (op,) = [o for o in api_from_data("things", spec).operations if o.operation_id == "ListThings"]
    assert op.pagination is not None and op.pagination.limit == "MaxResults"
    objects = [{"Name": n} for n in NAMES]
    sizes: list[int] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        page, _, envelope = paginate(op, {}, objects, str(request.url), [], json.loads(request.content))
        sizes.append(len(page))
        return httpx2.Response(200, json={"Things": page, **{path[0]: value for path, value in envelope.items()}})

    module = generate_client(spec, f"aws_mock_things_{mode}")

    def call(client: Any) -> Any:
        return client.things.list_things(max_results=3)

    assert _walk(module, mode, "http://mock.test", handle, call) == NAMES
    assert sizes == [3, 3, 1]


def _economic_spec() -> dict[str, Any]:
    size = {"name": "PageSize", "in": "query", "schema": {"type": "integer", "default": 3}}
    skip = {"name": "SkipPages", "in": "query", "schema": {"type": "integer", "default": 0}}
    operation = {
        "operationId": "GetPageOfThings",
        "parameters": [skip, size],
        "responses": {"200": {"description": "Success", "content": {"application/json": {"schema": THINGS}}}},
    }
    return _doc({"/things/paged": {"get": operation}}, {})


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_client_skips_one_more_page_each_time(mode: str, generate_client: GenerateClient) -> None:
    seen: list[str] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.url.params.get("SkipPages", "-"))
        size = int(request.url.params.get("PageSize", "3"))
        skip = int(request.url.params.get("SkipPages", "0")) * size
        return httpx2.Response(200, json=[{"Name": n} for n in NAMES][skip : skip + size])

    module = generate_client(_economic_spec(), f"economic_things_{mode}")
    assert _walk(module, mode, "https://economic.test", handle, lambda client: client.things.paged.list()) == NAMES
    assert seen == ["-", "1", "2"]  # the first page skips none; a short third page is the last


def test_a_google_search_takes_its_page_token_in_the_body() -> None:
    """AIP-158: a request's ``page_token`` (``pageToken`` in JSON) takes the response's ``nextPageToken``; a POST
    ``:search`` method carries it in its body."""
    paths, schemas = _rpc(
        "SearchThings", _object(query=STRING, pageToken=STRING, pageSize={"type": "integer"}),
        _object(results=THINGS, nextPageToken=STRING, totalSize={"type": "integer"}),
    )  # fmt: skip
    (op,) = api_from_data("things", _doc(paths, schemas)).operations
    assert op.pagination is not None
    assert (op.pagination.cursor, op.pagination.next_cursor, op.pagination.items, op.pagination.limit) == (
        "pageToken",
        ("nextPageToken",),
        "results",
        "pageSize",
    )


def _odata_spec() -> dict[str, Any]:
    """OData's next link: the field's name holds a dot. OData JSON Format 4.01, §15 "Collection of Entities"
    (docs.oasis-open.org/odata/odata-json-format/v4.01): "The nextLink annotation MUST be included in a response that
    represents a partial result", written ``"@odata.nextLink": "..."``; Microsoft Graph's lists page so
    (learn.microsoft.com/graph/paging). One list declares it as Azure does (``x-ms-pageable``), one only has it."""
    page = _object(value=THINGS, **{"@odata.nextLink": {"type": "string", "nullable": True}})
    declared = {
        "operationId": "Users_List",
        "responses": {"200": {"description": "OK", **_json("ThingPage")}},
        "x-ms-pageable": {"nextLinkName": "@odata.nextLink"},
    }
    inferred = {"operationId": "Groups_List", "responses": {"200": {"description": "OK", **_json("ThingPage")}}}
    return _doc({"/users": {"get": declared}, "/groups": {"get": inferred}}, {"ThingPage": page})


def test_an_odata_next_link_is_one_key_with_a_dot_in_its_name() -> None:
    ops = {op.operation_id: op for op in api_from_data("graph", _odata_spec()).operations}
    for name in ("Users_List", "Groups_List"):
        pagination = ops[name].pagination
        assert pagination is not None and (pagination.style, pagination.next_url, pagination.items) == (
            "next-url",
            ("@odata.nextLink",),  # one key, not ``@odata`` then ``nextLink``
            "value",
        ), name


def _odata_handler(seen: list[str]) -> Any:
    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(str(request.url))
        start = int(request.url.params.get("$skiptoken", "0"))
        page: dict[str, Any] = {"value": [{"Name": n} for n in NAMES][start : start + 3]}
        if start + 3 < len(NAMES):
            page["@odata.nextLink"] = f"https://graph.test{request.url.path}?$skiptoken={start + 3}"
        return httpx2.Response(200, json=page)

    return handle


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("resource", ["users", "groups"])
def test_the_client_follows_odata_next_links(mode: str, resource: str, generate_client: GenerateClient) -> None:
    module = generate_client(_odata_spec(), f"odata_{resource}_{mode}")
    seen: list[str] = []

    def call(client: Any) -> Any:
        return getattr(client, resource).list()

    assert _walk(module, mode, "https://graph.test", _odata_handler(seen), call) == NAMES  # every page, not the first
    assert seen == [
        f"https://graph.test/{resource}",
        f"https://graph.test/{resource}?%24skiptoken=3",
        f"https://graph.test/{resource}?%24skiptoken=6",
    ]
