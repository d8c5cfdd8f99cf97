"""The contention workload: four set-ups, each line with its rate and, on a state file, the writer lock's times."""

from __future__ import annotations

import re
import subprocess
import sys


def test_each_set_up_reports_its_creates_and_the_writer_lock() -> None:
    command = [sys.executable, "-m", "benchmarks.workloads.contention", "--seconds", "0.3", "--cap", "40"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "1 process, memory",
        "2 independent processes, memory",
        "1 process, state file",
        "2 processes, one state file",
    ]
    for line in lines:
        processes = re.findall(r"cpu (\d+) µs, waited (\d+) µs, held (\d+) µs", line)
        assert len(processes) == (2 if line.startswith("2 ") else 1), line
        total = int(re.search(r"\(([\d,]+) in all\)", line)[1].replace(",", ""))  # type: ignore[index]
        assert 0 < total <= 40 * len(processes), line  # bounded by --cap per process
        held = [int(figures[2]) for figures in processes]
        if "state file" in line:
            assert all(h > 0 for h in held), line  # every create takes the file's writer lock
        else:
            assert held == [0] * len(processes), line  # in memory there is no file and no lock
