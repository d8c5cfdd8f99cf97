"""Reading a request against its operation: parameters coerced by their schemas, the body parsed and checked."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from apimodel import Operation, Parameter
from conformance.jsonseq import SequenceError, decode_sequence, is_json_sequence
from conformance.mock.bodies import parse_multipart, parse_xml
from conformance.mock.schema import FieldError, SchemaSet
from conformance.mock.shaping import coerce_to

__all__ = ["BodyProblem", "ParsedRequest", "multipart_errors", "parse_body", "parse_parameters", "structure_depth"]


@dataclass
class ParsedRequest:
    path_params: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    media_type: str = ""
    url: str = ""  # absolute, without the query: where list pages link to
    pairs: list[tuple[str, str]] = field(default_factory=list)  # the query string as sent


class BodyProblem(Exception):
    """A body the operation cannot take: ``kind`` names the error (validation, unsupported_media_type)."""

    def __init__(self, kind: str, message: str, param: str = "") -> None:
        super().__init__(message)
        self.kind, self.message, self.param = kind, message, param


def structure_depth(value: Any, limit: int) -> int:
    """Nesting depth of a JSON value, counted iteratively and stopping just past ``limit``."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _coerce(schemas: SchemaSet, schema: Any, raw: str) -> Any:
    kind = schemas.schema_type(schema)
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            number = float(raw)
            return number if number == number and abs(number) != float("inf") else raw
        if kind == "boolean":
            lowered = raw.lower()
            if lowered in ("true", "1"):
                return True
            if lowered in ("false", "0"):
                return False
    except ValueError:
        return raw
    return raw


def _parent(root: dict[str, Any], parts: list[str]) -> dict[str, Any]:
    """The object that holds ``parts[-1]``, creating the objects on the way (``a[b][c]`` -> ``root[a][b]``)."""
    node = root
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    return node


