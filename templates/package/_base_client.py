"""The HTTP core of every generated client: request building, retries, response parsing, errors."""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import operator
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from types import GenericAlias, ModuleType
from typing import Any, Literal

import httpx2
from pydantic import TypeAdapter, ValidationError

from ._exceptions import (
    APIConnectionError,
    APIReportedError,
    APIStatusError,
    APITimeoutError,
    RateLimitError,
    status_error_class,
)
from ._request import (
    Credential,
    apply_body_credentials,
    encode_form,
    encode_query,
    format_path,
    is_retryable_status,
    jsonable,
    redact_url,
    retry_delay,
)
from ._types import Omit, RequestOptions

__all__ = ["AsyncAPIClient", "Endpoint", "SyncAPIClient", "TypeRef", "resolve_type"]

ResponseKind = Literal["json", "bytes", "text", "headers", "empty"]
BodyEncoding = Literal["json", "form", "multipart", "bytes", "text", "none"]
# A type as data: "int", "types.Invoice", ("list", ref), ("dict", key, value), ("|", *refs), ("Literal", *values)
TypeRef = str | tuple[Any, ...]

_ADAPTERS: dict[tuple[str, TypeRef], TypeAdapter[Any]] = {}
_LEAVES: dict[str, Any] = {
    "int": int, "str": str, "float": float, "bool": bool, "bytes": bytes, "Any": Any, "None": None,
}  # fmt: skip


def resolve_type(ref: TypeRef, models: ModuleType) -> Any:
    """The type a :data:`TypeRef` describes; model names are looked up on ``models`` (no ``eval``)."""
    if isinstance(ref, str):
        if ref.startswith("types."):
            return getattr(models, ref[len("types.") :])
        return _LEAVES[ref]
    head, *args = ref
    if head == "Literal":
        return Literal.__getitem__(tuple(args))
    parts = [resolve_type(arg, models) for arg in args]
    if head == "|":
        return functools.reduce(operator.or_, parts)
    return GenericAlias(list if head == "list" else dict, tuple(parts))


@dataclass(frozen=True)
class Endpoint:
    """One operation as the runtime needs it; resources keep one per method as a module constant."""

    method: str
    path: str
    response: ResponseKind = "json"
    response_type: TypeRef | None = None
    accept: str | None = None
    encoding: BodyEncoding = "none"
    content_type: str | None = None
    idempotent: bool = True
    body_credentials: bool = False


