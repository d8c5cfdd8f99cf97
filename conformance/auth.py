"""Per-API credentials for a run: the model's credentials, filled from an environment."""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from apimodel import Api, Credential
from apimodel.loader import resolve_pointer

__all__ = [
    "AuthError",
    "Credentials",
    "auth_assignments",
    "credential_env_vars",
    "credentials_from_env",
    "strip_body_credentials",
]


class AuthError(ValueError):
    """An ``--auth`` value that names nothing the spec knows; the message names it, never the value."""


@dataclass(frozen=True)
class Credentials:
    """Where each credential goes in a request. Values never show in ``repr``."""

    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    query: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    body: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (JSON pointer, value)
    secrets: tuple[str, ...] = field(default=(), repr=False)
    missing: tuple[str, ...] = ()  # environment variables the spec names that were not set
    # every security alternative the environment completes, by its schemes: an operation that asks for
    # another alternative than the first (efactori's OAuth2 token) gets the credentials it needs
    alternatives: tuple[tuple[tuple[str, ...], Credentials], ...] = field(default=(), repr=False)

    @property
    def is_empty(self) -> bool:
        return not (self.headers or self.query or self.body)

    def for_requirements(self, requirements: Iterable[Mapping[str, Any]] | None) -> Credentials:
        """The credentials for the first of ``requirements`` this run can meet (these ones when none)."""
        if requirements is None:
            return self
        by_schemes = dict(self.alternatives)
        for requirement in requirements:
            key = tuple(sorted(requirement))
            if key in by_schemes:
                return by_schemes[key]
        return self

    def every(self) -> tuple[Credentials, ...]:
        """These credentials and every alternative's."""
        return (self, *(c for _, c in self.alternatives))

    def carried_by(self, headers: Mapping[str, str], query: str, body: bytes) -> bool:
        """Whether a request sent any of these credentials (or an alternative's)."""
        lowered = {k.lower(): v for k, v in headers.items()}
        for credentials in self.every():
            if any(lowered.get(k.lower()) == v for k, v in credentials.headers):
                return True
            if any(f"{k}=" in query and v in query for k, v in credentials.query):
                return True
            if any(v.encode() in body for _, v in credentials.body):
                return True
        return False

    def apply_body(self, body: Any) -> Any:
        """A copy of ``body`` with each body credential written at its pointer (creating objects on the way)."""
        if not self.body or not isinstance(body, dict):
            return body
        result = copy.deepcopy(body)
        for pointer, value in self.body:
            tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]
            node = result
            for token in tokens[:-1]:
                child = node.get(token)
                if not isinstance(child, dict):
                    child = {}
                    node[token] = child
                node = child
            node[tokens[-1]] = value
        return result


def _requirements(api: Api) -> list[Mapping[str, Any]]:
    """Security requirement alternatives: the document's, else the first operation's that has any."""
    if api.security:
        return list(api.security)
    return next((list(op.security) for op in api.operations if op.security), [])


def credential_env_vars(api: Api) -> list[str]:
    """Every environment variable the model names for credentials, in order."""
    names: list[str] = []
    for credential in api.credentials:
        names.extend(n for n in credential.env if n not in names)
    return names


