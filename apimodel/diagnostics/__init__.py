"""Diagnostics: every problem found in a spec, named by code and JSON pointer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Diagnostic", "Severity", "SpecError", "containers", "escape_pointer", "join_pointer"]

Severity = Literal["error", "warning"]


def escape_pointer(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(*tokens: str | int) -> str:
    """Build a JSON pointer from unescaped tokens: ``join_pointer("paths", "/a")`` is ``/paths/~1a``."""
    return "".join("/" + escape_pointer(str(token)) for token in tokens)


def containers(data: Any) -> Iterator[tuple[Any, tuple[str | int, ...]]]:
    """Every mapping and list in ``data`` with the keys that lead to it, in document order, without recursion.

    The keys come as a tuple, spelled as a pointer (``join_pointer(*path)``) only where one is reported: a
    Stripe-sized spec has 100,000 containers."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())] if isinstance(data, dict | list) else []
    while stack:
        node, path = stack.pop()
        yield node, path
        items: Any = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend(reversed([(value, (*path, key)) for key, value in items if isinstance(value, dict | list)]))


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one place of one spec file.

    Rendered as ``error[code] specs/x.yaml#/json/pointer: what is wrong; what to do``.
    """

    file: str
    pointer: str
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        where = f"{self.file}#{self.pointer}" if self.pointer else self.file
        text = f"{self.severity}[{self.code}] {where}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text

    def __str__(self) -> str:
        return self.format()


class SpecError(Exception):
    """A spec that cannot be used at all (missing, not YAML, not OpenAPI)."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))
