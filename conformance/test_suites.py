"""``pytest conformance/``: every API conformed against the in-process mock, and against its live sandbox when set."""

from __future__ import annotations

from dataclasses import replace

import pytest

from apimodel.project import API_NAMES
from conformance.presets import QUICK
from conformance.suite import run_against_mock, run_against_url
from conformance.testing import LiveSettings, describe


@pytest.mark.slow
@pytest.mark.parametrize("seed", [7, 11])
@pytest.mark.parametrize("api", API_NAMES)
def test_mock_conforms_to_its_spec(api: str, seed: int) -> None:
    result = run_against_mock([api], replace(QUICK, seed=seed))[0]
    assert not result.drifts and not result.errors, describe(result)
    assert result.operations_covered == result.operations_total, describe(result)
    assert result.test_cases >= result.operations_total


@pytest.mark.live
@pytest.mark.parametrize("api", API_NAMES)
def test_live_sandbox_conforms_to_its_spec(api: str, live: LiveSettings) -> None:
    options = replace(QUICK, allow_writes=live.allow_writes, rate_limit=live.rate_limit)
    result = run_against_url([api], live.url, options, env=live.env)[0]
    assert result.ok, describe(result)
    if result.cleanup is not None:
        assert not result.cleanup.left, "\n".join(result.cleanup.left)
