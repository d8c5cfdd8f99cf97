"""Patterns read as JSON Schema means them: ECMA-262 with Unicode (``\\p{L}`` is a letter), by the Rust engine of
``jsonschema_rs`` that the mock validates with. Python's ``re``, which openapi-spec-validator and jsonschema use,
reads no ``\\p{…}``; AWS's specs use them, and JavaScript tools and pydantic read them."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import jsonschema_rs

__all__ = ["NotARegex", "is_pattern", "pattern_validator", "regex_format_problem"]

# How openapi-spec-validator checks a pattern where jsonschema-rs is installed (its default backend then): the OpenAPI
# schema gives ``pattern`` ``format: regex``, which that engine reads as ECMA-262 with the u flag, as JSON Schema
# 2020-12 asks. It is stricter than the pattern keyword itself, Python's ``re`` and browsers without u: a lone ``}``
# or ``{``, and escapes of other dialects (``\A``, ``\Z``), are syntax errors.
_FORMAT = jsonschema_rs.Draft4Validator({"type": "string", "format": "regex"}, validate_formats=True)
_QUANTIFIER = re.compile(r"\{\d+(,\d*)?\}")
_OTHER_DIALECTS = {"A": "^", "Z": "$", "z": "$"}


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


def regex_format_problem(pattern: str) -> tuple[str, str] | None:
    """What is wrong with ``pattern`` as ``format: regex`` reads it, and what to change; None when it reads it."""
    if _FORMAT.is_valid(pattern):
        return None
    escaped, in_class, index = False, False, 0
    while index < len(pattern):
        char = pattern[index]
        if escaped:
            escaped = False
            if char in "pPu" and pattern.startswith("{", index + 1):  # \p{L}, \u{1F600}: braces of their own
                index = pattern.find("}", index) if "}" in pattern[index:] else len(pattern)
            elif not in_class and char in _OTHER_DIALECTS:
                return (
                    f"has '\\{char}' at character {index + 1}, "
                    "no escape of ECMA-262 (the dialect of JSON Schema's patterns)",
                    f"write '{_OTHER_DIALECTS[char]}' for it",
                )
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "{":
            quantifier = _QUANTIFIER.match(pattern, index)
            if quantifier is None or index == 0:
                return (
                    f"has a '{{' at character {index + 1} that opens no quantifier ({{n}}, {{n,}}, {{n,m}}): ECMA-262 "
                    "with the u flag (JSON Schema's format: regex) refuses it, though Python's re reads it",
                    "escape it as '\\{'",
                )
            index = quantifier.end() - 1
        elif char == "}":
            return (
                f"has a '}}' at character {index + 1} that closes no quantifier ({{n}}, {{n,}}, {{n,m}}): "
                "ECMA-262 with the u flag (JSON Schema's format: regex) refuses it, though Python's re reads it",
                "escape it as '\\}'",
            )
        index += 1
    return (
        "is no regular expression in ECMA-262 with the u flag (JSON Schema's format: regex), though Python's re "
        "reads it",
        "rewrite it in that dialect (escape only what needs escaping, no \\A or \\Z)",
    )
