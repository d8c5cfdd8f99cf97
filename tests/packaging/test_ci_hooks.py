"""The pre-commit hooks: ``.pre-commit-hooks.yaml`` as the README's ``.pre-commit-config.yaml`` uses it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from apimodel.project import ROOT
from tests.packaging.envs import copy_source, environment, run, see_our_packages
from tests.packaging.readme import block
from tests.specs import BOOKSHOP

PROJECT = '[tool.specforge.apis.shop]\nspec = "openapi/shop.yaml"\nout = "clients/shop"\n'


def _git(folder: Path, *args: str) -> str:
    identity = ["-c", "user.name=specforge tests", "-c", "user.email=tests@specforge.invalid", "-c", "commit.gpgsign=0"]
    done = subprocess.run(["git", *identity, *args], cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_hooks_run_specforge_on_the_whole_project() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["specforge-validate"]["entry"] == "specforge validate"
    assert hooks["specforge-generate-check"]["entry"] == "specforge generate --check"
    assert all(h["language"] == "python" and h["pass_filenames"] is False for h in hooks.values())
    used = yaml.safe_load(block("Wire it into CI", "yaml", 0))["repos"][0]["hooks"]
    assert [hook["id"] for hook in used] == list(hooks)


@pytest.mark.slow
def test_the_readme_pre_commit_config_passes_then_catches_a_stale_client(tmp_path: Path) -> None:
    """pre-commit clones specforge (here a git repository of this working tree) and installs it into an
    environment of its own; ``PIP_NO_DEPS`` and a ``.pth`` file spare it installing the dependencies again."""
    source = copy_source(ROOT, tmp_path / "specforge", skip=("tests", "benchmarks", "generated"))
    _git(source, "init", "-q")
    _git(source, "add", "-A")
    _git(source, "commit", "-q", "-m", "specforge")
    rev = _git(source, "rev-parse", "HEAD")
    config = block("Wire it into CI", "yaml", 0)
    config = config.replace("https://github.com/your-org/specforge", str(source)).replace("v0.1.0", rev)

    project = tmp_path / "project"
    (project / "openapi").mkdir(parents=True)
    shutil.copy(BOOKSHOP, project / "openapi" / "shop.yaml")
    (project / "pyproject.toml").write_text(PROJECT, encoding="utf-8")
    (project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = environment(PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))
    assert run([sys.executable, "-m", "specforge", "generate"], project, env).returncode == 0
    _git(project, "init", "-q")
    _git(project, "add", "-A")

    installed = run([sys.executable, "-m", "pre_commit", "install-hooks"], project, {**env, "PIP_NO_DEPS": "1"})
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    see_our_packages(next((tmp_path / "pre-commit").glob("repo*/py_env-*/lib/python*/site-packages")))
    hooks = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    clean = run(hooks, project, env)
    assert clean.returncode == 0, clean.stdout[-3000:]
    assert "specforge validate" in clean.stdout and "specforge generate --check" in clean.stdout

    client = project / "clients" / "shop" / "shop_client" / "_client.py"
    client.write_text(client.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    _git(project, "add", "-A")
    stale = run(hooks, project, env)
    assert stale.returncode == 1 and "+# edited by hand" not in stale.stdout and "-# edited by hand" in stale.stdout
    assert "clients/shop is out of date; run: specforge generate" in stale.stdout
