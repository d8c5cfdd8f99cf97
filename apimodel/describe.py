"""What specforge understood about an API, as data (``--json``) and as text for people."""

from __future__ import annotations

from typing import Any

from apimodel import hints
from apimodel.facts import Api, Credential, Operation, Pagination, Reason, Resource

__all__ = ["describe_data", "describe_text"]


def _reason(reason: Reason | None) -> dict[str, str] | None:
    return None if reason is None else {"source": reason.source, "detail": reason.detail}


def _pagination(pagination: Pagination | None) -> dict[str, Any] | None:
    if pagination is None:
        return None
    return {"style": pagination.style, **dict(pagination.settings()), "reason": _reason(pagination.reason)}


def _credential(c: Credential) -> dict[str, Any]:
    return {
        "scheme": c.scheme,
        "kind": c.kind,
        "name": c.name,
        "env": list(c.env),
        "prefix": c.prefix,
        "username_only": c.username_only,
        "reason": _reason(c.reason),
    }


def _operation(op: Operation) -> dict[str, Any]:
    effect = op.effect
    return {
        "method": op.method,
        "path": op.path,
        "operation_id": op.operation_id,
        "action": op.action,
        "role": op.role,
        "item_param": op.item_param,
        "parent_params": list(op.parent_params),
        "pagination": _pagination(op.pagination),
        "pagination_reason": _reason(op.reason("pagination")),
        "effect": None
        if effect is None
        else {
            "kind": effect.kind,
            "set": dict(effect.set),
            "set_from_query": dict(effect.set_from_query),
            "set_from_body": dict(effect.set_from_body),
            "refuse_unless": list(effect.refuse_unless),
        },
        "view": op.view,
        "safe": op.safe,
        "reasons": {name: _reason(r) for name, r in op.reasons},
    }


def _resource(api: Api, resource: Resource) -> dict[str, Any]:
    return {
        "name": resource.name,
        "schema": resource.schema_name,
        "id_field": resource.id_field,
        "stored": resource.stored,
        "singleton": resource.singleton,
        "fills": dict(resource.fills),
        "sequence_per": _sequence_per(api, resource),
        "computed": {name: {k: v for k, v in vars(rule).items() if v} for name, rule in resource.computed},
        "expands": dict(resource.expands),
        "operations": [_operation(op) for op in api.operations if op.resource == resource.name],
    }


def _sequence_per(api: Api, resource: Resource) -> dict[str, list[str]]:
    """The numbered properties counted once per value of other fields (the sequence-per hint: a journal)."""
    props = api.schemas.properties(resource.schema) if resource.schema is not None else {}
    found = {name: hints.sequence_per(api.schemas.resolve(prop)) for name, prop in props.items()}
    return {name: [scope.label for scope in scopes] for name, scopes in found.items() if scopes}


def describe_data(api: Api) -> dict[str, Any]:
    """Everything the model holds, as JSON-ready data."""
    return {
        "name": api.name,
        "spec": api.label,
        "openapi": api.openapi,
        "title": api.title,
        "version": api.version,
        "servers": [{"name": s.name, "url": s.url, "variables": [v.name for v in s.variables]} for s in api.servers],
        "credentials": [_credential(c) for c in api.credentials],
        "body_settings": [{"pointer": s.pointer, "env": s.env, "default": s.default} for s in api.body_settings],
        "content_type_required": api.content_type_required,
        "errors": {
            "schema": api.errors.schema_ref,
            "reason": _reason(api.errors.reason),
            "match_in_success": dict(api.errors.match_in_success),
            "statuses": {k.name: k.status for k in api.errors.kinds},
        },
        "resources": [_resource(api, r) for r in api.resources],
        "diagnostics": [d.format() for d in api.diagnostics],
    }


def _why(reason: Reason | None) -> str:
    if reason is None:
        return ""
    return f"  [{reason.detail}]" if reason.source == "hint" else f"  [{reason.source}: {reason.detail}]"


