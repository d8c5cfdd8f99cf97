"""The ASGI application of one API: routing, faults, auth, validation, behaviour, conforming replies."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from apimodel import Operation
from conformance.mock.config import MockConfig
from conformance.mock.credentials import AuthResult, Tenants, read_slot
from conformance.mock.errors import render_error
from conformance.mock.model import ServedApi
from conformance.mock.request import BodyProblem, ParsedRequest, parse_body, parse_parameters
from conformance.mock.resources import Outcome, Resources
from conformance.mock.samples import Sampler
from conformance.mock.schema import FieldError
from conformance.mock.store import Store, TenantKey
from conformance.mock.views import render_view

__all__ = ["ApiServer", "Reply"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Reply = tuple[int, dict[str, str], bytes]
_VIEW_TYPES = {
    "application/pdf": "pdf",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/html": "html",
    "application/zip": "zip",
}


class _TooLarge(Exception):
    pass


class DroppedConnection(Exception):
    """Raised after the response has started, so the server cuts the connection (an injected fault)."""


class ApiServer:
    """One API of the mock; an ASGI application mounted at ``/<name>``."""

    def __init__(self, api: ServedApi, tenants: Tenants, config: MockConfig) -> None:
        self.api, self.tenants, self.config = api, tenants, config
        self.sampler = Sampler(api.schemas)
        self.store = Store()
        self.resources = Resources(api, self.sampler, self.store)
        self.random = random.Random(config.random_seed)
        self._refusing = frozenset(op.key for op in api.operations if _refuses_in_success(api, op))
        self._content_type = (api.model.content_type_required or "").lower()

    # -- ASGI --------------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or ()}
        fault = self._fault(headers)
        if fault.get("latency"):
            await asyncio.sleep(min(float(fault["latency"]), 30_000.0) / 1000)
        try:
            raw = await self._read_body(receive)
            status, extra, body = self.handle(
                scope["method"], path, scope.get("query_string", b""), headers, raw, fault
            )
        except _TooLarge:
            status, extra, body = self._error(None, "payload_too_large", "the request body is too large")
        if fault.get("kind") == "drop":
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]})
            await send({"type": "http.response.body", "body": b"{", "more_body": True})
            raise DroppedConnection("connection dropped on request (injected fault)")
        if scope["method"] == "HEAD":
            body = b""
        raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]
        raw_headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": body})

    async def _read_body(self, receive: Receive) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.config.max_body_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)

    def _fault(self, headers: dict[str, str]) -> dict[str, Any]:
        fault: dict[str, Any] = {}
        for part in headers.get("x-mock-fault", "").split(","):
            part = part.strip()
            if part.startswith("latency="):
                fault["latency"] = _float(part[len("latency=") :].removesuffix("ms"))
            elif part in ("429", "500", "503", "drop"):
                fault["kind"] = part
        if "kind" not in fault and self.config.fault_rate and self.random.random() < self.config.fault_rate:
            fault["kind"] = self.random.choice(self.config.faults)
        if "latency" not in fault and self.config.latency_ms:
            fault["latency"] = self.config.latency_ms
        return fault

    # -- replies -----------------------------------------------------------------------------------
    def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
        out = {"content-type": "application/json", **(headers or {})}
        if body is None:
            out.pop("content-type")
            return status, out, b""
        return status, out, json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")

    def _error(
        self,
        op: Operation | None,
        kind: str,
        message: str,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        status, body = render_error(self.api, self.sampler, op, kind, message, errors)
        return self._json(status, body, headers)

    def _refusal(self, op: Operation, message: str, errors: list[FieldError] | None = None) -> Reply | None:
        """BitFaktura's refusal: the error envelope with the success status, where the operation's
        success response shows an example that the error model recognises as an error; else ``None``."""
        status = op.success_status() or ""
        if not status.isdigit() or op.key not in self._refusing:
            return None
        _, body = render_error(self.api, self.sampler, op, "validation", message, errors)
        return self._json(int(status), body)

    def _declared(
        self, op: Operation, status: str, example: str | None, headers: dict[str, str], code: int | None = None
    ) -> Reply:
        response = op.responses.get(status) or {}
        number = code or (int(status) if status.isdigit() else 200)
        for media, content in (response.get("content") or {}).items():
            if not isinstance(content, dict):
                continue
            if "json" in media:
                examples = content.get("examples") or {}
                if example and example in examples:
                    value = self.api.schemas.resolve(examples[example]).get("value")
                else:
                    value = self.sampler.sample(content.get("schema") or {})
                    if "example" in content:
                        value = content["example"]
                reply = self._json(number, value, headers)
                reply[1]["content-type"] = media
                return reply
            if media in _VIEW_TYPES:
                data, kind = render_view(_VIEW_TYPES[media], op.resource, {"id": 0})
                return number, {"content-type": kind, **headers}, data
            return number, {"content-type": media, **headers}, b""
        return number, headers, b""

    # -- the request -------------------------------------------------------------------------------
    def handle(
        self, method: str, path: str, query_string: bytes, headers: dict[str, str], raw: bytes, fault: dict[str, Any]
    ) -> Reply:
        match = self.api.routes.match(method, path)
        if match is None:
            return self._error(None, "not_found", f"no route for {path}")
        op = match.target
        if op is None:
            allowed = ", ".join(match.allowed)
            return self._error(
                None, "method_not_allowed", f"{method} is not allowed here; use {allowed}", None, {"Allow": allowed}
            )
        kind = fault.get("kind")
        if kind in ("429", "500", "503"):
            names = {"429": "rate_limited", "500": "server", "503": "unavailable"}
            extra = {"Retry-After": "1"} if kind == "429" else {}
            return self._error(op, names[kind], "injected fault: " + names[kind], None, extra)
        try:
            query_pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
        except ValueError:
            query_pairs = []
        cookies = _cookies(headers.get("cookie", ""))
        prefer = _prefer(headers.get("prefer", ""))
        wanted = prefer.get("code", "")
        if wanted.isdigit() and len(wanted) == 3:
            key = next((k for k in (wanted, f"{wanted[0]}XX") if k in op.responses), None)
            if key is not None:
                return self._declared(op, key, prefer.get("example"), {}, int(wanted))
        try:
            body, media = parse_body(op, headers.get("content-type", ""), raw, self.config.max_depth)
        except BodyProblem as problem:
            return self._error(op, problem.kind, problem.message, [FieldError(problem.param, problem.message)])
        auth = self._authenticate(op, headers, dict(query_pairs), cookies, body)
        if auth.error:
            return self._error(op, auth.error, auth.message)
        if self._content_type and headers.get("content-type", "").split(";")[0].strip().lower() != self._content_type:
            return self._error(
                op, "unsupported_media_type", f"every request must carry Content-Type: {self._content_type}"
            )
        request, errors = parse_parameters(self.api.schemas, op, match.params, query_pairs, headers, cookies)
        request.body, request.media_type, request.pairs = body, media, query_pairs
        request.url = f"http://{headers.get('host') or 'localhost'}/{self.api.name}{path}"
        if raw and "json" in media:
            schema = ((op.body or {}).get("content") or {}).get(media, {}).get("schema")
            if schema is not None:
                errors.extend(self.api.schemas.errors(schema, body, "request"))
        if errors:  # schema violations are client errors (4xx) everywhere, BitFaktura included
            return self._error(op, "validation", errors[0].message, errors)
        if "example" in prefer:
            status = op.success_status()
            if status and status[0].isdigit():
                return self._declared(op, status, prefer["example"], {})
        tenant: TenantKey = auth.tenant if auth.tenant is not None else "public"
        return self._dispatch(op, tenant, request, headers)

    def _authenticate(
        self, op: Operation, headers: dict[str, str], query: dict[str, str], cookies: dict[str, str], body: Any
    ) -> AuthResult:
        slots = self.tenants.slots
        body_slots = [s for s in slots if s.kind == "body"]
        requirements = op.security or ()
        if op.security == ():  # `security: []`: this operation needs no credentials at all
            return AuthResult(None)
        uses_body = bool(body_slots) and op.body is not None
        if not any(requirements) and not uses_body:
            return AuthResult(None)
        failure = AuthResult(None, "unauthorized", "Missing credentials")
        candidates: list[list[Any]] = [
            [s for s in slots if s.scheme in requirement] for requirement in requirements if requirement
        ]
        if uses_body:
            candidates.append(body_slots)
        for group in candidates:
            values = {s.env: read_slot(s, headers, query, cookies, body) for s in group}
            if not group or any(v is None for v in values.values()):
                continue
            result = self.tenants.check({k: v for k, v in values.items() if v is not None})
            if result.error is None:
                # a second credential that is wrong or another tenant's spoils the request, as real APIs do
                for slot in {s for g in candidates for s in g}:
                    other = read_slot(slot, headers, query, cookies, body)
                    if other is not None and self.tenants.owner(slot.env, other) != result.tenant:
                        return AuthResult(None, "unauthorized", "Invalid credentials")
                return result
            failure = result
        return failure

    def _view_kind(self, op: Operation, headers: dict[str, str]) -> str | None:
        if op.view:
            return op.view
        response = op.responses.get(op.success_status() or "") or {}
        media = [m for m in (response.get("content") or {}) if m in _VIEW_TYPES]
        if not media:
            return None
        accept = headers.get("accept", "")
        has_json = any("json" in m for m in response.get("content") or {})
        wanted = next((m for m in media if m in accept), None)
        if wanted or not has_json:
            return _VIEW_TYPES[wanted or media[0]]
        return None

    def _dispatch(self, op: Operation, tenant: TenantKey, request: ParsedRequest, headers: dict[str, str]) -> Reply:
        res, action, written = self.resources, op.role, False
        status = op.success_status() or "200"
        effect = op.effect
        if effect is not None and effect.kind == "next-number":
            header = effect.header or "X-Next-Number"
            return int(status) if status.isdigit() else 200, {header: res.next_number(tenant, op)}, b""
        if res.parent_missing(tenant, op, request):
            return self._error(op, "not_found", "no such parent object")
        view = self._view_kind(op, headers)
        reading = view if op.method in ("GET", "HEAD") else None  # a write with a view acts, then renders
        obj = res.locate(tenant, op, request) if action != "create" and action != "list" else None
        addressed = op.resource in res.singletons or (not op.pagination and self._addressed(op, request))
        listing = op.item_param is None and (bool(op.pagination) or (obj is None and not addressed))
        if reading is not None and listing:  # a paginated list stays a list, whatever its filters match
            page = res.list_objects(tenant, op, request).page or []
            data, media = render_view(reading, op.resource, {op.resource.split(".")[-1]: page})
            return int(status) if status.isdigit() else 200, {"content-type": media}, data
        if reading is not None:
            if obj is None:
                return self._error(op, "not_found", "no such object")
            data, media = render_view(reading, op.resource, obj)
            return int(status) if status.isdigit() else 200, {"content-type": media}, data
        if action == "list":
            outcome = res.list_objects(tenant, op, request)
        elif action == "create" or (obj is None and op.item_param is None and op.method == "POST" and op.body):
            outcome, written = res.create(tenant, op, request), True
        elif obj is None and (op.item_param is not None or addressed):
            return self._error(op, "not_found", "no such object")
        elif obj is None:
            return self._declared(op, status, None, {}) if status.isdigit() else self._json(200, None)
        elif action == "update" or (op.method in ("PUT", "PATCH") and effect is None):
            outcome, written = res.update(tenant, op, request, obj), True
        elif (action == "delete" or op.method == "DELETE") and effect is None:
            outcome = res.delete(tenant, op, request, obj)
        elif op.pagination and op.method == "GET" and effect is None:
            outcome = res.item_list(tenant, op, request, obj)
        else:
            wanted = list(effect.refuse_unless) if effect is not None else []
            if wanted and not any(request.query.get(n) or obj.get(n) for n in wanted):
                refused = self._refusal(op, f"nothing to act on: none of {', '.join(wanted)} is set")
                if refused is not None:
                    return refused
            outcome = res.act(tenant, op, request, obj)
        if view is not None:
            return self._view_reply(op, status, view, outcome, written)
        return self._reply(op, tenant, status, outcome, request)

    def _view_reply(self, op: Operation, status: str, view: str, outcome: Outcome, written: bool) -> Reply:
        """A write answered with a document: the object it made or changed, or the spec's example
        for an outcome that is no object (a deletion, a sending)."""
        code = int(status) if status.isdigit() else 200
        if outcome.obj is None or not written:
            response = op.responses.get(status) or {}
            for media, content in (response.get("content") or {}).items():
                if isinstance(content, dict) and isinstance(content.get("example"), str):
                    return code, {"content-type": media}, content["example"].encode("utf-8")
        data, media = render_view(view, op.resource, outcome.obj or {})
        return code, {"content-type": media}, data

    def _addressed(self, op: Operation, request: ParsedRequest) -> bool:
        """Whether the request names one object (by a query field) that could be missing."""
        props = self.api.schemas.properties(self.resources.resource_schema(op))
        return any(name in props for name in request.query)

    def _reply(self, op: Operation, tenant: TenantKey, status: str, outcome: Outcome, request: ParsedRequest) -> Reply:
        code = int(status) if status.isdigit() else 200
        expand = request.query.get("expand")
        names = expand if isinstance(expand, list) else str(expand or "").split(",")
        names = [str(n).strip() for n in names if str(n).strip()]
        if outcome.obj is not None and names:
            outcome.obj = self.resources.expand(tenant, op, outcome.obj, names)
        if outcome.page is not None and names:
            outcome.page = [self.resources.expand(tenant, op, o, names) for o in outcome.page]
        media, schema = self.resources.response_schema(op, status)
        if schema is None:
            return code, dict(outcome.headers), b""
        body = self.resources.render(op, status, outcome)
        if self.config.check_responses and not self.api.schemas.is_valid(schema, body, "response"):
            body = self.sampler.sample(schema)
            if not self.api.schemas.is_valid(schema, body, "response"):
                body = self.sampler.sample(schema, use_examples=False)
        reply = self._json(code, body, outcome.headers)
        reply[1]["content-type"] = media
        return reply


def _refuses_in_success(api: ServedApi, op: Operation) -> bool:
    errors = api.model.errors
    response = op.responses.get(op.success_status() or "") or {}
    if not errors.in_success:
        return False
    for content in (response.get("content") or {}).values():
        examples = [api.schemas.resolve(e).get("value") for e in ((content or {}).get("examples") or {}).values()]
        examples.append((content or {}).get("example"))
        if any(errors.is_envelope(e) for e in examples):
            return True
    return False


def _float(text: str) -> float:
    try:
        return max(0.0, float(text))
    except ValueError:
        return 0.0


def _cookies(header: str) -> dict[str, str]:
    if not header:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return {}
    return {k: m.value for k, m in jar.items()}


def _prefer(header: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in header.replace(";", ",").split(","):
        key, _, value = part.strip().partition("=")
        if key in ("code", "example") and value:
            found[key] = value.strip().strip('"')
    return found
