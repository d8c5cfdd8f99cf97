"""The part of every client call that does no I/O: building the request, the retry policy, errors, parsing."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import httpx2
from pydantic import TypeAdapter, ValidationError

from ._endpoint import Endpoint, TypeRef, resolved_type, type_adapter, xml_shapes
from ._exceptions import (
    APIReportedError,
    APIResponseDecodeError,
    APIResponseValidationError,
    APIStatusError,
    RateLimitError,
    status_error_class,
)
from ._lenient import attach, deviation_at, escape, log_deviations, parse_lenient, validate_watching_enums
from ._request import (
    Credential,
    apply_body_credentials,
    encode_form,
    encode_multipart,
    encode_query,
    format_path,
    is_retryable_status,
    jsonable,
    redact_http_log,
    redact_secrets,
    redact_url,
    retry_delay,
    secret_forms,
)
from ._types import Omit, RequestOptions
from ._xml import UnsafeXML, xml_data

__all__ = ["ClientCore", "request_parts"]


class ClientCore:
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
        strict: bool = False,
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
        self._secrets = secret_forms(credentials)
        redact_http_log(self._secret_params)
        self._logger = logging.getLogger(types_module.rpartition(".")[0])
        self._strict = strict
        self._warned: set[tuple[str, str]] = set()  # (operation, deviation kind) already logged as a warning

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _adapter(self, ref: TypeRef) -> TypeAdapter[Any]:
        return type_adapter(self._types_module, ref)

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
            if credential.without_body and endpoint.body_credentials:
                continue
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
        elif endpoint.encoding == "multipart" and isinstance(body, Mapping):
            content["content"], merged_headers["Content-Type"] = encode_multipart(body)
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
        """A rate-limit answer with another status than 429 (the spec's own rate-limit error)."""
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
        """The exception for an error answer. Its message, ``body`` and ``error`` never carry a credential: an API
        that echoes the request URL (``No route for GET /x?api_token=…``) would otherwise put a token in them."""
        body: Any
        try:
            body = response.json()
        except ValueError:
            body = response.text or None
        body = self._scrub(body)
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

    def _parse(self, endpoint: Endpoint, response: httpx2.Response, options: RequestOptions) -> Any:
        if endpoint.response == "bytes":
            return response.content
        if endpoint.response == "text":
            return response.text
        if endpoint.response == "headers":
            return dict(response.headers.items())
        if not response.content:
            return None
        if endpoint.response == "empty":
            try:
                data = response.json()
            except ValueError:
                return None
        else:
            data = self._decode(endpoint, response)
        if self._reported_error(response, data):
            raise self._error(response, reported=True)
        if endpoint.response == "empty" or endpoint.response_type is None:
            return data
        return self._validate(endpoint, response, endpoint.response_type, data, options)

    def _decode(self, endpoint: Endpoint, response: httpx2.Response) -> Any:
        """The body as data: JSON, or an XML answer read into the shape its schema gives it."""
        return self._xml(endpoint, response) if endpoint.response == "xml" else self._json(endpoint, response)

    def _xml(self, endpoint: Endpoint, response: httpx2.Response) -> Any:
        """The XML body as the data its schema describes, or :class:`APIResponseDecodeError` saying why not
        (not XML, or XML the client refuses to read: a DTD, an entity, too deep a tree)."""
        try:
            return xml_data(response.content, endpoint.xml_shape or "any", xml_shapes(self._types_module))
        except UnsafeXML as exc:
            start = self._redact(response.content[:200])
            raise APIResponseDecodeError(
                f"{endpoint.operation or endpoint.path}: the XML body was refused: {exc}",
                response=response,
                body_start=start,
            ) from None

    def _json(self, endpoint: Endpoint, response: httpx2.Response) -> Any:
        """The JSON body, or :class:`APIResponseDecodeError` naming what came instead."""
        try:
            return response.json()
        except ValueError:
            pass
        start = self._redact(response.content[:200])
        kind = response.headers.get("content-type") or "no content type"
        raise APIResponseDecodeError(
            f"{endpoint.operation or endpoint.path}: expected a JSON body, got {kind} "
            f"({len(response.content)} bytes, status {response.status_code}) starting {start!r}",
            response=response,
            body_start=start,
        )

    def _redact(self, data: bytes) -> bytes:
        for secret in self._secrets:
            data = data.replace(secret.encode(), b"[redacted]")
        return data

    def _scrub(self, value: Any) -> Any:
        """A decoded body with every credential in its strings replaced by ``[redacted]`` (keys included)."""
        if isinstance(value, str):
            return redact_secrets(value, self._secrets)
        if isinstance(value, list):
            return [self._scrub(item) for item in value]
        if isinstance(value, dict):
            return {self._scrub(key): self._scrub(item) for key, item in value.items()}
        return value

    def _validate(
        self,
        endpoint: Endpoint,
        response: httpx2.Response,
        ref: TypeRef,
        data: Any,
        options: RequestOptions | None,
        pointer: str = "",
    ) -> Any:
        """``data`` as ``ref``: strictly first (the happy path); if that fails, leniently with deviations
        logged and attached, unless the client or the call is strict (then the pydantic error is raised)."""
        adapter = self._adapter(ref)
        if self._is_strict(options):
            return adapter.validate_python(data)
        try:
            value, unknown = validate_watching_enums(adapter, data)
        except ValidationError:
            pass
        else:
            if not unknown:
                return value
        value, found = parse_lenient(resolved_type(self._types_module, ref), data, pointer)
        root = [d for d in found if d.pointer == pointer and d.kind != "enum"]
        if root:
            raise APIResponseValidationError(
                f"{endpoint.operation or endpoint.path}: the body has nothing of its schema's shape: {root[0]}",
                response=response,
                body=data,
            )
        log_deviations(self._logger, self._warned, endpoint.operation or f"{endpoint.method} {endpoint.path}", found)
        return attach(value, found, pointer)

    def _is_strict(self, options: RequestOptions | None) -> bool:
        return bool((options or {}).get("strict", self._strict))

    def _page(
        self,
        endpoint: Endpoint,
        response: httpx2.Response,
        key: str,
        item_type: TypeRef,
        options: RequestOptions | None,
    ) -> tuple[Any, list[Any], list[Any]]:
        """A page's body (JSON, or XML read into its shape), its items as sent and as parsed: a bare array, or an
        object with its items under ``key`` (an object whose list is null or not a list is an empty page, with that
        deviation noted)."""
        data = self._decode(endpoint, response) if response.content else None
        if endpoint.response == "xml" and isinstance(data, dict):
            data.setdefault(key, [])  # XML leaves an empty list out: no element is no item
        if data is None or isinstance(data, list):
            return data, data or [], self._validate(endpoint, response, ("list", item_type), data or [], options)
        where = f"/{escape(key)}"
        if not isinstance(data, dict) or key not in data:
            raise APIResponseValidationError(
                f"{endpoint.operation or endpoint.path}: expected a page of items (a JSON array, or an object with "
                f"{key!r}), got {type(data).__name__ if not isinstance(data, dict) else 'an object without it'}",
                response=response,
                body=data,
            )
        raw = data[key]
        if isinstance(raw, list) or self._is_strict(options):
            return data, raw, self._validate(endpoint, response, ("list", item_type), raw, options, where)
        found = (deviation_at(where, "list", raw),)
        log_deviations(self._logger, self._warned, endpoint.operation or f"{endpoint.method} {endpoint.path}", found)
        return data, [], attach([], found)


def _given(value: Any) -> bool:
    return value is not None and not isinstance(value, Omit)


def request_parts(parts: Mapping[str, Any]) -> dict[str, Any]:
    names = ("path_params", "query", "headers", "cookies", "body")
    unknown = set(parts) - set(names)
    if unknown:
        raise TypeError(f"unexpected request parts: {sorted(unknown)}")
    return {name: parts.get(name) for name in names}
