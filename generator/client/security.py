"""Credentials, servers and the error envelope: the client constructor's inputs."""

from __future__ import annotations

from collections import Counter
from typing import Any

from generator.client.ir import CredentialIR, ErrorsIR, ServerIR, ServerVariable
from generator.client.naming import PythonIdentifier, python_identifier, snake_case, unique_name
from generator.client.typemap import TypeMapper
from generator.diagnostics import Diagnostic, join_pointer
from generator.walk import iter_operations

__all__ = ["body_credential_props", "build_credentials", "build_errors", "build_servers"]

_ENVIRONMENT_WORDS = frozenset({"sandbox", "production", "staging", "test", "demo", "live"})
_RESERVED_ARGS = frozenset({"base_url", "timeout", "max_retries", "http_client", "default_headers", "environment"})


def _argument(env: list[str], api: str, fallback: str, taken: set[str]) -> PythonIdentifier:
    name = fallback
    if env:  # FACTURARE_API_KEY -> api_key: the first word names the API
        words = env[0].split("_")
        name = "_".join(words[1:]) if len(words) > 1 else env[0]
    return PythonIdentifier(unique_name(python_identifier(name, reserved=_RESERVED_ARGS), taken))


def build_credentials(
    label: str, api: str, data: dict[str, Any], diagnostics: list[Diagnostic]
) -> tuple[CredentialIR, ...]:
    schemes = ((data.get("components") or {}).get("securitySchemes")) or {}
    taken: set[str] = set()
    found: list[CredentialIR] = []
    for key in sorted(schemes):
        scheme = schemes[key] if isinstance(schemes[key], dict) else {}
        env = [str(e) for e in scheme.get("x-env") or []]
        kind, scheme_type = scheme.get("type"), str(scheme.get("scheme", "")).lower()
        pointer = join_pointer("components", "securitySchemes", key)
        description = " ".join(str(scheme.get("description") or "").split())[:160]
        if kind == "http" and scheme_type == "basic":
            username_only = bool(scheme.get("x-basic-username-only"))
            user = _argument(env, api, "api_key" if username_only else "username", taken)
            password = None if username_only else _argument(env[1:], api, "password", taken)
            found.append(CredentialIR(user, "basic", "", tuple(env), password, description))
        elif (kind == "http" and scheme_type == "bearer") or kind in ("oauth2", "openIdConnect"):
            found.append(
                CredentialIR(
                    _argument(env, api, "bearer_token" if kind == "http" else "access_token", taken),
                    "bearer",
                    "",
                    tuple(env),
                    None,
                    description,
                )
            )
        elif kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
            wire = str(scheme.get("name") or key)
            found.append(
                CredentialIR(
                    _argument(env, api, snake_case(wire) or "api_key", taken),
                    scheme["in"],
                    wire,
                    tuple(env),
                    None,
                    description,
                    prefix=_prefix(label, pointer, scheme, diagnostics),
                )
            )
        else:
            diagnostics.append(
                Diagnostic(
                    label,
                    pointer,
                    "unsupported-security-scheme",
                    f"security scheme type {kind!r} cannot be expressed by the client",
                    "pass the header yourself with default_headers",
                    "warning",
                )
            )
    for extension in ("x-body-credentials", "x-body-defaults"):
        for index, entry in enumerate(data.get(extension) or []):
            if not isinstance(entry, dict) or not isinstance(entry.get("pointer"), str):
                diagnostics.append(
                    Diagnostic(
                        label,
                        join_pointer(extension, index),
                        "bad-body-credential",
                        "entry needs a 'pointer' string",
                        "see specs/README.md",
                        "warning",
                    )
                )
                continue
            env = [str(entry["env"])] if entry.get("env") else []
            last = entry["pointer"].rstrip("/").rsplit("/", 1)[-1]
            default = str(entry["default"]) if entry.get("default") is not None else None
            argument = _argument(env, api, last, taken)
            found.append(CredentialIR(argument, "body", entry["pointer"], tuple(env), None, "", default))
    return tuple(found)


