"""The pytest plugin as an integrator meets it: a pytest run in a project of its own, the plugin found through
its ``pytest11`` entry point (no conftest, no ``-p``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

from specforge.testing import Mocks
from tests.specs import BOOKSHOP

STATE = """
import socket

import httpx2
import pytest

BOOK = {"title": "The Long Ledger", "genre": "mystery"}
PORTS = []


def _key(api):
    return {"X-Api-Key": api.credentials["BOOKSHOP_API_KEY"]}


def test_creates(specforge_mock):
    api = specforge_mock("api/bookshop.yaml")  # relative to the rootdir
    assert api.mode == "in-process" and api.base_url == "http://mock.specforge.test/bookshop"
    assert api.http.post("/books", json=BOOK, headers=_key(api)).status_code == 201
    assert len(api.http.get("/books", headers=_key(api)).json()) == 1
    assert specforge_mock("api/bookshop.yaml") is api  # the same API twice in one test: one mock
    assert api.http.get("/books").status_code == 401  # the mock checks credentials
    assert "BOOKSHOP_API_KEY" not in repr(api) and api.credentials["BOOKSHOP_API_KEY"] not in repr(api)


def test_each_test_starts_fresh(specforge_mock):
    api = specforge_mock("api/bookshop.yaml")
    assert api.http.get("/books", headers=_key(api)).json() == []


def test_module_state_is_shared_1(specforge_mock_module):
    api = specforge_mock_module("api/bookshop.yaml")
    api.http.post("/books", json=BOOK, headers=_key(api))


def test_module_state_is_shared_2(specforge_mock_module):
    api = specforge_mock_module("api/bookshop.yaml")
    assert len(api.http.get("/books", headers=_key(api)).json()) == 1


def test_seed_data_and_the_second_tenant(specforge_mock):
    api = specforge_mock("api/bookshop.yaml", seed_data=True)
    assert len(api.http.get("/books", headers=_key(api)).json()) == 3
    other = {"X-Api-Key": api.tenants[1]["BOOKSHOP_API_KEY"]}
    api.http.post("/books", json=BOOK, headers=other)
    assert len(api.http.get("/books", headers=_key(api)).json()) == 3  # tenants do not see each other


@pytest.mark.specforge_mock_only
def test_loopback_serves_other_processes(specforge_mock):
    import subprocess, sys, os
    api = specforge_mock("api/bookshop.yaml", loopback=True)
    assert api.mode == "loopback" and api.base_url.startswith("http://127.0.0.1:")
    PORTS.append(int(api.base_url.split(":")[2].split("/")[0]))
    code = (
        "import os, json, urllib.request as u;"
        "key = {'X-Api-Key': os.environ['BOOKSHOP_API_KEY']};"
        "r = u.Request(os.environ['BOOKSHOP_BASE_URL'] + '/books', headers=key);"
        "print(len(json.load(u.urlopen(r, timeout=10))))"
    )
    api.http.post("/books", json=BOOK, headers=_key(api))
    env = {**os.environ, **api.env}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "1", run.stderr


@pytest.mark.specforge_mock_only
def test_the_loopback_server_stopped_at_teardown():
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", PORTS[0])) != 0


def test_the_configured_api_and_its_generated_client(specforge_mock):
    api = specforge_mock("shop")  # [tool.specforge.apis.shop] of the project's pyproject.toml
    api.http.post("/books", json=BOOK, headers={"X-Api-Key": api.credentials["SHOP_API_KEY"]})
    client = api.client  # shop_sdk.Client: the package name the configuration gives
    assert type(client).__module__ == "shop_sdk._client"
    assert [book.title for book in client.books.list()] == ["The Long Ledger"]
"""

UNKNOWN = """
def test_a_typo(specforge_mock):
    specforge_mock("bitfactura")
"""

LIVE = """
import pytest


