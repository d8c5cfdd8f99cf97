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


def test_over_http_the_served_mock_counts_more_than_its_handler() -> None:
    """``--http``: ``specforge mock`` as it ships, under valgrind, sent the calls over one connection: the handler's
    instructions plus the HTTP protocol's and the event loop's, so more than the handler alone, and still far less
    than the server's start (which the run with no call takes out)."""
    found = shutil.which("valgrind")
    need("valgrind (Debian)", Path(found) if found else None)
    counts = {}
    for mode in ("--http", None):
        run = _run("--role", "retrieve", "--calls", "30", *([mode] if mode else []))
        assert run.returncode == 0, run.stderr
        figures = re.fullmatch(r"petstore-expanded retrieve(.*): ([\d,]+) instructions per request\n", run.stdout)
        assert figures is not None, run.stdout
        assert figures[1] == (" over HTTP (the served mock)" if mode else ""), run.stdout
        counts[mode] = int(figures[2].replace(",", ""))
    assert counts[None] < counts["--http"] < 5_000_000, counts


def test_no_calls_is_refused_in_one_line() -> None:
    run = _run("--calls", "0")
    assert run.returncode == 2
    assert "--calls must be at least 1" in run.stderr
    assert "Traceback" not in run.stderr