def _prefix(label: str, pointer: str, scheme: dict[str, Any], diagnostics: list[Diagnostic]) -> str:
    """``x-prefix``: text the value is sent after (``Authorization: Token <key>``), so the secret is only the key."""
    raw = scheme.get("x-prefix", "")
    if isinstance(raw, str) and "\n" not in raw and "\r" not in raw:
        return raw
    diagnostics.append(
        Diagnostic(label, f"{pointer}/x-prefix", "bad-prefix", "x-prefix must be a one-line string",
                   "write it as a quoted string such as \"Token \"", "warning")
    )  # fmt: skip
    return ""


def body_credential_props(data: dict[str, Any]) -> frozenset[str]:
    """Top-level request body properties that carry only credentials (left out of method arguments)."""
    props = set()
    for extension in ("x-body-credentials", "x-body-defaults"):
        for entry in data.get(extension) or []:
            if isinstance(entry, dict) and isinstance(entry.get("pointer"), str):
                props.add(entry["pointer"].lstrip("/").split("/")[0])
    return frozenset(props)


def build_servers(data: dict[str, Any]) -> tuple[ServerIR, ...]:
    servers = []
    taken: set[str] = set()
    for index, server in enumerate(data.get("servers") or [{"url": "/"}]):
        if not isinstance(server, dict):
            continue
        description = " ".join(str(server.get("description") or "").split())
        words = snake_case(description).split("_")
        # the first environment word the description uses: "Production (no sandbox is documented)" is production
        known = next((w for w in words if w in _ENVIRONMENT_WORDS), None)
        name = unique_name(known or ("production" if index == 0 else f"server_{index + 1}"), taken)
        variables = tuple(
            ServerVariable(
                name=python_identifier(var, reserved=_RESERVED_ARGS),
                wire_name=var,
                default=str((spec or {}).get("default", "")),
                enum=tuple(str(e) for e in (spec or {}).get("enum") or []),
                description=" ".join(str((spec or {}).get("description") or "").split())[:160],
            )
            for var, spec in sorted((server.get("variables") or {}).items())
        )
        servers.append(ServerIR(name, str(server.get("url", "/")), description, variables))
    return tuple(servers)


def build_errors(mapper: TypeMapper, data: dict[str, Any]) -> ErrorsIR:
    """The error envelope: ``x-errors.schema``, or the schema most 4xx/5xx responses use."""
    raw = data.get("x-errors")
    spec: dict[str, Any] = raw if isinstance(raw, dict) else {}
    match = tuple(sorted((str(k), v) for k, v in (spec.get("match-in-success") or {}).items()))
    throttled = _throttled(spec)
    schema_ref = spec.get("schema")
    if isinstance(schema_ref, str):
        return ErrorsIR(mapper.model_for({"$ref": schema_ref}), match, throttled)
    counts: Counter[str] = Counter()
    for ref in iter_operations(data):
        for code, response in (ref.operation.get("responses") or {}).items():
            if str(code)[0] in "45" or code == "default":
                content = mapper.resolve(response).get("content") or {}
                for media, body in content.items():
                    model = mapper.model_for((body or {}).get("schema")) if "json" in media else None
                    if model:
                        counts[model] += 1
    return ErrorsIR(counts.most_common(1)[0][0] if counts else None, match, throttled)


def _throttled(spec: dict[str, Any]) -> tuple[int, tuple[tuple[str, Any], ...]] | None:
    """A rate-limit answer the runtime would not retry by status alone, and the fixed body values that mark it."""
    kinds = spec.get("kinds")
    kind = kinds.get("rate_limited") if isinstance(kinds, dict) else None
    if not isinstance(kind, dict) or not isinstance(kind.get("status"), int) or not isinstance(kind.get("body"), dict):
        return None
    status: int = kind["status"]
    fixed = tuple(
        sorted(
            (str(k), v)
            for k, v in kind["body"].items()
            if isinstance(v, str | int | bool) and not (isinstance(v, str) and v.startswith("$"))
        )
    )
    return None if status == 429 or status >= 500 or not fixed else (status, fixed)