def test_books(specforge_mock):
    api = specforge_mock("api/bookshop.yaml")
    key = {"X-Api-Key": api.credentials["BOOKSHOP_API_KEY"]}
    assert api.http.post("/books", json={"title": "Live"}, headers=key).status_code == 201
    print("MODE", api.mode, api.base_url)


@pytest.mark.specforge_mock_only
def test_needs_the_mock(specforge_mock):
    specforge_mock("api/bookshop.yaml").reset()
"""

PYPROJECT = '[tool.specforge.apis.shop]\nspec = "api/bookshop.yaml"\nout = "clients/shop"\npackage = "shop_sdk"\n'


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("integrator")
    (root / "api").mkdir()
    shutil.copy(BOOKSHOP, root / "api" / "bookshop.yaml")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "specforge", "generate"], cwd=root, check=True, capture_output=True)
    (root / "test_state.py").write_text(STATE, encoding="utf-8")
    (root / "test_unknown.py").write_text(UNKNOWN, encoding="utf-8")
    return root


def _pytest(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {}), "PYTHONPATH": str(root / "clients" / "shop")}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", *args]
    return subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_fixtures_isolate_share_serve_and_bind_the_generated_client(project: Path) -> None:
    run = _pytest(project, "test_state.py")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1].startswith("8 passed")


def test_an_unknown_api_is_one_line_listing_the_known_ones(project: Path) -> None:
    run = _pytest(project, "test_unknown.py")
    assert run.returncode == 1
    failure = run.stdout[run.stdout.index("test_a_typo") :]
    expected = "specforge_mock: unknown API 'bitfactura': known APIs are shop, facturare, econt, efactori, "
    assert expected + "bitfaktura, cloudinvoice; or give the path of a spec file" in failure
    assert "Traceback" not in run.stdout and "During handling" not in run.stdout


@pytest.mark.slow
def test_the_same_tests_run_against_a_live_sandbox(project: Path) -> None:
    """A "live sandbox" on loopback (our own mock, so it is there); the tests get its URL and the environment's
    credentials, and the mock-only ones are skipped."""
    (project / "test_live.py").write_text(LIVE, encoding="utf-8")
    mocked = _pytest(project, "test_live.py", "-s")
    assert "MODE in-process http://mock.specforge.test/bookshop" in mocked.stdout
    assert mocked.stdout.strip().splitlines()[-1].startswith("2 passed"), mocked.stdout[-3000:]
    with Mocks(project) as mocks:
        sandbox = mocks.start("api/bookshop.yaml", loopback=True)
        option = f"bookshop={sandbox.base_url}"
        live = _pytest(project, "test_live.py", "-s", "--specforge-live", option, env=sandbox.credentials)
        assert f"MODE live {sandbox.base_url}" in live.stdout
        assert live.stdout.strip().splitlines()[-1].startswith("1 passed, 1 skipped"), live.stdout[-3000:]
        assert "mock only; --specforge-live points at bookshop" in live.stdout
        key = {"X-Api-Key": sandbox.credentials["BOOKSHOP_API_KEY"]}
        assert [b["title"] for b in sandbox.http.get("/books", headers=key).json()] == ["Live"]
    without = _pytest(project, "test_live.py", "--specforge-live", option, env={"BOOKSHOP_API_KEY": ""})
    assert "bookshop against a live sandbox needs its credentials: set BOOKSHOP_API_KEY" in without.stdout
    bad = _pytest(project, "test_live.py", "--specforge-live", "bookshop")
    assert bad.returncode == 4 and "--specforge-live bookshop: give API=URL" in bad.stderr


def test_mocks_without_pytest_close_everything(tmp_path: Path) -> None:
    with Mocks(tmp_path) as mocks:
        api = mocks.start(BOOKSHOP, loopback=True)
        assert httpx2.get(f"{api.base_url}/books", timeout=10).status_code == 401
    with pytest.raises(httpx2.TransportError):
        httpx2.get(f"{api.base_url}/books", timeout=2)
