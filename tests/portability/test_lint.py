"""Redocly CLI (recommended) and Spectral (spectral:oas) report 0 errors on each spec (specs/portability/)."""

from __future__ import annotations

import json

import pytest

from apimodel.project import API_NAMES, SPECS_DIR
from tests.portability.tools import npm_bin, run

pytestmark = pytest.mark.slow
CONFIG = SPECS_DIR / "portability"


@pytest.mark.parametrize("api", API_NAMES)
def test_redocly_recommended_finds_no_error(api: str) -> None:
    output = run([str(npm_bin("redocly")), "lint", "--config", str(CONFIG / "redocly.yaml"), api, "--format=json"])
    report = json.loads(output[output.index("{") : output.rindex("}") + 1])
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors == [], [f"{p['ruleId']}: {p['message']}" for p in errors][:10]
    assert report["totals"]["errors"] == 0


@pytest.mark.parametrize("api", API_NAMES)
def test_spectral_oas_finds_no_error(api: str) -> None:
    command = [str(npm_bin("spectral")), "lint", "-r", str(CONFIG / "spectral.yaml"), "-f", "json", "-q"]
    result = run([*command, str(SPECS_DIR / f"{api}.yaml")])
    problems = json.loads(result[result.index("[") :]) if "[" in result else []
    errors = [p for p in problems if p["severity"] == 0]
    assert errors == [], [f"{p['code']} {'.'.join(map(str, p['path']))}: {p['message']}" for p in errors][:10]
