"""Names decided once: Python identifiers, class names, resource attributes and method names."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

from apimodel.naming import snake_case, unique_name

__all__ = [
    "ClassName",
    "PythonIdentifier",
    "class_name",
    "python_identifier",
    "snake_case",
    "unique_name",
]


class PythonIdentifier(str):
    """A valid, non-keyword, snake_case Python identifier."""

    __slots__ = ()


class ClassName(str):
    """A valid PascalCase class name."""

    __slots__ = ()


_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")
_RESERVED = frozenset({"self", "cls", "types", "request_options", "omit", "Any"})


def python_identifier(raw: str, *, fallback: str = "value", reserved: Iterable[str] = ()) -> PythonIdentifier:
    """A usable identifier for ``raw``: snake_case, never a keyword, never starting with a digit."""
    name = snake_case(raw) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _RESERVED or name in set(reserved):
        name = f"{name}_"
    return PythonIdentifier(name)


def class_name(raw: str, *, fallback: str = "Model") -> ClassName:
    """``price_list`` → ``PriceList``; keeps existing capitals (``HTTPError`` stays)."""
    parts = [p for p in _NON_WORD.split(raw) if p]
    name = "".join(p[0].upper() + p[1:] for p in parts) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if keyword.iskeyword(name):
        name = f"{name}_"
    return ClassName(name)
