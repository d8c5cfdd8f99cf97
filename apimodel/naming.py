"""Words from names: ``fooBar-baz`` is ``foo_bar_baz`` wherever specforge derives a name."""

from __future__ import annotations

import re

__all__ = ["snake_case", "unique_name"]

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")


def snake_case(raw: str) -> str:
    """``fooBar-baz`` → ``foo_bar_baz``; ``HTTPCode`` → ``http_code``."""
    spaced = _WORD_BOUNDARY.sub("_", raw)
    return _NON_WORD.sub("_", spaced).strip("_").lower()


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``… whichever is free; records the choice in ``taken``."""
    candidate, index = name, 2
    while candidate in taken:
        candidate = f"{name}_{index}"
        index += 1
    taken.add(candidate)
    return candidate
