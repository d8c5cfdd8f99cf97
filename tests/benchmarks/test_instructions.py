"""The instructions workload: petstore-expanded calls to the mock's handler under valgrind, counted per request."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.portability.tools import need


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "benchmarks.workloads.instructions", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def test_a_create_is_counted_in_instructions_per_request() -> None:
    found = shutil.which("valgrind")
    need("valgrind (Debian)", Path(found) if found else None)
    run = _run("--role", "create", "--calls", "30")
    assert run.returncode == 0, run.stderr
    figures = re.fullmatch(r"petstore-expanded create: ([\d,]+) instructions per request\n", run.stdout)
    assert figures is not None, run.stdout
    # a create goes through routing, validation, the store and the answer: far more than nothing, far less than
    # the interpreter's start-up and the spec's loading (about a billion), which the run with no call takes out
    assert 50_000 < int(figures[1].replace(",", "")) < 5_000_000, run.stdout


def test_no_calls_is_refused_in_one_line() -> None:
    run = _run("--calls", "0")
    assert run.returncode == 2
    assert "--calls must be at least 1" in run.stderr
    assert "Traceback" not in run.stderr
