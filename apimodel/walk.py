"""Walking an OpenAPI document: operations, references, media types."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from apimodel.diagnostics import join_pointer

__all__ = ["HTTP_METHODS", "OperationRef", "iter_operations", "iter_refs", "local_ref_target"]

HTTP_METHODS: tuple[str, ...] = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class OperationRef:
    """One operation of a document, with the path item's shared parameters."""

    path: str
    method: str
    operation: dict[str, Any]
    path_item: dict[str, Any]

    @property
    def pointer(self) -> str:
        return join_pointer("paths", self.path, self.method)

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"


def iter_operations(data: dict[str, Any]) -> Iterator[OperationRef]:
    """Every operation in document order."""
    paths = data.get("paths") or {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield OperationRef(str(path), method, operation, item)


def iter_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` value below ``node``, with the pointer of the object holding it."""
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ref, where
            for key, value in current.items():
                if isinstance(value, dict | list):
                    stack.append((value, f"{where}/{str(key).replace('~', '~0').replace('/', '~1')}"))
        elif isinstance(current, list):
            for index, value in enumerate(current):
                if isinstance(value, dict | list):
                    stack.append((value, f"{where}/{index}"))


def local_ref_target(ref: str) -> str | None:
    """``#/components/schemas/X`` -> ``/components/schemas/X``; ``None`` for a non-local ref."""
    return ref[1:] if ref.startswith("#") else None
