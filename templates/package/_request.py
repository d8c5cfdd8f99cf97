"""Pure request helpers shared by the sync and async clients: credentials, encoding, retries, redaction."""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import enum
import json
import logging
import random
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast
from urllib.parse import quote, quote_plus

import httpx2
from pydantic import BaseModel

from ._types import Omit

__all__ = [
    "Credential",
    "apply_body_credentials",
    "check_choice",
    "encode_form",
    "encode_multipart",
    "encode_query",
    "format_path",
    "is_retryable_status",
    "jsonable",
    "redact_http_log",
    "redact_secrets",
    "redact_url",
    "retry_delay",
    "secret_forms",
]

CredentialKind = Literal["basic", "bearer", "header", "query", "cookie", "body"]


@dataclass(frozen=True)
class Credential:
    """One credential and where it travels. ``value`` never appears in a repr.

    ``prefix`` (declared by the spec) is sent before an API key: ``Authorization: Token <value>``.
    """

    kind: CredentialKind
    name: str
    value: str = field(repr=False)
    password: str = field(default="", repr=False)
    prefix: str = ""
    # sent only on requests whose body does not carry the credentials (a GET, when the caller chose the body)
    without_body: bool = False

    @property
    def wire_value(self) -> str:
        """The value as sent: prefixed, unless the caller already included the prefix."""
        if not self.prefix or self.value.startswith(self.prefix):
            return self.value
        return self.prefix + self.value

    def headers(self) -> dict[str, str]:
        if self.kind == "basic":
            token = base64.b64encode(f"{self.value}:{self.password}".encode()).decode("ascii")
            return {"Authorization": f"Basic {token}"}
        if self.kind == "bearer":
            return {"Authorization": f"Bearer {self.value}"}
        if self.kind == "header":
            return {self.name: self.wire_value}
        return {}


