"""Credentials, servers and the error envelope: the client constructor's inputs, named from the API model."""

from __future__ import annotations

from apimodel import Api
from apimodel.diagnostics import Diagnostic, join_pointer
from generator.client.ir import CredentialIR, ErrorsIR, ServerIR, ServerVariable
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


def build_credentials(api: Api, diagnostics: list[Diagnostic]) -> tuple[CredentialIR, ...]:
    """One constructor argument per credential (two for HTTP Basic with a password), each read from its
    environment variable when not given. Argument names follow the spec's own variable names where it declares them."""
    taken: set[str] = set()
    found: list[CredentialIR] = []
    for c in api.credentials:
        named = c.env if c.env_declared else ()
        if c.kind == "basic":
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
