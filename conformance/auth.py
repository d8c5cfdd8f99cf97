"""Per-API credentials for a run: the model's credentials, filled from an environment."""

from __future__ import annotations

import base64
import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from apimodel import Api, Credential
from apimodel.loader import resolve_pointer

__all__ = ["Credentials", "credential_env_vars", "credentials_from_env", "strip_body_credentials"]


@dataclass(frozen=True)
class Credentials:
    """Where each credential goes in a request. Values never show in ``repr``."""

    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    query: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    body: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (JSON pointer, value)
    secrets: tuple[str, ...] = field(default=(), repr=False)
    missing: tuple[str, ...] = ()  # environment variables the spec names that were not set

    @property
    def is_empty(self) -> bool:
        return not (self.headers or self.query or self.body)

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


def credentials_from_env(api: Api, env: Mapping[str, str]) -> Credentials:
    """Credentials for the first security alternative whose variables are all set, plus body credentials."""
    by_scheme = {c.scheme: c for c in api.credentials if c.kind != "body"}
    headers: list[tuple[str, str]] = []
    query: list[tuple[str, str]] = []
    missing: list[str] = []
    for requirement in _requirements(api):
        needed = {name: by_scheme.get(name) for name in requirement}
        absent = [v for c in needed.values() if c is not None for v in c.env if not env.get(v)]
        if absent or not all(needed.values()):
            missing.extend(v for v in absent if v not in missing)
            continue
        for credential in needed.values():
            assert credential is not None
            h, q = _scheme_credentials(credential, [env[v] for v in credential.env])
            headers.extend(h)
            query.extend(q)
        missing = []
        break
    body: list[tuple[str, str]] = []
    for credential in api.credentials:
        if credential.kind != "body":
            continue
        name = credential.env[0]
        if env.get(name):
            body.append((credential.name, env[name]))
        elif name not in missing:
            missing.append(name)
    secrets = [v for _, v in headers] + [v for _, v in query] + [v for _, v in body]
    secrets += [v.split(" ", 1)[1] for _, v in headers if " " in v]
    secrets += [env[v] for v in credential_env_vars(api) if env.get(v)]
    return Credentials(tuple(headers), tuple(query), tuple(body), tuple(secrets), tuple(missing))


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
