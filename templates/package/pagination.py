"""Pages of list results: iterate a list call to walk every page, or take one page at a time."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import httpx2

from ._request import jsonable
from ._types import Omit, RequestOptions

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient
    from ._endpoint import Endpoint, TypeRef

__all__ = ["AsyncPage", "AsyncPager", "Paging", "SyncPage", "async_list", "sync_list"]

T = TypeVar("T")

_NEXT_LINK = re.compile(r'<([^>]*)>\s*;[^,]*?\brel="?next"?', re.IGNORECASE)


@dataclass(frozen=True)
class Paging:
    """How one list operation pages: ``page`` (ends on a short page), ``link`` (Link rel=next), ``offset``
    (``{count, items}``), ``cursor`` (a cursor from the page, or the last item's id, while more follow) or
    ``next-url`` (the next page's URL in the body)."""

    style: Literal["page", "link", "offset", "cursor", "next-url"]
    page: str = "page"
    per_page: str = "per_page"
    offset: str = "offset"
    limit: str = "limit"
    count: str = "count"
    items: str = "items"
    total_header: str | None = None
    default_per_page: int | None = None
    first_page: int = 1  # the number of the first page (0: the page parameter counts pages to skip)
    cursor: str | None = None  # the query parameter (or body property, see ``cursor_in``) that takes the cursor
    cursor_in: Literal["query", "body"] = "query"  # "body": the cursor goes into the JSON request body
    # where the page holds a value: the key of each object on the way down, ``("meta", "next_page_url")``; one key
    # may hold a dot itself (OData's ``("@odata.nextLink",)``)
    next_cursor: tuple[str, ...] | None = None  # where the page says the next cursor is; None: the last item's id
    has_more: tuple[str, ...] | None = None  # the page's flag that says more pages follow
    # a position in several fields, each sent back in its own query parameter beside ``cursor`` (Route 53's
    # ``NextRecordType`` -> ``type``): (parameter, where the page holds it) pairs
    more_cursors: tuple[tuple[str, tuple[str, ...]], ...] = ()
    id_field: str = "id"
    next_url: tuple[str, ...] | None = None  # where the page says the next page's URL is

    def items_of(self, data: Any) -> list[Any]:
        if isinstance(data, list):
            return data
        if isinstance(data, dict) and isinstance(data.get(self.items), list):
            return list(data[self.items])
        return []

    def total(self, data: Any, response: httpx2.Response) -> int | None:
        raw: Any = None
        if self.style == "offset" and isinstance(data, dict):
            raw = data.get(self.count)
        elif self.total_header:
            raw = response.headers.get(self.total_header)
        try:
            return int(raw) if raw is not None else None
        except (TypeError, ValueError):
            return None

    def next(
        self, query: Mapping[str, Any], count: int, data: Any, response: httpx2.Response
    ) -> dict[str, Any] | str | None:
        """The next page's query (or absolute URL for ``link``), or ``None`` after the last page."""
        if count == 0:
            return None
        if self.style == "next-url":
            target = _dig(data, self.next_url)
            # a URI reference, resolved against the request's URL like a Link target; a page that links to itself ends
            url = str(response.request.url.join(target)) if isinstance(target, str) and target else None
            return None if url == str(response.request.url) else url
        if self.style == "cursor":
            if self.has_more is not None and _dig(data, self.has_more) is not True:
                return None
            if self.more_cursors and self.cursor is not None and self.next_cursor is not None:
                return self._positions(query, data, ((self.cursor, self.next_cursor), *self.more_cursors))
            if self.next_cursor is not None:
                token = _dig(data, self.next_cursor)
            else:
                items = self.items_of(data)
                token = items[-1].get(self.id_field) if items and isinstance(items[-1], dict) else None
            if token is None or token == "" or self.cursor is None or token == query.get(self.cursor):
                return None
            return {**query, self.cursor: token}
        if self.style == "link":
            match = _NEXT_LINK.search(response.headers.get("link", ""))
            # a Link target is a URI reference: resolved against the request's URL (RFC 8288 §3.1)
            target = str(response.request.url.join(match.group(1))) if match else None
            return None if target == str(response.request.url) else target  # a page that links to itself ends
        if self.style == "offset":
            start = _int(query.get(self.offset), 0) + count
            total = self.total(data, response)
            if total is not None and start >= total:
                return None
            limit = _int(query.get(self.limit), 0)
            if total is None and limit and count < limit:
                return None
            return {**query, self.offset: start}
        per_page = _int(query.get(self.per_page), self.default_per_page or 0)
        if per_page and count < per_page:
            return None
        return {**query, self.page: _int(query.get(self.page), self.first_page) + 1}

    @staticmethod
    def _positions(
        query: Mapping[str, Any], data: Any, pairs: tuple[tuple[str, tuple[str, ...]], ...]
    ) -> dict[str, Any] | None:
        """The next query of a position in several fields: each parameter takes its field, one the page leaves out
        is dropped (a stale part of the last position would skip items); None when the position does not move."""
        found = {name: _dig(data, path) for name, path in pairs}
        following = {k: v for k, v in query.items() if k not in found}
        following.update({k: v for k, v in found.items() if v is not None and v != ""})
        if all(following.get(name) == query.get(name) for name in found):
            return None
        return following


def _dig(data: Any, path: tuple[str, ...] | None) -> Any:
    """The value at a path of keys of a JSON object (``("meta", "next_page_url")``), or None."""
    for key in path or ():
        data = data.get(key) if isinstance(data, dict) else None
    return data if path else None


def _request(call: _Call, position: Mapping[str, Any], url: str | None) -> dict[str, Any]:
    """The request parts of one page: ``position`` is the page's query, the cursor included; a cursor that goes in
    the body (``cursor_in="body"``) moves from there into the JSON body, over the caller's body."""
    query: Mapping[str, Any] | None = position if url is None else None
    parts = {**call.parts, "query": query}
    cursor = call.paging.cursor
    if call.paging.cursor_in == "body" and cursor is not None and query is not None and cursor in query:
        parts["query"] = {k: v for k, v in query.items() if k != cursor}
        body = call.parts.get("body")
        given = jsonable(body) if body is not None and not isinstance(body, Omit) else {}
        parts["body"] = {**(given if isinstance(given, dict) else {}), cursor: query[cursor]}
    return parts


def _first_time(page: SyncPage[Any] | AsyncPage[Any], seen: set[tuple[str, bytes]]) -> bool:
    """Whether this page's request was not sent before in this walk. A server that answers a position already
    walked (a next URL or cursor that comes round again) would make the walk endless: it stops there, with a
    warning on the client's logger, and yields no item twice."""
    request = page.response.request
    sent = (str(request.url), request.content)
    if sent in seen:
        page._client._logger.warning(
            "%s: the server pointed back to a page already walked (%s %s); the walk stops there",
            page._call.endpoint.operation or page._call.endpoint.path,
            request.method,
            request.url.path,  # not the query: it may hold a credential
        )
        return False
    seen.add(sent)
    return True


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


@dataclass(frozen=True)
class _Call:
    endpoint: Endpoint
    paging: Paging
    item_type: TypeRef
    parts: Mapping[str, Any]
    options: RequestOptions | None


class SyncPage(Generic[T]):
    """One page of results. Iterating it yields every item of this page and of all the pages after it."""

    def __init__(self, client: SyncAPIClient, call: _Call, query: Mapping[str, Any], response: httpx2.Response) -> None:
        self._client = client
        self._call = call
        self.response = response
        data, raw_items, items = client._page(call.endpoint, response, call.paging.items, call.item_type, call.options)
        self.items: list[T] = items
        self.total: int | None = call.paging.total(data, response)
        self._next = call.paging.next(query, len(raw_items), data, response)

    @classmethod
    def fetch(cls, client: SyncAPIClient, call: _Call, query: Mapping[str, Any], url: str | None = None) -> SyncPage[T]:
        parts = _request(call, query, url)
        return cls(client, call, query, client.request_raw(call.endpoint, url=url, options=call.options, **parts))

    def has_next_page(self) -> bool:
        return self._next is not None

    def next_page(self) -> SyncPage[T] | None:
        if self._next is None:
            return None
        if isinstance(self._next, str):
            return SyncPage.fetch(self._client, self._call, {}, url=self._next)
        return SyncPage.fetch(self._client, self._call, self._next)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        page: SyncPage[T] | None = self
        seen: set[tuple[str, bytes]] = set()
        while page is not None and _first_time(page, seen):
            yield page
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items

    def __repr__(self) -> str:
        return f"{type(self).__name__}(items={len(self.items)}, has_next_page={self.has_next_page()})"


class AsyncPage(Generic[T]):
    """One page of results, fetched without blocking."""

    def __init__(
        self, client: AsyncAPIClient, call: _Call, query: Mapping[str, Any], response: httpx2.Response
    ) -> None:
        self._client = client
        self._call = call
        self.response = response
        data, raw_items, items = client._page(call.endpoint, response, call.paging.items, call.item_type, call.options)
        self.items: list[T] = items
        self.total: int | None = call.paging.total(data, response)
        self._next = call.paging.next(query, len(raw_items), data, response)

    @classmethod
    async def fetch(
        cls, client: AsyncAPIClient, call: _Call, query: Mapping[str, Any], url: str | None = None
    ) -> AsyncPage[T]:
        parts = _request(call, query, url)
        response = await client.request_raw(call.endpoint, url=url, options=call.options, **parts)
        return cls(client, call, query, response)

    def has_next_page(self) -> bool:
        return self._next is not None

    async def next_page(self) -> AsyncPage[T] | None:
        if self._next is None:
            return None
        if isinstance(self._next, str):
            return await AsyncPage.fetch(self._client, self._call, {}, url=self._next)
        return await AsyncPage.fetch(self._client, self._call, self._next)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        page: AsyncPage[T] | None = self
        seen: set[tuple[str, bytes]] = set()
        while page is not None and _first_time(page, seen):
            yield page
            page = await page.next_page()


class AsyncPager(Generic[T]):
    """``await`` it for the first page; ``async for`` over it for every item of every page."""

    def __init__(self, client: AsyncAPIClient, call: _Call, query: Mapping[str, Any]) -> None:
        self._client = client
        self._call = call
        self._query = query

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return AsyncPage[T].fetch(self._client, self._call, self._query).__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        first: AsyncPage[T] = await self
        async for page in first.iter_pages():
            for item in page.items:
                yield item


def sync_list(
    client: SyncAPIClient,
    endpoint: Endpoint,
    paging: Paging,
    item_type: TypeRef,
    *,
    query: Mapping[str, Any],
    options: RequestOptions | None,
    **parts: Any,
) -> SyncPage[Any]:
    """The first page of a list call (resources call this)."""
    return SyncPage.fetch(client, _Call(endpoint, paging, item_type, parts, options), query)


def async_list(
    client: AsyncAPIClient,
    endpoint: Endpoint,
    paging: Paging,
    item_type: TypeRef,
    *,
    query: Mapping[str, Any],
    options: RequestOptions | None,
    **parts: Any,
) -> AsyncPager[Any]:
    """A pager over a list call (resources call this)."""
    return AsyncPager(client, _Call(endpoint, paging, item_type, parts, options), query)
