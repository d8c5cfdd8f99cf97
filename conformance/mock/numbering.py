"""Numbers users see (an invoice's ``INV-0042``, onFact's raw ``number``): the ``sequence:`` fill's counters, the
number they give, and the number a client chose, read back so that its sequence moves on past it."""

from __future__ import annotations

import datetime
import re
import string
from typing import Any

from apimodel import Operation, hints
from apimodel.facts import SequenceScope

__all__ = ["counter", "formatted", "taken_number"]

_YEAR = re.compile(r"\d{4}")


def period() -> dict[str, int]:
    """The current period, for numbering formats such as ``{n}/{month}/{year}``."""
    today = datetime.date.today()
    return {"year": today.year, "month": today.month}


def counter(op: Operation, name: str, spec: Any, values: dict[str, Any]) -> str:
    """The store counter of a ``sequence:`` fill: one per resource and property, and one per value of each scope
    the sequence-per hint names (``values``: the object, or the next-number call's query)."""
    scope = "".join(_scope_key(s, values) for s in hints.sequence_per(spec))
    return f"seq:{op.resource}:{name}{scope}"


def _scope_key(scope: SequenceScope, values: dict[str, Any]) -> str:
    value = values.get(scope.field)
    if scope.part == "year":  # a date's book year; an object without a date counts in the current one
        found = _YEAR.match(str(value)) if value is not None else None
        return f":year({scope.field})={found.group() if found else period()['year']}"
    return f":{scope.field}={'' if value is None else value}"


def formatted(fill: str, number: int) -> str:
    """The text a ``sequence:FORMAT`` fill gives ``number`` (the bare number where the format does not apply)."""
    try:
        return fill[len("sequence:") :].format(n=number, **period())
    except (ValueError, KeyError, IndexError):
        return str(number)


# the highest chosen number a sequence goes on from (JavaScript's Number.MAX_SAFE_INTEGER): past it a double (the
# shared state's counters file, and a JavaScript client's every number) no longer tells one number from the next
MAX_COUNTED = 2**53 - 1


def taken_number(fill: str, value: Any) -> int | None:
    """The number a client-chosen value holds in the fill's format (``INV-0040`` -> 40; ``40/12/2026`` -> 40 in
    December 2026, ``None`` in another period, whose sequence this is not), or ``None`` where it does not match.

    A number past :data:`MAX_COUNTED` is not counted on (``None``): the next one left out does not follow it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) <= MAX_COUNTED else None
    pattern, now, named = "", period(), False
    try:
        parts = list(string.Formatter().parse(fill[len("sequence:") :]))
    except ValueError:
        return None
    for literal, field, _, _ in parts:
        pattern += re.escape(literal)
        if field == "n" and not named:
            pattern, named = pattern + r"(?P<n>\d+)", True
        elif field in now:
            pattern += rf"0*{now[field]}"
        elif field is not None:
            pattern += r"\d+"
    found = re.fullmatch(pattern, str(value)) if named else None
    if found is None or len(found["n"]) > len(str(MAX_COUNTED)):
        return None
    taken = int(found["n"])
    return taken if taken <= MAX_COUNTED else None