def auth_assignments(api: Api, pairs: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """``--auth NAME=VALUE`` values as environment assignments, and the names this API does not know.

    NAME is a security scheme (HTTP Basic takes ``user:password``) or one of the credential variables the API's
    model names (``specforge describe`` lists them).
    """
    assignments: dict[str, str] = {}
    unknown: list[str] = []
    variables = credential_env_vars(api)
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise AuthError(f"--auth {name or pair[:20]!r}: write SCHEME=VALUE (HTTP Basic: SCHEME=user:password)")
        credential = next((c for c in api.credentials if c.scheme == name and c.kind != "body"), None)
        if credential is not None and credential.kind == "basic":
            user, _, password = value.partition(":")
            assignments[credential.env[0]] = user
            if len(credential.env) > 1:
                assignments[credential.env[1]] = password
        elif credential is not None:
            assignments[credential.env[0]] = value
        elif name in variables:
            assignments[name] = value
        else:
            unknown.append(name)
    return assignments, unknown


def _scheme_credentials(
    credential: Credential, values: list[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    headers: list[tuple[str, str]] = []
    query: list[tuple[str, str]] = []
    if credential.kind in ("header", "query", "cookie"):
        prefix = credential.prefix
        value = values[0] if values[0].startswith(prefix) else prefix + values[0]
        if credential.kind == "cookie":
            headers.append(("Cookie", f"{credential.name}={value}"))
        else:
            (query if credential.kind == "query" else headers).append((credential.name, value))
    elif credential.kind == "basic":
        password = values[1] if len(values) > 1 and not credential.username_only else ""
        token = base64.b64encode(f"{values[0]}:{password}".encode()).decode()
        headers.append(("Authorization", f"Basic {token}"))
    else:  # http bearer (or another HTTP scheme word), oauth2, openIdConnect
        headers.append(("Authorization", f"{credential.name.capitalize()} {values[0]}"))
    return headers, query


def _meet(
    requirement: Mapping[str, Any], by_scheme: Mapping[str, Credential], env: Mapping[str, str]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] | list[str]:
    """Headers and query pairs that meet one security requirement, or the variables it lacks."""
    needed = [by_scheme.get(name) for name in requirement]
    absent = [v for c in needed if c is not None for v in c.env if not env.get(v)]
    if absent or not all(needed):
        return absent
    headers: list[tuple[str, str]] = []
    query: list[tuple[str, str]] = []
    for credential in needed:
        assert credential is not None
        h, q = _scheme_credentials(credential, [env[v] for v in credential.env])
        headers.extend(h)
        query.extend(q)
    return tuple(headers), tuple(query)


def credentials_from_env(api: Api, env: Mapping[str, str]) -> Credentials:
    """Credentials for the first security alternative whose variables are all set, plus body credentials.

    Every other alternative the environment completes (the document's or an operation's) is kept too, so an
    operation that asks for another one (efactori's OAuth2 token) gets it (:meth:`Credentials.for_requirements`).
    """
    by_scheme = {c.scheme: c for c in api.credentials if c.kind != "body"}
    body: list[tuple[str, str]] = []
    missing: list[str] = []
    for credential in api.credentials:
        if credential.kind != "body":
            continue
        name = credential.env[0]
        if env.get(name):
            body.append((credential.name, env[name]))
        else:
            missing.append(name)
    met: dict[tuple[str, ...], tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {}
    everywhere = [*(api.security or ()), *(r for op in api.operations for r in op.security or ())]
    for requirement in everywhere:
        key = tuple(sorted(requirement))
        found = _meet(requirement, by_scheme, env) if key and key not in met else None
        if isinstance(found, tuple):
            met[key] = found
    headers: tuple[tuple[str, str], ...] = ()
    query: tuple[tuple[str, str], ...] = ()
    lacking: list[str] = []
    for requirement in _requirements(api):
        key = tuple(sorted(requirement))
        if key in met:
            headers, query = met[key]
            lacking = []
            break
        absent = _meet(requirement, by_scheme, env)
        lacking.extend(v for v in absent if isinstance(v, str) and v not in lacking)
    missing = lacking + [v for v in missing if v not in lacking]
    secrets = [v for _, v in headers] + [v for _, v in query] + [v for _, v in body]
    for h, q in met.values():
        secrets += [v for _, v in (*h, *q)] + [v.split(" ", 1)[1] for _, v in h if " " in v]
    secrets += [env[v] for v in credential_env_vars(api) if env.get(v)]
    alternatives = tuple((key, Credentials(h, q, tuple(body), tuple(secrets))) for key, (h, q) in met.items())
    return Credentials(headers, query, tuple(body), tuple(secrets), tuple(missing), alternatives)


def _strip(schema: Any, root: dict[str, Any], tokens: list[str], seen: set[int]) -> None:
    if not isinstance(schema, dict) or id(schema) in seen or not tokens:
        return
    seen.add(id(schema))
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        try:
            _strip(resolve_pointer(root, ref[1:]), root, tokens, seen)
        except KeyError:
            return
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key) or []:
            _strip(part, root, tokens, seen)
    properties = schema.get("properties")
    if not isinstance(properties, dict) or tokens[0] not in properties:
        return
    if len(tokens) == 1:
        del properties[tokens[0]]
        required = schema.get("required")
        if isinstance(required, list) and tokens[0] in required:
            required.remove(tokens[0])
            if not required:
                del schema["required"]
    else:
        _strip(properties[tokens[0]], root, tokens[1:], seen)


def strip_body_credentials(api: Api) -> dict[str, Any]:
    """A copy of the spec whose request bodies no longer declare the body credentials.

    Generated data then never carries (or mutates) a credential; the run writes the real ones in,
    so a negative case stays negative and a credential is never reported as the mutated part.
    """
    pointers = [c.name for c in api.credentials if c.kind == "body"]
    if not pointers:
        return api.data
    result = copy.deepcopy(api.data)
    for item in (result.get("paths") or {}).values():
        for operation in item.values() if isinstance(item, dict) else ():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if isinstance(body, dict) and isinstance(body.get("$ref"), str):
                try:
                    body = resolve_pointer(result, body["$ref"][1:])
                except KeyError:
                    continue
            for media in ((body or {}).get("content") or {}).values() if isinstance(body, dict) else ():
                for pointer in pointers:
                    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]
                    _strip(media.get("schema"), result, tokens, set())
    return result
