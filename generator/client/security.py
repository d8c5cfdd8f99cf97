"""Credentials, servers and the error envelope: the client constructor's inputs, named from the API model."""

from __future__ import annotations

from apimodel import Api, Credential
from apimodel.diagnostics import Diagnostic, join_pointer
from generator.client.ir import CredentialIR, ErrorsIR, Placement, ServerIR, ServerVariable
from generator.client.naming import PythonIdentifier, python_identifier, snake_case, unique_name
from generator.client.typemap import TypeMapper

__all__ = ["body_credential_props", "build_credentials", "build_errors", "build_servers"]

_RESERVED_ARGS = frozenset({"base_url", "timeout", "max_retries", "http_client", "default_headers", "environment"})


def _argument(env: tuple[str, ...], fallback: str, taken: set[str]) -> PythonIdentifier:
    name = fallback
    if env:  # FACTURARE_API_KEY -> api_key: the first word names the API
        words = env[0].split("_")
        name = "_".join(words[1:]) if len(words) > 1 else env[0]
    return PythonIdentifier(unique_name(python_identifier(name, reserved=_RESERVED_ARGS), taken))


def _preference(api: Api) -> dict[str, int]:
    """Security schemes in the order the spec prefers them: the document's requirements first, then each
    operation's, in the order they are listed."""
    order: list[str] = []
    requirements = [*(api.security or ()), *(r for op in api.operations for r in (op.security or ()))]
    for requirement in requirements:
        order.extend(scheme for scheme in requirement if scheme not in order)
    return {scheme: rank for rank, scheme in enumerate(order)}


def _secret(c: Credential) -> str | None:
    """The environment variable naming the secret ``c`` carries, when the spec declares one: credentials that
    declare the same variable carry the same secret and become one argument (BitFaktura's token, sent in the
    query, as a bearer token or in the body). Basic auth carries a pair and stays on its own."""
    return c.env[0] if c.env_declared and len(c.env) == 1 and c.kind != "basic" else None


def _placements(ranked: list[Credential]) -> tuple[Placement, ...]:
    kinds = [c.kind for c in ranked]
    return tuple(
        Placement(
            c.kind if kinds.count(c.kind) == 1 else f"{c.kind}:{c.name}",
            c.kind,
            "" if c.kind == "bearer" else c.name,
            c.prefix,
        )
        for c in ranked
    )


def build_credentials(api: Api, diagnostics: list[Diagnostic]) -> tuple[CredentialIR, ...]:
    """One constructor argument per secret (two for HTTP Basic with a password), each read from its
    environment variable when not given. Argument names follow the spec's own variable names where it declares them.
    Credentials declaring the same variable are one argument with several placements, the spec's preferred first."""
    taken: set[str] = set()
    found: list[CredentialIR] = []
    usable = [c for c in api.credentials if not (c.kind == "bearer" and c.name != "bearer")]
    groups: dict[str, list[Credential]] = {}
    for c in usable:
        secret = _secret(c)
        if secret is not None:
            groups.setdefault(secret, []).append(c)
    preference = _preference(api)
    for c in api.credentials:
        named = c.env if c.env_declared else ()
        secret = _secret(c)
        group = groups.get(secret, []) if secret is not None else []
        if len(group) > 1:
            if c is not group[0]:
                continue
            ranked = sorted(group, key=lambda m: (preference.get(m.scheme, len(preference)), m.kind == "body"))
            placements = _placements(ranked)
            first = placements[0]
            argument = _argument(named, snake_case(c.name) or "api_key", taken)
            taken.add(f"{argument}_placement")
            found.append(
                CredentialIR(argument, first.kind, first.wire_name, c.env, None, ranked[0].description, None,
                             first.prefix, placements)
            )  # fmt: skip
        elif c.kind == "basic":
            user = _argument(named, "api_key" if c.username_only else "username", taken)
            password = None if c.username_only else _argument(named[1:], "password", taken)
            found.append(CredentialIR(user, "basic", "", c.env, password, c.description))
        elif c.kind == "bearer" and c.name != "bearer":
            diagnostics.append(
                Diagnostic(
                    api.label,
                    join_pointer("components", "securitySchemes", c.scheme),
                    "unsupported-security-scheme",
                    f"HTTP authentication scheme {c.name!r} cannot be expressed by the client",
                    "pass the header yourself with default_headers",
                    "warning",
                )
            )
        elif c.kind == "bearer":
            fallback = "bearer_token" if c.scheme_type == "http" else "access_token"
            found.append(CredentialIR(_argument(named, fallback, taken), "bearer", "", c.env, None, c.description))
        elif c.kind == "body":
            argument = _argument(named, c.name.rstrip("/").rsplit("/", 1)[-1], taken)
            found.append(CredentialIR(argument, "body", c.name, named, None, ""))
        else:
            argument = _argument(named, snake_case(c.name) or "api_key", taken)
            found.append(CredentialIR(argument, c.kind, c.name, c.env, None, c.description, prefix=c.prefix))
    for setting in api.body_settings:
        env = (setting.env,) if setting.env else ()
        argument = _argument(env, setting.pointer.rstrip("/").rsplit("/", 1)[-1], taken)
        found.append(CredentialIR(argument, "body", setting.pointer, env, None, "", setting.default))
    return tuple(found)


def body_credential_props(api: Api) -> frozenset[str]:
    """Top-level request body properties that carry only credentials or settings (left out of method arguments)."""
    pointers = [c.name for c in api.credentials if c.kind == "body"] + [s.pointer for s in api.body_settings]
    return frozenset(p.lstrip("/").split("/")[0] for p in pointers)


def build_servers(api: Api) -> tuple[ServerIR, ...]:
    return tuple(
        ServerIR(
            server.name,
            server.url,
            server.description,
            tuple(
                ServerVariable(
                    name=python_identifier(var.name, reserved=_RESERVED_ARGS),
                    wire_name=var.name,
                    default=var.default,
                    enum=var.enum,
                    description=var.description,
                )
                for var in server.variables
            ),
        )
        for server in api.servers
    )


def build_errors(mapper: TypeMapper, api: Api) -> ErrorsIR:
    """The error envelope the model found, as the model class exceptions parse it into."""
    ref = api.errors.schema_ref
    type_expression = mapper.model_for({"$ref": ref}) if ref else None
    return ErrorsIR(type_expression, api.errors.match_in_success, api.errors.throttled)
