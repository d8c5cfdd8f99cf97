"""What the mock does with a valid, authenticated request: read, list, create, update, delete or act."""

from __future__ import annotations

from apimodel import Operation
from conformance.mock import effects
from conformance.mock.errors import declared_status
from conformance.mock.model import ServedApi
from conformance.mock.replies import VIEW_TYPES, Replies, Reply, declared_media
from conformance.mock.request import ParsedRequest
from conformance.mock.resources import Resources
from conformance.mock.store import TenantKey
from conformance.mock.views import render_view
from conformance.mock.xmlbody import write_xml

__all__ = ["Dispatcher"]


class Dispatcher:
    """Routes an operation to the state change its role and effect describe, and shapes the reply."""

    def __init__(self, api: ServedApi, resources: Resources, replies: Replies) -> None:
        self.api, self.resources, self.replies = api, resources, replies

    def dispatch(self, op: Operation, tenant: TenantKey, request: ParsedRequest, headers: dict[str, str]) -> Reply:
        res, role, written = self.resources, op.role, False
        status = op.success_status() or "200"
        effect = op.effect
        if effect is not None and effect.kind == "next-number":
            header = effect.header or "X-Next-Number"
            number = res.next_number(tenant, op, dict(request.query))  # the sequence the query names
            return int(status) if status.isdigit() else 200, {header: number}, b""
        if res.parent_missing(tenant, op, request):
            return self.replies.error(op, "not_found", "no such parent object")
        view = self._view_kind(op, headers)
        reading = view if op.method in ("GET", "HEAD") else None  # a write with a view acts, then renders
        obj = res.locate(tenant, op, request) if role not in ("create", "list") else None
        addressed = op.resource in res.singletons or (not op.pagination and self._addressed(op, request))
        listing = op.item_param is None and (bool(op.pagination) or (obj is None and not addressed))
        if reading == "xml" and listing and self._pages_xml(op, request):
            media, schema = res.response_schema(op, status, xml=True)
            body = res.render(op, status, res.list_objects(tenant, op, request), xml=True)
            action = op.path.partition("#Action=")[2]  # AWS's query protocol wraps the fields in two elements
            root = f"{action}Response" if action else str(schema.get("$ref") or "/Response").rsplit("/", 1)[-1]
            data = write_xml(self.api.schemas, schema, body, root, f"{action}Result" if action else None)
            return int(status) if status.isdigit() else 200, {"content-type": media}, data
        if reading is not None and listing:  # a paginated list stays a list, whatever its filters match
            page = res.list_objects(tenant, op, request).page or []
            data, media = render_view(reading, op.resource, {op.resource.split(".")[-1]: page})
            return int(status) if status.isdigit() else 200, {"content-type": declared_media(op, media)}, data
        if reading is not None:
            if obj is None:
                return self.replies.error(op, "not_found", "no such object")
            data, media = render_view(reading, op.resource, obj)
            return int(status) if status.isdigit() else 200, {"content-type": declared_media(op, media)}, data
        if role == "list":
            outcome = res.list_objects(tenant, op, request)
        elif effect is not None and effect.collect is not None and op.item_param is None:
            outcome, written = res.collect(tenant, op, request), True
        elif role == "create" or (obj is None and op.item_param is None and op.method == "POST" and op.body):
            outcome, written = res.create(tenant, op, request), True
        elif obj is None and role == "update" and op.item_param is not None and not self._can_say_missing(op):
            outcome, written = res.create(tenant, op, request, key=str(request.path_params.get(op.item_param))), True
        elif obj is None and (op.item_param is not None or addressed):
            return self.replies.error(op, "not_found", "no such object")
        elif obj is None:
            return self.replies.declared(op, status, None, {}) if status.isdigit() else self.replies.json(200, None)
        elif (message := effects.refused(effect, obj, request.body)) is not None:
            return self.replies.refusal(op, message) or self.replies.error(op, "validation", message)
        elif role == "update" or (op.method in ("PUT", "PATCH") and (effect is None or not effect.acts)):
            outcome, written = res.update(tenant, op, request, obj), True
        elif (role == "delete" or op.method == "DELETE") and (effect is None or not effect.acts):
            outcome = res.delete(tenant, op, request, obj)
        elif op.pagination and op.method == "GET" and (effect is None or not effect.acts):
            outcome = res.item_list(tenant, op, request, obj)
        else:
            wanted = list(effect.refuse_unless) if effect is not None else []
            if wanted and not any(request.query.get(n) or obj.get(n) for n in wanted):
                refused = self.replies.refusal(op, f"nothing to act on: none of {', '.join(wanted)} is set")
                if refused is not None:
                    return refused
            outcome = res.act(tenant, op, request, obj)
        res.store.settle()  # written now: a shared state file's writers need not wait while the answer is shaped
        if outcome.error == "refused":
            return self.replies.refusal(op, outcome.message) or self.replies.error(op, "validation", outcome.message)
        if view is not None:
            return self.replies.view_reply(op, status, view, outcome, written)
        return self.replies.reply(op, tenant, status, outcome, request)

    def _view_kind(self, op: Operation, headers: dict[str, str]) -> str | None:
        if op.view:
            return op.view
        response = op.responses.get(op.success_status() or "") or {}
        media = [m for m in (response.get("content") or {}) if m in VIEW_TYPES]
        if not media:
            return None
        accept = headers.get("accept", "")
        has_json = any("json" in m for m in response.get("content") or {})
        wanted = next((m for m in media if m in accept), None)
        if wanted or not has_json:
            return VIEW_TYPES[wanted or media[0]]
        return None

    def _pages_xml(self, op: Operation, request: ParsedRequest) -> bool:
        """Whether to answer an XML list as its spec describes it, one page of it: a paginated list whose XML answer
        has a described structure (AWS's query APIs), asked with its page size (without one it is one document)."""
        style = op.pagination
        size = style and (style.limit or style.per_page)
        return bool(size) and size in request.query and self.resources.response_schema(op, xml=True)[1] is not None

    def _can_say_missing(self, op: Operation) -> bool:
        """Whether the spec lets this operation answer "not found" (where it does not, a write to an object that
        is not there creates it: PUT's own meaning, and the only answer such a spec allows)."""
        return bool(self.api.model.errors.kinds) or declared_status(op, "not_found") is not None

    def _addressed(self, op: Operation, request: ParsedRequest) -> bool:
        """Whether the request names one object (by a query field) that could be missing."""
        props = self.api.schemas.properties(self.resources.resource_schema(op))
        return any(name in props for name in request.query)
