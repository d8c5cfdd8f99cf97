"""specforge as a tool: built with the README's command, installed into fresh environments, run from folders
that are not its checkout, on our APIs, on a user's own spec and in a user's project.

The fresh environments see this one's packages through a ``.pth`` file and install specforge with
``--no-deps``: the same code paths as a full install, without installing sixty packages again.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
import time
import zipfile
from pathlib import Path

import httpx2
import pytest
import yaml

from apimodel.project import API_NAMES, GENERATED_DIR, ROOT, TEMPLATES_DIR
from generator.client.pipeline import generate_files
from specforge import __version__
from tests.packaging.envs import copy_source, environment, fresh_venv, pip_install, run, serving
from tests.packaging.readme import block, commands
from tests.specs import BOOKSHOP

pytestmark = pytest.mark.slow

INSTALL = "Install specforge as a tool"
PROJECT = "Use it in your project"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``specforge/``, a copy of the checkout, as the README's install commands expect."""
    root = tmp_path_factory.mktemp("install")
    copy_source(ROOT, root / "specforge", skip=("tests", "benchmarks", "generated"))
    return root


@pytest.fixture(scope="module")
def dist(workdir: Path) -> Path:
    build = next(line for line in commands(INSTALL) if line.startswith("python -m build"))
    result = run(build, workdir, environment(), timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return workdir / "specforge" / "dist"


@pytest.fixture(scope="module")
def tool(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built wheel in a fresh venv; returns its bin folder."""
    venv = fresh_venv(tmp_path_factory.mktemp("wheel-venv") / "venv")
    pip_install(venv, str(next(dist.glob("specforge-*.whl"))))
    return venv


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def test_the_wheel_and_the_sdist_carry_the_specs_and_templates(dist: Path) -> None:
    wheel = zipfile.ZipFile(next(dist.glob("specforge-*.whl")))
    shipped = {name.removeprefix("specforge/templates/"): wheel.read(name) for name in wheel.namelist()
               if name.startswith("specforge/templates/")}  # fmt: skip
    ours = {p.relative_to(TEMPLATES_DIR).as_posix(): p.read_bytes() for p in TEMPLATES_DIR.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}  # fmt: skip
    assert shipped == ours
    names = set(wheel.namelist())
    assert {f"specforge/specs/{api}.yaml" for api in API_NAMES} | {"specforge/specs/seed-operations.yaml"} <= names
    assert "specforge/pytest_plugin.py" in names and not any(n.startswith(("tests/", "generated/")) for n in names)
    entry_points = wheel.read(f"specforge-{__version__}.dist-info/entry_points.txt").decode()
    assert "specforge = specforge.cli:main" in entry_points and "specforge = specforge.pytest_plugin" in entry_points
    with tarfile.open(next(dist.glob("specforge-*.tar.gz"))) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
    assert {"setup.py", "specs/bitfaktura.yaml", "templates/package/_core.py", "README.md"} <= members


def test_each_command_works_from_an_empty_folder(tool: Path, tmp_path: Path) -> None:
    env = environment(tool)
    where = _ok(run([str(tool / "python"), "-c", "import specforge, apimodel.project as p; print(p.SPECS_DIR)"],
                    tmp_path, env))  # fmt: skip
    assert where.strip() == str(tool.parent / "lib" / "python3.11" / "site-packages" / "specforge" / "specs")
    assert _ok(run("specforge --version", tmp_path, env)).strip() == f"specforge, version {__version__}"
    assert "5 spec(s) checked: 0 error(s)" in _ok(run("specforge validate", tmp_path, env))
    assert _ok(run("specforge describe econt", tmp_path, env)).startswith("econt: e-Cont.md API v1 (specs/econt.yaml")
    assert "tenant 0: ECONT_CLIENT_ID=" in _ok(run("specforge mock econt --print-only", tmp_path, env))

    # one of ours: byte for byte what this checkout generates, so the wheel's specs and templates are ours
    _ok(run("specforge generate --spec econt --out clients/econt", tmp_path, env))
    regenerate = "specforge generate --spec econt --out clients/econt --name econt"
    expected = generate_files(ROOT / "specs" / "econt.yaml", api="econt", regenerate=regenerate,
                              generator_version=__version__, install_path="clients/econt").files  # fmt: skip
    made = {p.relative_to(tmp_path / "clients" / "econt").as_posix(): p.read_text(encoding="utf-8")
            for p in (tmp_path / "clients" / "econt").rglob("*") if p.is_file()}  # fmt: skip
    assert made == expected
    provenance = json.loads((GENERATED_DIR / "econt" / "econt_client" / "_provenance.json").read_text())
    assert json.loads(made["econt_client/_provenance.json"])["templates_sha256"] == provenance["templates_sha256"]

    nothing = run("specforge generate", tmp_path, env)
    assert nothing.returncode == 2 and nothing.stderr.startswith("error[no-project] ") and not nothing.stdout
    assert len(nothing.stderr.strip().splitlines()) == 1

    # a user's own spec
    shutil.copy(BOOKSHOP, tmp_path / "bookshop.yaml")
    assert "1 spec(s) checked: 0 error(s)" in _ok(run("specforge validate bookshop.yaml", tmp_path, env))
    _ok(run("specforge generate --spec bookshop.yaml --out bookshop", tmp_path, env))
    imported = run([str(tool / "python"), "-c", "import bookshop_client; print(bookshop_client.Client)"],
                   tmp_path, {**env, "PYTHONPATH": str(tmp_path / "bookshop")})  # fmt: skip
    assert "bookshop_client._client.Client" in _ok(imported)
    conformed = _ok(run("specforge conform bookshop.yaml --max-examples 1 --report reports", tmp_path, env))
    assert "0 drift(s) in 1 API(s)" in conformed and (tmp_path / "reports" / "junit.xml").is_file()
    _serves(tool, tmp_path, env)
    _plugin_loads(tool, tmp_path, env)


def _serves(tool: Path, folder: Path, env: dict[str, str]) -> None:
    command = [str(tool / "specforge"), "mock", "--spec", "bookshop.yaml", "--port", "0"]
    with serving(command, folder, env) as process:
        assert process.stdout is not None
        url = process.stdout.readline().split(": ", 1)[1].strip()
        status, deadline = 0, time.monotonic() + 60
        while status != 401 and time.monotonic() < deadline:
            try:
                status = httpx2.get(f"{url}/books", timeout=5).status_code
            except httpx2.TransportError:
                time.sleep(0.2)
        assert status == 401  # it serves, and wants the API key


def _plugin_loads(tool: Path, folder: Path, env: dict[str, str]) -> None:
    (folder / "test_shop.py").write_text(
        "def test_books(specforge_mock):\n"
        "    api = specforge_mock('bookshop.yaml')\n"
        "    assert api.http.get('/books', headers={'X-Api-Key': api.credentials['BOOKSHOP_API_KEY']}).json() == []\n",
        encoding="utf-8",
    )
    result = _ok(run([str(tool / "python"), "-m", "pytest", "-p", "no:cacheprovider", "test_shop.py"], folder, env))
    assert "1 passed" in result and "specforge-0.1.0" in result


def test_a_project_as_the_readme_shows_it_and_its_ci_workflow(tool: Path, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(block(PROJECT, "toml"), encoding="utf-8")
    (tmp_path / "openapi").mkdir()
    shutil.copy(BOOKSHOP, tmp_path / "openapi" / "shop.yaml")
    env = environment(tool)
    below = tmp_path / "src"
    below.mkdir()
    outputs = {line: _ok(run(line, below, env, timeout=900)) for line in commands(PROJECT)}
    assert "2 spec(s) checked: 0 error(s)" in outputs["specforge validate"]
    assert (tmp_path / "clients" / "shop" / "shop_client" / "_client.py").is_file()
    assert (tmp_path / "clients" / "econt" / "econt_client" / "_client.py").is_file()
    assert "clients/econt, clients/shop is up to date" in outputs["specforge generate --check"]
    assert re.search(r"^shop +4/4 .* none ", outputs["specforge conform"], flags=re.MULTILINE)
    assert "econt" not in outputs["specforge conform"]  # conform = false
    assert (tmp_path / "reports" / "junit.xml").is_file()

    workflow = yaml.safe_load(block("Wire it into CI", "yaml", 1))
    steps = workflow["jobs"]["specforge"]["steps"]
    install, check = (step["run"] for step in steps if "run" in step)
    assert install.startswith('pip install "specforge @ ')  # the tool is installed: the wheel, in `tool`
    shutil.rmtree(tmp_path / "reports")
    checked = _ok(run(check, tmp_path, env, timeout=900))
    assert "clients/econt, clients/shop: up to date" in checked
    junit = next(step["with"]["report_paths"] for step in steps if "junit" in step.get("uses", ""))
    assert junit == "reports/junit.xml" and '<testsuite name="shop"' in (tmp_path / junit).read_text()
    assert all(step.get("if") == "always()" for step in steps if "uses" in step and "artifact" in step["uses"])


def test_pip_install_from_a_checkout(workdir: Path, tmp_path: Path) -> None:
    line = next(line for line in commands(INSTALL) if line.startswith("pip install"))
    venv = fresh_venv(tmp_path / "venv", with_pip=True)
    _ok(run(f"{line} --no-deps", workdir, environment(venv), timeout=900))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "1 spec(s) checked: 0 error(s)" in _ok(run("specforge validate cloudinvoice", empty, environment(venv)))


def test_pipx_install_from_a_checkout(workdir: Path, tmp_path: Path) -> None:
    """The whole install, dependencies included (pipx reads their metadata, so ``--no-deps`` is no shortcut here);
    pip's cache has them from this environment's own install."""
    line = next(line for line in commands(INSTALL) if line.startswith("pipx install"))
    env = environment(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"))
    _ok(run(line, workdir, env, timeout=1200))
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run([str(tmp_path / "bin" / "specforge"), "validate", "facturare"], empty, environment())
    assert "1 spec(s) checked: 0 error(s)" in _ok(result)
