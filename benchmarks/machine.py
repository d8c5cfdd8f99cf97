"""The machine and software a run measured on, so a reader can tell whether numbers compare."""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import subprocess
from pathlib import Path

from benchmarks.tools import ROOT, tool

__all__ = ["describe_machine"]


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _version(command: tuple[str, ...], *args: str) -> str:
    if not command:
        return "absent"
    try:
        done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    words = (done.stdout or done.stderr).strip().splitlines()
    return words[-1].split()[-1] if words and words[-1].split() else "unknown"


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() or "unknown"


def describe_machine() -> dict[str, str]:
    """CPU, cores, memory, OS, Python, the date and every tool's version."""
    memory_kb = _first("/proc/meminfo", "MemTotal").split()[0]
    memory = f"{int(memory_kb) / 2**20:.0f} GiB" if memory_kb.isdigit() else "unknown"
    prism = tool("prism")
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _first("/proc/cpuinfo", "model name"),
        "cores": str(os.cpu_count() or "unknown"),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load average at start (1/5/15 min)": " ".join(f"{v:.1f}" for v in os.getloadavg()),
        "specforge commit": _git_commit(),
        "openapi-python-client": _version(tool("openapi-python-client").command, "--version"),
        "datamodel-code-generator": _version(tool("datamodel-code-generator").command, "--version"),
        "node": _version(("node",), "--version") if shutil.which("node") else "absent",
        "prism": _version(prism.command, "--version") if prism.available else "absent",
    }
