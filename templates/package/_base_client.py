"""The clients' I/O: sending with retries, over ``httpx2.Client`` (sync) or ``httpx2.AsyncClient`` (async)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx2

from ._core import ClientCore, request_parts
from ._endpoint import Endpoint
from ._exceptions import APIConnectionError, APITimeoutError
from ._types import RequestOptions

__all__ = ["AsyncAPIClient", "SyncAPIClient"]


class SyncAPIClient(ClientCore):
    """Blocking requests over an ``httpx2.Client``."""

    def __init__(self, *, http_client: httpx2.Client | None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx2.Client(follow_redirects=True)

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def _send(
        self, endpoint: Endpoint, request: httpx2.Request, options: RequestOptions, *, stream: bool
    ) -> httpx2.Response:
        retries = self._retries(endpoint, options)
        attempt = 0
        while True:
            try:
                response = self._http.send(request, stream=stream)
            except httpx2.TimeoutException as exc:
                self._log(request, "timeout")
                if attempt >= retries:
                    raise APITimeoutError("request timed out", request=request) from exc
            except httpx2.TransportError as exc:
                self._log(request, "connection error")
                if attempt >= retries:
                    raise APIConnectionError(f"connection error: {type(exc).__name__}", request=request) from exc
            else:
                self._log(request, response.status_code)
                if stream and attempt < retries and self._may_be_throttled(response):
                    response.read()
                if not (attempt < retries and self._should_retry(response)):
                    return response
                response.close()
                self._sleep(self._delay(attempt, response))
                attempt += 1
                continue
            self._sleep(self._delay(attempt, None))
            attempt += 1

    def request(self, endpoint: Endpoint, *, options: RequestOptions | None = None, **parts: Any) -> Any:
        opts: RequestOptions = options or {}
        request = self._build(self._http, endpoint, options=opts, **request_parts(parts))
        response = self._send(endpoint, request, opts, stream=False)
        self._check(response)
        return self._parse(endpoint, response, opts)

    def request_raw(
        self, endpoint: Endpoint, *, url: str | None = None, options: RequestOptions | None = None, **parts: Any
    ) -> httpx2.Response:
        opts: RequestOptions = options or {}
        request = self._build(self._http, endpoint, options=opts, url=url, **request_parts(parts))
        response = self._send(endpoint, request, opts, stream=False)
        self._check(response)
        return response

    @contextmanager
    def stream(
        self, endpoint: Endpoint, *, options: RequestOptions | None = None, **parts: Any
    ) -> Iterator[Iterator[bytes]]:
        opts: RequestOptions = options or {}
        request = self._build(self._http, endpoint, options=opts, **request_parts(parts))
        response = self._send(endpoint, request, opts, stream=True)
        try:
            if response.status_code >= 400:
                response.read()
                raise self._error(response)
            yield response.iter_bytes()
        finally:
            response.close()


class AsyncAPIClient(ClientCore):
    """Non-blocking requests over an ``httpx2.AsyncClient``."""

    def __init__(self, *, http_client: httpx2.AsyncClient | None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx2.AsyncClient(follow_redirects=True)

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def _send(
        self, endpoint: Endpoint, request: httpx2.Request, options: RequestOptions, *, stream: bool
    ) -> httpx2.Response:
        retries = self._retries(endpoint, options)
        attempt = 0
        while True:
            try:
                response = await self._http.send(request, stream=stream)
            except httpx2.TimeoutException as exc:
                self._log(request, "timeout")
                if attempt >= retries:
                    raise APITimeoutError("request timed out", request=request) from exc
            except httpx2.TransportError as exc:
                self._log(request, "connection error")
                if attempt >= retries:
                    raise APIConnectionError(f"connection error: {type(exc).__name__}", request=request) from exc
            else:
                self._log(request, response.status_code)
                if stream and attempt < retries and self._may_be_throttled(response):
                    await response.aread()
                if not (attempt < retries and self._should_retry(response)):
                    return response
                await response.aclose()
                await self._sleep(self._delay(attempt, response))
                attempt += 1
                continue
            await self._sleep(self._delay(attempt, None))
            attempt += 1

    async def request(self, endpoint: Endpoint, *, options: RequestOptions | None = None, **parts: Any) -> Any:
        opts: RequestOptions = options or {}
        request = self._build(self._http, endpoint, options=opts, **request_parts(parts))
        response = await self._send(endpoint, request, opts, stream=False)
        self._check(response)
        return self._parse(endpoint, response, opts)

    async def request_raw(
        self, endpoint: Endpoint, *, url: str | None = None, options: RequestOptions | None = None, **parts: Any
    ) -> httpx2.Response:
        opts: RequestOptions = options or {}
        request = self._build(self._http, endpoint, options=opts, url=url, **request_parts(parts))
        response = await self._send(endpoint, request, opts, stream=False)
        self._check(response)
        return response

    @asynccontextmanager
    async def stream(
        self, endpoint: Endpoint, *, options: RequestOptions | None = None, **parts: Any
    ) -> AsyncIterator[AsyncIterator[bytes]]:
        opts: RequestOptions = options or {}
        request = self._build(self._http, endpoint, options=opts, **request_parts(parts))
        response = await self._send(endpoint, request, opts, stream=True)
        try:
            if response.status_code >= 400:
                await response.aread()
                raise self._error(response)
            yield response.aiter_bytes()
        finally:
            await response.aclose()
