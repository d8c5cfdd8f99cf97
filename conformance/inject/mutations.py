"""Named mutations of real mock responses and behaviour, each with the drift kinds that must catch it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apimodel import Api, Operation
from apimodel.schemas import Schemas
from conformance.drift import DriftKind
from conformance.inject.exchange import Exchange, InjectorState
from conformance.inject.targets import objects_with_schemas, success_schema

__all__ = ["FIELD_TESTS", "MUTATIONS", "Mutation", "mutation", "operation_has_field"]

RequestHook = Callable[[InjectorState, Exchange], None]
ResponseHook = Callable[[InjectorState, Exchange], None]


@dataclass(frozen=True)
class Mutation:
    name: str
    description: str
    detected_as: frozenset[DriftKind]
    applies: Callable[[Api], bool]
    on_request: RequestHook | None = None
    on_response: ResponseHook | None = None


MUTATIONS: dict[str, Mutation] = {}


def mutation(
    name: str, detected_as: set[DriftKind], applies: Callable[[Api], bool], *, request: bool = False
) -> Callable[[ResponseHook], ResponseHook]:
    def register(function: ResponseHook) -> ResponseHook:
        hooks = {"on_request": function} if request else {"on_response": function}
        MUTATIONS[name] = Mutation(name, (function.__doc__ or "").strip(), frozenset(detected_as), applies, **hooks)
        return function

    return register


def operation_has_field(api: Api, operation: Operation, test: Callable[[dict[str, Any]], bool]) -> bool:
    """Whether a success JSON response of ``operation`` has a property whose schema passes ``test``."""
    for status, response in operation.responses.items():
        if not status.startswith("2"):
            continue
        for media, body in (response.get("content") or {}).items():
            if "json" in media and _schema_has(api.schemas, body.get("schema"), test, 0):
                return True
    return False


def _response_properties(api: Api, test: Callable[[dict[str, Any]], bool]) -> bool:
    """Whether some success JSON response of the API has a property whose schema passes ``test``."""
    return any(operation_has_field(api, op, test) for op in api.operations)


def _schema_has(schemas: Schemas, schema: Any, test: Callable[[dict[str, Any]], bool], depth: int) -> bool:
    schema = schemas.resolve(schema)
    if not isinstance(schema, dict) or depth > 6:
        return False
    for prop in (schema.get("properties") or {}).values():
        prop = schemas.resolve(prop)
        if isinstance(prop, dict) and (test(prop) or _schema_has(schemas, prop, test, depth + 1)):
            return True
    parts = [schema.get("items"), *(schema.get("allOf") or [])]
    return any(_schema_has(schemas, part, test, depth + 1) for part in parts if part is not None)


def _edit(
    state: InjectorState,
    exchange: Exchange,
    test: Callable[[dict[str, Any], str, Any], bool],
    edit: Callable[[dict[str, Any], str, dict[str, Any]], None],
) -> None:
    """Apply ``edit`` to the first field of a success JSON response whose schema passes ``test``."""
    if exchange.operation is None or not exchange.is_success:
        return
    body = exchange.json()
    schema = success_schema(exchange.operation, exchange.status)
    if body is None or schema is None:
        return
    for obj, obj_schema in objects_with_schemas(state.api.schemas, body, schema):
        for key, prop in (obj_schema.get("properties") or {}).items():
            resolved = state.api.schemas.resolve(prop)
            if key in obj and isinstance(resolved, dict) and test(resolved, key, obj_schema):
                edit(obj, key, resolved)
                exchange.set_json(body)
                return


def _is_required(prop: dict[str, Any], key: str, parent: Any) -> bool:
    return key in (parent.get("required") or [])


def _typed(prop: dict[str, Any], key: str, parent: Any) -> bool:
    return (
        prop.get("type") in ("string", "integer", "number", "boolean") and "enum" not in prop and "format" not in prop
    )


_FORMATS = ("date", "date-time", "email", "uuid", "uri")


def _formatted(prop: dict[str, Any], key: str, parent: Any) -> bool:
    return prop.get("type") == "string" and prop.get("format") in _FORMATS


def _enumerated(prop: dict[str, Any], key: str, parent: Any) -> bool:
    return isinstance(prop.get("enum"), list) and all(isinstance(v, str) for v in prop["enum"])


@mutation("drop-required-field", {"missing-required-field"}, lambda s: _response_properties(s, lambda p: True))
def drop_required_field(state: InjectorState, exchange: Exchange) -> None:
    """Drop a required field from success responses."""
    _edit(state, exchange, _is_required, lambda obj, key, prop: obj.pop(key))


@mutation(
    "rename-field", {"missing-required-field", "unexpected-field"}, lambda s: _response_properties(s, lambda p: True)
)
def rename_field(state: InjectorState, exchange: Exchange) -> None:
    """Rename a required field of success responses (``name`` becomes ``name_renamed``)."""
    _edit(state, exchange, _is_required, lambda obj, key, prop: obj.__setitem__(f"{key}_renamed", obj.pop(key)))


_WRONG: dict[str, Any] = {"string": 12345, "integer": "twelve", "number": "twelve", "boolean": "yes"}


@mutation("change-type", {"type-mismatch"}, lambda s: _response_properties(s, lambda p: _typed(p, "", None)))
def change_type(state: InjectorState, exchange: Exchange) -> None:
    """Change the JSON type of a field in success responses (string to number, number to string)."""
    _edit(state, exchange, _typed, lambda obj, key, prop: obj.__setitem__(key, _WRONG[prop["type"]]))


@mutation("change-format", {"type-mismatch"}, lambda s: _response_properties(s, lambda p: _formatted(p, "", None)))
def change_format(state: InjectorState, exchange: Exchange) -> None:
    """Break the format of a date, date-time, e-mail, uuid or uri field in success responses."""
    _edit(state, exchange, _formatted, lambda obj, key, prop: obj.__setitem__(key, "not a valid value"))


@mutation("add-enum-value", {"enum-value"}, lambda s: _response_properties(s, lambda p: _enumerated(p, "", None)))
def add_enum_value(state: InjectorState, exchange: Exchange) -> None:
    """Send a value outside a field's enum in success responses."""
    _edit(state, exchange, _enumerated, lambda obj, key, prop: obj.__setitem__(key, "undocumented_value"))


# Which fields each response-field mutation edits (``drop-required-field`` and ``rename-field`` need a required one,
# which the property schema alone cannot tell: any property qualifies there).
FIELD_TESTS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "drop-required-field": lambda p: True,
    "rename-field": lambda p: True,
    "change-type": lambda p: _typed(p, "", None),
    "change-format": lambda p: _formatted(p, "", None),
    "add-enum-value": lambda p: _enumerated(p, "", None),
}
