"""Tenants and their credentials: where each of the model's credentials travels, and demo values for them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apimodel import Api, Operation

__all__ = ["AuthResult", "CredentialSlot", "Tenants", "credential_slots", "derive_value", "read_pointer", "read_slot"]


@dataclass(frozen=True)
class CredentialSlot:
    """Where one credential travels and which environment variable supplies it."""

    env: str
    scheme: str  # security scheme name, or "" for a body credential
    kind: str  # basic-user | basic-pass | auth-scheme | apikey-header | apikey-query | apikey-cookie | body
    name: str  # header/query/cookie name, HTTP auth scheme word, or body pointer
    fmt: str = ""  # format or type hint for demo values: uuid | integer | ""
    prefix: str = ""  # text before the value on the wire ("Token ")


@dataclass(frozen=True)
class AuthResult:
    tenant: int | None
    error: str | None = None  # "unauthorized" | "forbidden"
    message: str = ""


def credential_slots(api: Api) -> list[CredentialSlot]:
    """Where each of the model's credentials travels, one slot per value a request carries."""
    slots: list[CredentialSlot] = []
    for c in api.credentials:
        if c.kind == "basic":
            slots.append(CredentialSlot(c.env[0], c.scheme, "basic-user", "basic"))
            if len(c.env) > 1 and not c.username_only:
                slots.append(CredentialSlot(c.env[1], c.scheme, "basic-pass", "basic"))
        elif c.kind == "bearer":
            slots.append(CredentialSlot(c.env[0], c.scheme, "auth-scheme", c.name))
        elif c.kind == "body":
            slots.append(CredentialSlot(c.env[0], "", "body", c.name, c.value_format))
        else:
            slots.append(CredentialSlot(c.env[0], c.scheme, f"apikey-{c.kind}", c.name, c.value_format, c.prefix))
    return slots


def derive_value(api: str, tenant: int, slot: CredentialSlot) -> str:
    """A deterministic demo credential: same API, tenant and variable give the same value everywhere."""
    digest = hashlib.sha256(f"specforge-mock:{api}:{tenant}:{slot.env}".encode()).hexdigest()
    if slot.fmt == "uuid":
        return str(uuid.UUID(digest[:32], version=4))
    if slot.fmt == "integer":
        return str(int(digest[:8], 16))
    return f"demo{tenant}{digest[:28]}"


def read_pointer(document: Any, pointer: str) -> Any:
    node = document
    for token in pointer.lstrip("/").split("/"):
        if not isinstance(node, dict):
            return None
        node = node.get(token.replace("~1", "/").replace("~0", "~"))
    return node


class Tenants:
    """The tenants of one API: demo ones derived from the API name, more from configuration."""

    def __init__(self, api: str, slots: list[CredentialSlot], count: int, extra: list[dict[str, str]]) -> None:
        self.api = api
        self.slots = slots
        envs = list(dict.fromkeys(slot.env for slot in slots))
        by_env = {slot.env: slot for slot in slots}
        self.values: list[dict[str, str]] = [
            {env: derive_value(api, index, by_env[env]) for env in envs} for index in range(count)
        ]
        self.values.extend(dict(row) for row in extra)
        self._owners: dict[tuple[str, str], int] = {}
        for index, row in enumerate(self.values):
            for env, value in row.items():
                self._owners.setdefault((env, value), index)

    def __len__(self) -> int:
        return len(self.values)

    def owner(self, env: str, value: str) -> int | None:
        return self._owners.get((env, value))

    def check(self, supplied: dict[str, str]) -> AuthResult:
        """All supplied values must belong to one tenant."""
        owners = {self.owner(env, value) for env, value in supplied.items()}
        if None in owners:
            return AuthResult(None, "unauthorized", "Invalid credentials")
        if len(owners) > 1:
            return AuthResult(None, "forbidden", "These credentials do not belong together")
        return AuthResult(owners.pop())

    def authenticate(
        self, op: Operation, headers: dict[str, str], query: dict[str, str], cookies: dict[str, str], body: Any
    ) -> AuthResult:
        """Whose request this is: the credentials of one security alternative (or the body's) must all belong
        to one tenant; a second credential of another tenant, or a wrong one, spoils it."""
        slots = self.slots
        body_slots = [s for s in slots if s.kind == "body"]
        requirements = op.security or ()
        if op.security == ():  # `security: []`: this operation needs no credentials at all
            return AuthResult(None)
        # a body credential counts in any JSON body sent, declared or not (Rails reads body parameters on every action)
        uses_body = bool(body_slots) and (op.body is not None or isinstance(body, dict))
        if not any(requirements) and not uses_body:
            return AuthResult(None)
        failure = AuthResult(None, "unauthorized", "Missing credentials")
        candidates: list[list[Any]] = [
            [s for s in slots if s.scheme in requirement] for requirement in requirements if requirement
        ]
        if uses_body:
            candidates.append(body_slots)
        for group in candidates:
            values = {s.env: read_slot(s, headers, query, cookies, body) for s in group}
            if not group or any(v is None for v in values.values()):
                continue
            result = self.check({k: v for k, v in values.items() if v is not None})
            if result.error is None:
                # a second credential that is wrong or another tenant's spoils the request, as real APIs do
                for slot in {s for g in candidates for s in g}:
                    other = read_slot(slot, headers, query, cookies, body)
                    if other is not None and self.owner(slot.env, other) != result.tenant:
                        return AuthResult(None, "unauthorized", "Invalid credentials")
                return result
            failure = result
        return failure


def read_slot(
    slot: CredentialSlot, headers: Mapping[str, str], query: Mapping[str, str], cookies: Mapping[str, str], body: Any
) -> str | None:
    """The value a request supplies for ``slot``, or ``None`` when it supplies none."""
    if slot.kind in ("basic-user", "basic-pass"):
        auth = headers.get("authorization", "")
        if auth[:6].lower() != "basic ":
            return None
        try:
            user, _, password = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        value = user if slot.kind == "basic-user" else password
        return value or None
    if slot.kind == "auth-scheme":
        word, _, token = headers.get("authorization", "").partition(" ")
        return token.strip() or None if word.lower() == slot.name else None
    if slot.kind.startswith("apikey-"):
        source = {"apikey-header": headers, "apikey-query": query, "apikey-cookie": cookies}.get(slot.kind, {})
        raw = source.get(slot.name.lower() if slot.kind == "apikey-header" else slot.name) or ""
        if not raw.startswith(slot.prefix):
            return None
        value = raw[len(slot.prefix) :]
        word, _, rest = value.partition(" ")
        if not slot.prefix and slot.name.lower() == "authorization" and word.isalpha() and rest.strip():
            value = rest.strip()  # an API key in Authorization sent after a word the spec does not name (Bot <token>)
        return value or None
    value = read_pointer(body, slot.name)
    return value if isinstance(value, str) and value else None
