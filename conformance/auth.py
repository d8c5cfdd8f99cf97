"""Per-API credentials, read from the spec's ``x-env`` and ``x-body-credentials`` and an environment."""

from __future__ import annotations

import base64
import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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


def _schemes(data: dict[str, Any]) -> dict[str, Any]:
    components = data.get("components") or {}
    schemes = components.get("securitySchemes") or {}
    return schemes if isinstance(schemes, dict) else {}


def _requirements(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Security requirement alternatives: the document's, else the first operation's that has any."""
    found = data.get("security")
    if isinstance(found, list) and found:
        return [r for r in found if isinstance(r, dict)]
    for item in (data.get("paths") or {}).values():
        for operation in (item or {}).values() if isinstance(item, dict) else ():
            if isinstance(operation, dict) and isinstance(operation.get("security"), list) and operation["security"]:
                return [r for r in operation["security"] if isinstance(r, dict)]
    return []


def _env_names(scheme: dict[str, Any]) -> list[str]:
    names = scheme.get("x-env") or []
    return [str(n) for n in names] if isinstance(names, list) else [str(names)]


def credential_env_vars(data: dict[str, Any]) -> list[str]:
    """Every environment variable the spec names for credentials, in document order."""
    names: list[str] = []
    for scheme in _schemes(data).values():
        if isinstance(scheme, dict):
            names.extend(n for n in _env_names(scheme) if n not in names)
    for entry in data.get("x-body-credentials") or []:
        if isinstance(entry, dict) and entry.get("env") and entry["env"] not in names:
            names.append(str(entry["env"]))
    return names


def _scheme_credentials(
    scheme: dict[str, Any], values: list[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    headers: list[tuple[str, str]] = []
    query: list[tuple[str, str]] = []
    kind = scheme.get("type")
    if kind == "apiKey":
        target = query if scheme.get("in") == "query" else headers
        name = str(scheme.get("name", ""))
        prefix = str(scheme.get("x-prefix") or "")
        value = values[0] if values[0].startswith(prefix) else prefix + values[0]
        if scheme.get("in") == "cookie":
            headers.append(("Cookie", f"{name}={value}"))
        else:
            target.append((name, value))
    elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        user = values[0]
        password = values[1] if len(values) > 1 and not scheme.get("x-basic-username-only") else ""
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        headers.append(("Authorization", f"Basic {token}"))
    else:  # http bearer, oauth2, openIdConnect: a token in the Authorization header
        headers.append(("Authorization", f"Bearer {values[0]}"))
    return headers, query


def credentials_from_env(data: dict[str, Any], env: Mapping[str, str]) -> Credentials:
    """Credentials for the first security alternative whose variables are all set, plus body credentials."""
    schemes = _schemes(data)
    headers: list[tuple[str, str]] = []
    query: list[tuple[str, str]] = []
    missing: list[str] = []
    for requirement in _requirements(data):
        needed = {name: _env_names(schemes.get(name) or {}) for name in requirement}
        absent = [v for names in needed.values() for v in names if not env.get(v)]
        if absent or not all(needed.values()):
            missing.extend(v for v in absent if v not in missing)
            continue
        for name, names in needed.items():
            h, q = _scheme_credentials(schemes[name], [env[v] for v in names])
            headers.extend(h)
            query.extend(q)
        missing = []
        break
    body: list[tuple[str, str]] = []
    for entry in data.get("x-body-credentials") or []:
        if not isinstance(entry, dict):
            continue
        name = str(entry.get("env", ""))
        if env.get(name):
            body.append((str(entry.get("pointer", "")), env[name]))
        elif name not in missing:
            missing.append(name)
    secrets = [v for _, v in headers] + [v for _, v in query] + [v for _, v in body]
    secrets += [v.split(" ", 1)[1] for _, v in headers if " " in v]
    secrets += [env[v] for v in credential_env_vars(data) if env.get(v)]
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


def strip_body_credentials(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the spec whose request bodies no longer declare the body credentials.

    Generated data then never carries (or mutates) a credential; the run writes the real ones in,
    so a negative case stays negative and a credential is never reported as the mutated part.
    """
    entries = [e for e in data.get("x-body-credentials") or [] if isinstance(e, dict)]
    if not entries:
        return data
    result = copy.deepcopy(data)
    for item in (result.get("paths") or {}).values():
        for operation in item.values() if isinstance(item, dict) else ():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if isinstance(body, dict) and isinstance(body.get("$ref"), str):
                try:
                    body = resolve_pointer(result, body["$ref"][1:])
                except KeyError:
                    continue
            for media in ((body or {}).get("content") or {}).values() if isinstance(body, dict) else ():
                for entry in entries:
                    tokens = [
                        t.replace("~1", "/").replace("~0", "~") for t in str(entry["pointer"]).lstrip("/").split("/")
                    ]
                    _strip(media.get("schema"), result, tokens, set())
    return result
