"""The mock's answers: JSON bodies, errors in the API's envelope, declared examples, rendered documents."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

from apimodel import Operation
from conformance.jsonseq import encode_sequence, is_json_sequence, line_schema
from conformance.mock.config import MockConfig
from conformance.mock.errors import ERROR_HEADER, declared_status, header_text, mentions, render_error
from conformance.mock.model import ServedApi
from conformance.mock.request import ParsedRequest
from conformance.mock.resources import Outcome, Resources
from conformance.mock.samples import Sampler
from conformance.mock.schema import FieldError
from conformance.mock.store import TenantKey
from conformance.mock.views import render_view

__all__ = ["VIEW_TYPES", "Replies", "Reply", "declared_media"]

_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str).encode  # made once: json.dumps makes one a call

Reply = tuple[int, dict[str, str], bytes]
VIEW_TYPES = {
    "application/pdf": "pdf",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/html": "html",
    "application/zip": "zip",
}


class Replies:
    """Builds every reply of one API; a reply is ``(status, headers, body)``."""

    def __init__(self, api: ServedApi, sampler: Sampler, resources: Resources, config: MockConfig) -> None:
        self.api, self.sampler, self.resources, self.config = api, sampler, resources, config
        self._refusing = frozenset(op.key for op in api.operations if _refuses_in_success(api, op))

    def json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
        out = {"content-type": "application/json", **(headers or {})}
        if body is None:
            out.pop("content-type")
            return status, out, b""
        return status, out, _ENCODE(body).encode("utf-8")

    def error(
        self,
        op: Operation | None,
        kind: str,
        message: str,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        *,
        asked: bool = False,
    ) -> Reply:
        """The error in the API's envelope. A spec without error kinds gets only statuses its operation declares:
        the nearest one, or, where it declares no error the request could get, its success answer (a mock
        never sends what its spec forbids). ``asked``: a fault the caller asked for is sent as asked."""
        status = None
        if op is not None and not self.api.model.errors.kinds and not asked:
            status = declared_status(op, kind)
            if status is None:
                success = op.success_status()
                if success is not None and success[0].isdigit():
                    return self.declared(op, success, None, {})
        code, body = render_error(self.api, self.sampler, op, kind, message, errors, status)
        if message and not mentions(body, message) and ERROR_HEADER not in (headers or {}):
            headers = {**(headers or {}), ERROR_HEADER: header_text(message)}  # the body has no room to say it
        other = _only_other_media(op, code)
        if other is not None:  # the spec says this error comes as XML or text: say it that way
            return code, {"content-type": other, **(headers or {})}, _plain(other, message)
        return self.json(code, body, headers)

    def refusal(self, op: Operation, message: str, errors: list[FieldError] | None = None) -> Reply | None:
        """BitFaktura's refusal: the error envelope with the success status, where the operation's
        success response shows an example that the error model recognises as an error; else ``None``."""
        status = op.success_status() or ""
        if not status.isdigit() or op.key not in self._refusing:
            return None
        _, body = render_error(self.api, self.sampler, op, "validation", message, errors)
        return self.json(int(status), body)

    def declared(
        self, op: Operation, status: str, example: str | None, headers: dict[str, str], code: int | None = None
    ) -> Reply:
        response = op.responses.get(status) or {}
        number = code or (int(status) if status.isdigit() else 200)
        for media, content in (response.get("content") or {}).items():
            if not isinstance(content, dict):
                continue
            if "json" in media:
                schema = line_schema(content) if is_json_sequence(media) else content.get("schema")
                examples = content.get("examples") or {}
                if example and example in examples:
                    value = self.api.schemas.resolve(examples[example]).get("value")
                else:
                    value = self.sampler.sample(schema or {})
                    if "example" in content:
                        value = content["example"]
                return self.document(number, value, headers, media, schema)
            if media in VIEW_TYPES:
                data, _ = render_view(VIEW_TYPES[media], op.resource, {"id": 0})
                return number, {"content-type": media, **headers}, data  # the media type as declared
            # any other text (a widget's JavaScript): the example the spec shows, else a sample of its string schema
            text = content.get("example")
            if not isinstance(text, str):
                sample = self.sampler.sample(content["schema"]) if isinstance(content.get("schema"), dict) else None
                text = sample if isinstance(sample, str) else ""
            return number, {"content-type": media, **headers}, text.encode()
        return number, headers, b""

    def view_reply(self, op: Operation, status: str, view: str, outcome: Outcome, written: bool) -> Reply:
        """A write answered with a document: the object it made or changed, or the spec's example
        for an outcome that is no object (a deletion, a sending)."""
        code = int(status) if status.isdigit() else 200
        if outcome.obj is None or not written:
            response = op.responses.get(status) or {}
            for media, content in (response.get("content") or {}).items():
                if isinstance(content, dict) and isinstance(content.get("example"), str):
                    return code, {"content-type": media}, content["example"].encode("utf-8")
        data, media = render_view(view, op.resource, outcome.obj or {})
        return code, {"content-type": declared_media(op, media)}, data

    def reply(self, op: Operation, tenant: TenantKey, status: str, outcome: Outcome, request: ParsedRequest) -> Reply:
        code = int(status) if status.isdigit() else 200
        expand = request.query.get("expand")
        names = expand if isinstance(expand, list) else str(expand or "").split(",")
        names = [str(n).strip() for n in names if str(n).strip()]
        included = tuple(n.strip() for n in str(request.query.get("include") or "").split(",") if n.strip())
        if outcome.obj is not None:
            outcome.obj = self.resources.expand(tenant, op, outcome.obj, names, included)
        if outcome.page is not None:
            outcome.page = [self.resources.expand(tenant, op, o, names, included) for o in outcome.page]
        media, schema = self.resources.response_schema(op, status)
        if schema is None and (op.responses.get(status) or {}).get("content"):
            return self.declared(op, status, None, dict(outcome.headers), code)  # an XML or text answer
        if schema is None:
            return code, dict(outcome.headers), b""
        body = self.resources.render(op, status, outcome)
        if self.config.check_responses and not self.api.schemas.is_valid(schema, body, "response"):
            body = self.sampler.sample(schema)
            if not self.api.schemas.is_valid(schema, body, "response"):
                body = self.sampler.sample(schema, use_examples=False)
        return self.document(code, body, outcome.headers, media, schema)

    def document(self, code: int, value: Any, headers: dict[str, str], media: str, schema: Any) -> Reply:
        """``value`` sent as ``media``: one JSON document, or for a sequential type (NDJSON, JSON Lines, json-seq)
        one document a line: ``value`` itself, or each of its items where it is a list whose items, not itself,
        follow the line's ``schema`` (an example showing the whole stream as an array)."""
        if not is_json_sequence(media) or value is None:
            reply = self.json(code, value, headers)
            reply[1]["content-type"] = media
            return reply
        valid = self.api.schemas.is_valid
        whole = not isinstance(value, list) or schema is None or valid(schema, value, "response")
        documents = [value] if whole or not all(valid(schema, item, "response") for item in value) else value
        return code, {**headers, "content-type": media}, encode_sequence(documents, media)


def declared_media(op: Operation, media: str) -> str:
    """The media type a rendered document goes out as: the one the success response declares for that kind of
    document (Route 53's ``text/xml``, where the renderer says ``application/xml``), else the renderer's."""
    kind = VIEW_TYPES.get(media)
    response = op.responses.get(op.success_status() or "") or {}
    return next((m for m in response.get("content") or {} if VIEW_TYPES.get(m) == kind and kind), media)


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


def _only_other_media(op: Operation | None, status: int) -> str | None:
    """The media type a declared error response has when it has no JSON one (AWS errors as XML)."""
    if op is None:
        return None
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        content = (op.responses.get(key) or {}).get("content")
        if isinstance(content, dict) and content:
            media = [m for m in content if "json" not in m]
            return media[0] if len(media) == len(content) else None
    return None


def _plain(media: str, message: str) -> bytes:
    if "xml" in media:
        return f"<Error><Message>{escape(message)}</Message></Error>".encode()
    return message.encode("utf-8") if media.startswith("text/") else b""
