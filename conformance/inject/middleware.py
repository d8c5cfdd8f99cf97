"""The drift injector: ASGI middleware between the suite and the mock that applies named mutations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from apimodel import Api
from conformance.auth import Credentials
from conformance.inject import behaviour  # noqa: F401  (registers the behaviour mutations)
from conformance.inject.exchange import Exchange, InjectorState
from conformance.inject.mutations import MUTATIONS, Mutation
from conformance.inject.targets import OperationMatcher

__all__ = ["DriftInjector"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class DriftInjector:
    """Wraps an ASGI app; requests under ``prefix`` pass through the named mutations.

    ``tenants`` are the credentials of the mock's tenants, first tenant first: the tenant and auth
    mutations need them. Mutations apply to every eligible exchange, so detection does not depend on luck.
    """

    def __init__(
        self,
        app: ASGIApp,
        api: Api,
        mutations: Sequence[str],
        *,
        prefix: str = "",
        tenants: Sequence[Credentials] = (),
    ) -> None:
        unknown = [m for m in mutations if m not in MUTATIONS]
        if unknown:
            raise ValueError(f"unknown mutation(s) {', '.join(unknown)}; known: {', '.join(sorted(MUTATIONS))}")
        self.app = app
        self.prefix = prefix.rstrip("/")
        self.mutations: tuple[Mutation, ...] = tuple(MUTATIONS[m] for m in mutations)
        self._server_path = urlsplit(api.servers[0].url if api.servers else "").path.rstrip("/")
        self.state = InjectorState(api, OperationMatcher(api), tuple(tenants))

    def _operation_path(self, path: str) -> str:
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix) :] or "/"
        return path

    def _match(self, method: str, path: str) -> Any:
        found = self.state.matcher.match(method, path)
        if found is None and self._server_path and path.startswith(self._server_path):
            found = self.state.matcher.match(method, path[len(self._server_path) :])
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        local = self._operation_path(scope["path"])
        exchange = Exchange(
            method=scope["method"],
            path=local,
            query=scope.get("query_string", b""),
            headers=list(scope.get("headers", [])),
            body=b"".join(chunks),
            operation=self._match(scope["method"], local),
        )
        for item in self.mutations:
            if item.on_request is not None:
                item.on_request(self.state, exchange)
        forwarded = dict(scope)
        forwarded.update(
            method=exchange.method,
            path=self.prefix + exchange.path,
            raw_path=(self.prefix + exchange.path).encode(),
            query_string=exchange.query,
            headers=[(k, v) for k, v in exchange.headers if k.lower() != b"content-length"]
            + [(b"content-length", str(len(exchange.body)).encode())],
        )
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": exchange.body, "more_body": False}

        body_parts: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = int(message["status"])
                exchange.response_headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                body_parts.append(message.get("body", b""))

        await self.app(forwarded, replay, capture)
        exchange.response_body = b"".join(body_parts)
        for item in self.mutations:
            if item.on_response is not None:
                item.on_response(self.state, exchange)
        headers = [(k, v) for k, v in exchange.response_headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(exchange.response_body)).encode()))
        await send({"type": "http.response.start", "status": exchange.status, "headers": headers})
        await send({"type": "http.response.body", "body": exchange.response_body})
