"""README truth: every code block it shows is run by a test, word for word where a machine allows.

Where a test cannot run a line as printed it says why and changes only that: a free port instead of 4010,
the mock's demo token instead of ``…``, a loopback mock standing in for a live sandbox, and ``PYTHONPATH``
instead of ``pip install -e generated/bitfaktura`` (a test must not change the environment it runs in).
Installing specforge itself, the project configuration and the CI blocks are run in ``test_install.py``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
from click.testing import CliRunner

from apimodel.project import GENERATED_DIR, ROOT
from specforge.cli import main
from specforge.testing import Mocks
from tests.packaging.envs import copy_source, environment, fresh_venv, run, serving
from tests.packaging.readme import README, block, blocks, commands
from tests.specs import BOOKSHOP

QUICK = "Quick start"
TRY = "Try it"
PLUGIN = "Test your integration with the pytest plugin"
RUN_HERE = {(QUICK, "bash"), (TRY, "bash"), (TRY, "python"), (PLUGIN, "python"), (PLUGIN, "bash")}
# the portability suite runs this block as printed (tests/portability/test_clients.py)
RUN_IN_PORTABILITY = {("Using the specs from other languages", "bash")}
RUN_IN_TEST_INSTALL = {
    ("Install specforge as a tool", "bash"),
    ("Use it in your project", "toml"),
    ("Use it in your project", "bash"),
    ("Wire it into CI", "yaml"),
}


# the names file beside a spec, applied as printed (tests/generator/test_inferred_names.py)
RUN_IN_NAMES_TEST = {("Use it in your project", "yaml")}


def test_every_code_block_of_the_readme_is_run_by_a_test() -> None:
    shown = {(b.section, b.language) for b in blocks()}
    run = RUN_HERE | RUN_IN_TEST_INSTALL | RUN_IN_PORTABILITY | RUN_IN_NAMES_TEST
    assert shown == run, "a README block no test runs, or a test of a block that is gone"


def test_the_quick_start_test_command_is_what_ci_runs() -> None:
    test_command = commands(QUICK)[1]
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


@pytest.mark.slow
def test_the_quick_start_main_job_passes_on_a_fresh_copy(tmp_path: Path) -> None:
    """The README's first command, as printed, in a copy of the checkout whose ``.venv`` already sees this
    environment's packages (so ``pip install -e .`` downloads nothing); it installs specforge afresh."""
    copy = copy_source(ROOT, tmp_path / "specforge", skip=("tests", "benchmarks"))
    fresh_venv(copy / ".venv", with_pip=True)
    main_job = commands(QUICK)[0]
    assert main_job.endswith(".venv/bin/specforge check")
    result = run(main_job, copy, environment(), timeout=1800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "generated/: up to date" in result.stdout
    rows = [line.split() for line in result.stdout.split("conformance against the mock")[1].splitlines()[3:]]
    assert [(row[0], row[3]) for row in rows if row] == [(api, "none") for api in ("facturare", "econt",
            "efactori", "bitfaktura", "cloudinvoice")]  # fmt: skip


def _banner(process: subprocess.Popen[str], deadline: float) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    while time.monotonic() < deadline and not any(line.startswith("  tenant 1") for line in lines):
        lines.append(process.stdout.readline().rstrip("\n"))
    return lines


def test_try_it_walkthrough_against_the_mock_over_loopback(tmp_path: Path) -> None:
    activate, serve, install = commands(TRY)
    assert activate == ". .venv/bin/activate" and install == "pip install -e generated/bitfaktura"
    assert serve == "specforge mock bitfaktura --seed-data &"
    mock = [str(Path(sys.executable).parent / "specforge"), *serve.rstrip(" &").split()[1:], "--port", "0"]
    env = environment()
    with serving(mock, tmp_path, env) as process:
        banner = _banner(process, time.monotonic() + 60)
        url = re.fullmatch(r"bitfaktura: (http://127\.0\.0\.1:\d+/bitfaktura)", banner[0])
        assert url is not None, banner
        assert banner[1] == f"  BITFAKTURA_BASE_URL={url.group(1)}"  # what the comment says it prints
        token = re.search(r"BITFAKTURA_API_TOKEN=(\S+)", banner[2])
        assert token is not None, banner
        code = block(TRY, "python").replace("http://127.0.0.1:4010/bitfaktura", url.group(1))
        code = code.replace('api_token="…"', f'api_token="{token.group(1)}"')
        script = tmp_path / "try_it.py"
        script.write_text(code, encoding="utf-8")
        env["PYTHONPATH"] = str(GENERATED_DIR / "bitfaktura")
        result = run([sys.executable, str(script)], tmp_path, env, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    printed = result.stdout.splitlines()
    assert len(printed) == 4 and printed[-1].startswith("404 ")  # three seeded invoices, then the typed error


def _summary(result: subprocess.CompletedProcess[str]) -> str:
    """pytest's closing line without its ``=`` rule: ``5 passed in 5.73s``."""
    return result.stdout.strip().splitlines()[-1].strip("= ")


@pytest.mark.slow
def test_the_pytest_plugin_example_runs_as_written(tmp_path: Path) -> None:
    """The README's example test and both of its commands, in a project of its own."""
    plain, live = commands(PLUGIN)
    path = plain.split()[-1]
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text(block(PLUGIN, "python"), encoding="utf-8")
    env = environment(PYTHONPATH=str(GENERATED_DIR / "bitfaktura"))
    mocked = run(f"{plain} -p no:cacheprovider", tmp_path, env, timeout=600)
    assert _summary(mocked).startswith("5 passed"), mocked.stdout[-3000:] + mocked.stderr

    with Mocks(tmp_path) as mocks:  # the "live sandbox": our mock on loopback, so it is there
        sandbox = mocks.start("bitfaktura", loopback=True)
        token = sandbox.credentials["BITFAKTURA_API_TOKEN"]
        assert live.startswith("BITFAKTURA_API_TOKEN=… ") and live.endswith("=https://acme.bitfaktura.com.ua")
        command = live.replace("…", token).replace("https://acme.bitfaktura.com.ua", sandbox.base_url)
        against = run(f"{command} -p no:cacheprovider -rs", tmp_path, env, timeout=600)
        listed = httpx2.get(f"{sandbox.base_url}/clients.json", params={"api_token": token}, timeout=30).json()
    assert _summary(against).startswith("2 passed, 3 skipped"), against.stdout[-3000:] + against.stderr
    assert [client["name"] for client in listed] == ["Client1 SA"]  # the first test wrote to the "sandbox"
    assert os.environ.get("BITFAKTURA_API_TOKEN") != token  # the token went to the child's environment only


def _exit_code(*args: str) -> int:
    return CliRunner().invoke(main, list(args)).exit_code


@pytest.mark.slow
def test_the_exit_code_table_holds(tmp_path: Path) -> None:
    table = README.read_text(encoding="utf-8").split("## Exit codes")[1].split("\n## ")[0]
    assert re.findall(r"^\| (\d) \|", table, flags=re.MULTILINE) == ["0", "1", "2", "3"]
    client = ("--spec", str(BOOKSHOP), "--out", str(tmp_path / "client"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {/a: {get: {}}}\n", encoding="utf-8")
    assert _exit_code("generate", *client) == 0
    assert _exit_code("generate", "--check", *client) == 0
    assert _exit_code("validate", "econt") == 0

    (tmp_path / "client" / "bookshop_client" / "py.typed").write_text("edited\n", encoding="utf-8")
    assert _exit_code("generate", "--check", *client) == 1  # a stale client
    assert _exit_code("validate", str(broken)) == 1  # a spec error
    assert _exit_code("describe", "no/such.yaml") == 1 and _exit_code("mock", "--spec", "no/such.yaml") == 1
    with socket.socket() as listening, socket.socket() as closed:
        listening.bind(("127.0.0.1", 0))
        listening.listen(1)
        closed.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        assert _exit_code("mock", "econt", "--port", str(listening.getsockname()[1])) == 1
        assert _exit_code("conform", "econt", "--url", f"http://127.0.0.1:{closed.getsockname()[1]}/econt") == 2
    assert _exit_code("validate", "--frobnicate") == 2 and _exit_code("generate", "nope") == 2
    # a configuration with an error (2): test_config.py; drift (1): the next test; nothing checked (3):
    # tests/conformance/test_false_clean.py (a locked-out run against a loopback mock)


@pytest.mark.slow
def test_drift_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bookshop's mock, with a few books, conformed against a spec that says their ids are strings."""
    drifted = tmp_path / "bookshop.yaml"
    text = BOOKSHOP.read_text(encoding="utf-8")
    drifted.write_text(text.replace("id: {type: integer, format: int64}", "id: {type: string}"), encoding="utf-8")
    with Mocks(tmp_path) as mocks:
        served = mocks.start(BOOKSHOP, loopback=True, seed_data=True)
        monkeypatch.setenv("BOOKSHOP_API_KEY", served.credentials["BOOKSHOP_API_KEY"])
        result = CliRunner().invoke(main, ["conform", str(drifted), "--url", served.base_url, "--max-examples", "1"])
    assert result.exit_code == 1, result.output[-2000:]
    assert re.search(r"^[1-9]\d* drift\(s\) in 1 API\(s\)$", result.output, flags=re.MULTILINE)
