"""Which tools are here to measure: ours (as each part lands) and the peers (from the ``bench`` extra, npm)."""

from __future__ import annotations

import functools
import importlib.util
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ROOT", "WORK", "Tool", "bin_path", "prism", "tool"]

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"

_PRISM_HINT = "npm install --prefix benchmarks/.work @stoplight/prism-cli"


@dataclass(frozen=True)
class Tool:
    """A tool and whether it can run here; when it cannot, ``missing`` says why in one line."""

    name: str
    command: tuple[str, ...]
    missing: str = ""

    @property
    def available(self) -> bool:
        return not self.missing


def bin_path(name: str) -> str | None:
    """An executable from this interpreter's environment first, then from ``PATH``."""
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


def _answers_help(command: list[str]) -> bool:
    try:
        done = subprocess.run([*command, "--help"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@functools.cache
def tool(name: str) -> Tool:
    """Look a tool up by its benchmark name (``ours-generate``, ``ours-mock``, ``ours-conform``, peers)."""
    if name.startswith("ours-"):
        sub = name.removeprefix("ours-")
        specforge = bin_path("specforge")
        if specforge is None:
            return Tool(name, (), "specforge is not installed (pip install -e .)")
        if not _answers_help([specforge, sub]):
            return Tool(name, (), f"`specforge {sub}` does not exist yet")
        if sub == "mock" and importlib.util.find_spec("conformance.mock") is None:
            return Tool(name, (), "conformance.mock does not exist yet")
        return Tool(name, (specforge, sub))
    if name == "openapi-python-client":
        found = bin_path(name)
        return Tool(name, (found,)) if found else Tool(name, (), "not installed: pip install -e '.[bench]'")
    if name == "datamodel-code-generator":
        found = bin_path("datamodel-codegen")
        return Tool(name, (found,)) if found else Tool(name, (), "not installed: pip install -e .")
    if name == "prism":
        return prism()
    raise KeyError(name)


def prism() -> Tool:
    """Prism from ``benchmarks/.work`` (installed by hand from the npm registry); needs Node."""
    node = shutil.which("node")
    if node is None:
        return Tool("prism", (), f"node is not installed (then: {_PRISM_HINT})")
    script = WORK / "node_modules" / "@stoplight" / "prism-cli" / "dist" / "index.js"
    if not script.is_file():
        return Tool("prism", (), f"prism is not installed: {_PRISM_HINT}")
    return Tool("prism", (node, str(script)))
