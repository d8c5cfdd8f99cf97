"""The intermediate representation: everything the templates print, with every name already decided."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from apimodel.diagnostics import Diagnostic
from generator.client.naming import ClassName, PythonIdentifier

__all__ = [
    "Body",
    "CallExample",
    "ClientIR",
    "CredentialIR",
    "ErrorsIR",
    "FieldIR",
    "Operation",
    "PagingIR",
    "Placement",
    "Resource",
    "ServerIR",
    "ServerVariable",
]

Location = Literal["path", "query", "header", "cookie", "body"]
ResponseKind = Literal["json", "xml", "bytes", "text", "headers", "empty"]
Encoding = Literal["json", "form", "multipart", "bytes", "text", "none"]
CredentialKind = Literal["basic", "bearer", "header", "query", "cookie", "body"]


@dataclass(frozen=True)
class FieldIR:
    """One keyword argument of a method: a parameter or a top-level property of the request body."""

    name: PythonIdentifier
    wire_name: str
    location: Location
    annotation: str
    required: bool
    nullable: bool
    description: str
    default: str | None = None  # Python source of the default of a required argument that has only one value


@dataclass(frozen=True)
class Body:
    """The request body: flattened into ``fields``, or one ``body`` argument typed ``annotation``."""

    content_type: str
    encoding: Encoding
    fields: tuple[FieldIR, ...]
    annotation: str | None
    required: bool


@dataclass(frozen=True)
class CallExample:
    """Arguments of one example call: path values, then keyword name → JSON value (from the spec's examples)."""

    args: tuple[Any, ...]
    kwargs: tuple[tuple[PythonIdentifier, Any], ...]
    from_example: bool  # the request body came from the spec's example
    complete: bool  # every required argument has a value


@dataclass(frozen=True)
class PagingIR:
    style: Literal["page", "link", "offset", "cursor", "next-url"]
    settings: tuple[tuple[str, Any], ...]
    item_type: str


@dataclass(frozen=True)
class Operation:
    """One method of one resource."""

    name: PythonIdentifier
    http_method: str
    path: str
    pointer: str
    operation_id: str
    summary: str
    description: str
    path_params: tuple[FieldIR, ...]
    params: tuple[FieldIR, ...]
    body: Body | None
    response_kind: ResponseKind
    response_type: str | None
    return_annotation: str
    accept: str | None
    idempotent: bool
    paging: PagingIR | None
    stream_name: PythonIdentifier | None
    body_credentials: bool
    example: CallExample | None
    xml_shape: str | None = None  # Python source of where an XML answer's values sit (response_kind "xml")

    @property
    def endpoint_name(self) -> str:
        return f"_{self.name.upper()}"

    @property
    def keyword_fields(self) -> tuple[FieldIR, ...]:
        """Required keyword arguments without a default first, each group in spec order."""
        fields = (*self.params, *(self.body.fields if self.body else ()))
        return tuple(sorted(fields, key=lambda f: not f.required or f.default is not None))


@dataclass(frozen=True)
class Resource:
    """``client.<attribute>``: its methods and sub-resources."""

    attribute: PythonIdentifier
    class_name: ClassName
    module: PythonIdentifier
    dotted: str
    operations: tuple[Operation, ...]
    children: tuple[Resource, ...]


@dataclass(frozen=True)
class ServerVariable:
    name: PythonIdentifier
    wire_name: str
    default: str
    enum: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class ServerIR:
    name: str
    url: str
    description: str
    variables: tuple[ServerVariable, ...]


@dataclass(frozen=True)
class Placement:
    """One place a secret may travel: ``label`` is what the caller names it (``query``, ``bearer``, ``body``)."""

    label: str
    kind: CredentialKind
    wire_name: str
    prefix: str = ""


@dataclass(frozen=True)
class CredentialIR:
    """A constructor argument that carries a secret, and where the runtime puts it."""

    argument: PythonIdentifier
    kind: CredentialKind
    wire_name: str
    env: tuple[str, ...]
    password_argument: PythonIdentifier | None
    description: str
    default: str | None = None  # used when neither the argument nor the environment gives a value
    prefix: str = ""  # text sent before the value (``Token `` + key)
    # every place the same secret may travel, the spec's preferred first (its kind, wire_name and prefix above);
    # empty when it has only one. The client takes ``<argument>_placement`` to choose another.
    placements: tuple[Placement, ...] = ()

    @property
    def placement_argument(self) -> PythonIdentifier:
        return PythonIdentifier(f"{self.argument}_placement")


@dataclass(frozen=True)
class ErrorsIR:
    type_expression: str | None
    match_in_success: tuple[tuple[str, Any], ...]
    # the rate-limit error sent with a status that is not 429 (CloudInvoice: 400 + {status_code: 429}):
    # the status and the body's fixed top-level values that tell it apart from other errors
    throttled: tuple[int, tuple[tuple[str, Any], ...]] | None = None


@dataclass(frozen=True)
class ClientIR:
    """A whole client package."""

    api: str
    package: PythonIdentifier
    class_prefix: ClassName
    title: str
    version: str
    description: str
    spec_label: str
    regenerate: str
    servers: tuple[ServerIR, ...]
    credentials: tuple[CredentialIR, ...]
    errors: ErrorsIR
    resources: tuple[Resource, ...]
    model_names: tuple[ClassName, ...]
    diagnostics: tuple[Diagnostic, ...]
    fixed_headers: tuple[tuple[str, str], ...] = ()  # sent on every request (CloudInvoice's Content-Type)
    dict_forms: tuple[ClassName, ...] = ()  # the TypedDicts in ``types`` (request bodies as dicts)
    # the named shapes XML answers are read with (name, Python source), None when no answer is read from XML
    xml_shapes: tuple[tuple[str, str], ...] | None = None

    def all_resources(self) -> list[Resource]:
        found: list[Resource] = []
        stack = list(reversed(self.resources))
        while stack:
            resource = stack.pop()
            found.append(resource)
            stack.extend(reversed(resource.children))
        return found
