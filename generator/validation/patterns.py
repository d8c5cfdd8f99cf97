"""Patterns read as JSON Schema means them: ECMA-262 with Unicode (``\\p{L}`` is a letter), by the Rust engine of
``jsonschema_rs`` that the mock validates with. Python's ``re``, which openapi-spec-validator and jsonschema use,
reads no ``\\p{…}``; AWS's specs use them, and JavaScript tools and pydantic read them."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jsonschema_rs

__all__ = ["NotARegex", "is_pattern", "pattern_validator"]


class NotARegex(ValueError):
    """A pattern no engine reads."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.pattern = pattern


@lru_cache(maxsize=1024)
def pattern_validator(pattern: str) -> Any:
    """A validator of strings against ``pattern``; raises :class:`NotARegex` where it does not compile."""
    try:
        return jsonschema_rs.validator_for({"pattern": pattern})
    except (jsonschema_rs.ValidationError, ValueError):
        raise NotARegex(pattern) from None


def is_pattern(pattern: str) -> bool:
    try:
        pattern_validator(pattern)
    except NotARegex:
        return False
    return True