def check_choice(argument: str, value: object, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``, else a ``ValueError`` naming the argument and the allowed values."""
    if isinstance(value, str) and value in allowed:
        return value
    shown = repr(value) if isinstance(value, str) and len(value) <= 40 else f"a {type(value).__name__}"
    raise ValueError(f"{argument}={shown} is not allowed; use one of: {', '.join(map(repr, allowed))}")


def jsonable(value: Any) -> Any:
    """Models, enums, dates and containers as JSON-ready values; ``omit`` entries are dropped."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items() if not isinstance(v, Omit)}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def encode_query(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Form-style query pairs: lists repeat the key, objects use ``name[key]=value``; omitted and None dropped."""
    pairs: list[tuple[str, str]] = []
    for name, raw in params.items():
        value = jsonable(raw)
        if isinstance(raw, Omit) or value is None:
            continue
        if isinstance(value, dict):
            pairs.extend(_brackets(name, value))
        elif isinstance(value, list):
            pairs.extend((name, _scalar(item)) for item in value)
        else:
            pairs.append((name, _scalar(value)))
    return pairs


def _brackets(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in _brackets(f"{prefix}[{key}]", item)]
    if isinstance(value, list):
        return [pair for index, item in enumerate(value) for pair in _brackets(f"{prefix}[{index}]", item)]
    return [(prefix, _scalar(value))]


def encode_form(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``application/x-www-form-urlencoded`` pairs with bracket notation for nested values."""
    return [pair for key, item in jsonable(body).items() if item is not None for pair in _brackets(key, item)]


_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


def _file_part(name: str, value: Any) -> tuple[str, bytes, str] | None:
    """(filename, content, content type) when ``value`` is a file: bytes, a binary file, or a tuple of them."""
    if isinstance(value, tuple) and len(value) in (2, 3) and isinstance(value[0], str):
        content = value[1].read() if hasattr(value[1], "read") else value[1]
        kind = value[2] if len(value) == 3 else "application/octet-stream"
        return value[0], bytes(content), str(kind)
    if isinstance(value, bytes | bytearray):
        return name, bytes(value), "application/octet-stream"
    read = getattr(value, "read", None)
    if callable(read):
        filename = str(getattr(value, "name", name)).replace("\\", "/").rsplit("/", 1)[-1]
        return filename, bytes(cast(Any, read())), "application/octet-stream"
    return None


def encode_multipart(body: Mapping[str, Any]) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body and its Content-Type (with the boundary): files as file parts, other values
    as text fields (objects and lists as JSON), a list of files as one part each."""
    boundary = secrets.token_hex(16)
    chunks: list[bytes] = []
    for name, value in body.items():
        if isinstance(value, Omit) or value is None:
            continue
        for item in value if isinstance(value, list) and value and _file_part(name, value[0]) else [value]:
            file = _file_part(name, item)
            quoted = name.replace('"', "%22")
            if file is not None:
                filename = file[0].replace('"', "%22")
                head = f'Content-Disposition: form-data; name="{quoted}"; filename="{filename}"\r\n'
                head += f"Content-Type: {file[2]}\r\n"
                data = file[1]
            else:
                text = item if isinstance(item, str) else json.dumps(jsonable(item))
                head, data = f'Content-Disposition: form-data; name="{quoted}"\r\n', text.encode("utf-8")
            chunks.append(f"--{boundary}\r\n{head}\r\n".encode() + data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def format_path(template: str, values: Mapping[str, Any]) -> str:
    """Fill ``/invoices/{id}``; every value is percent-encoded as one path segment."""
    return _PATH_PARAM.sub(lambda m: quote(_scalar(jsonable(values[m.group(1)])), safe=""), template)


def apply_body_credentials(body: Any, credentials: tuple[Credential, ...]) -> Any:
    """Place body-carried credentials (``/connect/token``) into a JSON object body."""
    wanted = [c for c in credentials if c.kind == "body"]
    if not wanted:
        return body
    result: dict[str, Any] = dict(body) if isinstance(body, dict) else {}
    for credential in wanted:
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in credential.name.lstrip("/").split("/")]
        node = result
        for token in tokens[:-1]:
            child = node.get(token)
            node[token] = dict(child) if isinstance(child, dict) else {}
            node = node[token]
        node.setdefault(tokens[-1], credential.value)
    return result


def is_retryable_status(status_code: int) -> bool:
    return status_code == 429 or status_code >= 500


def retry_delay(attempt: int, response: httpx2.Response | None, *, initial: float, maximum: float) -> float:
    """Seconds to wait before retry ``attempt`` (0-based): ``Retry-After`` if given, else jittered backoff."""
    if response is not None:
        header = response.headers.get("retry-after")
        if header is not None:
            seconds = _parse_retry_after(header.strip())
            if seconds is not None:
                return min(max(seconds, 0.0), maximum)
    backoff = min(initial * (2.0**attempt), maximum)
    return backoff * (1.0 - 0.25 * random.random())


def _parse_retry_after(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return (when - dt.datetime.now(dt.UTC)).total_seconds()


def redact_url(url: httpx2.URL, secret_params: frozenset[str]) -> str:
    """The URL with every secret query parameter's value replaced by ``***``."""
    if not url.query or secret_params.isdisjoint(url.params.keys()):
        return str(url)
    pairs = [f"{quote(k)}={'***' if k in secret_params else quote(v)}" for k, v in url.params.multi_items()]
    return f"{url.copy_with(query=None)}?{'&'.join(pairs)}"


def secret_forms(credentials: tuple[Credential, ...]) -> tuple[str, ...]:
    """Every form a credential may take in text an API sends back: as given, as sent (prefixed), and
    percent-encoded as in a URL it echoes; longest first, so a longer form is replaced before a part of it."""
    forms: set[str] = set()
    for credential in credentials:
        for secret in {credential.value, credential.wire_value, credential.password} - {""}:
            forms |= {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}
    return tuple(sorted(forms, key=lambda s: (-len(s), s)))


def redact_secrets(text: str, forms: tuple[str, ...]) -> str:
    """``text`` with each of ``forms`` (see :func:`secret_forms`) replaced by ``[redacted]``."""
    for secret in forms:
        text = text.replace(secret, "[redacted]")
    return text


class _RedactSecretParams(logging.Filter):
    """Masks secret query parameters in the URLs of httpx2's own log lines (``HTTP Request: GET https://…``)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: frozenset[str] = frozenset()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.names and isinstance(record.args, tuple):
            record.args = tuple(self._redacted(arg) for arg in record.args)
        return True

    def _redacted(self, arg: Any) -> Any:
        # a URL another client's filter (or another library's) has already turned into text is masked too: each
        # generated package adds its own filter to the one httpx2 logger
        if isinstance(arg, httpx2.URL):
            return redact_url(arg, self.names)
        if isinstance(arg, str) and arg.startswith(("http://", "https://")) and "?" in arg:
            try:
                url = httpx2.URL(arg)
            except httpx2.InvalidURL:  # not a URL after all
                return arg
            return arg if self.names.isdisjoint(url.params.keys()) else redact_url(url, self.names)
        return arg


_HTTP_LOG_FILTER = _RedactSecretParams()


def redact_http_log(secret_params: frozenset[str]) -> None:
    """Keep ``secret_params`` (a client's query-placed credentials) out of httpx2's request log."""
    if not secret_params:
        return
    http_logger = logging.getLogger("httpx2")
    if _HTTP_LOG_FILTER not in http_logger.filters:
        http_logger.addFilter(_HTTP_LOG_FILTER)
    _HTTP_LOG_FILTER.names |= secret_params
