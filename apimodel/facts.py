"""The typed, frozen facts of one API: what the client, the mock and conformance all read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from apimodel.diagnostics import Diagnostic
from apimodel.expressions import Expression

__all__ = [
    "Api",
    "Apply",
    "BodySetting",
    "Computed",
    "Credential",
    "CredentialKind",
    "Effect",
    "ErrorKind",
    "ErrorModel",
    "FieldPath",
    "Filter",
    "Operation",
    "Pagination",
    "PagingStyle",
    "Parameter",
    "Reason",
    "Refusal",
    "Resource",
    "Role",
    "SequenceScope",
    "Server",
    "ServerVariable",
]

Role = Literal["list", "create", "retrieve", "update", "delete", "action", "download", "exists"]
PagingStyle = Literal["page", "link", "offset", "cursor", "next-url"]
CredentialKind = Literal["basic", "bearer", "header", "query", "cookie", "body"]
Location = Literal["path", "query", "header", "cookie"]


@dataclass(frozen=True)
class Reason:
    """Why a fact is what it is: read from a hint, inferred from standard OpenAPI, or a default."""

    source: Literal["hint", "inferred", "default"]
    detail: str

    def __str__(self) -> str:
        return f"{self.source}: {self.detail}"


@dataclass(frozen=True)
class Filter:
    """A list's query parameter that narrows or orders the list, and how (:func:`apimodel.hints.parameter_filter`)."""

    kind: str  # eq | object-eq | metadata | period | search | sort
    field: str | None = None
    fields: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    syntax: str = "field dir"


@dataclass(frozen=True)
class Parameter:
    name: str
    location: Location
    required: bool
    style: str
    explode: bool
    description: str = ""
    filter: Filter | None = None
    schema: Any = field(default=None, compare=False, repr=False)
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


# where a value sits in a JSON body: the key of each object on the way down (``("meta", "next_page_url")``); a key
# may hold a dot itself (OData's ``@odata.nextLink``), so a path is never one dotted string
FieldPath = tuple[str, ...]


@dataclass(frozen=True)
class Pagination:
    """How a list pages; field names are the wire names of its parameters, body keys and headers."""

    style: PagingStyle
    reason: Reason
    page: str = "page"
    per_page: str = "per_page"
    offset: str = "offset"
    limit: str = "limit"
    count: str = "count"
    items: str = "items"
    total_header: str | None = None
    default_per_page: int | None = None
    max_per_page: int | None = None
    first_page: int = 1  # the number of the first page: 0 where the page parameter counts pages to skip
    newest_first: bool = False  # without a sort parameter the list gives the newest objects first (Invoiced's events)
    # cursor: the query parameter that takes the cursor, and where the next one is (a body path; None: the last
    # item's ``id_field``, as Stripe's ``starting_after``); ``has_more``: the body flag that says more follow
    cursor: str | None = None
    next_cursor: FieldPath | None = None
    has_more: FieldPath | None = None
    # a position given by several fields, each going back in its own query parameter beside ``cursor`` (Route 53's
    # ``NextRecordName`` -> ``name``, ``NextRecordType`` -> ``type``): (parameter, body path) pairs
    more_cursors: tuple[tuple[str, FieldPath], ...] = ()
    id_field: str = "id"
    # where the cursor goes: a query parameter, or a property of the JSON request body (AWS JSON ``NextToken``)
    cursor_in: Literal["query", "body"] = "query"
    # next-url: the body path of the next page's URL (Twilio's ``("meta", "next_page_url")``, OData's
    # ``("@odata.nextLink",)``); ``cursor`` then names the declared parameter a server may carry the position in,
    # ``limit`` the page size
    next_url: FieldPath | None = None

    def settings(self) -> tuple[tuple[str, Any], ...]:
        """The names this style uses, as ``(python keyword, value)`` pairs in sorted order."""
        table: dict[str, dict[str, Any]] = {
            "page": {"page": self.page, "per_page": self.per_page},
            "link": {"page": self.page, "per_page": self.per_page},
            "offset": {"offset": self.offset, "limit": self.limit, "count": self.count, "items": self.items},
            "cursor": {
                "cursor": self.cursor,
                "next_cursor": self.next_cursor,
                "has_more": self.has_more,
                "more_cursors": self.more_cursors or None,
            },
            "next-url": {"next_url": self.next_url},
        }
        names = {k: v for k, v in table[self.style].items() if v is not None}
        if self.style == "cursor" and self.cursor_in != "query":
            names["cursor_in"] = self.cursor_in
        if self.style == "cursor" and self.next_cursor is None and self.id_field != "id":
            names["id_field"] = self.id_field
        if self.style != "offset" and self.items != "items":  # a page of items under a key, not a bare array
            names["items"] = self.items
        if self.total_header is not None and self.style != "offset":
            names["total_header"] = self.total_header
        if self.default_per_page is not None:
            names["default_per_page"] = self.default_per_page
        if self.style == "page" and self.first_page != 1:
            names["first_page"] = self.first_page
        return tuple(sorted(names.items()))