def _deep_object(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``a=1``, ``a][b=2`` (from ``name[a][b]``): nested keys become objects, a repeated key a list."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.split("][")
        node = _parent(result, parts)
        last = parts[-1]
        if last in node:
            previous = node[last]
            node[last] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            node[last] = value
    return result


def _param_value(
    schemas: SchemaSet, param: Parameter, pairs: list[tuple[str, str]], single: str | None, taken: frozenset[str]
) -> Any:
    """The parameter's value as sent, read by its style; ``taken``: the names of the operation's other query
    parameters, which an exploded object's properties never claim."""
    schema = schemas.resolve(param.schema)
    kind = schemas.schema_type(schema)
    if param.location == "query" and (param.style == "deepObject" or kind == "object"):
        prefix = param.name + "["
        found = _deep_object([(k[len(prefix) : -1], v) for k, v in pairs if k.startswith(prefix) and k.endswith("]")])
        props = schemas.properties(schema)
        if not found and kind == "object" and param.explode and param.style != "deepObject":
            # ElastiCache's ModifyUser has both a `Passwords` parameter and an `AuthenticationMode` object with a
            # `Passwords` property: the pair belongs to the parameter of that name, not to the object
            found = {k: v for k, v in pairs if k in props and k not in taken}
        if not found:
            bare = [v for k, v in pairs if k == param.name]
            return bare[-1] if bare else None  # `name=value` where an object is expected: kept, to fail validation
        extra = schema.get("additionalProperties") if isinstance(schema, dict) else None
        return {
            k: _coerce(schemas, props.get(k, extra if isinstance(extra, dict) else {}), v) if isinstance(v, str) else v
            for k, v in found.items()
        }
    if kind == "array":
        items = schema.get("items") or {} if isinstance(schema, dict) else {}
        if param.location == "query":
            values = [v for k, v in pairs if k in (param.name, param.name + "[]")]
            if not values:
                return None
            if not param.explode or param.style in ("spaceDelimited", "pipeDelimited"):
                sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(param.style, ",")
                values = [part for value in values for part in value.split(sep)]
        else:
            if single is None:
                return None
            values = single.split(",")
        return [_coerce(schemas, items, v) for v in values]
    if param.location == "query":
        values = [v for k, v in pairs if k == param.name]
        if not values:
            return None
        single = values[-1]
    if single is None:
        return None
    return _coerce(schemas, schema, single)


def parse_parameters(
    schemas: SchemaSet,
    op: Operation,
    path_params: dict[str, str],
    query_pairs: list[tuple[str, str]],
    headers: dict[str, str],
    cookies: dict[str, str],
) -> tuple[ParsedRequest, list[FieldError]]:
    parsed, errors = ParsedRequest(), []
    query_names = frozenset(p.name for p in op.params if p.location == "query")
    for param in op.params:
        if param.location == "path":
            raw: str | None = path_params.get(param.name)
        elif param.location == "header":
            raw = headers.get(param.name.lower())
        elif param.location == "cookie":
            raw = cookies.get(param.name)
        else:
            raw = None
        value = _param_value(schemas, param, query_pairs, raw, query_names - {param.name})
        if value is None:
            if param.required:
                errors.append(FieldError(param.name, f"{param.location} parameter '{param.name}' is required"))
            continue
        for error in schemas.errors(param.schema, value, "request", limit=3):
            errors.append(FieldError(param.name, f"{param.location} parameter '{param.name}': {error.message}"))
        target = {"path": parsed.path_params, "query": parsed.query, "header": parsed.headers}.get(param.location)
        if target is not None:
            target[param.name] = value
    return parsed, errors


def _nest_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        _parent(result, parts)[parts[-1]] = value
    return result


def parse_body(op: Operation, content_type: str, raw: bytes, max_depth: int) -> tuple[Any, str]:
    """The body as data, and the declared media type it was read as; raise :class:`BodyProblem`."""
    declared = (op.body or {}).get("content") or {}
    if not raw:
        if op.body_required:
            raise BodyProblem("validation", "a request body is required", "")
        return None, ""
    if not declared:
        return None, ""
    media = content_type.split(";")[0].strip().lower()
    chosen = next((m for m in declared if m.lower() == media), None)
    if chosen is None:
        chosen = next((m for m in declared if m.endswith("/*") and media.startswith(m[:-1])), None)
    if chosen is None and not media and any("json" in m for m in declared):
        chosen = next(m for m in declared if "json" in m)
    if chosen is None:
        raise BodyProblem(
            "unsupported_media_type", f"Content-Type '{media or 'none'}' is not accepted; send {', '.join(declared)}"
        )
    if is_json_sequence(chosen):  # NDJSON, JSON Lines, json-seq: the list of its documents, each checked alone
        try:
            documents = decode_sequence(raw, chosen)
        except SequenceError as exc:
            raise BodyProblem("validation", f"the {chosen} request body: {exc}") from None
        if structure_depth(documents, max_depth) > max_depth:
            raise BodyProblem("validation", f"the request body is nested deeper than {max_depth} levels")
        return documents, chosen
    if "json" in chosen:
        try:
            body = json.loads(raw.decode("utf-8"))
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
            raise BodyProblem("validation", f"the request body is not valid JSON ({where})") from None
        except UnicodeDecodeError as exc:
            raise BodyProblem("validation", f"the request body is not UTF-8 (byte {exc.start})") from None
        except ValueError:  # Python's own limit on the digits of an integer
            limit = f"{sys.get_int_max_str_digits():,}"
            raise BodyProblem("validation", f"the request body holds a number of more than {limit} digits") from None
        except RecursionError:
            raise BodyProblem("validation", "the request body is nested too deep to read") from None
        # each level opens a bracket: a body with no more of them than the limit needs no walk
        shallow = raw.count(b"{") + raw.count(b"[") <= max_depth
        if not shallow and structure_depth(body, max_depth) > max_depth:
            raise BodyProblem("validation", f"the request body is nested deeper than {max_depth} levels")
        return body, chosen
    if chosen == "application/x-www-form-urlencoded":
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyProblem("validation", "the form body is not UTF-8") from None
        return _nest_form(parse_qsl(text, keep_blank_values=True)), chosen
    if chosen.startswith("multipart/"):
        fields = parse_multipart(content_type, raw)
        if fields is None:
            raise BodyProblem("validation", "the body is not a valid multipart form")
        return fields, chosen
    if "xml" in chosen:
        document = parse_xml(raw, max_depth)
        if document is None:
            raise BodyProblem("validation", "the request body is not a well-formed XML document")
        return document, chosen
    return None, chosen


def undeclared_json(content_type: str, raw: bytes, max_depth: int) -> dict[str, Any] | None:
    """A JSON object sent to an operation that declares no body, read only for the credentials it may carry
    (BitFaktura's ``api_token`` on ``send_by_email``: Rails reads body parameters on every action); else ``None``."""
    if not raw or "json" not in content_type.lower():
        return None
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) and structure_depth(body, max_depth) <= max_depth else None


def multipart_errors(schemas: SchemaSet, schema: Any, fields: dict[str, Any]) -> list[FieldError]:
    """What breaks ``schema`` in a multipart form's parts (as :func:`parse_multipart` reads them): form fields travel
    as text, so each is read as the type the schema gives before the check (required parts too); an array may come
    one item a part or as one JSON document, an object as its JSON document."""
    props = schemas.properties(schema)
    read = {name: _part(schemas, props[name], value) if name in props else value for name, value in fields.items()}
    return schemas.errors(schema, coerce_to(schemas, schema, read), "request")


def _part(schemas: SchemaSet, schema: Any, value: Any) -> Any:
    """One part's value as its schema's type: an array sent one item a part, or as one JSON document (what a complex
    value's part holds, its default Content-Type being application/json); an object as its JSON document."""
    kind = schemas.schema_type(schema)
    if kind in ("string", "integer", "number", "boolean") or not isinstance(value, str):
        return value
    try:  # an array, an object, or a schema that gives no type (anyOf objects): a JSON document's value
        decoded = json.loads(value)
    except ValueError:
        decoded = None
    if isinstance(decoded, list if kind == "array" else dict | list):
        return decoded
    return [value] if kind == "array" else value
