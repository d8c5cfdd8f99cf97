"""Usage examples for the README, taken from the spec's own examples (request bodies, parameters, responses)."""

from __future__ import annotations

from typing import Any

from apimodel import Operation as ModelOperation
from generator.client.ir import Body, CallExample, FieldIR
from generator.client.naming import PythonIdentifier
from generator.client.typemap import TypeMapper

__all__ = ["build_example", "media_example"]

_MISSING = object()


def media_example(mapper: TypeMapper, media: Any) -> Any:
    """A media type's example: ``example``, the first of ``examples``, else its schema's; ``_MISSING`` if none."""
    if not isinstance(media, dict):
        return _MISSING
    if "example" in media:
        return media["example"]
    for example in (media.get("examples") or {}).values():
        resolved = mapper.resolve(example)
        if "value" in resolved:
            return resolved["value"]
    return _schema_example(mapper.resolve(media.get("schema")))


def _schema_example(schema: dict[str, Any]) -> Any:
    if "example" in schema:
        return schema["example"]
    listed = schema.get("examples")  # OpenAPI 3.1 / JSON Schema: a list
    return listed[0] if isinstance(listed, list) and listed else _MISSING


def _param_value(mapper: TypeMapper, raw: dict[str, Any]) -> Any:
    if "example" in raw:
        return raw["example"]
    for example in (raw.get("examples") or {}).values():
        resolved = mapper.resolve(example)
        if "value" in resolved:
            return resolved["value"]
    schema = mapper.resolve(raw.get("schema"))
    value = _schema_example(schema)
    if value is not _MISSING:
        return value
    if "default" in schema:
        return schema["default"]
    enum = schema.get("enum")
    return enum[0] if isinstance(enum, list) and enum else _MISSING


def _placeholder(mapper: TypeMapper, raw: dict[str, Any]) -> Any:
    kind = mapper.resolve(raw.get("schema")).get("type")
    return {"integer": 1, "number": 1.0, "boolean": True}.get(str(kind), "abc123")


def _response_example(mapper: TypeMapper, op: ModelOperation) -> Any:
    for code, response in sorted(op.responses.items()):
        if code.startswith("2"):
            for media in (response.get("content") or {}).values():
                value = media_example(mapper, media)
                if value is not _MISSING:
                    return value
    return _MISSING


def _body_value(mapper: TypeMapper, op: ModelOperation, body: Body) -> Any:
    return media_example(mapper, ((op.body or {}).get("content") or {}).get(body.content_type))


def build_example(
    mapper: TypeMapper,
    op: ModelOperation,
    path_params: tuple[FieldIR, ...],
    params: tuple[FieldIR, ...],
    body: Body | None,
) -> CallExample:
    """Arguments for one call: path values, required parameters, and the request body example."""
    raw: dict[tuple[str, str], dict[str, Any]] = {(p.location, p.name): dict(p.raw) for p in op.params}
    response = _response_example(mapper, op)
    args = []
    for field in path_params:
        param = raw.get(("path", field.wire_name), {})
        value = _param_value(mapper, param)
        if value is _MISSING and isinstance(response, dict):  # the object the path names: its id is in the response
            value = response.get(field.wire_name, response.get("id", _MISSING))
        args.append(_placeholder(mapper, param) if value is _MISSING or isinstance(value, dict | list) else value)
    kwargs: list[tuple[PythonIdentifier, Any]] = []
    for field in params:
        if field.required and field.default is None:
            param = raw.get((field.location, field.wire_name), {})
            value = _param_value(mapper, param)
            kwargs.append((field.name, _placeholder(mapper, param) if value is _MISSING else value))
    from_example, complete = False, True
    if body is not None:
        value = _body_value(mapper, op, body)
        from_example = value is not _MISSING
        if body.annotation is not None:
            if from_example:
                kwargs.append((PythonIdentifier("body"), value))
            complete = from_example or not body.required
        else:
            given = value if isinstance(value, dict) else {}
            by_wire = {f.wire_name: f.name for f in body.fields}
            kwargs.extend((by_wire[k], v) for k, v in given.items() if k in by_wire)
            complete = all(f.wire_name in given for f in body.fields if f.required)
    return CallExample(tuple(args), tuple(kwargs), from_example, complete)
