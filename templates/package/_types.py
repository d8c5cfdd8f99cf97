"""Markers and option types shared by every generated client."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from enum import Enum, IntEnum, StrEnum
from types import GenericAlias, UnionType
from typing import IO, Annotated, Any, Final, Literal, TypedDict, Union, get_args, get_origin

import httpx2
from pydantic import BaseModel, GetCoreSchemaHandler, GetJsonSchemaHandler, TypeAdapter, ValidationError
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

__all__ = [
    "DEFERRED",
    "NOT_GIVEN",
    "UNKNOWN_ENUM_VALUES",
    "FileInput",
    "LazyExports",
    "LazyModel",
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

    ``table`` maps a name to its module, the names it refers to and, for a large spec's models, whether it is a
    model class. Loading a name imports its module and gives that module the names its annotations use, so pydantic
    finds them when the model's validator is built. A model named only in an annotation is given as a
    :class:`LazyModel`: its module is imported, and its validator built, when a value first needs it. Touching one
    model of a Stripe-sized package so builds that model, not the thousand its fields reach.
    """

    def __init__(self, package: str, table: Mapping[str, tuple[Any, ...]]) -> None:
        self._package = package
        self._table = table
        self._ready: set[str] = set()
        self._proxies: dict[str, LazyModel] = {}
        self._lock = threading.RLock()

    def _class(self, name: str) -> Any:
        return getattr(importlib.import_module(f"{self._package}.{self._table[name][0]}"), name)

    def _is_model(self, name: str) -> bool:
        entry = self._table[name]
        return len(entry) > 2 and bool(entry[2])

    def load(self, name: str, namespace: dict[str, Any]) -> Any:
        if name not in self._table:
            raise AttributeError(f"module {self._package!r} has no attribute {name!r}")
        with self._lock:
            pending = [name]
            while pending:
                current = pending.pop()
                if current in self._ready:
                    continue
                module, refs = self._table[current][:2]
                names = vars(importlib.import_module(f"{self._package}.{module}"))
                for ref in refs:
                    if ref in names:  # the module imports it (a base, a default, what an alias holds): a real class
                        pending.append(ref)
                    elif self._is_model(ref):
                        names[ref] = self.proxy(ref)
                    else:  # an enum or an alias: pydantic reads it when the validator is built
                        names[ref] = self._class(ref)
                        pending.append(ref)
                self._ready.add(current)
            value = namespace[name] = self._class(name)
        return value

    def proxy(self, name: str) -> LazyModel:
        with self._lock:
            found = self._proxies.get(name)
            if found is None:
                found = self._proxies[name] = LazyModel(name, self._target)
            return found

    def _target(self, name: str) -> Any:
        return self.load(name, vars(importlib.import_module(self._package)))


class LazyModel:
    """A model as another model's annotation names it, imported and built when a value first needs it. Type checkers
    see the model class itself; pydantic, a validator that runs the model's own validator once it is built."""

    __slots__ = ("__name__", "_find", "_model", "_run")

    def __init__(self, name: str, find: Callable[[str], Any]) -> None:
        self.__name__ = name
        self._find = find
        self._model: Any = None
        self._run: Callable[[Any], Any] | None = None

    @property
    def model(self) -> Any:
        """The model class, imported on first use."""
        if self._model is None:
            self._model = self._find(self.__name__)
        return self._model

    def _built(self) -> Any:
        model = self.model
        if not model.__pydantic_complete__:
            model.model_rebuild()
        return model

    def _validator(self) -> Callable[[Any], Any]:
        run: Callable[[Any], Any] = self._built().__pydantic_validator__.validate_python
        self._run = run
        return run

    def __repr__(self) -> str:
        return self.__name__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.model(*args, **kwargs)

    def __or__(self, other: Any) -> Any:
        return Union[self, other]  # noqa: UP007 (an instance is no type: the | of types does not take it)

    def __ror__(self, other: Any) -> Any:
        return Union[other, self]  # noqa: UP007

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        def validate(value: Any) -> Any:  # the generated models read no validation context: none is passed on
            return (self._run or self._validator())(value)

        return core_schema.no_info_plain_validator_function(validate, metadata=_json_schema_of(self._built))


