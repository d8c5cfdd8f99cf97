"""Mock server configuration and tenants."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["FAULT_KINDS", "MockConfig", "MockConfigError", "load_tenants_file"]

FAULT_KINDS: tuple[str, ...] = ("429", "500", "503", "drop")


class MockConfigError(ValueError):
    """A configuration the mock cannot use; the message is one line naming what and where."""


@dataclass(frozen=True)
class MockConfig:
    """How the mock behaves beyond what the specs say.

    ``fault_rate`` is the share of requests (0..1) that get one of ``faults`` at random
    (``random_seed`` makes the draw repeatable); ``latency_ms`` delays every response.
    ``tenants_file`` adds tenants: ``{api: [{name: ..., credentials: {ENV_VAR: value}}]}``.
    ``state_file`` keeps the objects in a SQLite file shared by every process serving it (default: memory).
    ``check_responses`` validates every response before sending it and falls back to a generated
    one when it would not conform (the mock never sends what its spec forbids).
    """

    tenants_file: Path | None = None
    state_file: Path | None = None
    seed_data: bool = False
    max_body_bytes: int = 1_000_000
    max_depth: int = 64
    faults: tuple[str, ...] = FAULT_KINDS
    fault_rate: float = 0.0
    latency_ms: float = 0.0
    random_seed: int | None = None
    demo_tenants: int = 2
    check_responses: bool = True
    # every success JSON body drifts from its schema like a real API's (conformance.mock.chaos); a request asks
    # for it alone with ``Prefer: chaos``; the drift is repeatable for a given ``random_seed``
    chaos: bool = False
    # validate every response as sent (errors included) against the spec and count what breaks it
    self_check: bool = False
    names: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        if not 0.0 <= self.fault_rate <= 1.0:
            raise MockConfigError(f"fault_rate {self.fault_rate} is outside 0..1; give a share such as 0.1")
        unknown = [f for f in self.faults if f not in FAULT_KINDS]
        if unknown:
            raise MockConfigError(f"unknown fault kind(s) {unknown}; use {', '.join(FAULT_KINDS)}")
        if self.max_body_bytes < 1:
            raise MockConfigError("max_body_bytes must be positive")
        if self.demo_tenants < 2:
            raise MockConfigError("demo_tenants must be at least 2")


def load_tenants_file(path: Path) -> dict[str, list[dict[str, str]]]:
    """Read a tenants file: ``{api: [{name, credentials: {ENV: value}}]}``; one-line errors."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MockConfigError(f"{path}: cannot read the tenants file ({exc.strerror})") from None
    try:
        data: Any = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        raise MockConfigError(f"{path}: the tenants file is not valid YAML/JSON; fix its syntax") from None
    if not isinstance(data, dict):
        raise MockConfigError(f"{path}: expected a mapping of API name to a list of tenants")
    result: dict[str, list[dict[str, str]]] = {}
    for api, tenants in data.items():
        if not isinstance(tenants, list):
            raise MockConfigError(f"{path}#/{api}: expected a list of tenants")
        rows: list[dict[str, str]] = []
        for index, tenant in enumerate(tenants):
            creds = tenant.get("credentials") if isinstance(tenant, dict) else None
            if not isinstance(creds, dict) or not all(isinstance(v, str) and v for v in creds.values()):
                raise MockConfigError(
                    f"{path}#/{api}/{index}: a tenant needs 'credentials', a mapping of env var to a non-empty string"
                )
            rows.append({str(k): str(v) for k, v in creds.items()})
        result[str(api)] = rows
    return result
