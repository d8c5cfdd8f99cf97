"""Lists: the filters and sorting the model's parameters declare, and each API's pagination style."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from apimodel import Operation, Pagination

__all__ = ["apply_filters", "paginate"]


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _period(name: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    first = today.replace(day=1)
    if name == "this_month":
        return first, today
    if name == "last_month":
        end = first - dt.timedelta(days=1)
        return end.replace(day=1), end
    if name == "last_30_days":
        return today - dt.timedelta(days=30), today
    if name == "last_12_months":
        return today - dt.timedelta(days=365), today
    if name == "this_year":
        return today.replace(month=1, day=1), today
    if name == "last_year":
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    return None


def _equal(actual: Any, wanted: Any) -> bool:
    if isinstance(actual, dict) and "id" in actual:
        actual = actual["id"]
    if isinstance(actual, bool) or isinstance(wanted, bool):
        return str(actual).lower() in ("1", "true") if str(wanted).lower() in ("1", "true") else not actual
    return str(actual) == str(wanted)


def _search(obj: dict[str, Any], query: str, fields: list[str]) -> bool:
    for term in (t.strip() for t in query.split("&&")):
        if not term:
            continue
        negate = term.startswith("!")
        term = term.lstrip("!")
        if ":" in term:
            field, pattern = term.split(":", 1)
            hit = fnmatch.fnmatch(str(obj.get(field, "")).lower(), pattern.lower())
        elif isinstance(obj.get(term), bool):
            hit = bool(obj[term])
        else:
            hit = any(term.lower() in str(obj.get(f, "")).lower() for f in fields or list(obj))
        if hit == negate:
            return False
    return True


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (1, value)
    return (2, str(value))


def apply_filters(op: Operation, query: dict[str, Any], objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    today = dt.datetime.now(dt.UTC).date()
    result = objects
    for param in op.params:
        hint = param.filter
        if param.location != "query" or param.name not in query or hint is None:
            continue
        value, kind = query[param.name], hint.kind
        field = hint.field or param.name
        if kind == "eq":
            result = [o for o in result if _equal(o.get(field), value)]
        elif kind == "object-eq" and isinstance(value, dict):
            result = [o for o in result if all(_equal(o.get(k), v) for k, v in value.items())]
        elif kind == "metadata" and isinstance(value, dict):
            result = [o for o in result if all(_equal((o.get("metadata") or {}).get(k), v) for k, v in value.items())]
        elif kind == "period":
            span = _period(str(value), today)
            if value == "more" or param.name in (hint.date_from, hint.date_to):
                low, high = _as_date(query.get(str(hint.date_from))), _as_date(query.get(str(hint.date_to)))
                span = (low or dt.date.min, high or dt.date.max)
            if span is not None:
                result = [o for o in result if (d := _as_date(o.get(field))) is not None and span[0] <= d <= span[1]]
        elif kind == "search":
            result = [o for o in result if _search(o, str(value), list(hint.fields))]
        elif kind == "sort":
            result = _sorted(result, str(value), hint.syntax)
    return result


def _sorted(objects: list[dict[str, Any]], value: str, syntax: str) -> list[dict[str, Any]]:
    value = value.strip()
    descending = False
    if syntax == "field:ascend" and ":" in value:
        field, _, direction = value.partition(":")
        descending = direction.startswith("desc")
    elif syntax == "field.desc" and value.endswith(".desc"):
        field, descending = value[: -len(".desc")], True
    elif value.startswith("-"):
        field, descending = value[1:], True
    else:
        field, _, direction = value.partition(" ")
        descending = direction.strip().lower() == "desc"
    return sorted(objects, key=lambda o: _sort_key(o.get(field)), reverse=descending)


def paginate(
    op: Operation,
    query: dict[str, Any],
    objects: list[dict[str, Any]],
    url: str = "",
    pairs: Sequence[tuple[str, str]] = (),
) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, Any]]:
    """The page to send, extra headers, and values for the list envelope (``count``, ``next``, ``previous``).

    ``pairs`` are the query as sent: links to other pages keep every parameter the operation declares
    (filters, sorting, ``expand``), change only the page, and never carry a credential.
    """
    style = op.pagination
    headers: dict[str, str] = {}
    total = len(objects)
    if style is None:
        if "limit" in query:
            return objects[: max(0, _int(query.get("limit"), total))], headers, {}
        return objects, headers, {}
    default = style.default_per_page or (100 if style.style == "offset" else 25)
    maximum = style.max_per_page or 100
    declared = {p.name for p in op.params if p.location == "query"}
    kept = [(k, v) for k, v in pairs if k.split("[", 1)[0] in declared]
    if style.style in ("cursor", "next-url"):
        return _cursor_page(style, dict(pairs), objects, url, kept)
    if style.style == "offset":
        offset = max(0, _int(query.get(style.offset), 0))
        limit = min(maximum, max(1, _int(query.get(style.limit), default)))
        envelope: dict[str, Any] = {style.count: total, "next": None, "previous": None}
        names = {style.offset, style.limit}
        if url and offset + limit < total:
            envelope["next"] = _page_url(url, kept, names, {style.offset: offset + limit, style.limit: limit})
        if url and offset > 0:
            previous = {style.offset: max(0, offset - limit), style.limit: limit}
            envelope["previous"] = _page_url(url, kept, names, previous)
        return objects[offset : offset + limit], headers, envelope
    page = max(1, _int(query.get(style.page), 1))
    per_page = min(maximum, max(1, _int(query.get(style.per_page), default)))
    chunk = objects[(page - 1) * per_page : page * per_page]
    if style.style == "link":
        last = max(1, -(-total // per_page))
        names = {style.page, style.per_page}

        def link(number: int, rel: str) -> str:
            target = _page_url(url, kept, names, {style.page: number, style.per_page: per_page})
            return f'<{target}>; rel="{rel}"'

        links = [link(page, "self"), link(1, "first")]
        if page > 1:
            links.append(link(page - 1, "previous"))
        if page < last:
            links.append(link(page + 1, "next"))
        links.append(link(last, "last"))
        headers["Link"] = ", ".join(links)
        headers[style.total_header or "X-Total-Count"] = str(total)
    return chunk, headers, {}


_POSITION = "page_token"  # where a next-page URL carries the position when the spec declares no parameter for it


def _cursor_page(
    style: Pagination,
    raw: dict[str, str],
    objects: list[dict[str, Any]],
    url: str,
    kept: Sequence[tuple[str, str]],
) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, Any]]:
    """A page of a cursor list (the cursor is an offset token, or the id of the last item seen) or of a list
    whose pages link to the next one; the envelope values are keyed by dotted body paths."""
    size = min(style.max_per_page or 100, max(1, _int(raw.get(style.limit), style.default_per_page or 10)))
    position = style.cursor or _POSITION
    given = raw.get(position)
    start = 0
    if given and style.style == "cursor" and style.next_cursor is None:  # Stripe: after the object with this id
        ids = [str(o.get(style.id_field)) for o in objects]
        start = ids.index(given) + 1 if given in ids else 0
    elif given:
        start = max(0, _int(given, 0))
    chunk = objects[start : start + size]
    more = start + size < len(objects)
    envelope: dict[str, Any] = {}
    if style.has_more:
        envelope[style.has_more] = more
    if style.next_cursor:
        envelope[style.next_cursor] = str(start + size) if more else None
    if style.next_url:
        names = {position, style.limit}
        envelope[style.next_url] = (
            _page_url(url, kept, names, {position: start + size, style.limit: size}) if more else None
        )
    return chunk, {}, envelope


def _page_url(url: str, kept: Sequence[tuple[str, str]], names: set[str], page: dict[str, int]) -> str:
    """``url`` with the kept query pairs, the page parameters replaced by ``page``."""
    pairs = [(k, v) for k, v in kept if k not in names] + [(k, str(v)) for k, v in page.items()]
    return f"{url}?{urlencode(pairs)}"


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