@dataclass(frozen=True)
class Refusal:
    """A state in which the API refuses an action: when ``when`` holds, the answer is ``message``."""

    when: Expression
    message: str


@dataclass(frozen=True)
class Apply:
    """An effect on other objects: each line of ``lines`` (the object itself when ``None``) that matches moves
    its ``amount`` onto the object of ``target`` whose id the line's ``key`` holds (payments settling invoices)."""

    target: str  # the resource of the objects changed
    key: str  # the line's field naming the target object
    amount: str  # the line's field holding the amount
    field: str  # the target's field changed
    sign: int  # -1: subtract the amount (a balance), 1: add it (an amount paid)
    lines: str | None = None
    match: tuple[tuple[str, Any], ...] = ()
    when: Expression | None = None  # on the object: only when this holds (a payment marked paid)
    refuse: tuple[Refusal, ...] = ()  # on the target, with ``amount`` bound to the line's amount


@dataclass(frozen=True)
class Collect:
    """An action that gathers the parent's objects of its nested collection into a new object of another
    collection and removes them (Invoiced: invoice a customer's pending line items)."""

    target: str  # the resource of the new object
    into: str  # the new object's array property the gathered objects become
    parent: str  # the new object's field naming the parent
    empty: str  # the API's message when there is nothing to gather


@dataclass(frozen=True)
class Listing:
    """A nested list that shows another collection's objects whose field names the parent
    (``GET /customers/{id}/notes``: the notes whose ``customer`` is that customer); or, with ``source``, the objects
    whose ids the addressed object's ``source`` field holds, each under ``under`` in an item of the list
    (``GET /invoices/{id}/attachments``: the files the invoice's ``attachments`` names, each as an attachment's
    ``file``)."""

    resource: str
    field: str = ""
    source: str | None = None
    under: str | None = None


@dataclass(frozen=True)
class EventLog:
    """The API's event log: what the mock records on every write of the objects it names."""

    resource: str  # the collection the events are stored in
    kind: str  # the object's field naming what it is (``object``: invoice); types are ``<kind>.created`` …
    objects: tuple[str, ...]  # the kinds that have events
    when: tuple[tuple[str, Expression], ...] = ()  # a type recorded when its expression turns true on a write


@dataclass(frozen=True)
class Effect:
    """What an action does to the object its path names (:func:`apimodel.hints.operation_hints`)."""

    kind: str | None = None  # next-number | cancel
    set: tuple[tuple[str, Any], ...] = ()
    set_from_query: tuple[tuple[str, str], ...] = ()
    set_from_body: tuple[tuple[str, str], ...] = ()
    header: str | None = None
    refuse_unless: tuple[str, ...] = ()
    when: Expression | None = None  # the changes apply only when this holds on the object (``body``: the request)
    refuse: tuple[Refusal, ...] = ()  # states in which the action is refused with the API's own error
    apply: tuple[Apply, ...] = ()  # effects on related objects (a create's, or an action's)
    collect: Collect | None = None  # the parent's objects gathered into a new object of another collection
    tally: tuple[tuple[str, Expression], ...] = ()  # running totals kept per object, out of its fields (``tally.NAME``)

    @property
    def changes_fields(self) -> bool:
        return bool(self.set or self.set_from_query or self.set_from_body)

    @property
    def refuses(self) -> bool:
        """Whether the API refuses this action in some states of the objects it touches (a schema-valid request
        can then be answered with an error: paying a voided invoice)."""
        refusing = self.refuse or self.refuse_unless or self.collect  # collect: nothing to gather is refused
        return bool(refusing or any(rule.refuse for rule in self.apply))

    @property
    def acts(self) -> bool:
        """Whether the effect does anything beyond guarding the operation (refusals alone do not)."""
        acting = self.kind or self.changes_fields or self.header or self.refuse_unless or self.apply or self.collect
        return bool(acting or self.tally)


