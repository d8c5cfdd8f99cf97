"""A loaded spec → :class:`Api`: every fact read (hints) or inferred (standard OpenAPI) once, with its reason."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from apimodel import hints
from apimodel.auth import read_credentials
from apimodel.errors import read_errors
from apimodel.facts import Api, Operation, Pagination, Parameter, Reason, Resource, Server, ServerVariable
from apimodel.loader import SpecDocument
from apimodel.naming import snake_case, unique_name
from apimodel.paging import MS_PAGEABLE, infer_body_pagination, infer_pagination
from apimodel.roles import collection_paths, fragment_action, place
from apimodel.schemas import Schemas
from apimodel.shapes import list_shape, locate_resource
from apimodel.walk import OperationRef, iter_operations

__all__ = ["build_api"]

_RESERVED_HEADERS = frozenset({"accept", "content-type", "authorization"})  # OpenAPI: such parameters are ignored
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_ENVIRONMENT_WORDS = frozenset({"sandbox", "production", "staging", "test", "demo", "live"})
_PATH_TEMPLATE = re.compile(r"\{([^{}]+)\}")
UNDECLARED = "not declared by the spec; taken as a string"
_SCHEMA_RANK = {"retrieve": 0, "create": 1, "update": 2, "list": 3}


def _parameters(schemas: Schemas, ref: OperationRef) -> tuple[Parameter, ...]:
    """Path-item and operation parameters merged (the operation's win), in document order."""
    merged: dict[tuple[str, str], Parameter] = {}
    for raw in [*(ref.path_item.get("parameters") or ()), *(ref.operation.get("parameters") or ())]:
        param = schemas.mapping(raw)
        location, name = param.get("in"), param.get("name")
        if location not in ("path", "query", "header", "cookie") or not name:
            continue
        if location == "header" and str(name).lower() in _RESERVED_HEADERS:
            continue
        schema = param.get("schema") or {}
        style = str(param.get("style") or ("form" if location in ("query", "cookie") else "simple"))
        merged[(str(location), str(name))] = Parameter(
            name=str(name),
            location=location,
            required=bool(param.get("required")) or location == "path",
            style=style,
            explode=bool(param.get("explode", style == "form")),
            description=" ".join(str(param.get("description") or "").split()),
            filter=hints.parameter_filter(param, schema, schemas.resolve(schema)),
            schema=schema,
            raw=param,
        )
    for name in _PATH_TEMPLATE.findall(ref.path):  # a template the spec never declares: a string, so it can be sent
        if ("path", name) not in merged:
            merged[("path", name)] = Parameter(
                name, "path", True, "simple", False, UNDECLARED, schema={"type": "string"}
            )
    return tuple(merged.values())


def _responses(schemas: Schemas, ref: OperationRef) -> dict[str, dict[str, Any]]:
    raw = ref.operation.get("responses")
    return {str(k): schemas.mapping(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def _success(responses: Mapping[str, Any]) -> Mapping[str, Any] | None:
    codes = sorted(c for c in responses if c.startswith("2"))
    return responses[codes[0]] if codes else responses.get("default")


def _answers_list(schemas: Schemas, response: Mapping[str, Any] | None) -> bool | None:
    """Whether a success response is a list (True) or one object (False); None without a JSON or XML body. An XML
    body's schema says it as well as a JSON one's (AWS's query and REST-XML protocols: ``DescribeCacheClusters``
    answers a list, ``CreateCacheCluster`` one object)."""
    typed = _typed_answer(schemas, response)
    if typed is None or schemas.json_content(typed) is None:
        return None
    return list_shape(schemas, typed) is not None


def _typed_answer(schemas: Schemas, response: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """``response``, with an XML body's schema standing as its JSON one where it has no JSON body: the schema says
    the shape either way (AWS's query and REST-XML protocols), and generated clients read both."""
    if response is None or schemas.json_content(response) is not None:
        return response
    content = schemas.mapping(response).get("content")
    xml = [m for k, m in content.items() if "xml" in str(k).lower()] if isinstance(content, dict) else []
    if not xml or not isinstance(xml[0], dict) or not xml[0].get("schema"):
        return response
    return {**response, "content": {"application/json": xml[0]}}


def _body_wrapper(schemas: Schemas, body: Mapping[str, Any] | None) -> str | None:
    content = (body or {}).get("content")
    for media in content.values() if isinstance(content, dict) else ():
        found = hints.wrapper(schemas.resolve((media or {}).get("schema") if isinstance(media, dict) else None))
        if found:
            return found
    return None


def _header_names(schemas: Schemas, response: Mapping[str, Any] | None) -> list[str]:
    headers = schemas.mapping(response).get("headers")
    return [str(h) for h in headers] if isinstance(headers, dict) else []


def _servers(data: Mapping[str, Any]) -> tuple[Server, ...]:
    servers = []
    taken: set[str] = set()
    raw = data.get("servers")
    for index, server in enumerate(raw if isinstance(raw, list) and raw else [{"url": "/"}]):
        if not isinstance(server, dict):
            continue
        description = " ".join(str(server.get("description") or "").split())
        # the first environment word the description uses: "Production (no sandbox is documented)" is production
        known = next((w for w in snake_case(description).split("_") if w in _ENVIRONMENT_WORDS), None)
        name = unique_name(known or ("production" if index == 0 else f"server_{index + 1}"), taken)
        raw_variables = server.get("variables")
        variables: dict[str, Any] = raw_variables if isinstance(raw_variables, dict) else {}
        servers.append(
            Server(
                name,
                str(server.get("url", "/")),
                description,
                tuple(
                    ServerVariable(
                        name=str(var),
                        default=str((spec or {}).get("default", "")),
                        enum=tuple(str(e) for e in (spec or {}).get("enum") or []),
                        description=" ".join(str((spec or {}).get("description") or "").split())[:160],
                    )
                    for var, spec in sorted(variables.items())
                ),
            )
        )
    return tuple(servers)


def _security(value: Any) -> tuple[Mapping[str, Any], ...] | None:
    return tuple(s for s in value if isinstance(s, dict)) if isinstance(value, list) else None


def build_api(document: SpecDocument, name: str) -> Api:
    """Every fact about the API ``document`` describes, named ``name`` (the mount and package name)."""
    data = document.data
    schemas = Schemas(data)
    problems = hints.Problems(document.label)
    refs = list(iter_operations(data))
    declared = [hints.operation_hints(ref.operation, ref.pointer, problems) for ref in refs]
    paging_declared = any(h.pagination is not None for h in declared)
    responses = [_responses(schemas, ref) for ref in refs]
    lists = {
        ref.path.rstrip("/"): _answers_list(schemas, _success(answers))
        for ref, answers in zip(refs, responses, strict=True)
        if ref.method == "get"
    }
    collections = collection_paths(ref.path for ref in refs)
    global_security = _security(data.get("security"))
    about = data.get("info")
    short = about.get("x-serviceName") if isinstance(about, dict) else None  # APIs.guru's short name of the API
    service = short if isinstance(short, str) and short.strip() else None
    operations: list[Operation] = []
    for ref, hint, answers in zip(refs, declared, responses, strict=True):
        placement = place(
            ref,
            hinted_resource=hint.resource,
            hinted_action=hint.action,
            has_view=hint.view is not None,
            effect_kind=hint.effect.kind if hint.effect else None,
            collections=collections,
            list_shaped=lambda path: lists.get(path),
            service=service,
        )
        params = _parameters(schemas, ref)
        reasons = list(placement.reasons)
        body = schemas.mapping(ref.operation.get("requestBody")) if ref.operation.get("requestBody") else None
        pagination: Pagination | None = hint.pagination
        whole = False
        if pagination is not None:
            reasons.append(("pagination", pagination.reason))
        elif ref.method == "get" and placement.role == "list" and paging_declared:
            why = f"the spec declares {hints.PAGINATION} elsewhere, not here"
            reasons.append(("pagination", Reason("hint", why)))
        elif ref.method == "get" and placement.role == "list":
            success = _typed_answer(schemas, _success(answers))
            pageable = ref.operation.get(MS_PAGEABLE)
            guess = infer_pagination(schemas, params, success, _header_names(schemas, success), pageable)
            pagination, whole = guess.pagination, guess.whole
            reasons.append(("pagination", guess.reason))
        elif ref.method == "post" and not paging_declared:
            body_guess = infer_body_pagination(schemas, body, _success(answers))
            pagination = body_guess.pagination if body_guess else None
            if body_guess is not None:
                reasons.append(("pagination", body_guess.reason))
            if body_guess is not None and placement.role == "create" and hint.action is None:
                # a POST that takes a page token and answers a page is a read of the collection (AWS's JSON
                # ListThings, DescribeThings), not a create: the client calls it ``list`` (or the action its path
                # names: ``list_things``), the mock lists
                read = Reason("inferred", "a POST that takes a page token and answers a page: reads the collection")
                action = placement.action if fragment_action(ref.path) else "list"
                placement = replace(placement, action=action, role="list")
                reasons = [(k, read if k in ("action", "role") else r) for k, r in reasons]
        method = ref.method.upper()
        safe = hint.safe if hint.safe is not None else method in _SAFE_METHODS
        reasons.append(("safe", Reason("hint", hints.SAFE) if hint.safe is not None else Reason("default", method)))
        raw_security = ref.operation.get("security", data.get("security"))
        operations.append(
            Operation(
                method=method,
                path=ref.path,
                operation_id=str(ref.operation.get("operationId") or ""),
                summary=" ".join(str(ref.operation.get("summary") or "").split()),
                description=" ".join(str(ref.operation.get("description") or "").split()),
                tags=tuple(str(t) for t in ref.operation.get("tags") or ()),
                source=str(hint.source) if hint.source is not None else None,
                resource=placement.resource,
                action=placement.action,
                role=placement.role,
                item_param=placement.item_param,
                parent_params=placement.parent_params,
                params=params,
                security=_security(raw_security) if "security" in ref.operation else global_security,
                pagination=pagination,
                effect=hint.effect,
                view=hint.view,
                safe=safe,
                wrapper=_body_wrapper(schemas, body),
                listing=hint.listing,
                reasons=tuple(reasons),
                body=body,
                responses=answers,
                raw=ref.operation,
                path_item=ref.path_item,
                namespace=placement.namespace,
                mock_items=hint.mock_items,
                whole_collection=whole,
            )
        )
    resources = _resources(schemas, operations)
    credentials = read_credentials(name, data, schemas, problems)
    hints.check_computed(data, problems)
    events = hints.event_log(data, problems)
    raw_info = data.get("info")
    info: Mapping[str, Any] = raw_info if isinstance(raw_info, dict) else {}
    return Api(
        name=name,
        label=document.label,
        openapi=document.version,
        title=" ".join(str(info.get("title") or name).split()),
        version=str(info.get("version") or "0"),
        description=" ".join(str(info.get("description") or "").split()),
        servers=_servers(data),
        credentials=credentials,
        body_settings=hints.body_settings(data, problems),
        security=global_security,
        errors=read_errors(data, schemas, refs),
        content_type_required=hints.content_type_required(data),
        nested_attributes=any(op.wrapper for op in operations),
        operations=tuple(operations),
        resources=resources,
        diagnostics=tuple(problems.found),
        data=data,
        schemas=schemas,
        _by_key={op.key: op for op in operations},
        _by_resource={r.name: r for r in resources},
        events=events,
    )


def _resources(schemas: Schemas, operations: list[Operation]) -> tuple[Resource, ...]:
    grouped: dict[str, list[Operation]] = {}
    for op in operations:
        grouped.setdefault(op.resource, []).append(op)
    resources = []
    for name in sorted(grouped):
        ops = grouped[name]
        stored = any(op.role == "create" for op in ops)
        addressed = any(op.item_param is not None or op.role == "list" for op in ops)
        schema: Any = None
        for op in sorted(ops, key=lambda o: _SCHEMA_RANK.get(o.role, 4)):  # stable: document order within a rank
            found = schemas.json_content(op.responses.get(op.success_status() or ""))
            if found is None:
                continue
            schema = locate_resource(schemas, found[1])[1]
            if schemas.properties(schema):
                break
        props = schemas.properties(schema)
        fills = tuple((k, f) for k, p in props.items() if (f := hints.fill(schemas.resolve(p))))
        id_field = "id"
        if props and "id" not in props:
            id_field = next((k for k, f in fills if f == "id"), None) or next(
                (op.item_param for op in ops if op.item_param in props), "id"
            )
        trash = sorted(
            {
                key
                for op in ops
                if op.effect is not None and op.effect.kind == "cancel"
                for key, value in op.effect.set
                if value is True
            }
        )
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        resources.append(
            Resource(
                name=name,
                operations=tuple(op.key for op in ops),
                stored=stored,
                singleton=stored and "." in name and not addressed,
                id_field=id_field,
                schema=schema if schema is not None else {},
                schema_name=ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None,
                fills=fills,
                computed=tuple(
                    (k, c) for k, p in props.items() if (c := hints.computed(p, schemas.resolve(p))) is not None
                ),
                expands=tuple((k, e) for k, p in props.items() if (e := hints.expand(p, schemas.resolve(p)))),
                counts=tuple((k, n) for k, p in props.items() if (n := hints.count(p, schemas.resolve(p)))),
                trash_flags=tuple(trash),
                includes=tuple((k, i) for k, p in props.items() if (i := hints.include(p, schemas.resolve(p)))),
                checked_references=tuple(
                    k for k, p in props.items() if (r := hints.refers_to(p, schemas.resolve(p))) and r[2] is not None
                ),
            )
        )
    return tuple(resources)