class _LazyUnion:
    """A union that names a :class:`LazyModel` beside other types: validated by pydantic's own union rules over
    the model classes (built when a value first needs them), so the member chosen is the one it always was. A
    value that is no object (an expandable field's id) cannot be any model: it is tried against the other members
    first, without building a model; only if that fails is the whole union run, for pydantic's own error."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        members = get_args(source)
        others = [m for m in members if not isinstance(m, LazyModel)]
        built: list[Callable[[Any], Any] | None] = [None, None]  # the other members' validator, the whole one's

        def whole() -> Any:
            return Union[tuple(m.model if isinstance(m, LazyModel) else deferring(m) for m in members)]  # noqa: UP007

        def build(which: int) -> Callable[[Any], Any]:
            tp = whole() if which else deferring(Union[tuple(others)])  # noqa: UP007
            found = built[which] = TypeAdapter(tp).validator.validate_python
            return found

        def validate(value: Any) -> Any:
            if others and type(value) is not dict and not isinstance(value, BaseModel):
                try:
                    return (built[0] or build(0))(value)
                except ValidationError:
                    pass
            return (built[1] or build(1))(value)

        return core_schema.no_info_plain_validator_function(validate, metadata=_json_schema_of(whole))


def deferring(tp: Any) -> Any:
    """``tp`` as a :data:`DEFERRED` field validates it: each union that names a lazily built model beside another
    type marked :class:`_LazyUnion`; a lone model (alone, or beside ``None``) validates through its own
    validator once built."""
    origin, args = get_origin(tp), get_args(tp)
    if not args or origin is Literal:
        return tp
    if origin is Annotated:
        return Annotated[(deferring(args[0]), *tp.__metadata__)]
    if origin in (Union, UnionType):
        real = [a for a in args if a is not type(None)]
        if len(real) > 1 and any(isinstance(a, LazyModel) for a in real):
            return Annotated[tp, _LazyUnion()]
        return Union[tuple(deferring(a) for a in args)]  # noqa: UP007
    if not isinstance(origin, type):
        return tp
    return GenericAlias(origin, tuple(deferring(a) for a in args))


_DESCRIBING: ContextVar[frozenset[str]] = ContextVar("describing", default=frozenset())


def _json_schema_of(types: Callable[[], Any]) -> dict[str, Any]:
    """Core schema metadata that gives a lazily validated type the JSON schema of what it validates as; a model met
    again inside its own schema (``Node.edges[].to``) is a reference to its definition, as pydantic makes it."""

    def json_schema(_: CoreSchema, generate: GetJsonSchemaHandler) -> JsonSchemaValue:
        tp = types()
        if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
            return generate(TypeAdapter(tp).core_schema)
        schema = tp.__pydantic_core_schema__
        ref = schema.get("ref")
        describing = _DESCRIBING.get()
        if ref is None:
            return generate(schema)
        if ref in describing:
            return generate(core_schema.definition_reference_schema(ref))
        token = _DESCRIBING.set(describing | {ref})
        try:  # as a definition of its own, referred to, as pydantic gives a model
            return generate(core_schema.definitions_schema(core_schema.definition_reference_schema(ref), [schema]))
        finally:
            _DESCRIBING.reset(token)

    return {"pydantic_js_annotation_functions": [json_schema]}  # taken as returned: a reference stays one


class _Deferred:
    """The marker of a model's field whose type names models: see :func:`deferring`. A field's models are imported
    and built when a value first reaches them, so building one model builds only its own fields' validators, not the
    thousand models a Stripe invoice reaches."""

    def __repr__(self) -> str:
        return "DEFERRED"

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return handler(deferring(source))


DEFERRED: Final = _Deferred()
