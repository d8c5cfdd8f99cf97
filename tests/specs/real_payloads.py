"""What a real response looks like, written by hand from public records, and the operation that sends it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["RealPayload"]


@dataclass(frozen=True)
class RealPayload:
    """One response body in the shape a public source shows (values are ours; fields, nulls and types are theirs).

    ``source`` names the public record the shape follows; ``model`` is the response schema (and generated model)
    the operation answers with.
    """

    name: str
    api: str
    method: str
    path: str
    status: int
    model: str
    source: str
    body: Any

    @property
    def id(self) -> str:
        return f"{self.api}:{self.name}"
