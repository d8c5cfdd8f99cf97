"""Fresh virtual environments for install tests, fast: they see this test environment's packages through a
``.pth`` file, so only the package under test is installed (``--no-deps``), from nothing downloaded."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

from tests.served import stopping

__all__ = [
    "SOURCE_IGNORE",
    "copy_source",
    "environment",
    "fresh_venv",
    "pip_install",
    "run",
    "see_our_packages",
    "serving",
]

SOURCE_IGNORE = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", ".work")


def copy_source(root: Path, target: Path, *, skip: tuple[str, ...] = ()) -> Path:
    """A copy of the checkout at ``root`` (no caches, venvs or build output; ``skip`` names more to leave out)."""
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(*SOURCE_IGNORE, *skip))
    return target


def fresh_venv(path: Path, *, with_pip: bool = False) -> Path:
    """A new venv at ``path`` that also sees this environment's packages; returns its ``bin`` folder."""
    command = [sys.executable, "-m", "venv", str(path)] + ([] if with_pip else ["--without-pip"])
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    purelib = subprocess.run(
        [str(path / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    see_our_packages(Path(purelib))
    return path / "bin"


def see_our_packages(site_packages: Path) -> None:
    """Make another environment's ``site-packages`` see this environment's packages (after its own)."""
    ours = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (site_packages / "_specforge_test_deps.pth").write_text("".join(f"{p}\n" for p in ours), encoding="utf-8")


def pip_install(venv_bin: Path, *requirements: str, cwd: Path | None = None) -> None:
    """``pip install --no-deps`` into the venv (this environment's pip, so the venv needs none of its own)."""
    command = [sys.executable, "-m", "pip", "--python", str(venv_bin / "python"), "install", "-q", "--no-deps"]
    result = subprocess.run([*command, *requirements], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]


def environment(venv_bin: Path | None = None, **extra: str) -> dict[str, str]:
    """This process's environment with ``venv_bin`` first on PATH (then ours, where ruff lives), no venv set."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    paths = [str(venv_bin)] if venv_bin else []
    env["PATH"] = os.pathsep.join([*paths, str(Path(sys.executable).parent), env.get("PATH", "")])
    return {**env, **extra}


def run(
    command: str | list[str], cwd: Path, env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """A command (a string goes to bash, as a reader would type it), its output captured."""
    args = ["bash", "-c", command] if isinstance(command, str) else command
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@contextlib.contextmanager
def serving(command: list[str], cwd: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """A command that runs until stopped (a mock server): stopped, and its pipes closed, however the block ends."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with stopping(process):
        yield process
