"""Markers and option types shared by every generated client."""

from __future__ import annotations

from contextvars import ContextVar
from enum import Enum, IntEnum, StrEnum
from typing import IO, Any, Final, TypedDict

import httpx2

__all__ = [
    "NOT_GIVEN",
    "UNKNOWN_ENUM_VALUES",
    "FileInput",
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
