"""Against a server at a URL: read-only by default; with writes, everything created is deleted at the end."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from conformance.bench import serve_mock
from conformance.cleanup import rate_interval
from conformance.mock import create_app, demo_credentials
from conformance.presets import QUICK
from conformance.suite import run_against_url

CUSTOMER_OPERATIONS = ("listCustomers", "createCustomer", "retrieveCustomer", "updateCustomer", "deleteCustomer")


def _stored(app: Any, api: str, resource: str) -> int:
    count: int = app.state.mock.servers[api].store.count(resource)
    return count


def _run(app: Any, allow_writes: bool) -> Any:
    options = replace(QUICK, operations=CUSTOMER_OPERATIONS, allow_writes=allow_writes, seed=4)
    with serve_mock(["facturare"], app=app) as url:
        return run_against_url(
            ["facturare"], url.replace("{api}", "facturare"), options, demo_credentials("facturare")
        )[0]


@pytest.mark.slow
def test_writes_are_deleted_at_the_end() -> None:
    app = create_app(["facturare"])
    result = _run(app, allow_writes=True)
    assert result.cleanup is not None
    assert result.cleanup.created > 0
    assert result.cleanup.deleted == result.cleanup.created, result.cleanup.left
    assert _stored(app, "facturare", "customers") == 0


@pytest.mark.slow
def test_read_only_by_default_creates_nothing() -> None:
    app = create_app(["facturare"])
    result = _run(app, allow_writes=False)
    assert result.cleanup is None
    assert result.test_cases > 0
    assert _stored(app, "facturare", "customers") == 0
    assert result.operations_covered == 2  # listCustomers and retrieveCustomer only


@pytest.mark.parametrize(
    ("limit", "seconds"), [(None, 0.0), ("10/s", 0.1), ("120/m", 0.5), ("2/5s", 2.5), ("nonsense", 0.0)]
)
def test_rate_interval(limit: str | None, seconds: float) -> None:
    assert rate_interval(limit) == pytest.approx(seconds)
