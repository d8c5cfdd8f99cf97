"""Fresh processes, measured: wall time and peak memory of a command, and servers started and stopped."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Run", "Server", "free_port", "run_measured", "serve", "tree_rss_bytes"]

_TAIL = 400
_LAUNCHER = Path(__file__).resolve().parent / "workloads" / "rusage.py"


@dataclass(frozen=True)
class Run:
    """What one command did: exit code (``None`` after a timeout), wall seconds, peak RSS in bytes."""

    command: tuple[str, ...]
    returncode: int | None
    wall: float
    peak_rss: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    def reason(self) -> str:
        """A one-line account of a failure: the last meaningful line of its output."""
        if self.timed_out:
            return f"timed out after {self.wall:.0f}s"
        lines = [line.strip() for line in (self.stderr + "\n" + self.stdout).splitlines() if line.strip()]
        last = lines[-1][:_TAIL] if lines else "no output"
        return f"exit {self.returncode}: {last}"

    def json(self) -> dict[str, Any]:
        """The JSON object a workload printed as its last line of output."""
        lines = [line for line in self.stdout.splitlines() if line.startswith("{")]
        if not lines:
            raise ValueError(f"no JSON result in output ({self.reason()})")
        result: dict[str, Any] = json.loads(lines[-1])
        return result


def _environment(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if extra:
        env.update(extra)
    return env


def run_measured(
    command: Sequence[str],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Run:
    """Run ``command`` in a new session; wall time from start to exit, peak RSS of it and its children.

    A small launcher spawns the command and reports its ``ru_maxrss`` from ``os.wait4`` (which
    includes the descendants it waited for): measured from here, a child would inherit this
    process's resident size as its floor.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "maxrss"
        launcher = [sys.executable, "-I", "-S", str(_LAUNCHER), str(peak_file)]
        started = time.perf_counter()
        process = subprocess.Popen(
            [*launcher, *command], cwd=cwd, env=_environment(env), stdout=out, stderr=err, start_new_session=True
        )
        result: dict[str, Any] = {}

        def reap() -> None:
            _, status, usage = os.wait4(process.pid, 0)
            result["wall"] = time.perf_counter() - started
            result["status"] = status
            result["maxrss"] = usage.ru_maxrss * 1024

        waiter = threading.Thread(target=reap, daemon=True)
        waiter.start()
        waiter.join(timeout)
        timed_out = waiter.is_alive()
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            waiter.join()
        process.returncode = os.waitstatus_to_exitcode(result["status"])  # already reaped: keep Popen quiet
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # nothing the command started may outlive it
        out.seek(0)
        err.seek(0)
        measured = peak_file.read_text() if peak_file.is_file() else ""
        return Run(
            command=tuple(command),
            returncode=None if timed_out else process.returncode,
            wall=timeout if timed_out else result["wall"],
            peak_rss=int(measured) if measured.isdigit() else result["maxrss"],
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def free_port() -> int:
    """A loopback port nobody is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found.extend(int(child) for child in task.read_text().split())
    return found


def tree_rss_bytes(pid: int, field: str = "VmRSS") -> int:
    """Resident memory (``VmRSS``, or ``VmHWM`` for the peak) summed over a process and its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1]) * 1024
        stack.extend(_children(current))
    return total


@dataclass(frozen=True)
class Server:
    """A server process listening on ``127.0.0.1:port``, ready after ``startup`` seconds."""

    process: subprocess.Popen[bytes]
    port: int
    startup: float

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _answers(port: int, probe: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as sock:
            sock.sendall(f"GET {probe} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            return sock.recv(16).startswith(b"HTTP/")
    except OSError:
        return False


@contextlib.contextmanager
def serve(
    command: Sequence[str],
    port: int,
    *,
    timeout: float,
    probe: str = "/",
    log: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """Start ``command`` (which must listen on 127.0.0.1:``port``), wait until it answers HTTP, stop it after."""
    sink = log.open("wb") if log else subprocess.DEVNULL
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), env=_environment(env), stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = started + timeout
        while not _answers(port, probe):
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode} before answering on port {port}")
            if time.perf_counter() > deadline:
                raise TimeoutError(f"server did not answer on port {port} within {timeout:.0f}s")
            time.sleep(0.02)
        yield Server(process, port, time.perf_counter() - started)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if log and not isinstance(sink, int):
            sink.close()
