"""``x-pagination`` says what inference cannot see: a cursor list or a next-URL list whose names no convention
knows. The hint gives the same :class:`apimodel.Pagination` an inference would, so the generated client walks it
(sync and async) and the mock serves it; a hint that leaves out what its style needs is a diagnostic, never a
pager that guesses."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import pytest

from apimodel import api_from_data
from conformance.mock.listing import paginate
from tests.generator.conftest import GenerateClient

WIDGET = {"type": "object", "properties": {"label": {"type": "string"}}}
NAMES = [f"widget {i}" for i in range(7)]


def _spec(page: dict[str, Any], parameters: list[dict[str, Any]], hint: Any = None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": "listWidgets",
        "parameters": parameters,
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}},
            }
        },
    }
    if hint is not None:
        operation["x-pagination"] = hint
    return {
        "openapi": "3.0.3",
        "info": {"title": "Widgets", "version": "1"},
        "paths": {"/widgets": {"get": operation}},
        "components": {"schemas": {"Widget": WIDGET, "Page": page}},
    }


def _query(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": kind}}


PAGE_REF = {"$ref": "#/components/schemas/Page"}
ROWS = {"type": "array", "items": {"$ref": "#/components/schemas/Widget"}}
# a cursor list in names nobody's convention uses: the position in `resume`, more pages said by `continues`
CURSOR_PAGE = {"type": "object", "properties": {"rows": ROWS, "continues": {"type": "boolean"}}}
CURSOR_PARAMS = [_query("resume"), _query("take", "integer")]
CURSOR_HINT = {"style": "cursor", "cursor": "resume", "has-more": "continues", "items": "rows", "limit": "take"}
# a next-URL list: the URL of the next page under `paging.forward`
URL_PAGE = {
    "type": "object",
    "properties": {"rows": ROWS, "paging": {"type": "object", "properties": {"forward": {"type": "string"}}}},
}
URL_HINT = {"style": "next-url", "next-url": "paging.forward", "items": "rows", "limit": "take"}


def _operation(spec: dict[str, Any]) -> Any:
    (op,) = api_from_data("widgets", spec).operations
    return op


def test_without_the_hint_these_lists_are_one_call() -> None:
    assert _operation(_spec(CURSOR_PAGE, CURSOR_PARAMS)).pagination is None
    assert _operation(_spec(URL_PAGE, [_query("take", "integer")])).pagination is None


def test_the_hint_gives_the_cursor_and_next_url_styles() -> None:
    cursor = _operation(_spec(CURSOR_PAGE, CURSOR_PARAMS, CURSOR_HINT)).pagination
    assert cursor is not None and cursor.reason.source == "hint"
    assert (cursor.style, cursor.cursor, cursor.has_more, cursor.items, cursor.limit, cursor.cursor_in) == (
        "cursor",
        "resume",
        ("continues",),
        "rows",
        "take",
        "query",
    )
    url = _operation(_spec(URL_PAGE, [_query("take", "integer")], URL_HINT)).pagination
    assert url is not None and (url.style, url.next_url, url.items) == ("next-url", ("paging", "forward"), "rows")


@pytest.mark.parametrize(
    ("hint", "code", "pointer_tail"),
    [
        ({"style": "cursor", "has-more": "continues"}, "incomplete-pagination", "x-pagination"),
        ({"style": "cursor", "cursor": "resume"}, "incomplete-pagination", "x-pagination"),
        ({"style": "next-url", "items": "rows"}, "incomplete-pagination", "x-pagination"),
        ({**CURSOR_HINT, "cursor-in": "header"}, "bad-cursor-in", "x-pagination/cursor-in"),
        ({"style": "page", "page": "p", "first-page": 5}, "bad-first-page", "x-pagination/first-page"),
        ({"style": "page", "pgae": "p"}, "unknown-pagination-key", "x-pagination"),
    ],
)
def test_a_hint_that_cannot_page_says_what_is_wrong_and_where(hint: Any, code: str, pointer_tail: str) -> None:
    api = api_from_data("widgets", _spec(CURSOR_PAGE, CURSOR_PARAMS, hint))
    (found,) = [d for d in api.diagnostics if d.code == code]
    assert found.pointer == f"/paths/~1widgets/get/{pointer_tail}"
    if code == "incomplete-pagination":
        assert api.operations[0].pagination is None  # served and called as one page, never a guessing pager


def test_first_page_zero_is_read() -> None:
    pagination = _operation(
        _spec(CURSOR_PAGE, [_query("p", "integer")], {"style": "page", "page": "p", "first-page": 0})
    ).pagination
    assert pagination is not None and pagination.first_page == 0


def _walk(module: Any, mode: str, handler: Any) -> list[str]:
    transport = httpx2.MockTransport(handler)
    if mode == "sync":
        client = module.Client(base_url="http://widgets.test", http_client=httpx2.Client(transport=transport))
        return [w.label for w in client.widgets.list(take=3)]

    async def walk() -> list[str]:
        client = module.AsyncClient(base_url="http://widgets.test", http_client=httpx2.AsyncClient(transport=transport))
        return [w.label async for w in client.widgets.list(take=3)]

    return asyncio.run(walk())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("style", ["cursor", "next-url"])
def test_client_and_mock_walk_a_hinted_list_together(style: str, mode: str, generate_client: GenerateClient) -> None:
    """The mock's ``paginate`` serves the pages from the same reading of the hint the client walks."""
    if style == "cursor":
        spec = _spec(CURSOR_PAGE, CURSOR_PARAMS, CURSOR_HINT)
    else:
        spec = _spec(URL_PAGE, [_query("take", "integer")], URL_HINT)
    op = _operation(spec)
    objects = [{"id": str(i), "label": n} for i, n in enumerate(NAMES)]
    sent: list[dict[str, str]] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        query = dict(request.url.params)
        sent.append(query)
        base = str(request.url.copy_with(query=None))  # the mock's request.url: the query apart, in pairs
        page, _, envelope = paginate(op, query, objects, base, list(request.url.params.multi_items()))
        body: dict[str, Any] = {"rows": page}
        if style == "cursor":
            body["continues"] = envelope[("continues",)]
        else:
            body["paging"] = {"forward": envelope[("paging", "forward")]}
        return httpx2.Response(200, content=json.dumps(body).encode(), headers={"content-type": "application/json"})

    module = generate_client(spec, f"hinted_{style.replace('-', '_')}_{mode}")
    assert _walk(module, mode, handle) == NAMES  # every item once, in order
    assert len(sent) == 3 and all(q.get("take") == "3" for q in sent)
    assert "resume" not in sent[0] and "paging.forward" not in sent[0]  # the first page carries no position


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("style", ["cursor", "next-url"])
def test_a_server_that_points_back_to_a_walked_page_ends_the_walk(
    style: str, mode: str, generate_client: GenerateClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A buggy server whose second page points back to the first (the same cursor, or the same URL) would make the
    walk endless; it stops, yields no item twice, and says so on the client's logger."""
    if style == "cursor":
        spec = _spec(CURSOR_PAGE, CURSOR_PARAMS, {**CURSOR_HINT, "next-cursor": "again"})
    else:
        spec = _spec(URL_PAGE, [_query("take", "integer")], URL_HINT)
    calls: list[str] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        calls.append(str(request.url))
        if style == "cursor":  # positions: (none) -> "a" -> "b" -> "a" again
            at = request.url.params.get("resume", "")
            start, again = {"": (0, "a"), "a": (3, "b"), "b": (6, "a")}[at]
            body: dict[str, Any] = {"continues": True, "again": again}
        else:  # the second page's next URL is the first page's
            start = 3 if "from" in request.url.params else 0
            back = "http://widgets.test/widgets?take=3" + ("&from=3" if start == 0 else "")
            body = {"paging": {"forward": back}}
        body["rows"] = [{"label": n} for n in NAMES[start : start + 3]]
        return httpx2.Response(200, json=body)

    module = generate_client(spec, f"looping_{style.replace('-', '_')}_{mode}")
    with caplog.at_level("WARNING"):
        labels = _walk(module, mode, handle)
    assert len(calls) == (4 if style == "cursor" else 3), calls  # the repeated page is fetched once, then the end
    assert labels == (NAMES if style == "cursor" else NAMES[:6])  # every page once, no item twice
    assert any("already walked" in r.getMessage() and "widgets.list" in r.getMessage() for r in caplog.records)
