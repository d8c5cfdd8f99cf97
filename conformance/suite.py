"""Conformance runs of our APIs: against the in-process mock, or a server at a base URL."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

from apimodel.loader import load_spec
from apimodel.project import resolve_spec
from conformance.auth import Credentials, credentials_from_env
from conformance.engine import ApiResult, ConformOptions, Target, run_spec

__all__ = [
    "ConformError",
    "api_base_url",
    "load_target_spec",
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


def load_target_spec(target: str) -> tuple[str, dict[str, Any]]:
    """``(name, spec)`` for an API name or a spec path; SpecError propagates with its one-line message."""
    name, path = resolve_spec(target)
    document = load_spec(path)
    return name or path.stem, document.data


def _tenant(spec: dict[str, Any], api: str, tenant: int) -> Credentials | None:
    import conformance.mock as mock

    try:
        values = mock.demo_credentials(api, tenant=tenant)
    except (KeyError, ValueError, IndexError, LookupError):
        return None
    return credentials_from_env(spec, values)


def mock_tenants(api: str, spec: dict[str, Any]) -> tuple[Credentials, ...]:
    """The credentials of the mock's first two demo tenants of ``api`` (one when it has a single tenant)."""
    first = _tenant(spec, api, 0) or Credentials()
    second = _tenant(spec, api, 1)
    return (first,) if second is None else (first, second)


def run_against_mock(
    targets: Sequence[str], options: ConformOptions, *, wrap: Any = None, base_url: str | None = None
) -> list[ApiResult]:
    """Each API against a fresh in-process mock (state reset between runs).

    ``wrap(app, api, spec, tenants)`` may return another ASGI app in front of the mock (the drift injector).
    With ``base_url`` (a mock served there, ``{api}`` replaced by the API name) requests go over the network
    instead, with the same tenants and checks.
    """
    if not mock_available():
        raise ConformError("the embedded mock (conformance.mock) is not available; pass --url BASE_URL")
    import conformance.mock as mock

    results = []
    for target in targets:
        api, spec = load_target_spec(target)
        tenants = mock_tenants(api, spec)
        if base_url is None:
            app = mock.create_app([target])
            if wrap is not None:
                app = wrap(app, api, spec, tenants)
            where = Target(f"http://localhost/{api}", app=app)
        else:
            where = Target(base_url.replace("{api}", api))
        results.append(run_spec(api, spec, where, credentials=tenants[0], other_tenants=tenants[1:], options=options))
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
        api, spec = load_target_spec(target)
        base = api_base_url(url, api, len(targets))
        _reachable(base, options.request_timeout)
        credentials = credentials_from_env(spec, env)
        results.append(run_spec(api, spec, Target(base, live=True), credentials=credentials, options=options))
    return results
