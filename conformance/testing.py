"""What the pytest suites in ``conformance/`` share: live settings and readable failures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from apimodel import Api
from conformance.auth import credentials_from_env
from conformance.engine import ApiResult

__all__ = ["LiveSettings", "describe", "live_settings"]


def describe(result: ApiResult) -> str:
    """A failure message: one block per drift (kind, check, operation, pointer, both sides, curl)."""
    drifts, errors = result.drifts, result.errors
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


def live_settings(api: Api, env: Mapping[str, str]) -> LiveSettings:
    """``SPECFORGE_LIVE_URL_<API>`` plus one security alternative's credential variables; writes only with
    ``SPECFORGE_LIVE_ALLOW_WRITES=1``; ``SPECFORGE_LIVE_RATE_LIMIT`` (default ``2/s``)."""
    url_var = f"SPECFORGE_LIVE_URL_{api.name.upper()}"
    credentials = credentials_from_env(api, env)
    missing = tuple([url_var] if not env.get(url_var) else []) + credentials.missing
    return LiveSettings(
        api=api.name,
        url=env.get(url_var, ""),
        missing=missing,
        env=env,
        allow_writes=env.get("SPECFORGE_LIVE_ALLOW_WRITES", "") == "1",
        rate_limit=env.get("SPECFORGE_LIVE_RATE_LIMIT", "") or "2/s",
    )