@dataclass(frozen=True)
class Computed:
    """A value the API derives from the object's own fields or lines (:func:`apimodel.hints.computed`)."""

    sum: str | None = None  # the array of lines to add up
    product: tuple[str, ...] = ()  # factors multiplied per line (or on the object itself)
    field: str | None = None  # the line's field to add up
    copy: str | None = None  # another property of the object
    expr: Expression | None = None  # an expression over the object's fields
    default: bool = False  # computed only where the object has no value (the caller's value stays)
    remaining: str | None = None  # what is still owed of this property: what was settled stays settled
    on_update: bool = False  # ``default: create``: the caller's value stays on create; an update computes it again


@dataclass(frozen=True)
class SequenceScope:
    """What a numbering sequence is counted per (:func:`apimodel.hints.sequence_per`): the value of one of the
    object's fields (onFact's journal), or the year of a date field (onFact's book year)."""

    field: str
    part: Literal["value", "year"] = "value"

    @property
    def label(self) -> str:
        return self.field if self.part == "value" else f"year of {self.field}"


@dataclass(frozen=True)
class Operation:
    """One operation and every fact about it."""

    method: str  # upper case
    path: str
    operation_id: str
    summary: str
    description: str
    tags: tuple[str, ...]
    source: str | None  # where the facts come from: seed | public-docs | assumption
    resource: str  # the collection it acts on, dotted for nesting: ``customers.contacts``
    action: str  # the method name the client gives it
    role: Role
    item_param: str | None  # the path parameter naming one object of the resource
    parent_params: tuple[str, ...]  # path parameters naming the parents of a nested resource
    params: tuple[Parameter, ...]
    security: tuple[Mapping[str, Any], ...] | None  # None: the document's, () : none needed
    pagination: Pagination | None
    effect: Effect | None
    view: str | None  # the object rendered as a document: pdf | xml | html | zip
    safe: bool  # calling it changes nothing: a live read-only run may send it
    wrapper: str | None  # the key the resource travels under in the JSON request body (Rails style)
    listing: Listing | None  # a nested list of another collection's objects, by the field naming the parent
    reasons: tuple[tuple[str, Reason], ...]
    body: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)  # resolved requestBody
    responses: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, compare=False, repr=False)  # resolved
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)  # the operation object
    path_item: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # where the client shows it when that is not its resource: an AWS action (its own resource, for the mock's
    # state) under its service's name, ``client.ssm.create_association``
    namespace: str | None = None
    # a list nothing creates items for (AWS's Describe actions): how many sampled items the mock serves in it
    mock_items: int = 0
    # a list with nothing to page: its answer is the whole collection (or one object), as the spec says or shows
    whole_collection: bool = False

    @property
    def client_resource(self) -> str:
        """The dotted resource the generated client names it under."""
        return self.namespace or self.resource

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def pointer(self) -> str:
        escaped = self.path.replace("~", "~0").replace("/", "~1")
        return f"/paths/{escaped}/{self.method.lower()}"

    @property
    def body_required(self) -> bool:
        return bool(self.body and self.body.get("required"))

    def reason(self, fact: str) -> Reason | None:
        return next((r for name, r in self.reasons if name == fact), None)

    def success_status(self) -> str | None:
        """The status a successful call gets: the lowest 2xx, else ``2XX``, else a redirect the operation
        declares (``301`` to the object), else ``default``."""
        return self._success_status

    @cached_property
    def _success_status(self) -> str | None:  # asked on every request the mock serves
        codes = sorted(code for code in self.responses if code.startswith("2") and code.isdigit())
        if codes:
            return codes[0]
        if "2XX" in self.responses:
            return "2XX"
        redirects = sorted(code for code in self.responses if code.startswith("3") and code.isdigit())
        return redirects[0] if redirects else ("default" if "default" in self.responses else None)


@dataclass(frozen=True)
class Resource:
    """A collection (or a singleton under a parent) and what its objects look like."""

    name: str
    operations: tuple[str, ...]  # operation keys
    stored: bool  # something creates its objects
    singleton: bool  # one object per parent (``/invoices/{id}/payment_plan``)
    id_field: str
    schema: Any = field(default=None, compare=False, repr=False)  # the object schema
    schema_name: str | None = None  # the component schema, where it is one
    fills: tuple[tuple[str, str], ...] = ()  # property -> how the API fills it (id, now, sequence:…)
    computed: tuple[tuple[str, Computed], ...] = ()
    expands: tuple[tuple[str, str], ...] = ()  # property -> the resource an ``expand`` puts in its place
    counts: tuple[tuple[str, tuple[str, str]], ...] = ()  # property -> (resource, field) whose objects it counts
    trash_flags: tuple[str, ...] = ()  # flags a cancel effect sets to true: flagged objects leave the lists
    # property -> (resource, the fields holding its ids): what ``include=<property>`` embeds
    includes: tuple[tuple[str, tuple[str, tuple[str, ...]]], ...] = ()
    # properties whose value must name an object the tenant has, or the create is refused (the refers-to hint)
    checked_references: tuple[str, ...] = ()

    @property
    def parent(self) -> str | None:
        return self.name.rsplit(".", 1)[0] if "." in self.name else None


