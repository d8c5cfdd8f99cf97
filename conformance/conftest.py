"""Fixtures for ``pytest conformance/``: the conformance suites against the in-process mock and live sandboxes."""

from __future__ import annotations

import os

import pytest

from conformance.suite import load_target_spec
from conformance.testing import LiveSettings, live_settings


@pytest.fixture
def live(request: pytest.FixtureRequest) -> LiveSettings:
    """The live settings of the parametrised ``api``; skips (with what to set) unless all are present."""
    api = str(request.node.callspec.params["api"])
    _, spec = load_target_spec(api)
    settings = live_settings(api, spec, os.environ)
    if settings.missing:
        pytest.skip(settings.skip_reason)
    return settings
