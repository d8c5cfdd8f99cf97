"""Never a false clean: a run that was locked out or never reached the API says so and fails (exit 3)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apimodel import api_from_data, load_api
from conformance.auth import Credentials, auth_assignments, credentials_from_env
from conformance.bench import serve_mock
from conformance.engine import ApiResult, Target, run_spec
from conformance.mock import create_app, demo_credentials
from conformance.presets import QUICK
from conformance.report import render_json, render_junit, render_markdown
from specforge.cli import main
from tests.corpus import corpus_spec

CUSTOMERS = ("listCustomers", "retrieveCustomer")
OPTIONS = replace(QUICK, operations=CUSTOMERS, max_examples=2, seed=3)


def _run(credentials: Credentials, base: str = "http://localhost/facturare") -> ApiResult:
    api = load_api("facturare")
    return run_spec(api, Target(base, app=create_app(["facturare"])), credentials=credentials, options=OPTIONS)


def test_a_run_with_the_right_credentials_reaches_every_selected_operation() -> None:
    api = load_api("facturare")
    result = _run(credentials_from_env(api, demo_credentials("facturare")))
    assert result.unchecked is None and result.ok
    assert "GET /customers" in {o.operation for o in result.coverage if o.reached}
    assert {o.operation for o in result.coverage} == {"GET /customers", "GET /customers/{id}"}


@pytest.mark.parametrize("credentials", ["wrong", "none"])
def test_a_locked_out_run_is_not_clean(credentials: str) -> None:
    api = load_api("facturare")
    given = credentials_from_env(api, {"FACTURARE_API_KEY": "wrong-key"}) if credentials == "wrong" else Credentials()
    result = _run(given)
    assert not result.drifts and not result.errors  # what used to print "No drift found"
    assert result.unchecked is not None and "were refused with 401 or 403" in result.unchecked
    assert "FACTURARE_API_KEY" in result.unchecked and "wrong-key" not in result.unchecked
    assert not result.ok and result.operations_reached == 0


def test_a_wrong_base_path_is_not_clean() -> None:
    api = load_api("facturare")
    result = _run(credentials_from_env(api, demo_credentials("facturare")), base="http://localhost/no-such-api")
    assert result.unchecked is not None and "got 404 and none succeeded" in result.unchecked


def _always_404() -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        body = b'{"message": "not here"}'
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 404, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def test_every_request_404_is_not_clean_even_where_the_spec_declares_404() -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": {
            "/things/{id}": {
                "get": {
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
                        "404": {"description": "no", "content": {"application/json": {"schema": {"type": "object"}}}},
                    },
                }
            }
        },
    }
    api = api_from_data("things", spec)
    options = replace(OPTIONS, operations=())
    result = run_spec(api, Target("http://localhost", app=_always_404()), credentials=Credentials(), options=options)
    assert not result.drifts
    assert result.unchecked is not None and "got 404" in result.unchecked


def test_reports_say_what_was_not_checked() -> None:
    result = _run(Credentials())
    assert "Nothing was checked for facturare" in render_markdown([result])
    assert "**not checked**" in render_markdown([result])
    data = json.loads(render_json([result]))
    assert data["checked"] is False and data["apis"][0]["unchecked"] == result.unchecked
    assert {c["operation"] for c in data["apis"][0]["coverage"]} == {"GET /customers", "GET /customers/{id}"}
    assert 'type="unchecked"' in render_junit([result])


def test_auth_values_name_a_scheme_or_a_variable_and_never_echo_the_value() -> None:
    bitfaktura = load_api("bitfaktura")
    assignments, unknown = auth_assignments(bitfaktura, ["basicAuth=me:pa55", "apiToken=t0k", "NOPE=s3cret"])
    assert assignments == {"BITFAKTURA_LOGIN": "me", "BITFAKTURA_PASSWORD": "pa55", "BITFAKTURA_API_TOKEN": "t0k"}
    assert unknown == ["NOPE"]
    econt = load_api("econt")
    assert auth_assignments(econt, ["ECONT_TOKEN=abc"]) == ({"ECONT_TOKEN": "abc"}, [])


def test_each_operation_gets_the_security_alternative_it_asks_for() -> None:
    api = load_api("efactori")
    credentials = credentials_from_env(api, demo_credentials("efactori"))
    oauth_only = [{"OAuth2Password": ["all"], "CompanyUuid": []}]
    chosen = credentials.for_requirements(oauth_only)
    assert dict(chosen.headers)["Authorization"].startswith("Bearer ")
    assert "X-SESSION-KEY" in dict(credentials.headers) and "Authorization" not in dict(credentials.headers)
    assert credentials.for_requirements(api.security).headers == credentials.headers


@pytest.mark.slow
def test_cli_exit_codes_for_locked_out_unknown_names_and_a_server_that_is_down() -> None:
    runner = CliRunner()
    with serve_mock(["facturare"]) as url:
        base = url.replace("{api}", "facturare")
        common = ["conform", "facturare", "--url", base, "--max-examples", "1", "--quiet", "--include", "listCustomers"]
        locked = runner.invoke(main, [*common, "--auth", "basicAuth=wrong-key"])
        assert locked.exit_code == 3, locked.output
        assert "facturare: nothing was checked:" in locked.output and "refused with 401 or 403" in locked.output
        assert "wrong-key" not in locked.output
        right = runner.invoke(
            main, [*common, "--auth", f"basicAuth={demo_credentials('facturare')['FACTURARE_API_KEY']}:"]
        )
        assert right.exit_code == 0, right.output
        unknown = runner.invoke(main, [*common, "--auth", "nope=1"])
        assert unknown.exit_code == 2 and "--auth nope: no such security scheme" in unknown.output
        typo = runner.invoke(main, ["conform", "facturare", "--url", base, "--include", "listCustomerz"])
        assert typo.exit_code == 2 and "--include 'listCustomerz' matches no operation" in typo.output
    down = runner.invoke(main, ["conform", "facturare", "--url", "http://127.0.0.1:9/", "--quiet"])
    assert down.exit_code == 2 and "cannot connect to http://127.0.0.1:9/" in down.output


@pytest.mark.slow
def test_a_foreign_spec_conforms_in_process_with_the_mocks_demo_credentials(tmp_path: Path) -> None:
    spec = corpus_spec("oai-petstore-expanded.yaml")
    result = CliRunner().invoke(main, ["conform", str(spec), "--max-examples", "2", "--report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "drift.json").read_text(encoding="utf-8"))
    assert data["checked"] and data["apis"][0]["operations_reached"] == 4
    assert "coverage phase done" in result.output  # progress on stderr
    # in process, the report says how much of the run the mock took to answer (the rest is schemathesis)
    entry = data["apis"][0]
    assert 0 < entry["mock_seconds"] < entry["elapsed_seconds"]
    assert re.search(r"\d+ cases/s, \d+% in the mock", result.output), result.output


def test_a_lock_out_is_many_refusals_or_most_operations_not_two_stray_403s() -> None:
    """GitHub's slice in tests/realworld: two of 60 operations got one 403 each among two fuzzed cases (the other
    a 404), and the run was called unchecked. A lock-out shows in many refusals, or in most operations."""
    from conformance.coverage import OperationCoverage, verdict

    reached = [OperationCoverage(f"GET /ok/{i}", answered=3, succeeded=3) for i in range(58)]
    stray = [OperationCoverage(f"PUT /secret/{i}", answered=2, refused=1, not_found=1) for i in range(2)]
    assert verdict(tuple(reached + stray), "pass credentials") is None
    admin = [OperationCoverage("DELETE /admin", answered=6, refused=6)]  # one operation, refused every time
    found = verdict(tuple(reached + admin), "pass credentials")
    assert found is not None and found.startswith("6 of 6 requests to DELETE /admin were refused")
    locked = [OperationCoverage(f"GET /x/{i}", answered=2, refused=2) for i in range(3)]  # few cases, every operation
    assert verdict(tuple(locked), "pass credentials") is not None
