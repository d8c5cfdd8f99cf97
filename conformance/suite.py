"""Conformance runs of our APIs: against the in-process mock, or a server at a base URL."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

from apimodel import Api, load_api
from conformance.auth import Credentials, credentials_from_env
from conformance.engine import ApiResult, ConformOptions, Target, run_spec

__all__ = [
    "ConformError",
    "api_base_url",
    "mock_available",
    "mock_tenants",
    "run_against_mock",
    "run_against_url",
]


class ConformError(Exception):
    """A usage or connection problem, said in one line (exit status 2)."""


def mock_available() -> bool:
    try:
        import conformance.mock as mock
    except ImportError:
        return False
    return hasattr(mock, "create_app") and hasattr(mock, "demo_credentials")


def mock_tenants(api: Api) -> tuple[Credentials, ...]:
    """The credentials of the mock's first two demo tenants of ``api``."""
    from conformance.mock.credentials import credential_slots, derive_value

    slots = credential_slots(api)
    return tuple(
        credentials_from_env(api, {slot.env: derive_value(api.name, tenant, slot) for slot in slots})
        for tenant in (0, 1)
    )


def run_against_mock(
    targets: Sequence[str], options: ConformOptions, *, wrap: Any = None, base_url: str | None = None
) -> list[ApiResult]:
    """Each API against a fresh in-process mock (state reset between runs).

    ``wrap(app, api, tenants)`` (``api`` the model) may return another ASGI app in front of the mock (the drift
    injector).
    With ``base_url`` (a mock served there, ``{api}`` replaced by the API name) requests go over the network
    instead, with the same tenants and checks.
    """
    if not mock_available():
        raise ConformError("the embedded mock (conformance.mock) is not available; pass --url BASE_URL")
    import conformance.mock as mock

    results = []
    for target in targets:
        api = load_api(target)
        tenants = mock_tenants(api)
        if base_url is None:
            app = mock.create_app([target])
            if wrap is not None:
                app = wrap(app, api, tenants)
            where = Target(f"http://localhost/{api.name}", app=app)
        else:
            where = Target(base_url.replace("{api}", api.name))
        results.append(run_spec(api, where, credentials=tenants[0], other_tenants=tenants[1:], options=options))
    return results


def api_base_url(url: str, api: str, count: int) -> str:
    """``{api}`` in the URL is replaced; with several APIs and no placeholder, ``/<api>`` is appended."""
    if "{api}" in url:
        return url.replace("{api}", api)
    return f"{url.rstrip('/')}/{api}" if count > 1 else url


def _reachable(url: str, timeout: float) -> None:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="GET"), timeout=timeout):
            return
    except urllib.error.HTTPError:
        return  # any HTTP answer means a server is there
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ConformError(f"cannot connect to {url}: {reason}") from None


def run_against_url(
    targets: Sequence[str], url: str, options: ConformOptions, env: Mapping[str, str] | None = None
) -> list[ApiResult]:
    """Each API against a live server; credentials from the environment variables its spec names."""
    env = os.environ if env is None else env
    results = []
    for target in targets:
        api = load_api(target)
        base = api_base_url(url, api.name, len(targets))
        _reachable(base, options.request_timeout)
        credentials = credentials_from_env(api, env)
        results.append(run_spec(api, Target(base, live=True), credentials=credentials, options=options))
    return results