@dataclass(frozen=True)
class Credential:
    """One secret a request carries: where, under what name, and which environment variables supply it."""

    scheme: str  # the securitySchemes key; "" for a body credential
    kind: CredentialKind
    name: str  # header, query or cookie name; the HTTP auth word (``bearer``); a body JSON pointer
    env: tuple[str, ...]  # basic: (user, password); otherwise one variable
    reason: Reason  # where the variable names come from
    scheme_type: str = ""  # the scheme's OpenAPI type: http, apiKey, oauth2, openIdConnect; "" for a body credential
    prefix: str = ""  # sent before the value (``Token ``)
    username_only: bool = False  # basic auth with an empty password
    value_format: str = ""  # "uuid" where the value is one
    description: str = ""

    @property
    def env_declared(self) -> bool:
        return self.reason.source == "hint"


@dataclass(frozen=True)
class BodySetting:
    """A non-secret value every request body carries (e-Cont's ``connect.language``)."""

    pointer: str
    env: str | None
    default: str | None


@dataclass(frozen=True)
class ErrorKind:
    """One kind of error: the status the API uses for it and the body it sends (with ``$`` placeholders)."""

    name: str
    status: int | None
    body: Any = field(default=None, compare=False)


@dataclass(frozen=True)
class ErrorModel:
    """The API's error envelope."""

    schema_ref: str | None  # ``#/components/schemas/Error``: the envelope every 4xx/5xx body follows
    reason: Reason
    match_in_success: tuple[tuple[str, Any], ...] = ()  # a 2xx body with these values is an error
    kinds: tuple[ErrorKind, ...] = ()
    # a rate-limit answer sent with another status (CloudInvoice: 400 + {status_code: 429}) and its fixed values
    throttled: tuple[int, tuple[tuple[str, Any], ...]] | None = None

    def kind(self, name: str) -> ErrorKind | None:
        return next((k for k in self.kinds if k.name == name), None)

    def status_of(self, name: str) -> int | None:
        found = self.kind(name)
        return found.status if found is not None else None

    @property
    def in_success(self) -> bool:
        return bool(self.match_in_success)

    def is_envelope(self, body: Any) -> bool:
        """Whether a body is this API's error envelope: it matches ``match-in-success``, or it has the keys
        every declared error body shares (at least two)."""
        if not isinstance(body, dict):
            return False
        if self.match_in_success:
            return all(body.get(k) == v for k, v in self.match_in_success)
        keys = [set(k.body) for k in self.kinds if isinstance(k.body, dict) and k.body]
        common = set.intersection(*keys) if keys else set()
        return len(common) >= 2 and common <= set(body)


@dataclass(frozen=True)
class ServerVariable:
    name: str
    default: str
    enum: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Server:
    name: str  # production, sandbox, …: the environment the description names
    url: str
    description: str
    variables: tuple[ServerVariable, ...]


@dataclass(frozen=True)
class Api:
    """Everything specforge understood about one API."""

    name: str
    label: str  # the spec file as users see it
    openapi: str
    title: str
    version: str
    description: str
    servers: tuple[Server, ...]
    credentials: tuple[Credential, ...]
    body_settings: tuple[BodySetting, ...]
    security: tuple[Mapping[str, Any], ...] | None
    errors: ErrorModel
    content_type_required: str | None  # a Content-Type every request carries, GET included
    nested_attributes: bool  # Rails-style bodies: lines updated by id, ``_destroy`` removes
    operations: tuple[Operation, ...]
    resources: tuple[Resource, ...]
    diagnostics: tuple[Diagnostic, ...]
    data: dict[str, Any] = field(compare=False, repr=False)
    schemas: Any = field(compare=False, repr=False)  # apimodel.schemas.Schemas of ``data``
    _by_key: Mapping[str, Operation] = field(default_factory=dict, compare=False, repr=False)
    _by_resource: Mapping[str, Resource] = field(default_factory=dict, compare=False, repr=False)
    events: EventLog | None = None  # the event log the mock keeps

    def operation(self, method: str, path: str) -> Operation | None:
        return self._by_key.get(f"{method.upper()} {path}")

    def resource(self, name: str) -> Resource | None:
        return self._by_resource.get(name)

    def resource_of(self, operation: Operation) -> Resource:
        return self._by_resource[operation.resource]
