"""Exceptions raised by the client: one class per status family, plus connection and timeout errors."""

from __future__ import annotations

from typing import Any

import httpx2

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIReportedError",
    "APIResponseDecodeError",
    "APIResponseError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "UnprocessableEntityError",
    "status_error_class",
]


class APIError(Exception):
    """Base of every error this client raises."""

    def __init__(self, message: str, *, request: httpx2.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The server could not be reached or the connection broke."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class APIResponseError(APIError):
    """A successful response whose body the client cannot use. ``body`` is what came: the raw bytes when they
    were not JSON, else the decoded JSON; ``content_type`` is the response's ``Content-Type``."""

    def __init__(self, message: str, *, response: httpx2.Response, body: Any) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.content_type = response.headers.get("content-type", "")
        self.body = body


class APIResponseDecodeError(APIResponseError):
    """JSON was promised, something else came; ``body_start`` holds its first bytes."""

    def __init__(self, message: str, *, response: httpx2.Response, body_start: bytes) -> None:
        super().__init__(message, response=response, body=response.content)
        self.body_start = body_start


class APIResponseValidationError(APIResponseError):
    """The JSON body has nothing of the shape its schema promised (a list where an object was expected).
    Deviations inside a body that does have its shape never raise unless the client is strict."""


class APIStatusError(APIError):
    """The API answered with an error; ``error`` is its error envelope, parsed (``None`` if it did not parse)."""

    def __init__(self, message: str, *, response: httpx2.Response, error: Any, body: Any) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.error = error
        self.body = body


class ClientError(APIStatusError):
    """A 4xx response."""


class BadRequestError(ClientError):
    """400."""


class AuthenticationError(ClientError):
    """401."""


class PermissionDeniedError(ClientError):
    """403."""


class NotFoundError(ClientError):
    """404."""


class ConflictError(ClientError):
    """409."""


class UnprocessableEntityError(ClientError):
    """422."""


class RateLimitError(ClientError):
    """429."""


class ServerError(APIStatusError):
    """A 5xx response."""


class InternalServerError(ServerError):
    """500."""


class APIReportedError(APIStatusError):
    """A 2xx response whose body is the API's error envelope."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP status code."""
    if status_code in _BY_STATUS:
        return _BY_STATUS[status_code]
    if 400 <= status_code < 500:
        return ClientError
    if status_code >= 500:
        return ServerError
    return APIReportedError
