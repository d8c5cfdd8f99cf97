"""Our ``x-`` extensions, read here and nowhere else (specs/README.md documents each one).

Every function takes the raw node that carries a hint and returns a typed value, or ``None`` where the
hint is absent. Malformed hints become warnings in ``problems`` and count as absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apimodel.diagnostics import Diagnostic, join_pointer
from apimodel.facts import BodySetting, Computed, Effect, ErrorKind, Filter, Pagination, Reason

__all__ = [
    "HINTS",
    "OperationHints",
    "SchemeHints",
    "body_credentials",
    "body_settings",
    "computed",
    "content_type_required",
    "error_hints",
    "expand",
    "fill",
    "operation_hints",
    "parameter_filter",
    "scheme_hints",
    "wrapper",
]

# Every hint we define, by where it sits (the test that keeps them in one module reads this).
HINTS: dict[str, tuple[str, ...]] = {
    "document": ("x-errors", "x-body-credentials", "x-body-defaults", "x-content-type-required"),
    "security scheme": ("x-env", "x-basic-username-only", "x-prefix"),
    "operation": ("x-source", "x-resource", "x-action", "x-pagination", "x-effect", "x-view", "x-safe"),
    "schema": ("x-fill", "x-computed", "x-expand", "x-wrapper"),
    "parameter": ("x-filter",),
}

_PAGING_STYLES = ("page", "link", "offset")
_PAGING_KEYS = {
    "page": "page",
    "per-page": "per_page",
    "offset": "offset",
    "limit": "limit",
    "count": "count",
    "items": "items",
    "total-header": "total_header",
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


def _pagination(raw: Any, pointer: str, problems: Problems) -> Pagination | None:
    if raw is None:
        return None
    style = raw.get("style") if isinstance(raw, dict) else None
    if style not in _PAGING_STYLES:
        problems.warn(
            f"{pointer}/x-pagination",
            "unsupported-pagination",
            f"pagination style {style!r} is not one of {', '.join(_PAGING_STYLES)}",
            "the list is served and called as one page",
        )
        return None
    assert isinstance(raw, dict)
    names = {_PAGING_KEYS[k]: str(v) for k, v in raw.items() if k in _PAGING_KEYS and v is not None}
    return Pagination(
        style=style,
        reason=Reason("hint", "x-pagination"),
        default_per_page=_int(raw.get("default-per-page")),
        max_per_page=_int(raw.get("max-per-page")),
        **names,
    )


def _effect(raw: Any) -> Effect | None:
    if not isinstance(raw, dict):
        return None
    refuse = raw.get("refuse-unless")
    return Effect(
        kind=_text(raw.get("kind")),
        set=_pairs(raw.get("set")),
        set_from_query=tuple((k, str(v)) for k, v in _pairs(raw.get("set-from-query"))),
        set_from_body=tuple((k, str(v)) for k, v in _pairs(raw.get("set-from-body"))),
        header=_text(raw.get("header")),
        refuse_unless=tuple(str(n) for n in refuse) if isinstance(refuse, list) else (),
    )


def operation_hints(operation: Mapping[str, Any], pointer: str, problems: Problems) -> OperationHints:
    view = operation.get("x-view")
    if view is not None and view not in _VIEWS:
        problems.warn(f"{pointer}/x-view", "bad-view", f"x-view {view!r} is not one of {', '.join(_VIEWS)}")
        view = None
    safe = operation.get("x-safe")
    return OperationHints(
        source=operation.get("x-source"),
        resource=_text(operation.get("x-resource")),
        action=_text(operation.get("x-action")),
        pagination=_pagination(operation.get("x-pagination"), pointer, problems),
        effect=_effect(operation.get("x-effect")),
        view=view,
        safe=safe if isinstance(safe, bool) else None,
    )


# -- parameters and schemas -------------------------------------------------------------------------------
def parameter_filter(parameter: Mapping[str, Any], schema: Any, resolved: Any) -> Filter | None:
    """``x-filter`` on the parameter, beside its schema's ``$ref``, or on the schema it names."""
    raw = next(
        (
            node.get("x-filter")
            for node in (parameter, schema, resolved)
            if isinstance(node, dict) and isinstance(node.get("x-filter"), dict)
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
    return _text(resolved.get("x-fill")) if isinstance(resolved, dict) else None


def computed(prop: Any, resolved: Any) -> Computed | None:
    """``x-computed`` beside a ``$ref`` or on the schema it names."""
    raw = next(
        (
            n.get("x-computed")
            for n in (prop, resolved)
            if isinstance(n, dict) and isinstance(n.get("x-computed"), dict)
        ),
        None,
    )
    if raw is None:
        return None
    product = raw.get("product")
    return Computed(
        sum=_text(raw.get("sum")),
        product=tuple(str(p) for p in product) if isinstance(product, list) else (),
        field=_text(raw.get("field")),
        copy=_text(raw.get("copy")),
    )


def expand(prop: Any, resolved: Any) -> str | None:
    """``x-expand``: the resource whose object replaces an id when the caller asks ``expand=<property>``."""
    for node in (prop, resolved):
        if isinstance(node, dict) and _text(node.get("x-expand")):
            return str(node["x-expand"])
    return None


def wrapper(resolved: Any) -> str | None:
    """``x-wrapper`` of a (resolved) request body schema: the key the resource travels under."""
    return _text(resolved.get("x-wrapper")) if isinstance(resolved, dict) else None


# -- security schemes -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SchemeHints:
    env: tuple[str, ...] | None
    username_only: bool
    prefix: str


def scheme_hints(scheme: Mapping[str, Any], pointer: str, problems: Problems) -> SchemeHints:
    raw_env = scheme.get("x-env")
    env = None
    if isinstance(raw_env, list) and raw_env:
        env = tuple(str(e) for e in raw_env)
    elif isinstance(raw_env, str) and raw_env:
        env = (raw_env,)
    prefix = scheme.get("x-prefix", "")
    if not isinstance(prefix, str) or "\n" in prefix or "\r" in prefix:
        problems.warn(
            f"{pointer}/x-prefix", "bad-prefix", "x-prefix must be a one-line string",
            'write it as a quoted string such as "Token "',
        )  # fmt: skip
        prefix = ""
    return SchemeHints(env, scheme.get("x-basic-username-only") is True, prefix)


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
        for e in _pointer_entries(data, "x-body-credentials", problems)
    ]


def body_settings(data: Mapping[str, Any], problems: Problems) -> tuple[BodySetting, ...]:
    """``x-body-defaults``: non-secret values every request body carries."""
    return tuple(
        BodySetting(
            str(e["pointer"]),
            str(e["env"]) if e.get("env") else None,
            str(e["default"]) if e.get("default") is not None else None,
        )
        for e in _pointer_entries(data, "x-body-defaults", problems)
    )


def content_type_required(data: Mapping[str, Any]) -> str | None:
    value = data.get("x-content-type-required")
    return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class ErrorHints:
    schema_ref: str | None
    match_in_success: tuple[tuple[str, Any], ...]
    kinds: tuple[ErrorKind, ...]


def error_hints(data: Mapping[str, Any]) -> ErrorHints | None:
    raw = data.get("x-errors")
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
