"""Conformance runs of our APIs: against the in-process mock, or a server at a base URL."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from apimodel import Api, load_api
from conformance.auth import AuthError, Credentials, auth_assignments, credentials_from_env
from conformance.collect import Progress
from conformance.engine import ApiResult, ConformOptions, Target, run_spec
from conformance.selection import SelectionError

__all__ = [
    "ConformError",
    "api_base_url",
    "mock_available",
    "mock_tenants",
    "run_against_mock",
    "run_against_url",
]


class TimedApp:
    """An ASGI app in front of the in-process mock that adds up the time the mock spends answering (schemathesis
    sends one request at a time, so the sum is a share of the run's wall time)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seconds = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.seconds += time.perf_counter() - started


class ConformError(Exception):
    """A usage or connection problem, said in one line (exit status 2)."""


def mock_available() -> bool:
    try:
        import conformance.mock as mock
    except ImportError:
        return False
    return hasattr(mock, "create_app") and hasattr(mock, "demo_credentials")


def mock_tenants(api: Api) -> tuple[Credentials, ...]:
    """The credentials of the mock's first two demo tenants of ``api`` (one, empty, when it needs none)."""
    from conformance.mock.credentials import credential_slots, derive_value

    if not api.credentials:
        return (Credentials(),)
    slots = credential_slots(api)
    return tuple(
        credentials_from_env(api, {slot.env: derive_value(api.name, tenant, slot) for slot in slots})
        for tenant in (0, 1)
    )


def run_against_mock(
    targets: Sequence[str],
    options: ConformOptions,
    *,
    wrap: Any = None,
    base_url: str | None = None,
    progress: Progress | None = None,
    mock_config: Any = None,
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
        mocked = None
        timed: TimedApp | None = None
        if base_url is None:
            mocked = mock.create_app([target], config=mock_config)
            timed = TimedApp(mocked)
            app = wrap(timed, api, tenants) if wrap is not None else timed
            where = Target(f"http://localhost/{api.name}", app=app)
        else:
            where = Target(base_url.replace("{api}", api.name))
        result = _run(api, where, tenants[0], tenants[1:], options, progress)
        if timed is not None:
            result = replace(result, mock_seconds=timed.seconds)
        if mocked is not None and mock_config is not None and mock_config.self_check:
            result = replace(result, mock_violations=tuple(mocked.state.mock.violations()[api.name]))
        results.append(result)
    return results


def _run(
    api: Api,
    where: Target,
    credentials: Credentials,
    others: tuple[Credentials, ...],
    options: ConformOptions,
    progress: Progress | None,
) -> ApiResult:
    try:
        return run_spec(api, where, credentials=credentials, other_tenants=others, options=options, progress=progress)
    except SelectionError as exc:
        raise ConformError(str(exc)) from None


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
    targets: Sequence[str],
    url: str,
    options: ConformOptions,
    env: Mapping[str, str] | None = None,
    *,
    auth: Sequence[str] = (),
    progress: Progress | None = None,
) -> list[ApiResult]:
    """Each API against a live server; credentials from ``--auth`` values (``auth``) and the environment
    variables its model names."""
    env = os.environ if env is None else env
    apis = [load_api(target) for target in targets]
    try:
        resolved = [auth_assignments(api, auth) for api in apis]
    except AuthError as exc:
        raise ConformError(str(exc)) from None
    unknown = set.intersection(*(set(u) for _, u in resolved)) if resolved else set()
    if unknown:
        known = sorted({c.scheme for api in apis for c in api.credentials if c.scheme})
        names = ", ".join(sorted(unknown))
        raise ConformError(f"--auth {names}: no such security scheme or credential variable (schemes: {known})")
    results = []
    for api, (assignments, _) in zip(apis, resolved, strict=True):
        base = api_base_url(url, api.name, len(targets))
        _reachable(base, options.request_timeout)
        credentials = credentials_from_env(api, {**env, **assignments})
        results.append(_run(api, Target(base, live=True), credentials, (), options, progress))
    return results
