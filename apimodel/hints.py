"""Our ``x-`` extensions, read here and nowhere else (specs/README.md documents each one).

Every function takes the raw node that carries a hint and returns a typed value, or ``None`` where the
hint is absent. Malformed hints become warnings in ``problems`` and count as absent.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apimodel.diagnostics import Diagnostic, containers, join_pointer
from apimodel.expressions import Expression, ExpressionError, parse
from apimodel.facts import (
    Apply,
    BodySetting,
    Collect,
    Computed,
    Effect,
    ErrorKind,
    EventLog,
    Filter,
    Listing,
    Pagination,
    Reason,
    Refusal,
    SequenceScope,
)

__all__ = [
    "ACTION",
    "BASIC_USERNAME_ONLY",
    "BODY_CREDENTIALS",
    "BODY_DEFAULTS",
    "COMPUTED",
    "CONTENT_TYPE_REQUIRED",
    "DEFAULTS_FROM",
    "EFFECT",
    "ENV",
    "ERRORS",
    "EVENTS",
    "EXPAND",
    "FILL",
    "FILTER",
    "HINTS",
    "INCLUDE",
    "LISTS",
    "MOCK_ITEMS",
    "PAGINATION",
    "PREFIX",
    "REFERS_TO",
    "RESOURCE",
    "SAFE",
    "SEQUENCE_PER",
    "SOURCE",
    "VIEW",
    "WRAPPER",
    "OperationHints",
    "Problems",
    "SchemeHints",
    "body_credentials",
    "body_settings",
    "check_computed",
    "computed",
    "content_type_required",
    "count",
    "defaults_from",
    "document_pointer",
    "error_hints",
    "event_log",
    "expand",
    "fill",
    "fill_fields",
    "include",
    "operation_hints",
    "parameter_filter",
    "refers_to",
    "scheme_hints",
    "sequence_per",
    "wrapper",
]

# The name of every hint we define; other modules name a hint through these, never spell it.
ERRORS = "x-errors"
BODY_CREDENTIALS = "x-body-credentials"
BODY_DEFAULTS = "x-body-defaults"
CONTENT_TYPE_REQUIRED = "x-content-type-required"
ENV = "x-env"
BASIC_USERNAME_ONLY = "x-basic-username-only"
PREFIX = "x-prefix"
SOURCE = "x-source"
RESOURCE = "x-resource"
ACTION = "x-action"
PAGINATION = "x-pagination"
EFFECT = "x-effect"
VIEW = "x-view"
SAFE = "x-safe"
FILL = "x-fill"
SEQUENCE_PER = "x-sequence-per"
COMPUTED = "x-computed"
EXPAND = "x-expand"
DEFAULTS_FROM = "x-defaults-from"
REFERS_TO = "x-refers-to"
COUNT = "x-count"
INCLUDE = "x-include"
WRAPPER = "x-wrapper"
FILTER = "x-filter"
EVENTS = "x-events"
LISTS = "x-lists"
MOCK_ITEMS = "x-mock-items"

# Every hint, by where it sits (the test that keeps them in this module reads this).
HINTS: dict[str, tuple[str, ...]] = {
    "document": (ERRORS, BODY_CREDENTIALS, BODY_DEFAULTS, CONTENT_TYPE_REQUIRED, EVENTS),
    "security scheme": (ENV, BASIC_USERNAME_ONLY, PREFIX),
    "operation": (SOURCE, RESOURCE, ACTION, PAGINATION, EFFECT, VIEW, SAFE, LISTS, MOCK_ITEMS),
    "schema": (FILL, SEQUENCE_PER, COMPUTED, EXPAND, WRAPPER, INCLUDE, DEFAULTS_FROM, REFERS_TO, COUNT),
    "parameter": (FILTER,),
}


def document_pointer(name: str) -> str:
    """The JSON pointer of a document-level hint."""
    return "/" + name


_PAGING_STYLES = ("page", "link", "offset", "cursor", "next-url")
_PAGING_KEYS = {  # hint key: Pagination field (wire names, taken as written)
    "page": "page",
    "per-page": "per_page",
    "offset": "offset",
    "limit": "limit",
    "count": "count",
    "items": "items",
    "total-header": "total_header",
    "cursor": "cursor",
    "next-cursor": "next_cursor",
    "has-more": "has_more",
    "id-field": "id_field",
    "next-url": "next_url",
}
_PAGING_PATHS = ("next_cursor", "has_more", "next_url")  # body paths, not wire names
_PAGING_OTHER = ("style", "default-per-page", "max-per-page", "order", "first-page", "cursor-in")
# what a style cannot page without: the cursor parameter and where the next one is, the next page's URL
_PAGING_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "cursor": (("cursor",), ("next-cursor", "has-more")),
    "next-url": (("next-url",),),
}
_VIEWS = ("pdf", "xml", "html", "zip")


class Problems:
    """Collects warnings about malformed hints, named by file and pointer."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.found: list[Diagnostic] = []

    def warn(self, pointer: str, code: str, message: str, hint: str = "see specs/README.md") -> None:
        self.found.append(Diagnostic(self.label, pointer, code, message, hint, "warning"))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _pairs(value: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((str(k), v) for k, v in value.items()) if isinstance(value, dict) else ()


# -- operations -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OperationHints:
    source: Any  # as written: validation says what is wrong with it
    resource: str | None
    action: str | None
    pagination: Pagination | None
    effect: Effect | None
    view: str | None
    safe: bool | None
    listing: Listing | None = None
    mock_items: int = 0


def _pagination(raw: Any, pointer: str, problems: Problems) -> Pagination | None:
    if raw is None:
        return None
    style = raw.get("style") if isinstance(raw, dict) else None
    if style not in _PAGING_STYLES:
        problems.warn(
            f"{pointer}/{PAGINATION}",
            "unsupported-pagination",
            f"pagination style {style!r} is not one of {', '.join(_PAGING_STYLES)}",
            "the list is served and called as one page",
        )
        return None
    assert isinstance(raw, dict)
    if raw.get("order", "oldest-first") not in ("oldest-first", "newest-first"):
        problems.warn(
            f"{pointer}/{PAGINATION}/order",
            "bad-order",
            f"order {raw['order']!r} is not oldest-first or newest-first",
            "the list gives the oldest objects first",
        )
    where = f"{pointer}/{PAGINATION}"
    for key in raw:
        if key not in _PAGING_KEYS and key not in _PAGING_OTHER:
            known = ", ".join([*_PAGING_KEYS, *_PAGING_OTHER])
            problems.warn(
                where, "unknown-pagination-key", f"{key!r} is not a key of {PAGINATION}", f"use one of {known}"
            )
    for choices in _PAGING_NEEDS.get(style, ()):
        if not any(raw.get(key) for key in choices):
            needed = " or ".join(repr(key) for key in choices)
            problems.warn(
                where,
                "incomplete-pagination",
                f"style {style!r} needs {needed}",
                "the list is served and called as one page",
            )
            return None
    cursor_in = raw.get("cursor-in", "query")
    if cursor_in not in ("query", "body"):
        problems.warn(
            f"{where}/cursor-in",
            "bad-cursor-in",
            f"cursor-in {cursor_in!r} is not query or body",
            "the cursor goes in the query",
        )
        cursor_in = "query"
    first_page = _int(raw.get("first-page"))
    if raw.get("first-page") is not None and first_page not in (0, 1):
        problems.warn(
            f"{where}/first-page",
            "bad-first-page",
            f"first-page {raw['first-page']!r} is not 0 or 1",
            "pages count from 1",
        )
        first_page = None
    names: dict[str, Any] = {_PAGING_KEYS[k]: str(v) for k, v in raw.items() if k in _PAGING_KEYS and v is not None}
    for hint_key, key in _PAGING_KEYS.items():  # where the page holds a value: a path of keys in the model
        value = raw.get(hint_key)
        if key in _PAGING_PATHS and value is not None:
            # dotted for nested keys (``meta.next_page_url``), or a list of keys where one holds a dot
            names[key] = tuple(map(str, value)) if isinstance(value, list) else tuple(str(value).split("."))
    return Pagination(
        style=style,
        reason=Reason("hint", PAGINATION),
        default_per_page=_int(raw.get("default-per-page")),
        max_per_page=_int(raw.get("max-per-page")),
        newest_first=raw.get("order") == "newest-first",
        cursor_in=cursor_in,
        first_page=1 if first_page is None else first_page,
        **names,
    )


@functools.lru_cache(maxsize=1024)
def _parsed(source: str) -> Expression:
    return parse(source)


def _expression(raw: Any, pointer: str, problems: Problems | None) -> Expression | None:
    """An expression hint (apimodel/expressions.py); a malformed one is a warning and counts as absent."""
    if raw is None:
        return None
    try:
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            raise ExpressionError("an expression is a string")
        return _parsed(str(raw))
    except ExpressionError as exc:
        if problems is not None:
            problems.warn(pointer, "bad-expression", f"{raw!r}: {exc}", "see 'Expressions' in specs/README.md")
        return None


def _refusals(raw: Any, pointer: str, problems: Problems | None) -> tuple[Refusal, ...]:
    """``refuse: {"<expression>": "<the API's message>"}``."""
    found = []
    for source, message in _pairs(raw):
        expression = _expression(source, f"{pointer}/refuse", problems)
        if expression is not None:
            found.append(Refusal(expression, str(message)))
    return tuple(found)


def _apply(raw: Any, pointer: str, problems: Problems | None) -> tuple[Apply, ...]:
    entries = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    found = []
    for index, entry in enumerate(entries):
        where = f"{pointer}/apply/{index}"
        changed = _text(entry.get("subtract-from")) or _text(entry.get("add-to")) if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not _text(entry.get("target")) or not _text(entry.get("key")) or not changed:
            if problems is not None:
                problems.warn(where, "bad-apply", "apply needs target, key and subtract-from or add-to")
            continue
        found.append(
            Apply(
                target=str(entry["target"]),
                key=str(entry["key"]),
                amount=_text(entry.get("amount")) or "amount",
                field=changed,
                sign=-1 if _text(entry.get("subtract-from")) else 1,
                lines=_text(entry.get("lines")),
                match=_pairs(entry.get("match")),
                when=_expression(entry.get("if"), f"{where}/if", problems),
                refuse=_refusals(entry.get("refuse"), where, problems),
            )
        )
    return tuple(found)


def _collect(raw: Any, pointer: str, problems: Problems | None) -> Collect | None:
    """``collect: {target, into, parent, empty}``: gather the parent's objects into a new ``target`` object."""
    if raw is None:
        return None
    names = ("target", "into", "parent")
    if not isinstance(raw, dict) or not all(_text(raw.get(n)) for n in names):
        if problems is not None:
            problems.warn(f"{pointer}/collect", "bad-collect", "collect needs target, into and parent")
        return None
    empty = _text(raw.get("empty")) or "There is nothing to collect."
    return Collect(str(raw["target"]), str(raw["into"]), str(raw["parent"]), empty)


def _listing(raw: Any, pointer: str, problems: Problems) -> Listing | None:
    """``x-lists: {resource, field}`` on a nested list, or ``{resource, from, as}`` on an object's list."""
    if raw is None:
        return None
    if isinstance(raw, dict) and _text(raw.get("resource")) and _text(raw.get("from")) and _text(raw.get("as")):
        return Listing(str(raw["resource"]), source=str(raw["from"]), under=str(raw["as"]))
    if not isinstance(raw, dict) or not _text(raw.get("resource")) or not _text(raw.get("field")):
        problems.warn(f"{pointer}/{LISTS}", "bad-lists", "x-lists needs resource and field, or resource, from and as")
        return None
    return Listing(str(raw["resource"]), str(raw["field"]))


def _effect(raw: Any, pointer: str = "", problems: Problems | None = None) -> Effect | None:
    if not isinstance(raw, dict) or not raw:
        return None
    refuse = raw.get("refuse-unless")
    return Effect(
        kind=_text(raw.get("kind")),
        set=_pairs(raw.get("set")),
        set_from_query=tuple((k, str(v)) for k, v in _pairs(raw.get("set-from-query"))),
        set_from_body=tuple((k, str(v)) for k, v in _pairs(raw.get("set-from-body"))),
        header=_text(raw.get("header")),
        refuse_unless=tuple(str(n) for n in refuse) if isinstance(refuse, list) else (),
        when=_expression(raw.get("if"), f"{pointer}/if", problems),
        refuse=_refusals(raw.get("refuse"), pointer, problems),
        apply=_apply(raw.get("apply"), pointer, problems),
        collect=_collect(raw.get("collect"), pointer, problems),
        tally=_tally(raw.get("tally"), pointer, problems),
    )


def _tally(raw: Any, pointer: str, problems: Problems | None) -> tuple[tuple[str, Expression], ...]:
    """``tally: {paid: body.amount}``: each running total and the expression adding to it."""
    found = []
    for name, source in _pairs(raw):
        expression = _expression(source, f"{pointer}/tally/{name}", problems)
        if expression is not None:
            found.append((name, expression))
    return tuple(found)


_MOST_MOCK_ITEMS = 1000


def operation_hints(operation: Mapping[str, Any], pointer: str, problems: Problems) -> OperationHints:
    view = operation.get(VIEW)
    if view is not None and view not in _VIEWS:
        problems.warn(f"{pointer}/{VIEW}", "bad-view", f"x-view {view!r} is not one of {', '.join(_VIEWS)}")
        view = None
    safe = operation.get(SAFE)
    items = operation.get(MOCK_ITEMS, 0)
    if isinstance(items, bool) or not isinstance(items, int) or not 0 <= items <= _MOST_MOCK_ITEMS:
        problems.warn(
            f"{pointer}/{MOCK_ITEMS}", "bad-mock-items", f"x-mock-items {items!r} is not a whole number 0 to 1000"
        )
        items = 0
    return OperationHints(
        source=operation.get(SOURCE),
        resource=_text(operation.get(RESOURCE)),
        action=_text(operation.get(ACTION)),
        pagination=_pagination(operation.get(PAGINATION), pointer, problems),
        effect=_effect(operation.get(EFFECT), f"{pointer}/{EFFECT}", problems),
        view=view,
        safe=safe if isinstance(safe, bool) else None,
        listing=_listing(operation.get(LISTS), pointer, problems),
        mock_items=items,
    )


# -- parameters and schemas -------------------------------------------------------------------------------
def parameter_filter(parameter: Mapping[str, Any], schema: Any, resolved: Any) -> Filter | None:
    """``x-filter`` on the parameter, beside its schema's ``$ref``, or on the schema it names."""
    raw = next(
        (
            node.get(FILTER)
            for node in (parameter, schema, resolved)
            if isinstance(node, dict) and isinstance(node.get(FILTER), dict)
        ),
        None,
    )
    if not isinstance(raw, dict) or not _text(raw.get("kind")):
        return None
    fields = raw.get("fields")
    return Filter(
        kind=str(raw["kind"]),
        field=_text(raw.get("field")),
        fields=tuple(str(f) for f in fields) if isinstance(fields, list) else (),
        date_from=_text(raw.get("from")),
        date_to=_text(raw.get("to")),
        syntax=_text(raw.get("syntax")) or "field dir",
    )


def fill(resolved: Any) -> str | None:
    """``x-fill`` of a (resolved) property: ``id``, ``now``, ``now-on-update``, ``token``, ``sequence:FORMAT``."""
    return _text(resolved.get(FILL)) if isinstance(resolved, dict) else None


def fill_fields(prop: Any, resolved: Any) -> tuple[tuple[str, str], ...]:
    """``x-fill: {id: id}`` on an object property: how the fields of that nested object are filled on create (a
    member's ``user.id``: a new id of its own, where the schema of the nested object is shared with others)."""
    raw = _mapping(prop, resolved, FILL)
    return tuple((str(k), str(v)) for k, v in raw.items() if isinstance(v, str)) if raw else ()


def count(prop: Any, resolved: Any) -> tuple[str, str] | None:
    """``x-count: {resource, field}``: the number of the tenant's objects of ``resource`` whose ``field`` names this
    object, worked out whenever the object is read (a chasing cadence's ``num_customers``)."""
    raw = _mapping(prop, resolved, COUNT)
    if not isinstance(raw, dict) or not _text(raw.get("resource")) or not _text(raw.get("field")):
        return None
    return str(raw["resource"]), str(raw["field"])


def sequence_per(resolved: Any) -> tuple[SequenceScope, ...]:
    """``x-sequence-per`` beside a ``sequence:`` fill: what each counts a sequence of its own, the value of one of
    the object's fields (``journal_id``: onFact numbers per journal) or the year of a date field (``{year-of:
    date}``: and per book year); the next-number effect reads them from its query parameters of the same names."""
    raw = resolved.get(SEQUENCE_PER) if isinstance(resolved, dict) else None
    scopes: list[SequenceScope] = []
    for entry in raw if isinstance(raw, list) else ():
        if isinstance(entry, dict) and _text(entry.get("year-of")):
            scopes.append(SequenceScope(str(entry["year-of"]), "year"))
        elif isinstance(entry, str) and entry:
            scopes.append(SequenceScope(entry))
    return tuple(scopes)


def _mapping(prop: Any, resolved: Any, key: str) -> dict[str, Any] | None:
    """The mapping hint ``key`` beside a ``$ref`` (``prop``) or on the schema it names (``resolved``)."""
    return next((n[key] for n in (prop, resolved) if isinstance(n, dict) and isinstance(n.get(key), dict)), None)


def computed(prop: Any, resolved: Any, pointer: str = "", problems: Problems | None = None) -> Computed | None:
    """``x-computed`` beside a ``$ref`` or on the schema it names."""
    raw = _mapping(prop, resolved, COMPUTED)
    if raw is None:
        return None
    product = raw.get("product")
    return Computed(
        sum=_text(raw.get("sum")),
        product=tuple(str(p) for p in product) if isinstance(product, list) else (),
        field=_text(raw.get("field")),
        copy=_text(raw.get("copy")),
        expr=_expression(raw.get("expr"), f"{pointer}/{COMPUTED}/expr", problems),
        default=raw.get("default") is True or raw.get("default") == "create",
        remaining=_text(raw.get("remaining")),
        on_update=raw.get("default") == "create",
    )


def check_computed(data: Any, problems: Problems, pointer: str = "") -> None:
    """Warn about every malformed ``x-computed`` expression in the document (they are read lazily, per write)."""
    for node, path in containers(data):
        if isinstance(node, dict) and COMPUTED in node:
            raw = node[COMPUTED]
            computed(node, raw if isinstance(raw, dict) else None, pointer + join_pointer(*path), problems)


def expand(prop: Any, resolved: Any) -> str | None:
    """``x-expand``: the resource whose object replaces an id when the caller asks ``expand=<property>``."""
    for node in (prop, resolved):
        if isinstance(node, dict) and _text(node.get(EXPAND)):
            return str(node[EXPAND])
    return None


def include(prop: Any, resolved: Any) -> tuple[str, tuple[str, ...]] | None:
    """``x-include: {resource, from: [fields]}`` on an array property: the objects of ``resource`` whose ids the
    object's ``from`` fields hold (an id or a list of ids), embedded when the caller asks ``include=<property>``."""
    raw = _mapping(prop, resolved, INCLUDE)
    fields = raw.get("from") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not _text(raw.get("resource")) or not isinstance(fields, list):
        return None
    return str(raw["resource"]), tuple(str(f) for f in fields)


def refers_to(prop: Any, resolved: Any) -> tuple[str, str | None, str | None] | None:
    """``x-refers-to: {resource, field, refuse}`` on a property naming an object of ``resource`` whose name does not
    say so (onFact's ``customer_id`` names a contact): by its id, or by ``field`` (CloudInvoice's ``client_code``);
    ``refuse``: the API's message when a create names none of the tenant's objects."""
    raw = _mapping(prop, resolved, REFERS_TO)
    if not isinstance(raw, dict) or not _text(raw.get("resource")):
        return None
    return str(raw["resource"]), _text(raw.get("field")), _text(raw.get("refuse"))


def defaults_from(prop: Any, resolved: Any) -> tuple[str, tuple[str, ...]] | None:
    """``x-defaults-from: {resource, fields: [names]}`` on a property holding the id of an object of ``resource``:
    the object (or line) takes those fields from it where it has no value of its own (a position's price from its
    product)."""
    raw = _mapping(prop, resolved, DEFAULTS_FROM)
    fields = raw.get("fields") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not _text(raw.get("resource")) or not isinstance(fields, list):
        return None
    return str(raw["resource"]), tuple(str(f) for f in fields)


def wrapper(resolved: Any) -> str | None:
    """``x-wrapper`` of a (resolved) request body schema: the key the resource travels under."""
    return _text(resolved.get(WRAPPER)) if isinstance(resolved, dict) else None


# -- security schemes -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SchemeHints:
    env: tuple[str, ...] | None
    username_only: bool
    prefix: str


def scheme_hints(scheme: Mapping[str, Any], pointer: str, problems: Problems) -> SchemeHints:
    raw_env = scheme.get(ENV)
    env = None
    if isinstance(raw_env, list) and raw_env:
        env = tuple(str(e) for e in raw_env)
    elif isinstance(raw_env, str) and raw_env:
        env = (raw_env,)
    prefix = scheme.get(PREFIX, "")
    if not isinstance(prefix, str) or "\n" in prefix or "\r" in prefix:
        problems.warn(
            f"{pointer}/{PREFIX}", "bad-prefix", "x-prefix must be a one-line string",
            'write it as a quoted string such as "Token "',
        )  # fmt: skip
        prefix = ""
    return SchemeHints(env, scheme.get(BASIC_USERNAME_ONLY) is True, prefix)


# -- the document -----------------------------------------------------------------------------------------
def _pointer_entries(data: Mapping[str, Any], key: str, problems: Problems) -> list[dict[str, Any]]:
    entries = []
    for index, entry in enumerate(data.get(key) or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("pointer"), str):
            problems.warn(join_pointer(key, index), "bad-body-credential", "entry needs a 'pointer' string")
            continue
        entries.append(entry)
    return entries


def body_credentials(data: Mapping[str, Any], problems: Problems) -> list[tuple[str, str | None]]:
    """``x-body-credentials``: (JSON pointer into every request body, environment variable)."""
    return [
        (str(e["pointer"]), str(e["env"]) if e.get("env") else None)
        for e in _pointer_entries(data, BODY_CREDENTIALS, problems)
    ]


def body_settings(data: Mapping[str, Any], problems: Problems) -> tuple[BodySetting, ...]:
    """``x-body-defaults``: non-secret values every request body carries."""
    return tuple(
        BodySetting(
            str(e["pointer"]),
            str(e["env"]) if e.get("env") else None,
            str(e["default"]) if e.get("default") is not None else None,
        )
        for e in _pointer_entries(data, BODY_DEFAULTS, problems)
    )


def content_type_required(data: Mapping[str, Any]) -> str | None:
    value = data.get(CONTENT_TYPE_REQUIRED)
    return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class ErrorHints:
    schema_ref: str | None
    match_in_success: tuple[tuple[str, Any], ...]
    kinds: tuple[ErrorKind, ...]


def error_hints(data: Mapping[str, Any]) -> ErrorHints | None:
    raw = data.get(ERRORS)
    if not isinstance(raw, dict):
        return None
    kinds = []
    for name, spec in (raw.get("kinds") or {}).items() if isinstance(raw.get("kinds"), dict) else ():
        if isinstance(spec, dict):
            kinds.append(ErrorKind(str(name), _int(spec.get("status")), spec.get("body")))
    return ErrorHints(
        schema_ref=_text(raw.get("schema")),
        match_in_success=tuple(sorted(_pairs(raw.get("match-in-success")))),
        kinds=tuple(kinds),
    )


def event_log(data: Mapping[str, Any], problems: Problems) -> EventLog | None:
    """``x-events: {resource, kind, objects, when: {type: expression}}``: the event log the mock keeps."""
    raw = data.get(EVENTS)
    if raw is None:
        return None
    objects = raw.get("objects") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not _text(raw.get("resource")) or not isinstance(objects, list):
        problems.warn(document_pointer(EVENTS), "bad-events", "x-events needs resource and a list of objects")
        return None
    when = []
    for name, source in _pairs(raw.get("when")):
        expression = _expression(source, f"{document_pointer(EVENTS)}/when/{name}", problems)
        if expression is not None:
            when.append((name, expression))
    kind = _text(raw.get("kind")) or "object"
    return EventLog(str(raw["resource"]), kind, tuple(str(o) for o in objects), tuple(when))
