"""One request/response pair as the drift injector sees and rewrites it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from apimodel import Api, Operation
from conformance.auth import Credentials
from conformance.inject.targets import OperationMatcher

__all__ = ["Exchange", "InjectorState"]


@dataclass
class Exchange:
    """A buffered request and (once the app answered) its response; mutations edit it in place."""

    method: str
    path: str
    query: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes
    operation: Operation | None
    status: int = 0
    response_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    response_body: bytes = b""

    def header(self, name: str, *, response: bool = True) -> str | None:
        wanted = name.lower().encode()
        for key, value in self.response_headers if response else self.headers:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None

    def set_header(self, name: str, value: str | None, *, response: bool = True) -> None:
        wanted = name.lower().encode()
        items = [(k, v) for k, v in (self.response_headers if response else self.headers) if k.lower() != wanted]
        if value is not None:
            items.append((name.lower().encode(), value.encode("latin-1")))
        if response:
            self.response_headers = items
        else:
            self.headers = items

    def json(self) -> Any:
        if "json" not in (self.header("content-type") or ""):
            return None
        try:
            return json.loads(self.response_body)
        except ValueError:
            return None

    def set_json(self, value: Any) -> None:
        self.response_body = json.dumps(value).encode()

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class InjectorState:
    """What a mutation may consult: the API model, its operations, and (for tenant and auth mutations) credentials."""

    api: Api = field(repr=False)
    matcher: OperationMatcher = field(repr=False)
    tenants: tuple[Credentials, ...] = field(default=(), repr=False)
