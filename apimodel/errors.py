"""The error envelope: the errors hint where the spec declares it, else the schema most error responses share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from apimodel import hints
from apimodel.facts import ErrorKind, ErrorModel, Reason
from apimodel.schemas import Schemas
from apimodel.walk import OperationRef

__all__ = ["read_errors"]

_SCHEMA_PREFIX = "#/components/schemas/"


def _throttled(kinds: tuple[ErrorKind, ...]) -> tuple[int, tuple[tuple[str, Any], ...]] | None:
    """A rate-limit answer a client would not retry by status alone, and the fixed body values that mark it."""
    kind = next((k for k in kinds if k.name == "rate_limited"), None)
    if kind is None or kind.status is None or not isinstance(kind.body, dict):
        return None
    fixed = tuple(
        sorted(
            (str(k), v)
            for k, v in kind.body.items()
            if isinstance(v, str | int | bool) and not (isinstance(v, str) and v.startswith("$"))
        )
    )
    return None if kind.status == 429 or kind.status >= 500 or not fixed else (kind.status, fixed)


def _error_schema_counts(
    schemas: Schemas, operations: Iterable[OperationRef], chosen: Any
) -> tuple[Counter[str], Counter[str], int]:
    """How many operations and responses name each component schema in the JSON error responses whose status
    ``chosen`` accepts, and how many such responses there are."""
    counts: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    total = 0
    for ref in operations:
        responses = ref.operation.get("responses")
        named: set[str] = set()
        for code, response in responses.items() if isinstance(responses, dict) else ():
            if not chosen(str(code)):
                continue
            content = schemas.mapping(response).get("content")
            for media, body in content.items() if isinstance(content, dict) else ():
                if "json" not in str(media):
                    continue
                total += 1
                target = (body or {}).get("schema") if isinstance(body, dict) else None
                name = target.get("$ref") if isinstance(target, dict) else None
                if isinstance(name, str) and name.startswith(_SCHEMA_PREFIX):
                    named.add(name)
                    uses[name] += 1
        counts.update(named)
    return counts, uses, total


def _client_error(code: str) -> bool:
    return (code[:1] == "4" and code != "429") or code == "default"


def _shared_error_schema(schemas: Schemas, operations: Iterable[OperationRef]) -> tuple[str | None, str]:
    """The component schema the most operations use for their 4xx (not 429) and default JSON responses (else
    for any 4xx/5xx), how many operations use it, and how many such responses there are."""
    operations = list(operations)
    counts, uses, total = _error_schema_counts(schemas, operations, _client_error)
    statuses = "4xx/default"
    if not counts:
        counts, uses, total = _error_schema_counts(schemas, operations, lambda code: code[:1] in "45")
        statuses = "4xx/5xx"
    if not counts:
        return None, "no error response names a component schema"
    name = min(counts, key=lambda n: (-counts[n], -uses[n], n))  # most operations, then most responses
    return (
        name,
        f"{name} is the error schema of {counts[name]} operation(s), "
        f"{uses[name]} of {total} {statuses} JSON error responses",
    )


def read_errors(data: Mapping[str, Any], schemas: Schemas, operations: list[OperationRef]) -> ErrorModel:
    declared = hints.error_hints(data)
    if declared is not None and declared.schema_ref is not None:
        return ErrorModel(
            declared.schema_ref,
            Reason("hint", hints.ERRORS),
            declared.match_in_success,
            declared.kinds,
            _throttled(declared.kinds),
        )
    schema_ref, why = _shared_error_schema(schemas, operations)
    reason = Reason("inferred", why)
    if declared is None:
        return ErrorModel(schema_ref, reason)
    return ErrorModel(schema_ref, reason, declared.match_in_success, declared.kinds, _throttled(declared.kinds))
