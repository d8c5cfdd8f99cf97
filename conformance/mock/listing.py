"""Lists: the filters and sorting the model's parameters declare, and each API's pagination style."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

from apimodel import FieldPath, Operation, Pagination
from conformance.mock.index import equal, sort_key

__all__ = ["Criteria", "Rows", "apply_filters", "criteria", "paginate"]


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


Test = Callable[[dict[str, Any]], bool]


@dataclass
class Criteria:
    """What a list's query asks for: fields equal to values, other tests, and the sort order(s)."""

    equal: list[tuple[str, Any]] = field(default_factory=list)
    tests: list[Test] = field(default_factory=list)
    sorts: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending), applied in order
    newest_first: bool = False  # no sort asked for, and the list gives the newest objects first

    def keeps(self, obj: dict[str, Any]) -> bool:
        return all(equal(obj.get(f), v) for f, v in self.equal) and all(test(obj) for test in self.tests)


def criteria(op: Operation, query: dict[str, Any]) -> Criteria:
    """The filters and sorting ``query`` asks of the list ``op``, as the model's parameters declare them."""
    today = dt.datetime.now(dt.UTC).date()
    found = Criteria()
    for param in op.params:
        hint = param.filter
        if param.location != "query" or param.name not in query or hint is None:
            continue
        value, kind = query[param.name], hint.kind
        name = hint.field or param.name
        if kind == "eq":
            found.equal.append((name, value))
        elif kind == "object-eq" and isinstance(value, dict):
            found.equal.extend(value.items())
        elif kind == "metadata" and isinstance(value, dict):
            found.tests.append(_metadata_test(list(value.items())))
        elif kind == "period":
            span = _period(str(value), today)
            if value == "more" or param.name in (hint.date_from, hint.date_to):
                low, high = _as_date(query.get(str(hint.date_from))), _as_date(query.get(str(hint.date_to)))
                span = (low or dt.date.min, high or dt.date.max)
            if span is not None:
                found.tests.append(_period_test(name, span))
        elif kind == "search":
            found.tests.append(_search_test(str(value), list(hint.fields)))
        elif kind == "sort":
            found.sorts.append(_sorting(str(value), hint.syntax))
        elif kind == "parts":
            found.tests.append(_parts_test(str(value).split(","), list(hint.fields)))
    found.newest_first = not found.sorts and op.pagination is not None and op.pagination.newest_first
    return found


def _dig(obj: Any, path: str) -> Any:
    for key in path.split("."):
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def _parts_test(parts: list[str], paths: list[str]) -> Test:
    """``related_to=customer,15444``: each comma-separated part equals the field at the same place in ``paths``."""
    if len(parts) != len(paths):
        return lambda obj: False
    return lambda obj: all(equal(_dig(obj, p), v) for p, v in zip(paths, parts, strict=True))


def _metadata_test(pairs: list[tuple[str, Any]]) -> Test:
    return lambda obj: all(equal((obj.get("metadata") or {}).get(k), v) for k, v in pairs)


def _period_test(name: str, span: tuple[dt.date, dt.date]) -> Test:
    return lambda obj: (day := _as_date(obj.get(name))) is not None and span[0] <= day <= span[1]


def _search_test(query: str, fields: list[str]) -> Test:
    return lambda obj: _search(obj, query, fields)


def _by(name: str) -> Callable[[dict[str, Any]], tuple[int, Any]]:
    return lambda obj: sort_key(obj.get(name))


class Rows(Protocol):
    """What a page is cut from: a list, or a selection that works out only the slice asked for."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[dict[str, Any]]: ...

    def __getitem__(self, part: slice, /) -> list[dict[str, Any]]: ...


def apply_filters(op: Operation, query: dict[str, Any], objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``objects`` filtered and sorted as ``query`` asks, one by one (lists that have no bucket to index)."""
    wanted = criteria(op, query)
    result = [o for o in objects if wanted.keeps(o)]
    result = result[::-1] if wanted.newest_first else result
    for name, descending in wanted.sorts:
        result = sorted(result, key=_by(name), reverse=descending)
    return result