class _Core:
    """Settings and the parts of a call that do no I/O."""

    def __init__(
        self,
        *,
        base_url: str,
        credentials: tuple[Credential, ...],
        timeout: float | httpx2.Timeout,
        max_retries: int,
        default_headers: Mapping[str, str],
        types_module: str,
        error_type: TypeRef | None,
        error_match: Mapping[str, Any],
        throttled: tuple[int, Mapping[str, Any]] | None = None,
        initial_retry_delay: float = 0.5,
        max_retry_delay: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._credentials = credentials
        self.timeout = timeout
        self.max_retries = max_retries
        self._default_headers = dict(default_headers)
        self._types_module = types_module
        self._error_type = error_type
        self._error_match = dict(error_match)
        self._throttled = throttled
        self._initial_retry_delay = initial_retry_delay
        self._max_retry_delay = max_retry_delay
        self._secret_params = frozenset(c.name for c in credentials if c.kind == "query")
        self._logger = logging.getLogger(types_module.rpartition(".")[0])

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _adapter(self, ref: TypeRef) -> TypeAdapter[Any]:
        key = (self._types_module, ref)
        adapter = _ADAPTERS.get(key)
        if adapter is None:
            # the models module is imported on first use: importing the client stays fast
            adapter = TypeAdapter(resolve_type(ref, importlib.import_module(self._types_module)))
            _ADAPTERS[key] = adapter
        return adapter

    def _build(
        self,
        http: httpx2.Client | httpx2.AsyncClient,
        endpoint: Endpoint,
        *,
        path_params: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        cookies: Mapping[str, Any] | None,
        body: Any,
        options: RequestOptions,
        url: str | None = None,
    ) -> httpx2.Request:
        merged_headers = dict(self._default_headers)
        pairs: list[tuple[str, Any]] = encode_query({**(query or {}), **options.get("extra_query", {})})
        jar: dict[str, str] = {k: str(jsonable(v)) for k, v in (cookies or {}).items() if _given(v)}
        # a next-page URL from a Link header carries the query, but not always the credential
        given = httpx2.URL(url).params if url is not None else None
        for credential in self._credentials:
            merged_headers.update(credential.headers())
            if credential.kind == "query" and (given is None or credential.name not in given):
                pairs.append((credential.name, credential.wire_value))
            elif credential.kind == "cookie":
                jar[credential.name] = credential.wire_value
        merged_headers.update({k: str(jsonable(v)) for k, v in (headers or {}).items() if _given(v)})
        if endpoint.accept:
            merged_headers.setdefault("Accept", endpoint.accept)
        if "idempotency_key" in options:
            merged_headers["Idempotency-Key"] = options["idempotency_key"]
        merged_headers.update(options.get("extra_headers", {}))
        if jar:
            merged_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in sorted(jar.items()))
        if isinstance(body, Omit):
            body = None
        if endpoint.body_credentials:
            body = apply_body_credentials(jsonable(body) if body is not None else {}, self._credentials)
        content: dict[str, Any] = {}
        if endpoint.encoding == "json" and body is not None:
            content["json"] = jsonable(body)
        elif endpoint.encoding == "form" and body is not None:
            content["data"] = dict(encode_form(body))
        elif endpoint.encoding in ("bytes", "text", "multipart") and body is not None:
            content["content"] = body
            if endpoint.content_type:
                merged_headers.setdefault("Content-Type", endpoint.content_type)
        target: str | httpx2.URL = self.base_url + format_path(endpoint.path, path_params or {})
        if url is not None:  # params replace a URL's query: keep the next-page URL's own parameters first
            target = httpx2.URL(url).copy_with(query=None)
            pairs = [*httpx2.URL(url).params.multi_items(), *pairs]
        return http.build_request(
            endpoint.method,
            target,
            params=pairs or None,
            headers=merged_headers,
            timeout=options.get("timeout", self.timeout),
            **content,
        )

    def _may_be_throttled(self, response: httpx2.Response) -> bool:
        """Whether the body must be read to tell (a streamed response is read only then)."""
        return self._throttled is not None and response.status_code == self._throttled[0]

    def _is_throttled(self, response: httpx2.Response) -> bool:
        """A rate-limit answer with another status than 429 (the spec's ``x-errors.kinds.rate_limited``)."""
        throttled = self._throttled
        if throttled is None or response.status_code != throttled[0]:
            return False
        try:
            data = response.json()
        except (ValueError, httpx2.ResponseNotRead):
            return False
        return isinstance(data, dict) and all(data.get(k) == v for k, v in throttled[1].items())

    def _should_retry(self, response: httpx2.Response) -> bool:
        return is_retryable_status(response.status_code) or self._is_throttled(response)

    def _retries(self, endpoint: Endpoint, options: RequestOptions) -> int:
        if not endpoint.idempotent and "idempotency_key" not in options:
            return 0
        return max(0, options.get("max_retries", self.max_retries))

    def _delay(self, attempt: int, response: httpx2.Response | None) -> float:
        return retry_delay(attempt, response, initial=self._initial_retry_delay, maximum=self._max_retry_delay)

    def _log(self, request: httpx2.Request, outcome: object) -> None:
        if self._logger.isEnabledFor(logging.DEBUG):
            self._logger.debug("%s %s -> %s", request.method, redact_url(request.url, self._secret_params), outcome)

    def _error(self, response: httpx2.Response, *, reported: bool = False) -> APIStatusError:
        body: Any
        try:
            body = response.json()
        except ValueError:
            body = response.text or None
        error: Any = None
        if self._error_type is not None and body is not None:
            try:
                error = self._adapter(self._error_type).validate_python(body)
            except ValidationError:
                error = None
        detail = body.get("message") if isinstance(body, dict) else None
        message = (
            f"{response.status_code} {response.reason_phrase} for {response.request.method} {response.request.url.path}"
        )
        if isinstance(detail, str) and detail:
            message = f"{message}: {detail[:200]}"
        cls = APIReportedError if reported else status_error_class(response.status_code)
        if not reported and self._is_throttled(response):
            cls = RateLimitError
        return cls(message, response=response, error=error, body=body)

    def _check(self, response: httpx2.Response) -> None:
        if response.status_code >= 400:
            raise self._error(response)

    def _reported_error(self, response: httpx2.Response, data: Any) -> bool:
        return (
            bool(self._error_match)
            and isinstance(data, dict)
            and all(data.get(key) == value for key, value in self._error_match.items())
        )

    def _parse(self, endpoint: Endpoint, response: httpx2.Response) -> Any:
        if endpoint.response == "bytes":
            return response.content
        if endpoint.response == "text":
            return response.text
        if endpoint.response == "headers":
            return dict(response.headers.items())
        if not response.content:
            return None
        try:
            data = response.json()
        except ValueError:
            return None if endpoint.response == "empty" else response.text
        if self._reported_error(response, data):
            raise self._error(response, reported=True)
        if endpoint.response == "empty" or endpoint.response_type is None:
            return data
        return self._adapter(endpoint.response_type).validate_python(data)


