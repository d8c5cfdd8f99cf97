"""Parsing a response that deviates from its schema: what parses is typed, what does not is kept as sent.

The strict parse runs first; only when it fails (or met an enum value the spec does not list) does
:func:`parse_lenient` walk the type, validating each part on its own and building models without validation
(``model_construct``) around the parts that failed. Each failure becomes a :class:`Deviation`.
"""

from __future__ import annotations

import functools
import logging
import sys
import types
import typing
import weakref
from dataclasses import dataclass
from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, RootModel, TypeAdapter, ValidationError

from ._types import UNKNOWN_ENUM_VALUES, LazyModel

__all__ = [
    "Deviation",
    "DeviationKind",
    "attach",
    "deviation_at",
    "deviations",
    "escape",
    "log_deviations",
    "parse_lenient",
    "validate_watching_enums",
]

DeviationKind = Literal["missing", "null", "type", "enum"]
_MAX_DEPTH = 64
_BY_ID: dict[int, tuple[Deviation, ...]] = {}
_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}
_LEAVES = frozenset({str, int, float, bool, type(None)})  # never an enum member: no need to look inside


@dataclass(frozen=True)
class Deviation:
    """One place where a response broke its schema. ``pointer`` is a JSON pointer into the response body;
    ``received`` names the JSON type that came (never the value: it may be a secret)."""

    pointer: str
    kind: DeviationKind
    expected: str
    received: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.kind}: expected {self.expected}, received {self.received}"


def deviations(result: object) -> tuple[Deviation, ...]:
    """How a result returned by this client deviated from its schema (empty when it conformed)."""
    found = _BY_ID.get(id(result))
    return found if found is not None else ()


def attach(result: Any, found: tuple[Deviation, ...], pointer: str = "") -> Any:
    """``result`` with ``found`` readable through :func:`deviations` (a list or dict becomes a subclass that can).
    Each item of a list gets its own too: a page's items are read one by one."""
    if not found:
        return result
    if type(result) is list:
        result = _DeviatingList(result)
        for index, item in enumerate(result):
            at = f"{pointer}/{index}"
            result[index] = attach(item, tuple(d for d in found if d.pointer == at or d.pointer.startswith(at + "/")))
    elif type(result) is dict:
        result = _DeviatingDict(result)
    try:
        weakref.finalize(result, _BY_ID.pop, id(result), None)
    except TypeError:  # a str, int or None: the deviations are logged, there is nothing to keep them on
        return result
    _BY_ID[id(result)] = found
    return result


def log_deviations(
    logger: logging.Logger, warned: set[tuple[str, str]], operation: str, found: tuple[Deviation, ...]
) -> None:
    """One warning per deviation kind per operation (``warned`` remembers them); the rest at debug level."""
    for kind in sorted({d.kind for d in found}):
        same = [d for d in found if d.kind == kind]
        more = f" (and {len(same) - 1} more)" if len(same) > 1 else ""
        level = logging.DEBUG if (operation, kind) in warned else logging.WARNING
        warned.add((operation, kind))
        logger.log(
            level,
            "%s: the response deviates from its schema (%s) at %s: expected %s, received %s%s; "
            "kept as received, see deviations(result)",
            operation,
            kind,
            same[0].pointer or "/",
            same[0].expected,
            same[0].received,
            more,
        )


class _DeviatingList(list[Any]):
    pass


class _DeviatingDict(dict[Any, Any]):
    pass


def validate_watching_enums(adapter: TypeAdapter[Any], data: Any) -> tuple[Any, bool]:
    """Strict validation, and whether the result holds an enum value the spec does not list (a union's branch
    that lost may have made one: only those in the result count); raises ``ValidationError``."""
    seen: list[object] = []
    token = UNKNOWN_ENUM_VALUES.set(seen)
    try:
        value = adapter.validate_python(data)
    finally:
        UNKNOWN_ENUM_VALUES.reset(token)
    return value, bool(seen) and _outlived(seen) and _holds(value, {id(member) for member in seen})


def _outlived(made: list[object]) -> bool:
    """Whether any of ``made`` is referenced from elsewhere than ``made`` (the result holds it): a cheap test
    before walking the result. The count a list alone gives is measured, not assumed; no refcounts, no test."""
    count = getattr(sys, "getrefcount", None)
    if count is None:
        return True
    baseline = max(count(probe) for probe in [object()])
    return any(count(member) > baseline for member in made)


