"""Fixtures for ``pytest conformance/``: the conformance suites against the in-process mock and live sandboxes."""

from __future__ import annotations

import os

import pytest

from apimodel import load_api
from conformance.testing import LiveSettings, live_settings


@pytest.fixture
def live(request: pytest.FixtureRequest) -> LiveSettings:
    """The live settings of the parametrised ``api``; skips (with what to set) unless all are present."""
    api = str(request.node.callspec.params["api"])
    settings = live_settings(load_api(api), os.environ)
    if settings.missing:
        pytest.skip(settings.skip_reason)
    return settings
