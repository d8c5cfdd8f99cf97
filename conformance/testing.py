"""What the pytest suites in ``conformance/`` share: live settings, known mock drift, readable failures."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance.auth import credentials_from_env
from conformance.drift import Drift
from conformance.engine import ApiResult

__all__ = ["KNOWN_MOCK_DRIFT", "LiveSettings", "describe", "live_settings", "unexplained"]


@dataclass(frozen=True)
class KnownDrift:
    """Drift the faithful mock still shows, owned by the mock's author; the reason names the bug."""

    api: str
    operation: str  # a glob: "GET /*.xml", "*" for any operation
    kind: str
    reason: str
    detail: str = ""  # text the drift's spec_says or api_did must contain

    def explains(self, drift: Drift) -> bool:
        return (
            drift.api == self.api
            and fnmatch.fnmatchcase(drift.operation, self.operation)
            and drift.kind == self.kind
            and self.detail in f"{drift.spec_says} {drift.api_did}"
        )


# Reported to the mock's owner; remove an entry once the mock is fixed (the suite then guards it again).
KNOWN_MOCK_DRIFT: tuple[KnownDrift, ...] = ()

# Run errors the mock raises (not drift, but the run is incomplete), by API and text they contain.
KNOWN_MOCK_ERRORS: tuple[tuple[str, str], ...] = ()


def unexplained(result: ApiResult) -> tuple[list[Drift], list[str]]:
    """The drift and run errors of ``result`` that no known mock problem explains."""
    drifts = [d for d in result.drifts if not any(k.explains(d) for k in KNOWN_MOCK_DRIFT)]
    errors = [e for e in result.errors if not any(a == result.api and text in e for a, text in KNOWN_MOCK_ERRORS)]
    return drifts, errors


def describe(result: ApiResult, drifts: Sequence[Drift] | None = None, errors: Sequence[str] | None = None) -> str:
    """A failure message: one block per drift (kind, check, operation, pointer, both sides, curl)."""
    drifts = result.drifts if drifts is None else drifts
    errors = result.errors if errors is None else errors
    lines = [f"{result.api} (seed {result.seed}): {len(drifts)} drift(s), {len(errors)} run error(s)"]
    for d in drifts:
        lines += [
            f"- {d.kind} [{d.check}] {d.operation} at {d.pointer}"
            + (f" x{d.occurrences}" if d.occurrences > 1 else ""),
            f"    spec says: {d.spec_says}",
            f"    api did:   {d.api_did}",
            *(f"    {line}" for line in d.curl.splitlines()[-1:]),
        ]
    lines += [f"- run error: {e.splitlines()[0] if e else e}" for e in errors]
    return "\n".join(lines)


@dataclass(frozen=True)
class LiveSettings:
    """Where and how to run an API's live suite, read from the environment; ``missing`` says what is unset."""

    api: str
    url: str = ""
    missing: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    allow_writes: bool = False
    rate_limit: str = "2/s"

    @property
    def skip_reason(self) -> str:
        return f"live {self.api}: set {', '.join(self.missing)} to run against a sandbox"


def live_settings(api: str, spec: dict[str, Any], env: Mapping[str, str]) -> LiveSettings:
    """``SPECFORGE_LIVE_URL_<API>`` plus one security alternative's credential variables; writes only with
    ``SPECFORGE_LIVE_ALLOW_WRITES=1``; ``SPECFORGE_LIVE_RATE_LIMIT`` (default ``2/s``)."""
    url_var = f"SPECFORGE_LIVE_URL_{api.upper()}"
    credentials = credentials_from_env(spec, env)
    missing = tuple([url_var] if not env.get(url_var) else []) + credentials.missing
    return LiveSettings(
        api=api,
        url=env.get(url_var, ""),
        missing=missing,
        env=env,
        allow_writes=env.get("SPECFORGE_LIVE_ALLOW_WRITES", "") == "1",
        rate_limit=env.get("SPECFORGE_LIVE_RATE_LIMIT", "") or "2/s",
    )
