"""Keeping secrets out of everything a run prints or writes."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["REDACTED", "SENSITIVE_HEADERS", "Redactor"]

REDACTED = "[REDACTED]"

SENSITIVE_HEADERS: frozenset[str] = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-session-key", "api-key"}
)


class Redactor:
    """Replaces every known secret, and the value of every sensitive header, with ``[REDACTED]``."""

    __slots__ = ("_pattern",)

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        unique = sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(s) for s in unique)) if unique else None

    def __repr__(self) -> str:
        return "Redactor(<secrets hidden>)"

    def text(self, value: str) -> str:
        if self._pattern is None:
            return value
        return self._pattern.sub(REDACTED, value)

    def header(self, name: str, value: str) -> str:
        if name.lower() in SENSITIVE_HEADERS:
            return REDACTED
        return self.text(value)

    def headers(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(name, self.header(name, value)) for name, value in headers]
