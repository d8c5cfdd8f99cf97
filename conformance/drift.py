"""Drift: one place where an API and its spec disagree, named by a stable kind code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["DRIFT_KINDS", "Drift", "DriftKind", "SpecPatch", "normalise"]

DriftKind = Literal[
    "undocumented-status",
    "missing-required-field",
    "type-mismatch",
    "enum-value",
    "unexpected-field",
    "unexpected-content-type",
    "malformed-body",
    "missing-header",
    "state-inconsistency",
    "auth-not-enforced",
    "tenant-leak",
    "negative-data-accepted",
    "positive-data-rejected",
    "server-error",
    "pagination-mismatch",
    "error-with-success-status",
    "wrong-media",
    "path-rule",
    "other",
]

# What each kind means, for people reading a report.
DRIFT_KINDS: dict[str, str] = {
    "undocumented-status": "the API answered with a status code the spec does not declare",
    "missing-required-field": "a field the spec marks required is absent from the response",
    "type-mismatch": "a value has another type, format or shape than the spec says",
    "enum-value": "a value lies outside the enum the spec declares",
    "unexpected-field": "the response carries a field the spec forbids",
    "unexpected-content-type": "the response has a content type the spec does not declare",
    "malformed-body": "the response body cannot be parsed as its content type",
    "missing-header": "a header the spec declares is absent",
    "state-inconsistency": "a sequence of calls leaves the API in a state the spec's links contradict",
    "auth-not-enforced": "a call without valid credentials succeeded",
    "tenant-leak": "one tenant could see or change another tenant's object",
    "negative-data-accepted": "the API accepted a request the spec says is invalid",
    "positive-data-rejected": "the API rejected a request the spec says is valid",
    "server-error": "the API answered with a 5xx",
    "pagination-mismatch": "pagination headers, counts and page contents disagree",
    "error-with-success-status": "an error envelope came with a 2xx status",
    "wrong-media": "a body is not of the media type its content type names",
    "path-rule": "a path or header rule the spec states (trailing slash, Content-Type) is not enforced",
    "other": "another disagreement between the API and the spec",
}


_VARYING = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"  # uuids
    r"|\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{16,}\b"  # long hex tokens
    r"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"  # numbers
)
_STATUS_BEFORE = ("answered ", "status ", "(")


def normalise(text: str) -> str:
    """``text`` with ids and numbers blanked, so findings that differ only in them merge into one drift.

    HTTP statuses (``answered 500``, ``(404)``) are kept: another status is another problem.
    """

    def blank(match: re.Match[str]) -> str:
        value = match.group()
        before = text[max(0, match.start() - 9) : match.start()]
        if value.isdigit() and len(value) == 3 and 100 <= int(value) < 600 and before.endswith(_STATUS_BEFORE):
            return value
        return "#"

    return _VARYING.sub(blank, text)


@dataclass(frozen=True)
class SpecPatch:
    """A suggested spec change as JSON Patch operations (RFC 6902) on the spec document."""

    operations: tuple[dict[str, Any], ...]
    why: str

    def as_dict(self) -> dict[str, Any]:
        return {"why": self.why, "json_patch": list(self.operations)}


@dataclass(frozen=True, order=True)
class Drift:
    """One disagreement, deduplicated across test cases; ``occurrences`` counts how often it was seen.

    ``pointer`` is a JSON pointer into the spec (``#/components/schemas/Invoice/properties/status``);
    ``curl`` reproduces the call with every secret replaced by ``[REDACTED]``.
    """

    api: str
    operation: str
    kind: DriftKind
    check: str
    pointer: str
    spec_says: str
    api_did: str
    curl: str = ""
    operation_id: str = ""
    patch: SpecPatch | None = field(default=None, compare=False)
    occurrences: int = field(default=1, compare=False)

    @property
    def signature(self) -> tuple[str, str, str, str, str]:
        """What makes two findings the same drift: not the request that showed it, nor the ids and numbers in it."""
        return (self.operation, self.kind, self.check, self.pointer, normalise(self.api_did))

    def as_dict(self) -> dict[str, Any]:
        return {
            "api": self.api,
            "operation": self.operation,
            "operation_id": self.operation_id,
            "kind": self.kind,
            "check": self.check,
            "pointer": self.pointer,
            "spec_says": self.spec_says,
            "api_did": self.api_did,
            "curl": self.curl,
            "occurrences": self.occurrences,
            "patch": self.patch.as_dict() if self.patch else None,
        }
