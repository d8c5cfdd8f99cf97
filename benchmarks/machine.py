"""The machine and software a run measured on, so a reader can tell whether numbers compare."""

from __future__ import annotations

import datetime
import os
import platform
import resource
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.tools import ROOT, tool

__all__ = ["Contention", "describe_machine"]


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


def _busy_seconds() -> float | None:
    """CPU seconds every core has spent busy since boot, from ``/proc/stat`` (None where there is none)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    if not fields or fields[0] != "cpu" or len(fields) < 8:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, *rest = (int(v) for v in fields[1:])
    steal = rest[0] if rest else 0
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    """CPU seconds of this process and of every child it has waited for (servers, wrk, generators, conform)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Contention:
    """How much of the machine other work took while the benchmark ran: the CPU time all cores spent busy, less
    the CPU time of the benchmark and its children. A load average cannot tell: the benchmark itself keeps both
    cores busy (a server and wrk), and it is read only at the start and the end."""

    busy: float | None
    own: float
    wall: float

    @classmethod
    def start(cls) -> Contention:
        return cls(_busy_seconds(), _own_seconds(), time.perf_counter())

    def others_share(self) -> float | None:
        """The share of the machine's CPU capacity (cores x wall time) that other processes used since ``start``."""
        busy = _busy_seconds()
        if busy is None or self.busy is None:
            return None
        wall = time.perf_counter() - self.wall
        capacity = wall * (os.cpu_count() or 1)
        others = (busy - self.busy) - (_own_seconds() - self.own)
        return max(0.0, others / capacity) if capacity > 0 else None
