"""The ASGI application of one API: routing, faults, auth, validation, behaviour, conforming replies."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote

from conformance.jsonseq import is_json_sequence
from conformance.mock.chaos import CHAOS_HEADER, drift, drift_random, header_value, wants_chaos
from conformance.mock.config import MockConfig
from conformance.mock.credentials import Tenants
from conformance.mock.dispatch import Dispatcher
from conformance.mock.errors import ERROR_HEADER, header_text
from conformance.mock.model import ServedApi
from conformance.mock.replies import Replies, Reply
from conformance.mock.request import BodyProblem, multipart_errors, parse_body, parse_parameters, undeclared_json
from conformance.mock.resources import Resources
from conformance.mock.samples import Sampler
from conformance.mock.schema import FieldError
from conformance.mock.shared import SharedState
from conformance.mock.store import Store, TenantKey
from conformance.mock.validation import json_response_schema, validate_response
from conformance.mock.wire import Answer
from conformance.mock.xmlbody import read_xml

__all__ = ["ApiServer", "Reply", "decoded_headers"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
_log = logging.getLogger("specforge.mock")


class _TooLarge(Exception):
    pass


_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


class DroppedConnection(Exception):
    """Raised after the response has started, so the server cuts the connection (an injected fault)."""


class ApiServer:
    """One API of the mock; an ASGI application mounted at ``/<name>``."""

    def __init__(self, api: ServedApi, tenants: Tenants, config: MockConfig, shared: SharedState | None = None) -> None:
        self.api, self.tenants, self.config = api, tenants, config
        self.sampler = Sampler(api.schemas)
        self.store = Store(api.name, shared)
        self.resources = Resources(api, self.sampler, self.store)
        self.random = random.Random(config.random_seed)
        self.replies = Replies(api, self.sampler, self.resources, config)
        self.dispatcher = Dispatcher(api, self.resources, self.replies)
        self._content_type = (api.model.content_type_required or "").lower()
        # an injected latency or dropped connection needs the ASGI application: no answer from :meth:`quick`
        self._asynchronous = bool(config.latency_ms or config.fault_rate)
        self.violations: list[str] = []  # with config.self_check: every response that broke the spec, as sent

    # -- ASGI --------------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :] or "/"
        method: str = scope["method"]
        query: bytes = scope.get("query_string", b"")
        headers = decoded_headers(scope.get("headers") or ())
        fault = self._fault(headers)
        if fault.get("latency"):
            await asyncio.sleep(min(float(fault["latency"]), 30_000.0) / 1000)
        try:
            raw: bytes | None = await self._read_body(receive)
        except _TooLarge:
            raw = None
        if self.store.shared is not None:
            self.store.shared.release()  # answered here, so committed here: not held with the fast path's answers
        if fault.get("kind") == "drop":
            if raw is not None:
                self.handle(method, path, query, headers, raw, fault)  # what it writes is written
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]})
            await send({"type": "http.response.body", "body": b"{", "more_body": True})
            raise DroppedConnection("connection dropped on request (injected fault)")
        status, raw_headers, body = self.respond(method, path, query, headers, raw, fault)
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": body})

    def quick(self, method: str, path: str, query: bytes, headers: dict[str, str]) -> Callable[[bytes], Answer] | None:
        """For the server's fast path (:mod:`conformance.mock.wire`): the answer to a request that needs nothing
        asynchronous, as a function of its body; ``None`` when it needs the ASGI application (an injected latency
        or a dropped connection, asked for by the request or by the configuration)."""
        if self._asynchronous or "x-mock-fault" in headers:
            return None
        limit = self.config.max_body_bytes
        return lambda raw: self.respond(method, path, query, headers, raw if len(raw) <= limit else None, {})

    def respond(
        self, method: str, path: str, query: bytes, headers: dict[str, str], raw: bytes | None, fault: dict[str, Any]
    ) -> Answer:
        """The whole answer to a request whose body is ``raw`` (``None``: too large): status, headers as sent on the
        wire (with the content length), body."""
        if raw is None:
            status, extra, body = self.replies.error(None, "payload_too_large", "the request body is too large")
        else:
            status, extra, body = self.handle(method, path, query, headers, raw, fault)
        if method == "HEAD":
            body = b""
        media = next((v for k, v in extra.items() if k.lower() == "content-type"), "")
        if self.config.self_check:  # the body as the mock made it: chaos drift is on purpose, not a violation
            for problem in validate_response(
                self.api, method, path, status, media, body, headers=headers, query=_query(query)
            ):
                self.violations.append(str(problem))
                _log.warning("self-check: %s: %s", self.api.name, problem)
        if 200 <= status < 300 and body and (self.config.chaos or wants_chaos(headers.get("prefer", ""))):
            body, extra = self._chaos(method, path, query, headers, status, media, body, extra)
        raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]
        raw_headers.append((b"content-length", str(len(body)).encode()))
        return status, raw_headers, body

    def _chaos(
        self,
        method: str,
        path: str,
        query: bytes,
        headers: dict[str, str],
        status: int,
        media: str,
        body: bytes,
        extra: dict[str, str],
    ) -> tuple[bytes, dict[str, str]]:
        """The body drifted from its schema (chaos mode), and the headers with ``X-Mock-Chaos`` saying how."""
        schema = json_response_schema(self.api, method, path, status, media, headers=headers, query=_query(query))
        if schema is None:
            return body, extra
        try:
            value = json.loads(body)
        except ValueError:
            return body, extra
        value, changes = drift(
            self.api.schemas, schema, value, drift_random(self.config.random_seed, method, path, query)
        )
        if not changes:
            return body, extra
        report = header_text(header_value(changes))
        _log.debug("chaos: %s %s %s: %s", self.api.name, method, path, report)
        return json.dumps(value).encode(), {**extra, CHAOS_HEADER: report}

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
    # -- the request -------------------------------------------------------------------------------
    def handle(
        self, method: str, path: str, query_string: bytes, headers: dict[str, str], raw: bytes, fault: dict[str, Any]
    ) -> Reply:
        match = self.api.routes.match(method, path)
        if match is None:
            return self.replies.error(None, "not_found", f"no route for {path}")
        query_pairs = _pairs(query_string)
        query = dict(query_pairs)  # read only, by everything below
        unknown = match.unknown(headers, query)
        if unknown is not None:
            # AWS answers UnknownOperationException (JSON) or InvalidAction (query). The spec declares no status
            # for a request that names no operation: the mock answers with the status the first operation on the
            # path declares for a bad request (what every operation's own X-Amz-Target enum makes it), and says
            # what was wrong in the envelope where it has room, and in X-Mock-Error always (AWS's are often {})
            name, value = unknown
            known = match.variant_values(name)
            shown = ", ".join(known[:5]) + (f" and {len(known) - 5} more" if len(known) > 5 else "")
            message = f"{name} {value!r} names no operation here; known: {shown}"
            return self.replies.error(match.target, "validation", message, None, {ERROR_HEADER: header_text(message)})
        op = match.pick(headers, query)
        if op is None:
            allowed = ", ".join(match.allowed)
            return self.replies.error(
                None, "method_not_allowed", f"{method} is not allowed here; use {allowed}", None, {"Allow": allowed}
            )
        kind = fault.get("kind")
        if kind in ("429", "500", "503"):
            names = {"429": "rate_limited", "500": "server", "503": "unavailable"}
            extra = {"Retry-After": "1"} if kind == "429" else {}
            return self.replies.error(op, names[kind], "injected fault: " + names[kind], None, extra, asked=True)
        cookies = _cookies(headers.get("cookie", ""))
        prefer = _prefer(headers.get("prefer", ""))
        wanted = prefer.get("code", "")
        if wanted.isdigit() and len(wanted) == 3:
            key = next((k for k in (wanted, f"{wanted[0]}XX") if k in op.responses), None)
            if key is not None:
                return self.replies.declared(op, key, prefer.get("example"), {}, int(wanted))
        try:
            depth = self.config.max_depth
            body, media = parse_body(op, headers.get("content-type", ""), raw, depth)
        except BodyProblem as problem:
            return self.replies.error(op, problem.kind, problem.message, [FieldError(problem.param, problem.message)])
        sent = body if body is not None or op.body else undeclared_json(headers.get("content-type", ""), raw, depth)
        auth = self.tenants.authenticate(op, headers, query, cookies, sent)
        if auth.error:
            return self.replies.error(op, auth.error, auth.message)
        if self._content_type and headers.get("content-type", "").split(";")[0].strip().lower() != self._content_type:
            return self.replies.error(
                op, "unsupported_media_type", f"every request must carry Content-Type: {self._content_type}"
            )
        request, errors = parse_parameters(self.api.schemas, op, match.params, query_pairs, headers, cookies)
        request.body, request.media_type, request.pairs = body, media, query_pairs
        # percent-encoded as sent: the URL goes into headers (Link), which carry Latin-1 only
        request.url = f"http://{headers.get('host') or 'localhost'}/{self.api.name}{quote(path, safe=_PATH_SAFE)}"
        content = (((op.body or {}).get("content") or {}).get(media) or {}) if raw else {}
        schema = content.get("schema") if isinstance(content, dict) else None
        if is_json_sequence(media):
            errors.extend(self.api.schemas.sequence_errors(content, body, "request"))
        elif schema is not None and "json" in media:
            errors.extend(self.api.schemas.errors(schema, body, "request"))
        elif schema is not None and "xml" in media and self.api.schemas.schema_type(schema) == "object":
            # a document whose structure the schema describes (AWS Query specs); an XML body typed as a string
            # (BitFaktura's invoice document) is text to the spec, and not read here
            document = read_xml(self.api.schemas, schema, raw, self.config.max_depth)
            errors.extend(self.api.schemas.errors(schema, document, "request"))
        elif schema is not None and media.startswith("multipart/") and isinstance(body, dict):
            errors.extend(multipart_errors(self.api.schemas, schema, body))
        if errors:  # schema violations are client errors (4xx) everywhere, BitFaktura included
            return self.replies.error(op, "validation", errors[0].message, errors)
        if "example" in prefer:
            status = op.success_status()
            if status and status[0].isdigit():
                return self.replies.declared(op, status, prefer["example"], {})
        tenant: TenantKey = auth.tenant if auth.tenant is not None else "public"
        with self.store.unit():  # answered only once its writes are in the shared file, where there is one
            return self.dispatcher.dispatch(op, tenant, request, headers)


def decoded_headers(headers: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """A request's headers as the mock reads them: names in lower case (the last of a repeated one wins)."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in headers}


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
    if not header:
        return found
    for part in header.replace(";", ",").split(","):
        key, _, value = part.strip().partition("=")
        if key in ("code", "example") and value:
            found[key] = value.strip().strip('"')
    return found


def _pairs(query_string: bytes) -> list[tuple[str, str]]:
    if not query_string:
        return []
    try:
        return parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    except ValueError:
        return []


def _query(query_string: bytes) -> dict[str, str]:
    return dict(_pairs(query_string))
