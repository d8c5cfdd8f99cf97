"""One spec operation → one :class:`Operation` (parameters, body, response kind, paging)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from apimodel import Operation as ModelOperation
from apimodel import Parameter
from generator.client.examples import build_example
from generator.client.ir import Body, Encoding, FieldIR, Operation, PagingIR, ResponseKind
from generator.client.literals import LiteralAliases
from generator.client.modelfields import ModelFields
from generator.client.naming import PythonIdentifier, class_name, python_identifier, snake_case, unique_name
from generator.client.params import ParamsBuilder
from generator.client.typemap import TypeMapper, is_nullable, object_shape
from generator.client.xmlshapes import XmlShapes

__all__ = ["OperationContext", "build_operation", "pick_response", "response_views"]

_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class OperationContext:
    label: str
    mapper: TypeMapper
    body_credential_props: frozenset[str]
    params: ParamsBuilder | None = None  # the dict forms (TypedDicts) of request bodies
    aliases: LiteralAliases | None = None  # long enums of arguments, named in ``types``
    xml: XmlShapes | None = None  # the shapes of XML answers that have a schema (read into their models)
    fields: ModelFields | None = None  # the generated models' fields (a page's inline items have a model there)


def _is_json(content_type: str) -> bool:
    base = content_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def _is_xml(content_type: str) -> bool:
    base = content_type.split(";")[0].strip().lower()
    return base.endswith("/xml") or base.endswith("+xml")


def _response_kind(content_type: str) -> ResponseKind:
    base = content_type.split(";")[0].strip().lower()
    if _is_json(base):
        return "json"
    if base.startswith("text/") or _is_xml(base):
        return "text"
    return "bytes"


def _reads_xml(mapper: TypeMapper, content_type: str, schema: Any) -> bool:
    """An XML answer whose schema describes an object or a list (AWS's query and REST-XML protocols): read into
    its model, not handed over as text."""
    return _is_xml(content_type) and mapper.schemas.schema_type(schema) in ("object", "array")


def pick_response(mapper: TypeMapper, operation: Mapping[str, Any]) -> tuple[str, dict[str, Any], str | None]:
    """The success response used for the return type: (status, response object, chosen content type)."""
    responses = operation.get("responses") or {}
    codes = sorted(str(c) for c in responses if str(c).startswith("2")) or [c for c in ("default",) if c in responses]
    for code in codes:
        response = mapper.resolve(responses[code])
        content = response.get("content") or {}
        if content:
            types = sorted(content, key=lambda t: (not _is_json(t), t))
            return code, response, types[0]
    return (codes[0], mapper.resolve(responses[codes[0]]), None) if codes else ("", {}, None)


def _plain_map(ctx: OperationContext, schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter naming a free-form map component (a deepObject ``filter[...]``) takes a plain dict."""
    resolved = ctx.mapper.resolve(schema)
    extra = resolved.get("additionalProperties")
    return resolved if "$ref" in schema and isinstance(extra, dict) and not resolved.get("properties") else schema


def _field(ctx: OperationContext, param: Parameter, taken: set[str]) -> FieldIR:
    schema = param.schema or {}
    wire, location = param.name, param.location
    name = unique_name(python_identifier(wire, fallback="param"), taken)
    required = param.required
    values = [v for v in ctx.mapper.resolve(schema).get("enum") or [] if v is not None]
    # a required parameter with one possible value (CloudInvoice's ``Content-Type: application/json``) defaults to it
    constant = location != "path" and required and len(values) == 1 and isinstance(values[0], str | int)
    return FieldIR(
        name=PythonIdentifier(name),
        wire_name=wire,
        location=location,
        annotation=ctx.mapper.annotation(_plain_map(ctx, schema), literal=True),
        required=required,
        nullable=is_nullable(ctx.mapper.resolve(schema)) or is_nullable(schema),
        description=param.description[:200],
        default=(json.dumps(values[0]) if isinstance(values[0], str) else repr(values[0])) if constant else None,
    )


def _body(ctx: OperationContext, op: ModelOperation, taken: set[str]) -> tuple[Body | None, bool]:
    request_body = op.body or {}
    content = request_body.get("content") or {}
    if not content:
        return None, False
    content_type = min(content, key=lambda t: _body_rank(ctx, t, content))
    encoding: Encoding = (
        "json"
        if _is_json(content_type)
        else "form"
        if "x-www-form-urlencoded" in content_type
        else "multipart"
        if "multipart" in content_type
        else "text"
        if content_type.startswith("text/")
        else "bytes"
    )
    schema_ref = (content.get(content_type) or {}).get("schema") or {}
    shape = object_shape(ctx.mapper, ctx.mapper.resolve(schema_ref))
    # inline objects among the arguments are named after the body's model, as in its TypedDict
    hint = (ctx.mapper.model_for(schema_ref) or "").removeprefix("types.") or class_name(op.operation_id or op.path)
    required = bool(request_body.get("required"))
    uses_credentials = encoding == "json" and bool(ctx.body_credential_props)
    if encoding in ("json", "form", "multipart") and shape is not None and shape[0]:
        properties, needed = shape
        fields = []
        for wire, prop in properties.items():
            if wire in ctx.body_credential_props:
                continue
            prop_schema = ctx.mapper.resolve(prop) if "$ref" in prop and ctx.mapper.model_for(prop) is None else prop
            if isinstance(prop_schema, dict) and prop_schema.get("readOnly"):
                continue
            fields.append(
                FieldIR(
                    name=PythonIdentifier(unique_name(python_identifier(str(wire), fallback="field"), taken)),
                    wire_name=str(wire),
                    location="body",
                    annotation=_upload(ctx, prop)
                    if encoding == "multipart"
                    else _dict_form(ctx, prop, f"{hint}{class_name(str(wire), fallback='Field')}"),
                    required=wire in needed,
                    nullable=is_nullable(prop_schema),
                    description=" ".join(str(prop_schema.get("description") or "").split())[:200],
                )
            )
        return Body(content_type, encoding, tuple(fields), None, required), uses_credentials
    annotation = ctx.mapper.annotation(schema_ref)
    if encoding not in ("json", "form"):
        annotation = "str" if encoding == "text" else "bytes"
    elif ctx.params is not None:
        annotation = ctx.params.with_dict_forms(annotation)
    taken.add("body")
    return Body(content_type, encoding, (), annotation, required), uses_credentials


_BODY_ORDER = ("json", "application/x-www-form-urlencoded", "multipart/form-data", "application/octet-stream")


def _body_rank(ctx: OperationContext, media: str, content: dict[str, Any]) -> float:
    """Which of the offered media types the client sends (lowest first): JSON, a form, multipart, raw bytes; but
    multipart before a URL-encoded form when its parts hold a file (a form cannot carry one; JSON stays first: an
    operation that takes both, BitFaktura's department update, updates fields in JSON), and after raw bytes
    when its schema names no parts (``{type: string, format: binary}``: nothing to put in a part)."""
    rank = float(next((i for i, o in enumerate(_BODY_ORDER) if o in media or (_is_json(media) and o == "json")), 9))
    if "multipart" not in media:
        return rank
    schema = ctx.mapper.resolve((content.get(media) or {}).get("schema") or {})
    parts = ctx.mapper.schemas.properties(schema)
    if not parts:
        return 3.5
    return 0.5 if any(ctx.mapper.schemas.is_file(p) for p in parts.values()) else rank


def _dict_form(ctx: OperationContext, prop: Any, hint: str) -> str:
    """A JSON or form body argument's annotation: a model also takes its TypedDict, an inline object (untyped
    ``dict[str, Any]`` otherwise) takes the TypedDict made for it."""
    annotation = ctx.mapper.annotation(prop, literal=True)
    if ctx.params is None:
        return annotation
    if "types." in annotation:
        return ctx.params.with_dict_forms(annotation)
    if "dict[str, Any]" in annotation:
        return ctx.params.argument(prop, hint) or annotation
    return annotation


def _named_enums(ctx: OperationContext, op: ModelOperation, field: FieldIR) -> FieldIR:
    if ctx.aliases is None or "Literal[" not in field.annotation:
        return field
    return replace(field, annotation=ctx.aliases.apply(field.annotation, op.resource, field.name))


def _upload(ctx: OperationContext, prop: Any) -> str:
    """A multipart field's type: a file where the schema says binary (bytes, a file object or a tuple); a part the
    schema says is a file without a binary type (``{}``: any content, or a ``contentMediaType``) takes a file or
    text."""
    annotation = ctx.mapper.annotation(prop, literal=True)
    if "bytes" in annotation or not ctx.mapper.schemas.is_file(prop):
        return annotation.replace("bytes", "FileInput")
    part = "FileInput | str"
    typed = f"list[{part}]" if ctx.mapper.schemas.array_items(prop) is not None else part
    return f"{typed} | None" if annotation.endswith("| None") else typed


def _paging(ctx: OperationContext, op: ModelOperation, schema: Any) -> PagingIR | None:
    pagination = op.pagination
    if pagination is None:
        return None
    schemas = ctx.mapper.schemas
    items = schemas.array_items(schema)
    if items is None:  # items under a key of the page: {count, items}, {data, has_more}
        items = schemas.array_items(schemas.properties(schema).get(pagination.items) or {})
    item_type = ctx.mapper.annotation(items) if items is not None else "Any"
    page_model = ctx.mapper.model_for(schema)
    if item_type in ("Any", "dict[str, Any]") and page_model is not None and ctx.fields is not None:
        # inline items: no component names them, but the page model's list field has a model of its own
        item_type = ctx.fields.list_item(page_model.removeprefix("types."), pagination.items) or item_type
    return PagingIR(pagination.style, pagination.settings(), item_type)


def build_operation(ctx: OperationContext, op: ModelOperation, name: PythonIdentifier) -> Operation:
    taken: set[str] = set()
    params = [_named_enums(ctx, op, _field(ctx, p, taken)) for p in op.params]
    path_params = tuple(f for f in params if f.location == "path")
    body, body_credentials = _body(ctx, op, taken)
    if body is not None:
        body = replace(body, fields=tuple(_named_enums(ctx, op, f) for f in body.fields))
    _, response, content_type = pick_response(ctx.mapper, op.raw)
    schema = ((response.get("content") or {}).get(content_type) or {}).get("schema") if content_type else None
    kind: ResponseKind = "empty" if content_type is None else _response_kind(content_type)
    xml_shape: str | None = None
    if content_type is not None and ctx.xml is not None and _reads_xml(ctx.mapper, content_type, schema):
        kind, xml_shape = "xml", ctx.xml.answer(schema)
    if op.method == "HEAD":
        kind, xml_shape = "headers", None
    response_type: str | None = None
    if kind in ("json", "xml"):
        annotation = ctx.mapper.annotation(schema)
        response_type = None if annotation == "Any" else annotation
        returns = annotation
    else:
        returns = {"bytes": "bytes", "text": "str", "headers": "dict[str, str]", "empty": "None"}[kind]
    paging = _paging(ctx, op, schema) if kind in ("json", "xml") else None
    others = tuple(f for f in params if f.location != "path")
    return Operation(
        name=name,
        http_method=op.method,
        path=op.path,
        pointer=op.pointer,
        operation_id=op.operation_id,
        summary=op.summary,
        description=op.description[:400],
        path_params=path_params,
        params=others,
        body=body,
        response_kind=kind,
        response_type=response_type,
        return_annotation=returns,
        accept=content_type.split(";")[0] if content_type and kind != "headers" else None,
        idempotent=op.method in _IDEMPOTENT,
        paging=paging,
        stream_name=PythonIdentifier(f"{name}_stream") if kind == "bytes" else None,
        body_credentials=body_credentials,
        example=build_example(ctx.mapper, op, path_params, others, body),
        xml_shape=xml_shape,
    )


def response_views(ctx: OperationContext, op: ModelOperation, primary: Operation) -> list[Operation]:
    """``primary``, then one method per other form its success response comes in (``retrieve_pdf`` → ``bytes``).

    Content negotiation (facturare's ``GET /invoices/{id}`` answers JSON or, for ``Accept: application/pdf``,
    a PDF) gets a method per form, so each method has one return type.
    """
    _, response, chosen = pick_response(ctx.mapper, op.raw)
    if chosen is None or primary.response_kind != "json" or primary.paging is not None:
        return [primary]
    views = [primary]
    for media in sorted(response.get("content") or {}):
        base = media.split(";")[0].strip().lower()
        if media == chosen or _is_json(base):
            continue
        kind = _response_kind(base)
        name = python_identifier(f"{primary.name}_{snake_case(base.split('/')[-1].split('+')[0]) or 'raw'}")
        views.append(
            replace(
                primary,
                name=name,
                summary=f"{primary.summary or primary.name} as {base}",
                response_kind=kind,
                response_type=None,
                return_annotation="bytes" if kind == "bytes" else "str",
                accept=base,
                stream_name=PythonIdentifier(f"{name}_stream") if kind == "bytes" else None,
            )
        )
    return views
