"""Where the portability suite finds its tools: ``.tools/`` as ``.ci/portability-tools`` installs them.

A missing tool is a failure in CI (``CI`` set, as ``.ci/run`` runs) naming the tool and the command that
installs it; elsewhere the test is skipped with the same words, so the quick start stays two commands.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from apimodel.project import ROOT

__all__ = ["TOOLS", "generator_jar", "java_classpath", "need", "npm_bin", "run"]

TOOLS = ROOT / ".tools"
INSTALL = "bash .ci/portability-tools"
DEBIAN_JARS = ("jackson-databind", "jackson-core", "jackson-annotations", "jsr305", "jakarta-annotation-api")
GO_LIBRARIES = Path("/usr/share/gocode")


def need(what: str, path: Path | None) -> Path:
    """``path`` if it exists; otherwise fail (in CI) or skip, saying exactly what is missing."""
    if path is not None and path.exists():
        return path
    message = f"{what} is not installed here ({path or 'not on PATH'}); run `{INSTALL}`"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def npm_bin(name: str) -> Path:
    return need(f"npm tool '{name}'", TOOLS / "npm" / "node_modules" / ".bin" / name)


def generator_jar() -> Path:
    found = sorted((TOOLS / "venv").glob("lib/python*/site-packages/openapi_generator_cli/openapi-generator.jar"))
    return need("openapi-generator-cli (PyPI)", found[0] if found else TOOLS / "venv" / "openapi-generator.jar")


def executable(name: str) -> Path:
    found = shutil.which(name)
    return need(f"'{name}'", Path(found) if found else None)


def java_classpath() -> str:
    """Debian's Jackson, JSR 305 and Jakarta annotation jars, then the generator's own jar for the one
    dependency Debian does not package (jackson-datatype-jsr310, which the jar bundles)."""
    jars = [need(f"Debian's {name}.jar", Path("/usr/share/java") / f"{name}.jar") for name in DEBIAN_JARS]
    return os.pathsep.join(str(p) for p in [*jars, generator_jar()])


def run(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    """Run a tool; fail with the command and the first lines of its output when it exits non-zero."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        head = "\n".join(output.splitlines()[:40])
        pytest.fail(f"{' '.join(command[:4])} ... exited {result.returncode}:\n{head}", pytrace=False)
    return output