def _credential_line(c: Credential) -> str:
    where = {
        "basic": "HTTP Basic" + (" (user name only)" if c.username_only else ""),
        "bearer": f"Authorization: {c.name.title()} <token>",
        "header": f"header {c.name}: {c.prefix}<value>",
        "query": f"query ?{c.name}={c.prefix}<value>",
        "cookie": f"cookie {c.name}={c.prefix}<value>",
        "body": f"request body at {c.name}",
    }[c.kind]
    return f"  {c.scheme or 'body'}: {where}; from {', '.join(c.env)}{_why(c.reason)}"


def _operation_lines(op: Operation) -> list[str]:
    call = f"{op.client_resource}.{op.action}"
    lines = [f"    {op.role:<9} {op.method:<6} {op.path}  → {call}{_why(op.reason('role'))}"]
    if op.pagination is not None:
        names = ", ".join(f"{k}={v}" for k, v in op.pagination.settings())
        lines.append(f"              pages: {op.pagination.style} ({names}){_why(op.pagination.reason)}")
    elif op.role == "list" and op.reason("pagination") is not None:
        lines.append(f"              one page{_why(op.reason('pagination'))}")
    if op.effect is not None:
        changes = [f"{k}={v!r}" for k, v in op.effect.set]
        changes += [f"{k}=?{v}" for k, v in op.effect.set_from_query]
        changes += [f"{k}=body/{v}" for k, v in op.effect.set_from_body]
        what = op.effect.kind or "sets"
        lines.append(f"              effect: {what} {', '.join(changes)}".rstrip())
    if op.view:
        lines.append(f"              renders the object as {op.view}")
    if op.safe and op.method not in ("GET", "HEAD", "OPTIONS"):
        lines.append(f"              safe to call in a read-only run{_why(op.reason('safe'))}")
    return lines


def describe_text(api: Api) -> str:
    """A readable summary: servers, auth, errors, then each resource with its operations."""
    lines = [f"{api.name}: {api.title} {api.version} ({api.label}, OpenAPI {api.openapi})", "servers:"]
    lines += [f"  {s.name}: {s.url}" for s in api.servers]
    lines.append("auth:" if api.credentials else "auth: none")
    lines += [_credential_line(c) for c in api.credentials]
    lines += [f"  body setting {s.pointer}: from {s.env or '-'}, default {s.default!r}" for s in api.body_settings]
    if api.content_type_required:
        lines.append(f"  every request carries Content-Type: {api.content_type_required}")
    statuses = ", ".join(f"{k.name} {k.status}" for k in api.errors.kinds if k.status is not None)
    lines.append(f"errors: {api.errors.schema_ref or 'no shared schema'}{_why(api.errors.reason)}")
    if statuses:
        lines.append(f"  statuses: {statuses}")
    if api.errors.match_in_success:
        marks = ", ".join(f"{k}={v!r}" for k, v in api.errors.match_in_success)
        lines.append(f"  also sent with a 2xx status, marked by {marks}")
    paged = sum(1 for op in api.operations if op.pagination is not None)
    lists = sum(1 for op in api.operations if op.role == "list")
    lines.append(
        f"resources: {len(api.resources)}, operations: {len(api.operations)}, lists: {lists}, paginated: {paged}"
    )
    for resource in api.resources:
        kind = "singleton" if resource.singleton else ("collection" if resource.stored else "read-only")
        schema = f", schema {resource.schema_name}" if resource.schema_name else ""
        lines.append(f"  {resource.name} ({kind}, id {resource.id_field}{schema})")
        per = _sequence_per(api, resource)
        for name, fill in resource.fills:
            if fill.startswith("sequence:"):
                scope = f", one sequence per {', '.join(per[name])}" if per.get(name) else ""
                lines.append(f"    numbered {name}: {fill[len('sequence:') :]}{scope}")
        for name, rule in resource.computed:
            parts = [f"{k} {v}" for k, v in vars(rule).items() if v]
            lines.append(f"    computed {name}: {'; '.join(parts)}")
        for name, target in resource.expands:
            lines.append(f"    expand {name} → {target}")
        for op in api.operations:
            if op.resource == resource.name:
                lines.extend(_operation_lines(op))
    lines += [d.format() for d in api.diagnostics]
    return "\n".join(lines)