def _holds(value: Any, ids: set[int]) -> bool:
    """Whether ``value`` (a parsed result) holds one of the objects ``ids`` names (iterative: results are big)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _LEAVES:
            continue
        if id(item) in ids:
            return True
        if kind is list or kind is tuple:
            stack.extend(item)
        elif kind is dict:
            stack.extend(item.values())
        elif isinstance(item, BaseModel):
            stack.extend(item.__dict__.values())
    return False


def parse_lenient(tp: Any, data: Any, pointer: str = "") -> tuple[Any, tuple[Deviation, ...]]:
    """``data`` as ``tp`` as far as it conforms, and every deviation found (pointers start at ``pointer``)."""
    walker = _Walker()
    return walker.value(tp, data, pointer, 0), tuple(walker.found)


def _adapter(tp: Any) -> TypeAdapter[Any]:
    try:
        return _ADAPTERS[tp]
    except KeyError:
        adapter = _ADAPTERS[tp] = TypeAdapter(tp)
        return adapter
    except TypeError:  # a type whose metadata cannot be hashed
        return TypeAdapter(tp)


@functools.cache
def _field_type(model: type[BaseModel], name: str) -> Any:
    if not model.__pydantic_complete__:  # built on first use: until then a field may name a model not yet loaded
        model.model_rebuild()
    info = model.model_fields[name]
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


class _Walker:
    def __init__(self) -> None:
        self.found: list[Deviation] = []

    def value(self, tp: Any, data: Any, pointer: str, depth: int) -> Any:
        try:
            value, unknown = validate_watching_enums(_adapter(tp), data)
        except (ValidationError, TypeError) as exc:
            return self._descend(tp, data, pointer, depth, exc)
        return self._descend(tp, data, pointer, depth, None) if unknown else value

    def _descend(self, tp: Any, data: Any, pointer: str, depth: int, error: Exception | None) -> Any:
        base = _unannotated(tp)
        origin = typing.get_origin(base)
        if depth > _MAX_DEPTH:
            return data
        if isinstance(base, type) and issubclass(base, RootModel):
            model = cast("type[BaseModel]", base)  # pyright takes a RootModel class for an unhashable instance
            root = self.value(_field_type(model, "root"), data, pointer, depth + 1)
            return base.model_construct(root)
        if isinstance(base, type) and issubclass(base, BaseModel):
            if not isinstance(data, dict):
                return self._note(base, data, pointer, error, detail=False)
            return self._model(base, data, pointer, depth)
        if origin is list and isinstance(data, list):
            (item,) = typing.get_args(base) or (Any,)
            return [self.value(item, v, f"{pointer}/{i}", depth + 1) for i, v in enumerate(data)]
        if origin is dict and isinstance(data, dict):
            _, item = typing.get_args(base) or (Any, Any)
            return {k: self.value(item, v, f"{pointer}/{escape(str(k))}", depth + 1) for k, v in data.items()}
        if origin in (typing.Union, types.UnionType):
            return self._union(base, data, pointer, depth, error)
        return self._note(tp, data, pointer, error)

    def _model(self, model: type[BaseModel], data: dict[str, Any], pointer: str, depth: int) -> BaseModel:
        values: dict[str, Any] = {}
        used: set[str] = set()
        for name, info in model.model_fields.items():
            key = info.alias if info.alias is not None and info.alias in data else name
            where = f"{pointer}/{escape(key)}"
            if key in data:
                used.add(key)
                values[name] = self.value(_field_type(model, name), data[key], where, depth + 1)
            elif info.is_required():  # kept as None, so reading it never raises AttributeError
                self.found.append(Deviation(where, "missing", _describe(info.annotation), "nothing"))
                values[name] = None
        present = {name for name, info in model.model_fields.items() if (info.alias or name) in used or name in used}
        constructed = model.model_construct(_fields_set=present, **values)
        extra = {k: v for k, v in data.items() if k not in used}
        if extra and model.model_config.get("extra") == "allow":
            constructed.__pydantic_extra__ = extra
        return constructed

    def _union(self, tp: Any, data: Any, pointer: str, depth: int, error: Exception | None) -> Any:
        members = [m for m in typing.get_args(tp) if m is not type(None)]
        if data is None:
            return self._note(tp, data, pointer, error)
        best: tuple[Any, list[Deviation]] | None = None
        for member in members:
            trial = _Walker()
            value = trial.value(member, data, pointer, depth + 1)
            if best is None or len(trial.found) < len(best[1]):
                best = (value, trial.found)
        if best is None:
            return self._note(tp, data, pointer, error)
        self.found.extend(best[1])
        return best[0]

    def _note(self, tp: Any, data: Any, pointer: str, error: Exception | None, *, detail: bool = True) -> Any:
        if error is None:  # it validated, with an enum value the spec does not list: keep the open enum member
            value = _adapter(tp).validate_python(data)
            self.found.append(Deviation(pointer, "enum", _describe(tp), f"unlisted value {_json_type(data)}"))
            return value
        kind: DeviationKind = "null" if data is None else "type"
        expected = _describe(tp)
        if detail and isinstance(error, ValidationError) and data is not None and error.error_count():
            expected = f"{expected} ({error.errors(include_url=False, include_input=False)[0]['msg']})"
        self.found.append(Deviation(pointer, kind, expected, _json_type(data)))
        return data


def deviation_at(pointer: str, expected: str, value: Any) -> Deviation:
    """A value that is not what was expected, where nothing finer can be said."""
    return Deviation(pointer, "null" if value is None else "type", expected, _json_type(value))


def _unannotated(tp: Any) -> Any:
    """``tp`` without its ``Annotated`` metadata, and a model an annotation names lazily as the model class."""
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    return tp.model if isinstance(tp, LazyModel) else tp


def _describe(tp: Any) -> str:
    """A short name of a type for a message: ``str``, ``Invoice``, ``list[Line]``, ``'a' | 'b'``."""
    tp = _unannotated(tp)
    origin = typing.get_origin(tp)
    if origin is Literal:
        return " | ".join(repr(v) for v in typing.get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_describe(m) for m in typing.get_args(tp))
    if origin is not None:
        return f"{getattr(origin, '__name__', str(origin))}[{', '.join(_describe(a) for a in typing.get_args(tp))}]"
    if tp is type(None):
        return "null"
    return getattr(tp, "__name__", str(tp))


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def escape(key: str) -> str:
    """``key`` as one JSON pointer segment."""
    return key.replace("~", "~0").replace("/", "~1")
