"""What operations do to state: create, read, update, delete, list and the actions the model's effects describe."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from typing import Any

from apimodel import Effect, FieldPath, Operation, hints
from apimodel.expressions import number
from apimodel.references import unknown_reference
from apimodel.shapes import locate_resource
from conformance.jsonseq import is_json_sequence, line_schema
from conformance.mock.copying import json_copy
from conformance.mock.effects import Movement, guard_holds, move, movements, scope
from conformance.mock.events import event_payloads
from conformance.mock.lines import compute, fill_line_ids, merge_nested, stale_defaults, take_defaults
from conformance.mock.listing import Rows, apply_filters, criteria, paginate
from conformance.mock.model import ServedApi
from conformance.mock.numbering import counter, formatted, taken_number
from conformance.mock.query import select
from conformance.mock.request import ParsedRequest
from conformance.mock.samples import Sampler, now_value
from conformance.mock.shaping import build, coerce_to, pick_variant, repair, strip_write_only
from conformance.mock.store import Store, TenantKey

__all__ = ["Outcome", "Resources"]

# Ids come from one sequence per resource across all tenants, as on the real APIs (an Invoiced or Fakturownia id
# names one object in the whole service): another tenant asking for it gets 404, never its own object of that id.
# Numbering that users see (invoice numbers, the fill hint's ``sequence:``) stays per tenant.
IDS: TenantKey = "*"


_INT_BITS = {"int32": 31, "int64": 63}  # the magnitude a signed integer of that format holds


@dataclass
class Outcome:
    """What an operation produced: an object, a page of objects, an error kind, or nothing."""

    obj: dict[str, Any] | None = None
    page: list[dict[str, Any]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    envelope: dict[FieldPath, Any] = field(default_factory=dict)
    error: str | None = None
    message: str = ""
    deleted: bool = False
    resource: str | None = None  # the collection ``obj`` belongs to, where it is not the operation's


@dataclass(frozen=True)
class _Slot:
    """A property :meth:`Resources._fill` fills: its resolved schema, its fill hint (``""``: none), its JSON type, and
    for an object property whose own fields are filled on create (a member's ``user.id``), those that take a new id."""

    name: str
    spec: dict[str, Any]
    fill: str
    kind: str | None
    nested_ids: tuple[str, ...] | None = None


class Resources:
    def __init__(self, api: ServedApi, sampler: Sampler, store: Store) -> None:
        self.api, self.schemas, self.sampler, self.store = api, api.schemas, sampler, store
        model = api.model
        # a sub-resource with no list and no item path is one object per parent (payment_plan)
        self.singletons = frozenset(r.name for r in model.resources if r.singleton)
        self._stored = frozenset(r.name for r in model.resources if r.stored)
        # Rails-style APIs (bodies wrapped under a key) update lines by nested attributes
        self._nested_attributes = model.nested_attributes
        # write-only fields a list of the object reads (a listing's ``source``: an invoice's attachments, its file
        # ids), which the object's (response) schema has no property for: kept beside the object (_remember), never sent
        self._listed_from: dict[str, frozenset[str]] = {}
        for op in model.operations:
            if op.listing is not None and op.listing.source is not None:
                kept = self._listed_from.get(op.resource, frozenset())
                self._listed_from[op.resource] = kept | {op.listing.source}

    # -- schemas -----------------------------------------------------------------------------------
    def response_schema(self, op: Operation, status: str | None = None, *, xml: bool = False) -> tuple[str, Any]:
        """The JSON answer's media type and schema; ``xml``: an XML answer's whose schema describes an object (AWS's
        query APIs, Route 53), sent as that structure (``("", None)`` when there is none)."""
        response = op.responses.get(status or op.success_status() or "", {})
        for media, content in ((response or {}).get("content") or {}).items():
            if xml and "xml" in media and isinstance(content, dict):
                schema = content.get("schema")
                return (media, schema) if self.schemas.properties(schema) else ("", None)
            if not xml and "json" in media and isinstance(content, dict):
                return media, (line_schema(content) if is_json_sequence(media) else content.get("schema")) or {}
        return "", None

    def resource_schema(self, op: Operation) -> Any:
        return self.api.model.resource_of(op).schema

    def id_field(self, op: Operation) -> str:
        return self.api.model.resource_of(op).id_field

    # -- helpers -----------------------------------------------------------------------------------
    def _parents(self, op: Operation, request: ParsedRequest) -> tuple[str, ...]:
        return tuple(str(request.path_params.get(p, "")) for p in op.parent_params)

    def _payload(self, op: Operation, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            return {}
        if op.wrapper is not None and isinstance(body.get(op.wrapper), dict):
            return dict(body[op.wrapper])
        if len(body) == 1 and self._nested_attributes:  # an XML document's root: <invoice>...</invoice>
            (key, value), props = next(iter(body.items())), self.schemas.properties(self.resource_schema(op))
            if isinstance(value, dict) and key not in props:
                return dict(value)
        return dict(body)

    def _fill(
        self,
        tenant: TenantKey,
        op: Operation,
        obj: dict[str, Any],
        *,
        creating: bool,
        given: frozenset[str],
        keep: frozenset[str] = frozenset(),
        schema: Any = None,
    ) -> None:
        schema = self.resource_schema(op) if schema is None else schema
        id_name = self.id_field(op)
        for slot in self.schemas.remembered("fill", schema, lambda: self._fill_plan(schema, id_name), id_name):
            name, spec, fill = slot.name, slot.spec, slot.fill
            if slot.nested_ids is not None and creating:  # a member's user.id: an id of its own
                inner = json_copy(obj[name]) if isinstance(obj.get(name), dict) else {}
                for field_name in slot.nested_ids:
                    inner[field_name] = self.store.next_number(IDS, f"id:{op.resource}.{name}")
                obj[name] = inner
                continue
            if fill == "now-on-update" or (fill == "now" and creating):
                obj[name] = now_value(spec)
            elif not creating:
                continue
            elif fill == "id" and (name not in given or obj[name] is None or spec.get("readOnly")):
                number = self.store.next_number(IDS, f"id:{op.resource}")
                obj[name] = str(number) if slot.kind == "string" else number
            elif fill == "token":
                obj[name] = secrets.token_hex(16)
            elif fill.startswith("sequence:") and (name not in given or obj[name] is None):
                obj[name] = formatted(fill, self.store.next_number(tenant, counter(op, name, spec, obj)))
                if slot.kind == "integer" and obj[name].isdigit():  # onFact's raw number
                    obj[name] = int(obj[name])
            elif fill.startswith("sequence:") and not spec.get("readOnly"):
                # a number the client chose: the next one left out follows it
                taken = taken_number(fill, obj[name])
                if taken is not None:
                    self.store.advance(tenant, counter(op, name, spec, obj), taken)
        fill_line_ids(self.schemas, schema, obj, lambda lines: self.store.next_number(IDS, f"id:{op.resource}.{lines}"))
        take_defaults(self.schemas, schema, obj, lambda resource, key: self.store.find_any(tenant, resource, key))
        compute(self.schemas, schema, obj, keep, creating)

    def _fill_plan(self, schema: Any, id_name: str) -> tuple[_Slot, ...]:
        """The properties of ``schema`` that :meth:`_fill` fills, in order, worked out once per schema: most have
        no fill hint and are passed over without a look (a create used to resolve every property again)."""
        slots = []
        for name, prop in self.schemas.properties(schema).items():
            spec = self.schemas.resolve(prop)
            if not isinstance(spec, dict):
                continue
            # the client may name the id (unless read-only); else a new number
            fill = hints.fill(spec) or ("id" if name == id_name else "")
            nested = hints.fill_fields(prop, spec)
            if fill or nested:
                ids = tuple(f for f, how in nested if how == "id") if nested else None
                slots.append(_Slot(name, spec, fill, self.schemas.schema_type(spec), ids))
        return tuple(slots)

    def _build_object(
        self,
        tenant: TenantKey,
        op: Operation,
        payload: dict[str, Any],
        base: dict[str, Any] | None,
        keep: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        schema = pick_variant(self.schemas, self.resource_schema(op), payload if base is None else base)
        fallback = self.sampler.shared(schema, use_examples=False)  # read only: what is taken from it is copied
        fallback = fallback if isinstance(fallback, dict) else {}
        required = set(self.schemas.required(schema))
        props = self.schemas.properties(schema)
        if base is None and not required and not any(k in props for k in payload):
            # nothing the request sends or the schema requires would show: a result such as AWS's
            # CreateAssociationResult ({AssociationDescription}, nothing required) answers its sample, not {}
            obj = json_copy(fallback)
        elif base is None:
            defaulted = self.schemas.remembered("defaulted", schema, lambda: self._defaulted(props))
            obj = {k: json_copy(v) for k, v in fallback.items() if k in required or k in defaulted}
        else:
            obj = json_copy(base)
        for key, value in payload.items():
            prop = props.get(key)
            if prop is None:
                continue
            resolved = self.schemas.resolve(prop)
            if isinstance(resolved, dict) and resolved.get("readOnly") and base is not None:
                continue
            if base is not None and self._nested_attributes:
                line_schema = resolved.get("items") if isinstance(resolved, dict) else None
                stale = stale_defaults(self.schemas, line_schema) if line_schema else None
                value = merge_nested(obj.get(key), value, stale)
            obj[key] = coerce_to(self.schemas, prop, value)
        self._fill(tenant, op, obj, creating=base is None, given=frozenset(payload), keep=keep, schema=schema)
        return repair(self.schemas, schema, obj, fallback) if props else obj

    def _defaulted(self, props: dict[str, Any]) -> frozenset[str]:
        """The properties that state a ``default`` beside them: a new object takes it where the request is silent."""
        return frozenset(k for k, p in props.items() if isinstance(self.schemas.resolve(p), dict) and "default" in p)

    # -- operations --------------------------------------------------------------------------------
    def parent_missing(self, tenant: TenantKey, op: Operation, request: ParsedRequest) -> bool:
        """Whether the request names a parent object (``/documents/{document_id}/...``) this tenant lacks."""
        if "." not in op.resource or not op.parent_params:
            return False
        parent = op.resource.rsplit(".", 1)[0]
        if parent not in self._stored:
            return False
        key = str(request.path_params.get(op.parent_params[-1], ""))
        parents = self._parents(op, request)[:-1]
        found = self.store.get(tenant, parent, parents, key) or self.store.find_any(tenant, parent, key)
        return found is None

    def locate(self, tenant: TenantKey, op: Operation, request: ParsedRequest) -> dict[str, Any] | None:
        parents = self._parents(op, request)
        if op.resource in self.singletons:
            return self.store.first(tenant, op.resource, parents)
        props = self.schemas.properties(self.resource_schema(op))
        if op.item_param is not None and op.item_param != self.id_field(op) and op.item_param in props:
            # an object named by another field of its own (a product's widget by the product's ``token``)
            return self._find_by(tenant, op, parents, op.item_param, str(request.path_params.get(op.item_param)))
        if op.item_param is not None:
            return self.store.get(tenant, op.resource, parents, str(request.path_params.get(op.item_param)))
        for name, value in request.query.items():
            if name in props:
                return self._find_by(tenant, op, parents, name, str(value))
        return None

    def _find_by(
        self, tenant: TenantKey, op: Operation, parents: tuple[str, ...], name: str, value: str
    ) -> dict[str, Any] | None:
        """The object whose ``name`` field is ``value``: the tenant's, or any tenant's for a public request (a
        share link, whose token alone names the object)."""
        if tenant == "public":
            return next((obj for _, obj in self.store.search(op.resource, name, value)), None)
        bucket = self.store.bucket(tenant, op.resource, parents).objects
        return next((o for o in bucket.values() if str(o.get(name)) == value), None)

    def create(self, tenant: TenantKey, op: Operation, request: ParsedRequest, key: str | None = None) -> Outcome:
        """A new object from the request; ``key``: the id the path gives it (a write that creates)."""
        payload = self._payload(op, request.body)  # read only from here on
        too_big = self._out_of_range(op, payload)
        if too_big is not None:
            return Outcome(error="refused", message=too_big)
        obj = self._build_object(tenant, op, payload, None)
        props = self.schemas.properties(self.resource_schema(op))
        taken = _from_body(op.effect, request.body)  # a note's customer_id becomes its customer
        if taken:
            typed: dict[str, Any] = {}
            for target, value in taken.items():
                head, _, rest = target.partition(".")  # ``user.email``: a field of the object's ``user``
                if head in props:
                    typed[head] = _nested(typed.get(head, obj.get(head)), rest, value) if rest else value
            typed = {k: coerce_to(self.schemas, props[k], v) for k, v in typed.items()}
            obj = self._build_object(tenant, op, {}, {**obj, **typed}, frozenset(typed))
        refusal = self._dangling(tenant, op, obj) or self._move(tenant, op, obj)
        if refusal is not None:
            return Outcome(error="refused", message=refusal)
        id_name = self.id_field(op)
        if key is not None and id_name in props:
            obj[id_name] = coerce_to(self.schemas, props[id_name], key)
        if key is None:  # the object's id, or a number of its own where it has none
            key = str(obj[id_name]) if id_name in obj else str(self.store.next_number(tenant, f"key:{op.resource}"))
        parents = self._parents(op, request)
        with self.store.lock:
            if op.resource in self.singletons:
                self.store.clear(tenant, op.resource, parents)
            self.store.put(tenant, op.resource, parents, key, obj)
        self._remember(tenant, op, parents, key, payload)
        self._log(tenant, None, obj)
        return Outcome(obj=obj)

    def _remember(self, tenant: TenantKey, op: Operation, parents: tuple[str, ...], key: str, payload: Any) -> None:
        """The write-only fields of ``payload`` a list of the object reads (a listing's ``source``), kept beside it."""
        for name in sorted(self._listed_from.get(op.resource, ())):
            if isinstance(payload, dict) and name in payload:
                with self.store.lock:
                    self.store.put(tenant, f"{op.resource}#{name}", parents, key, {name: json_copy(payload[name])})

    def update(self, tenant: TenantKey, op: Operation, request: ParsedRequest, obj: dict[str, Any]) -> Outcome:
        payload = self._payload(op, request.body)
        too_big = self._out_of_range(op, payload)
        if too_big is not None:
            return Outcome(error="refused", message=too_big)
        updated = self._build_object(tenant, op, payload, obj)
        effect = op.effect
        if effect is not None and effect.set and guard_holds(effect, updated, payload):  # PATCH {sent: true}
            updated = self._build_object(tenant, op, {}, {**updated, **dict(effect.set)}, frozenset(dict(effect.set)))
        stored = self.store.replace(obj, updated)
        key = str(request.path_params.get(op.item_param or "", obj.get(self.id_field(op))))
        self._remember(tenant, op, self._parents(op, request), key, payload)
        self._log(tenant, obj, stored)
        return Outcome(obj=stored)

    def _out_of_range(self, op: Operation, payload: dict[str, Any]) -> str | None:
        """A sent number the stored field cannot hold (``category_id: "-626…"``, 45 digits, into an int64): a real
        API's database refuses it, where storing anything else would lose what was sent without a word."""
        schema = self.resource_schema(op)
        ranged = self.schemas.remembered("int-ranged", schema, lambda: self._int_ranged(schema))
        for name, value in payload.items() if ranged else ():
            found = ranged.get(name)
            if found is None:
                continue
            spec, bits = found
            number = coerce_to(self.schemas, spec, value)
            if isinstance(number, bool) or not isinstance(number, int | float):
                continue
            if not math.isfinite(number) or not -(2**bits) <= number < 2**bits:
                shown = str(value) if len(str(value)) <= 40 else f"{str(value)[:40]}…"
                return f"{name}: {shown} is out of the {spec.get('format')} range"
        return None

    def _int_ranged(self, schema: Any) -> dict[str, tuple[dict[str, Any], int]]:
        """The properties of ``schema`` that are integers of a format with a range: name -> (schema, bits)."""
        found = {}
        for name, prop in self.schemas.properties(schema).items():
            spec = self.schemas.resolve(prop)
            bits = _INT_BITS.get(str(spec.get("format"))) if isinstance(spec, dict) else None
            if bits is not None and self.schemas.schema_type(spec) == "integer":
                found[name] = (spec, bits)
        return found

    def _dangling(self, tenant: TenantKey, op: Operation, obj: dict[str, Any]) -> str | None:
        """The API's refusal of a reference (the refers-to hint's ``refuse``) that names none of the tenant's
        objects (CloudInvoice's unknown ``client_code``), else ``None``."""

        def find(resource: str, field: str | None, value: Any) -> bool:
            if field is None:
                return self.store.find_any(tenant, resource, str(value)) is not None
            return any(o.get(field) == value for o in self.store.bucket(tenant, resource).objects.values())

        schema = self.resource_schema(op)
        for name, prop, resolved in self.schemas.remembered("refers-to", schema, lambda: self._referring(schema)):
            message = unknown_reference(prop, resolved, obj.get(name), find)
            if message is not None:
                return message
        return None

    def _referring(self, schema: Any) -> tuple[tuple[str, Any, Any], ...]:
        """The properties of ``schema`` that carry a refers-to hint: name, as written, resolved."""
        props = self.schemas.properties(schema).items()
        found = ((n, p, self.schemas.resolve(p)) for n, p in props)
        return tuple(entry for entry in found if hints.refers_to(entry[1], entry[2]) is not None)

    def _move(self, tenant: TenantKey, op: Operation, obj: dict[str, Any], *, gone_ok: bool = False) -> str | None:
        """Move what ``op``'s effect moves onto related objects (the effect's ``apply``); the refusal, if any
        (``gone_ok``: see :func:`move`)."""
        moves = movements(op.effect, obj)
        if not moves:
            return None

        def write(movement: Movement, target: dict[str, Any], changes: dict[str, Any]) -> None:
            target_op = self._operation_of(movement.rule.target)
            if target_op is not None:
                props = self.schemas.properties(self.resource_schema(target_op))
                typed = {k: coerce_to(self.schemas, props[k], v) if k in props else v for k, v in changes.items()}
                rebuilt = self._build_object(tenant, target_op, {}, {**target, **typed}, frozenset(typed))
                self._log(tenant, target, self.store.replace(target, rebuilt))

        with self.store.lock:
            return move(moves, lambda resource, key: self.store.find_any(tenant, resource, key), write, gone_ok=gone_ok)

    def _operation_of(self, resource: str, role: str | None = None) -> Operation | None:
        """An operation of ``resource`` (of that role, where one is named): what builds its objects."""
        owner = self.api.model.resource(resource)
        ops = [self.api.model.operation(*key.split(" ", 1)) for key in owner.operations] if owner else []
        return next((o for o in ops if o is not None and (role is None or o.role == role)), None)

    def collect(self, tenant: TenantKey, op: Operation, request: ParsedRequest) -> Outcome:
        """The effect's ``collect``: the parent's objects of this collection become the lines of a new object of
        another collection (an invoice from a customer's pending line items), and leave this one."""
        rule = op.effect.collect if op.effect is not None else None
        target_op = self._operation_of(rule.target, "create") if rule is not None else None
        parents = self._parents(op, request)
        if rule is None or target_op is None or not parents:
            return Outcome(error="refused", message=rule.empty if rule else "nothing to collect")
        with self.store.lock:
            bucket = self.store.bucket(tenant, op.resource, parents)
            gathered = [json_copy(line) for line in select(bucket, criteria(op, {}), [])]
            if not gathered:
                return Outcome(error="refused", message=rule.empty)
            props = self.schemas.properties(self.resource_schema(target_op))
            parent = coerce_to(self.schemas, props[rule.parent], parents[-1]) if rule.parent in props else parents[-1]
            obj = self._build_object(tenant, target_op, {rule.into: gathered, rule.parent: parent}, None)
            self.store.put(tenant, rule.target, (), str(obj.get(self.id_field(target_op))), obj)
            for line in gathered:
                self.store.delete(tenant, op.resource, parents, str(line.get(self.id_field(op))))
        self._log(tenant, None, obj)
        return Outcome(obj=obj, resource=rule.target)

    def _log(self, tenant: TenantKey, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        """Record what a write did in the API's event log, where the spec declares one."""
        log = self.api.model.events
        payloads = event_payloads(log, before, after)
        event_op = self._operation_of(log.resource) if log is not None and payloads else None
        if log is None or event_op is None:
            return
        for payload in payloads:
            event = self._build_object(tenant, event_op, payload, None)
            with self.store.lock:
                self.store.put(tenant, log.resource, (), str(event.get(self.id_field(event_op))), event)

    def delete(self, tenant: TenantKey, op: Operation, request: ParsedRequest, obj: dict[str, Any]) -> Outcome:
        parents = self._parents(op, request)
        if op.resource in self.singletons:
            self.store.clear(tenant, op.resource, parents)
            return Outcome(obj=obj, deleted=True)
        key = str(obj.get(self.id_field(op)) if op.item_param is None else request.path_params.get(op.item_param))
        self.store.delete(tenant, op.resource, parents, key)
        self._log(tenant, obj, None)
        return Outcome(obj=obj, deleted=True)

    def list_objects(self, tenant: TenantKey, op: Operation, request: ParsedRequest) -> Outcome:
        flags = [f for f in self.api.model.resource_of(op).trash_flags if f not in request.query]
        with self.store.lock:
            bucket = self.store.bucket(tenant, op.resource, self._parents(op, request))
            embedded = self._embedded(tenant, op, request)
            if op.listing is not None and op.listing.source is None and op.parent_params:  # objects naming the parent
                key = str(request.path_params.get(op.parent_params[-1], ""))
                others = self.store.bucket(tenant, op.listing.resource).objects.values()
                embedded = [o for o in others if str(o.get(op.listing.field)) == key]
            if embedded is None and op.mock_items and not bucket.objects:
                objects: Rows = apply_filters(op, request.query, self._sampled_items(op))
            elif embedded is None:
                objects = select(bucket, criteria(op, request.query), flags)
            else:  # a parent's field: filtered one by one, as there is no bucket to index
                embedded = [o for o in embedded if not any(o.get(f) is True for f in flags)]
                objects = apply_filters(op, request.query, embedded)
            page, headers, envelope = paginate(op, request.query, objects, request.url, request.pairs, request.body)
        return Outcome(page=page, headers=headers, envelope=envelope)

    def _listed(self, op: Operation, page: Any) -> Any | None:
        """The item schema of a page whose items sit under the pagination's ``items`` key (``{Marker, Things}``)."""
        items = op.pagination.items if op.pagination is not None else None
        prop = self.schemas.properties(page).get(items) if items else None
        return self.schemas.array_items(prop) if prop is not None else None

    def _sampled_items(self, op: Operation) -> list[dict[str, Any]]:
        """The items the spec asks for on a list nothing fills (AWS's Describe actions): sampled from the resource's
        schema (or the page's items'), numbered in its id (or first text) field so each is told apart, the same on
        every request."""
        schema = self.resource_schema(op)
        if not self.schemas.properties(schema):
            page = self.response_schema(op)[1] or self.response_schema(op, xml=True)[1]
            schema = self._listed(op, page) or schema
        sample = self.sampler.sample(schema)
        if not isinstance(sample, dict):
            return []
        number = self.id_field(op) if self.id_field(op) in sample else None
        number = number or next((k for k in self.schemas.properties(schema) if isinstance(sample.get(k), str)), None)
        items = []
        for index in range(op.mock_items):
            item = json_copy(sample)
            if number is not None:
                item[number] = index + 1 if isinstance(sample[number], int) else f"{op.resource}-{index + 1}"
            items.append(item)
        return items

    def _embedded(self, tenant: TenantKey, op: Operation, request: ParsedRequest) -> list[dict[str, Any]] | None:
        """The items of a list that lives in its parent's field (documents.lines: a document's lines), if it does."""
        if "." not in op.resource or op.resource in self._stored or not op.parent_params:
            return None  # nothing creates these on their own: they are the parent's field
        parent, name = op.resource.rsplit(".", 1)
        key = str(request.path_params.get(op.parent_params[-1], ""))
        owner = self.store.get(tenant, parent, self._parents(op, request)[:-1], key)
        owner = owner if owner is not None else self.store.find_any(tenant, parent, key)
        embedded = (owner or {}).get(name)
        return [o for o in embedded if isinstance(o, dict)] if isinstance(embedded, list) else None

    def item_list(self, tenant: TenantKey, op: Operation, request: ParsedRequest, obj: dict[str, Any]) -> Outcome:
        """A paginated list an item owns (``GET /invoices/{id}/attachments``): what is filed under it, one page."""
        name = op.path.rstrip("/").rsplit("/", 1)[-1]
        key = str(obj.get(self.id_field(op), request.path_params.get(op.item_param or "", "")))
        listing = op.listing
        with self.store.lock:
            if listing is not None and listing.source is not None and listing.under is not None:
                kept = self.store.get(tenant, f"{op.resource}#{listing.source}", self._parents(op, request), key)
                ids = (kept or {}).get(listing.source)
                objects: Rows = self._named_by(tenant, listing.resource, ids, listing.under)
            else:
                bucket = self.store.bucket(tenant, f"{op.resource}.{name}", (*self._parents(op, request), key))
                objects = select(bucket, criteria(op, {}), [])
            page, headers, envelope = paginate(op, request.query, objects, request.url, request.pairs)
        return Outcome(page=page, headers=headers, envelope=envelope)

    def _named_by(self, tenant: TenantKey, resource: str, ids: Any, under: str) -> list[dict[str, Any]]:
        """The tenant's objects of ``resource`` whose ids ``ids`` (an id or a list) holds, in that order, each under
        ``under`` in an item that takes its id (a listing's ``source``: an invoice's attachments, from its file ids)."""
        found = (self.store.get(tenant, resource, (), str(i)) for i in (ids if isinstance(ids, list) else [ids]))
        named = self.api.model.resource(resource)
        field = named.id_field if named is not None else "id"
        return [{field: o.get(field), under: o} for o in found if o is not None]

    def act(self, tenant: TenantKey, op: Operation, request: ParsedRequest, obj: dict[str, Any]) -> Outcome:
        if op.effect is None:  # nothing to move, tally, guard or change (a retrieve): the object as it is
            return Outcome(obj=obj)
        effect = op.effect
        refusal = self._move(tenant, op, obj, gone_ok=True)  # an action on a stored object
        if refusal is not None:
            return Outcome(error="refused", message=refusal)
        payload = self._payload(op, request.body)
        tally = self._tally(tenant, op, obj, effect, payload)
        if not guard_holds(effect, obj, payload, tally=tally):
            return Outcome(obj=obj)
        changes: dict[str, Any] = dict(effect.set)
        for key, name in effect.set_from_query:
            if name in request.query:
                changes[key] = request.query[name]
        changes.update(_from_body(effect, request.body))
        if changes:
            updated = self._build_object(tenant, op, {}, {**obj, **changes}, frozenset(changes))
            obj, before = self.store.replace(obj, updated), obj
            self._log(tenant, before, obj)
        if effect.kind == "cancel" and not changes:
            return self.delete(tenant, op, request, obj)
        return Outcome(obj=obj)

    def _tally(
        self, tenant: TenantKey, op: Operation, obj: dict[str, Any], effect: Effect, payload: dict[str, Any]
    ) -> dict[str, float]:
        """The effect's running totals for this object, each with what this request adds (``tally.paid``)."""
        key = str(obj.get(self.id_field(op)))
        totals = {}
        for name, expression in effect.tally:
            amount = number(expression.evaluate(scope(obj, payload))) or 0.0
            totals[name] = self.store.tally(tenant, f"{op.resource}:{key}:{name}", amount)
        return totals

    def next_number(self, tenant: TenantKey, op: Operation, query: dict[str, Any] | None = None) -> str:
        """The number the next create will fill in; ``query``: the request's, naming the sequence where the
        sequence-per hint counts one per field value (a journal)."""
        number = self.store.next_number(IDS, f"id:{op.resource}", peek=True)
        for name, prop in self.schemas.properties(self.resource_schema(op)).items():
            spec = self.schemas.resolve(prop)
            fill = hints.fill(spec)
            if fill is not None and fill.startswith("sequence:"):
                return formatted(fill, self.store.next_number(tenant, counter(op, name, spec, query or {}), peek=True))
        return str(number)

    def expand(
        self, tenant: TenantKey, op: Operation, obj: dict[str, Any], names: list[str], included: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """``expand=``: ids replaced by their objects; ``include=``: the objects the include hint names embedded; and
        the counts the count hint names, as they stand now."""
        counts = self.api.model.resource_of(op).counts
        if not names and not included and not counts:
            return obj
        out = dict(obj)
        for name, (target, field_name) in counts:
            key = str(obj.get(self.id_field(op)))
            out[name] = sum(
                1 for o in self.store.bucket(tenant, target).objects.values() if str(o.get(field_name)) == key
            )
        for name, (target, fields) in self.api.model.resource_of(op).includes:
            if name in included:
                keys: list[Any] = []
                for key in fields:
                    value = obj.get(key)
                    keys.extend(value if isinstance(value, list) else [value])
                embedded = [self.store.find_any(tenant, target, str(k)) for k in keys if k is not None]
                out[name] = [o for o in embedded if o is not None]
        for name, target in self.api.model.resource_of(op).expands:
            if name in names and out.get(name) is not None:
                found = self.store.find_any(tenant, target, str(out[name]))
                if found is not None:
                    out[name] = found
        return out

    def render(self, op: Operation, status: str, outcome: Outcome, same_hint: bool = True, *, xml: bool = False) -> Any:
        media_type, schema = self.response_schema(op, status, xml=xml)
        if schema is None:
            return None
        path, target = self.schemas.remembered("located", schema, lambda: locate_resource(self.schemas, schema))
        if xml and not path and (listed := self._listed(op, schema)) is not None:
            path, target = (str(op.pagination and op.pagination.items), "[]"), listed
        owner = self.api.model.resource(outcome.resource) if outcome.resource else None
        own = owner.schema if owner is not None else self.resource_schema(op)
        same = self.schemas.resolve(target) is self.schemas.resolve(own)
        value: Any = outcome.page if outcome.page is not None else outcome.obj
        body = build(self.schemas, self.sampler, schema, path, value, same)
        media = ((op.responses.get(status) or {}).get("content") or {}).get(media_type)
        example = media.get("example") if isinstance(media, dict) else None
        if not path and not same and isinstance(value, dict) and isinstance(example, dict) and isinstance(body, dict):
            # an answer that is not the object (efactori's {id, code}): the spec's example where the object is silent
            body = {**json_copy(example), **{k: v for k, v in body.items() if k in value}}
        if outcome.envelope and isinstance(body, dict):
            _place(self.schemas, schema, body, outcome.envelope)
        return strip_write_only(self.schemas, schema, body)


def _from_body(effect: Effect | None, body: Any) -> dict[str, Any]:
    """The fields the effect's ``set-from-body`` takes from the request body (each a pointer into it)."""
    changes: dict[str, Any] = {}
    for key, pointer in effect.set_from_body if effect is not None else ():
        found: Any = body
        for token in pointer.strip("/").split("/"):
            found = found.get(token) if isinstance(found, dict) else None
        if found is not None:
            changes[key] = found
    return changes


def _nested(current: Any, path: str, value: Any) -> dict[str, Any]:
    """A copy of the object ``current`` (a new one when it is none) with ``value`` at the dotted ``path``."""
    out = json_copy(current) if isinstance(current, dict) else {}
    head, _, rest = path.partition(".")
    out[head] = _nested(out.get(head), rest, value) if rest else value
    return out


def _place(schemas: Any, schema: Any, body: dict[str, Any], envelope: dict[FieldPath, Any]) -> None:
    """Write list envelope values (``count``, ``has_more``, ``meta.next_page_url``) where the schema has them."""
    for path, value in envelope.items():
        node, props = body, schemas.properties(schema)
        *parents, last = path
        for key in parents:
            if key not in props:
                break
            child = node.get(key)
            node[key] = child = child if isinstance(child, dict) else {}
            node, props = child, schemas.properties(props[key])
        else:
            if last not in props:
                continue
            if value is None and not schemas.is_valid(props[last], None, "response"):
                node.pop(last, None)  # the last page: left out where the schema has no null (Google's nextPageToken)
            else:
                node[last] = value
