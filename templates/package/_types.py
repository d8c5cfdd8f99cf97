"""Markers and option types shared by every generated client."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping
from contextvars import ContextVar
from enum import Enum, IntEnum, StrEnum
from typing import IO, Any, Final, TypedDict

import httpx2

__all__ = [
    "NOT_GIVEN",
    "UNKNOWN_ENUM_VALUES",
    "FileInput",
    "LazyExports",
    "Omit",
    "OpenEnum",
    "OpenIntEnum",
    "OpenStrEnum",
    "RequestOptions",
    "omit",
]


# A file to upload in a multipart body: its bytes, an open binary file, or (filename, content[, content type])
FileInput = bytes | IO[bytes] | tuple[str, bytes | IO[bytes]] | tuple[str, bytes | IO[bytes], str]


class Omit:
    """The type of ``omit``: a parameter left out of the request, as opposed to one sent as ``None``."""

    _instance: Omit | None = None

    def __new__(cls) -> Omit:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "omit"


omit: Final = Omit()
NOT_GIVEN: Final = omit


class RequestOptions(TypedDict, total=False):
    """Per-call overrides of the client's settings."""

    timeout: float | httpx2.Timeout
    max_retries: int
    idempotency_key: str
    extra_headers: dict[str, str]
    extra_query: dict[str, Any]
    strict: bool


# While a response is parsed, the members made for values no enum lists (a union's rejected branch makes some too)
UNKNOWN_ENUM_VALUES: ContextVar[list[object] | None] = ContextVar("unknown_enum_values", default=None)


def _unknown_member(cls: type[Enum], base: Any, value: object) -> Any:
    # A value the spec does not list yet becomes a pseudo-member: additive API changes never break parsing.
    member: Any = base.__new__(cls, value)
    member._name_ = "UNKNOWN"
    member._value_ = value
    _note_unknown(member)
    return member


def _note_unknown(member: object) -> None:
    seen = UNKNOWN_ENUM_VALUES.get()
    if seen is not None:
        seen.append(member)


class OpenStrEnum(StrEnum):
    """A string enum that accepts values it does not list."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return _unknown_member(cls, str, value) if isinstance(value, str) else None


class OpenIntEnum(IntEnum):
    """An integer enum that accepts values it does not list."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return _unknown_member(cls, int, value) if isinstance(value, int) else None


class OpenEnum(Enum):
    """An enum of mixed values that accepts values it does not list."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        member: Any = object.__new__(cls)
        member._name_ = "UNKNOWN"
        member._value_ = value
        _note_unknown(member)
        return member


class LazyExports:
    """A package's names, each imported from its own module when first asked for (resources, a large spec's models).

    ``table`` maps a name to its module and the names it refers to. Loading a name loads those too and puts each
    into the module whose annotations use it, so pydantic finds it when a model's validator is built; nothing
    else is imported.
    """

    def __init__(self, package: str, table: Mapping[str, tuple[str, tuple[str, ...]]]) -> None:
        self._package = package
        self._table = table
        self._ready: set[str] = set()
        self._lock = threading.RLock()

    def _class(self, name: str) -> Any:
        return getattr(importlib.import_module(f"{self._package}.{self._table[name][0]}"), name)

    def load(self, name: str, namespace: dict[str, Any]) -> Any:
        if name not in self._table:
            raise AttributeError(f"module {self._package!r} has no attribute {name!r}")
        with self._lock:
            pending = [name]
            while pending:
                current = pending.pop()
                if current in self._ready:
                    continue
                module, refs = self._table[current]
                names = vars(importlib.import_module(f"{self._package}.{module}"))
                for ref in refs:
                    if ref not in names:
                        names[ref] = self._class(ref)
                    pending.append(ref)
                self._ready.add(current)
            value = namespace[name] = self._class(name)
        return value
