"""What a generated method hands the runtime: the operation as data, and types described without ``eval``."""

from __future__ import annotations

import functools
import importlib
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from types import GenericAlias, ModuleType
from typing import Any, Literal, cast

from pydantic import TypeAdapter

from ._xml import XmlShape

__all__ = [
    "BodyEncoding",
    "Endpoint",
    "ResponseKind",
    "TypeRef",
    "resolve_type",
    "resolved_type",
    "type_adapter",
    "xml_shapes",
]

ResponseKind = Literal["json", "xml", "bytes", "text", "headers", "empty"]
BodyEncoding = Literal["json", "form", "multipart", "bytes", "text", "none"]
# A type as data: "int", "types.Invoice", ("list", ref), ("dict", key, value), ("|", *refs), ("Literal", *values)
TypeRef = str | tuple[Any, ...]

_ADAPTERS: dict[tuple[str, TypeRef], TypeAdapter[Any]] = {}
_LEAVES: dict[str, Any] = {
    "int": int, "str": str, "float": float, "bool": bool, "bytes": bytes, "Any": Any, "None": None,
}  # fmt: skip


def resolve_type(ref: TypeRef, models: ModuleType) -> Any:
    """The type a :data:`TypeRef` describes; model names are looked up on ``models`` (no ``eval``)."""
    if isinstance(ref, str):
        if ref.startswith("types."):
            return getattr(models, ref[len("types.") :])
        return _LEAVES[ref]
    head, *args = ref
    if head == "Literal":
        return cast(Any, Literal)[tuple(args)]  # Literal["a", "b"] built from values
    parts = [resolve_type(arg, models) for arg in args]
    if head == "|":
        return functools.reduce(operator.or_, parts)
    return GenericAlias(list if head == "list" else dict, tuple(parts))


@dataclass(frozen=True)
class Endpoint:
    """One operation as the runtime needs it; resources keep one per method as a module constant."""

    method: str
    path: str
    response: ResponseKind = "json"
    response_type: TypeRef | None = None
    accept: str | None = None
    encoding: BodyEncoding = "none"
    content_type: str | None = None
    idempotent: bool = True
    body_credentials: bool = False
    operation: str = ""  # the method a user called, ``invoices.retrieve``: named in warnings and errors
    xml_shape: XmlShape | None = None  # where an XML answer's values sit (``response="xml"``), see ``_xml``


def type_adapter(types_module: str, ref: TypeRef) -> TypeAdapter[Any]:
    """The (cached) pydantic adapter for ``ref``; the models module is imported on first use, so importing
    the client stays fast."""
    key = (types_module, ref)
    adapter = _ADAPTERS.get(key)
    if adapter is None:
        adapter = TypeAdapter(resolve_type(ref, importlib.import_module(types_module)))
        _ADAPTERS[key] = adapter
    return adapter


def resolved_type(types_module: str, ref: TypeRef) -> Any:
    """The type ``ref`` describes, its model names looked up in ``types_module``."""
    return resolve_type(ref, importlib.import_module(types_module))


def xml_shapes(types_module: str) -> Mapping[str, XmlShape]:
    """The package's table of named XML shapes (its ``_xml_shapes`` module, beside ``types``), imported on first use."""
    package = types_module.rpartition(".")[0]
    module = importlib.import_module(f"{package}._xml_shapes")
    shapes: Mapping[str, XmlShape] = module.SHAPES
    return shapes