def _sorting(value: str, syntax: str) -> tuple[str, bool]:
    value = value.strip()
    descending = False
    if syntax == "field:ascend" and ":" in value:
        name, _, direction = value.partition(":")
        descending = direction.startswith("desc")
    elif syntax == "field.desc" and value.endswith(".desc"):
        name, descending = value[: -len(".desc")], True
    elif value.startswith("-"):
        name, descending = value[1:], True
    else:
        name, _, direction = value.partition(" ")
        descending = direction.strip().lower() == "desc"
    return name, descending


def paginate(
    op: Operation,
    query: dict[str, Any],
    objects: Rows,
    url: str = "",
    pairs: Sequence[tuple[str, str]] = (),
    body: Any = None,
) -> tuple[list[dict[str, Any]], dict[str, str], dict[FieldPath, Any]]:
    """The page to send, extra headers, and values for the list envelope (``count``, ``next``, ``previous``), each
    under its path of keys in the body.

    ``pairs`` are the query as sent: links to other pages keep every parameter the operation declares
    (filters, sorting, ``expand``), change only the page, and never carry a credential. ``body``: the JSON request
    body, where a list whose cursor goes in the body (``cursor_in="body"``) has it.
    """
    style = op.pagination
    headers: dict[str, str] = {}
    total = len(objects)
    if style is None:
        if "limit" in query:
            return list(objects[: max(0, _int(query.get("limit"), total))]), headers, {}
        return list(objects), headers, {}
    default = style.default_per_page or (100 if style.style == "offset" else 25)
    maximum = style.max_per_page or 100
    declared = {p.name for p in op.params if p.location == "query"}
    kept = [(k, v) for k, v in pairs if k.split("[", 1)[0] in declared]
    if style.style in ("cursor", "next-url"):
        raw = dict(pairs)
        if style.cursor_in == "body" and isinstance(body, dict):  # AWS JSON: the token and the size in the body
            raw.update({k: str(body[k]) for k in (style.cursor, style.limit) if k and body.get(k) is not None})
        return _cursor_page(style, raw, objects, url, kept)
    if style.style == "offset":
        offset = max(0, _int(query.get(style.offset), 0))
        limit = min(maximum, max(1, _int(query.get(style.limit), default)))
        envelope: dict[FieldPath, Any] = {(style.count,): total, ("next",): None, ("previous",): None}
        names = {style.offset, style.limit}
        if url and offset + limit < total:
            envelope[("next",)] = _page_url(url, kept, names, {style.offset: offset + limit, style.limit: limit})
        if url and offset > 0:
            previous = {style.offset: max(0, offset - limit), style.limit: limit}
            envelope[("previous",)] = _page_url(url, kept, names, previous)
        return list(objects[offset : offset + limit]), headers, envelope
    page = max(1, _int(query.get(style.page), style.first_page) - style.first_page + 1)  # counted from 1
    per_page = min(maximum, max(1, _int(query.get(style.per_page), default)))
    chunk = list(objects[(page - 1) * per_page : page * per_page])
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
    objects: Rows,
    url: str,
    kept: Sequence[tuple[str, str]],
) -> tuple[list[dict[str, Any]], dict[str, str], dict[FieldPath, Any]]:
    """A page of a cursor list (the cursor is an offset token, or the id of the last item seen) or of a list
    whose pages link to the next one; the envelope values are keyed by body paths."""
    size = min(style.max_per_page or 100, max(1, _int(raw.get(style.limit), style.default_per_page or 10)))
    position = style.cursor or _POSITION
    given = raw.get(position)
    start = 0
    if given and style.style == "cursor" and style.next_cursor is None:  # Stripe: after the object with this id
        ids = [str(o.get(style.id_field)) for o in objects]
        start = ids.index(given) + 1 if given in ids else 0
    elif given:
        start = max(0, _int(given, 0))
    chunk = list(objects[start : start + size])
    more = start + size < len(objects)
    envelope: dict[FieldPath, Any] = {}
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
