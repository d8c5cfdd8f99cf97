"""Credentials: every security scheme and body credential, where it travels and which environment
variables supply it (the scheme's env hint, else ``<API>_<SCHEME>``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apimodel import hints
from apimodel.diagnostics import join_pointer
from apimodel.facts import Credential, CredentialKind, Reason
from apimodel.naming import snake_case

__all__ = ["env_prefix", "read_credentials"]


def env_prefix(api: str) -> str:
    """``oai-petstore`` -> ``OAI_PETSTORE``: how an API's environment variables begin."""
    return snake_case(api).upper() or "API"


def _inferred_env(api: str, scheme: str, basic: bool) -> tuple[str, ...]:
    base = f"{env_prefix(api)}_{snake_case(scheme).upper() or 'AUTH'}"
    return (f"{base}_USERNAME", f"{base}_PASSWORD") if basic else (base,)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _description(scheme: Mapping[str, Any]) -> str:
    return " ".join(str(scheme.get("description") or "").split())[:160]


def read_credentials(
    api: str, data: Mapping[str, Any], schemes_resolver: Any, problems: hints.Problems
) -> tuple[Credential, ...]:
    """Every credential of the document: security schemes in name order, then body credentials."""
    components = _mapping(data.get("components"))
    schemes = _mapping(components.get("securitySchemes"))
    found: list[Credential] = []
    for key in sorted(schemes):
        scheme = schemes_resolver.mapping(schemes[key])
        pointer = join_pointer("components", "securitySchemes", key)
        declared = hints.scheme_hints(scheme, pointer, problems)
        kind_name, word = scheme.get("type"), str(scheme.get("scheme") or "").lower()
        kind: CredentialKind
        if kind_name == "http" and word == "basic":
            kind, name = "basic", "basic"
        elif kind_name == "http":
            kind, name = "bearer", word or "bearer"
        elif kind_name in ("oauth2", "openIdConnect"):
            kind, name = "bearer", "bearer"
        elif kind_name == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
            kind, name = scheme["in"], str(scheme.get("name") or key)
        else:
            problems.warn(
                pointer, "unsupported-security-scheme",
                f"security scheme type {kind_name!r} cannot be expressed by the client",
                "pass the header yourself with default_headers",
            )  # fmt: skip
            continue
        env = declared.env or _inferred_env(api, key, kind == "basic")
        reason = (
            Reason("hint", hints.ENV)
            if declared.env
            else Reason("inferred", f"no {hints.ENV}: named after the API and the scheme {key!r}")
        )
        uuid = kind in ("header", "query", "cookie") and ("uuid" in name.lower() or "UUID" in env[0])
        found.append(
            Credential(
                scheme=key,
                kind=kind,
                name=name,
                env=env,
                reason=reason,
                scheme_type=str(kind_name),
                prefix=declared.prefix if kind in ("header", "query", "cookie") else "",
                username_only=declared.username_only,
                value_format="uuid" if uuid else "",
                description=_description(scheme),
            )
        )
    for pointer, env_name in hints.body_credentials(data, problems):
        env = (env_name,) if env_name else (f"{env_prefix(api)}_{snake_case(pointer).upper()}",)
        reason = Reason("hint", hints.BODY_CREDENTIALS) if env_name else Reason("inferred", "no env on the entry")
        found.append(Credential("", "body", pointer, env, reason, value_format="uuid" if "UUID" in env[0] else ""))
    return tuple(found)
