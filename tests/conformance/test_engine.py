"""The conformance engine against a faithful fake API, with and without injected drift."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from apimodel import api_from_data
from conformance.auth import credentials_from_env
from conformance.engine import ApiResult, ConformOptions, Target, run_spec
from conformance.inject import MUTATIONS, DriftInjector
from conformance.redact import REDACTED
from conformance.report import render_json, render_junit, render_markdown
from tests.conformance.fake_api import KEY, SPEC, make_app

MODEL = api_from_data("fake", SPEC)
CREDS = credentials_from_env(MODEL, {"FAKE_API_KEY": KEY})
QUICK = ConformOptions(max_examples=5, max_steps=5, seed=3)


def _run(mutations: list[str] | None = None, seed: int = 3) -> ApiResult:
    app = make_app() if not mutations else DriftInjector(make_app(), MODEL, mutations, tenants=[CREDS])
    options = ConformOptions(max_examples=5, max_steps=5, seed=seed)
    return run_spec(MODEL, Target("http://localhost/", app=app), credentials=CREDS, options=options)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_faithful_fake_yields_no_drift(seed: int) -> None:
    result = _run(seed=seed)
    assert result.drifts == ()
    assert result.operations_covered == result.operations_total == 5
    assert result.test_cases > 50


APPLICABLE = sorted(
    name for name, m in MUTATIONS.items() if m.applies(MODEL) and name not in ("leak-tenant", "error-with-200")
)


@pytest.mark.slow
@pytest.mark.parametrize("name", APPLICABLE)
def test_each_mutation_is_detected_by_its_kind(name: str) -> None:
    result = _run([name])
    found = {d.kind for d in result.drifts}
    assert found & MUTATIONS[name].detected_as, (name, result.failures_by_kind)


@pytest.mark.slow
def test_reports_name_kind_pointer_and_redact_secrets() -> None:
    result = _run(["add-enum-value"])
    drift = next(d for d in result.drifts if d.kind == "enum-value")
    assert drift.pointer == "#/components/schemas/Customer/properties/kind/enum"
    assert drift.patch is not None and drift.patch.operations[0]["value"] == "undocumented_value"
    texts = [render_markdown([result]), render_json([result]), render_junit([result])]
    for text in texts:
        assert KEY not in text
    assert REDACTED in drift.curl and drift.curl.startswith("curl -X ")
    data = json.loads(texts[1])
    assert data["drift_found"] is True and data["apis"][0]["drifts"][0]["kind"]


def test_credentials_repr_hides_values() -> None:
    assert KEY not in repr(CREDS)
    assert credentials_from_env(MODEL, {}).missing == ("FAKE_API_KEY",)


def test_unknown_mutation_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown mutation"):
        DriftInjector(make_app(), MODEL, ["no-such-mutation"])


def test_the_timed_app_adds_up_the_time_the_mock_spends_answering() -> None:
    """``specforge conform`` in process puts :class:`TimedApp` in front of the mock; its sum over the requests is
    the "in the mock" share of the report. Live runs measure no mock (``mock_share`` is None)."""
    import asyncio

    from conformance.suite import TimedApp

    async def slow_app(scope: Any, receive: Any, send: Any) -> None:
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    timed = TimedApp(slow_app)
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def three() -> None:
        for _ in range(3):
            await timed({"type": "http", "method": "GET", "path": "/"}, receive, send)

    asyncio.run(three())
    assert 0.15 <= timed.seconds < 5 and len(sent) == 6
    live = ApiResult("x", 1, 1, 10, (), (), elapsed=2.0, seed=0)
    assert live.mock_share is None
    assert replace(live, mock_seconds=0.5).mock_share == 0.25