class SyncAPIClient(_Core):
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
        request = self._build(self._http, endpoint, options=opts, **_parts(parts))
        response = self._send(endpoint, request, opts, stream=False)
        self._check(response)
        return self._parse(endpoint, response)

    def request_raw(
        self, endpoint: Endpoint, *, url: str | None = None, options: RequestOptions | None = None, **parts: Any
    ) -> httpx2.Response:
        opts: RequestOptions = options or {}
        request = self._build(self._http, endpoint, options=opts, url=url, **_parts(parts))
        response = self._send(endpoint, request, opts, stream=False)
        self._check(response)
        return response

    @contextmanager
    def stream(
        self, endpoint: Endpoint, *, options: RequestOptions | None = None, **parts: Any
    ) -> Iterator[Iterator[bytes]]:
        opts: RequestOptions = options or {}
        request = self._build(self._http, endpoint, options=opts, **_parts(parts))
        response = self._send(endpoint, request, opts, stream=True)
        try:
            if response.status_code >= 400:
                response.read()
                raise self._error(response)
            yield response.iter_bytes()
        finally:
            response.close()


class AsyncAPIClient(_Core):
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
        request = self._build(self._http, endpoint, options=opts, **_parts(parts))
        response = await self._send(endpoint, request, opts, stream=False)
        self._check(response)
        return self._parse(endpoint, response)

    async def request_raw(
        self, endpoint: Endpoint, *, url: str | None = None, options: RequestOptions | None = None, **parts: Any
    ) -> httpx2.Response:
        opts: RequestOptions = options or {}
        request = self._build(self._http, endpoint, options=opts, url=url, **_parts(parts))
        response = await self._send(endpoint, request, opts, stream=False)
        self._check(response)
        return response

    @asynccontextmanager
    async def stream(
        self, endpoint: Endpoint, *, options: RequestOptions | None = None, **parts: Any
    ) -> AsyncIterator[AsyncIterator[bytes]]:
        opts: RequestOptions = options or {}
        request = self._build(self._http, endpoint, options=opts, **_parts(parts))
        response = await self._send(endpoint, request, opts, stream=True)
        try:
            if response.status_code >= 400:
                await response.aread()
                raise self._error(response)
            yield response.aiter_bytes()
        finally:
            await response.aclose()


def _given(value: Any) -> bool:
    return value is not None and not isinstance(value, Omit)


def _parts(parts: Mapping[str, Any]) -> dict[str, Any]:
    names = ("path_params", "query", "headers", "cookies", "body")
    unknown = set(parts) - set(names)
    if unknown:
        raise TypeError(f"unexpected request parts: {sorted(unknown)}")
    return {name: parts.get(name) for name in names}
