"""The mock rows' machinery: wrk's script and its figures, the request plans, the growth rows (never timings)."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from benchmarks.cli import _merge
from benchmarks.harness import Failed, Settings
from benchmarks.loadgen import Load, run_wrk
from benchmarks.proc import free_port, serve
from benchmarks.report import format_value, render_json, render_markdown
from benchmarks.stats import Comparison, Figure
from benchmarks.suites.mock_calls import plan
from benchmarks.suites.mock_scale import _filled, _per_call

ROOT = Path(__file__).resolve().parents[2]
FAKE_WRK = """#!/bin/sh
cp "$5" "{script}"
echo 'Running 1s test'
echo '{{"requests": 500, "duration_us": 250000, "p50_us": 1500, "p99_us": 9000, "non_2xx": 3, "socket_errors": 1}}'
"""


def _fake_wrk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "seen.lua"
    binary = tmp_path / "bin" / "wrk"
    binary.parent.mkdir()
    binary.write_text(FAKE_WRK.format(script=script), encoding="utf-8")
    binary.chmod(binary.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{binary.parent}{os.pathsep}{os.environ['PATH']}")
    return script


def test_wrk_figures_and_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _fake_wrk(tmp_path, monkeypatch)
    figures = run_wrk(
        "http://127.0.0.1:9/x",
        Load(requests=1000, threads=2),
        tmp_path,
        method="POST",
        body=b'{"name": "R\\"ex"}',
        headers={"Content-Type": "application/json"},
    )
    assert format_value(2820.4, "bytes") == "2,820 bytes" and format_value(0, "answers") == "0 answers"
    assert figures == {"rps": 2000.0, "p50": 1.5, "p99": 9.0, "non2xx": 4.0}  # socket errors count as not 2xx
    script = seen.read_text(encoding="utf-8")
    assert 'wrk.method = "POST"' in script
    assert 'wrk.body = "{\\"name\\": \\"R\\\\\\"ex\\"}"' in script
    assert 'wrk.headers["Content-Type"] = "application/json"' in script
    assert "local cap = 500" in script and "wrk.thread:stop()" in script  # bounded in count as well as time


def test_without_wrk_a_row_is_not_measured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(Failed) as stopped:
        run_wrk("http://127.0.0.1:9/", Load(), tmp_path)
    assert stopped.value.status == "not measured"
    assert "apt-get install wrk" in stopped.value.note
    with pytest.raises(SystemExit):
        run_wrk("http://192.0.2.1/", Load(), tmp_path)  # loopback only


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
def test_real_wrk_counts_answers_that_are_not_2xx(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "benchmarks.workloads.trivial_server", str(port)]
    with serve(command, port, timeout=30) as server:
        figures = run_wrk(server.base_url + "/", Load(seconds=1, requests=400, connections=2), tmp_path)
    assert figures["non2xx"] == 0
    assert figures["rps"] > 0 and 0 < figures["p50"] <= figures["p99"]


def test_plans_carry_credentials_and_example_bodies() -> None:
    facturare = plan(ROOT / "specs" / "facturare.yaml", "facturare")
    assert [c.label for c in facturare.calls.values()] == [
        "list: GET /customers",
        "retrieve: GET /customers/{id}",
        "create: POST /customers",
    ]
    assert all(c.headers["Authorization"].startswith("Basic ") for c in facturare.calls.values())
    bitfaktura = plan(ROOT / "specs" / "bitfaktura.yaml", "bitfaktura")
    assert "api_token=" in bitfaktura.calls["list"].path
    econt = plan(ROOT / "specs" / "econt.yaml", "econt")
    assert list(econt.calls) == ["create"]
    assert b'"connect"' in (econt.calls["create"].body or b"")
    assert econt.missing["list"] == "econt has no list operation"


def test_growth_rows_send_a_page_of_ten_from_a_filled_tenant(tmp_path: Path) -> None:
    server, token, path = _filled(12)
    assert server.store.count("invoices") == 12
    query = f"per_page=10&kind=vat&order=issue_date.desc&api_token={token['api_token']}".encode()
    assert _per_call(server, path, query, 2) > 0
    with pytest.raises(Failed):
        _per_call(server, path, f"per_page=5&api_token={token['api_token']}".encode(), 1)
    assert Settings(repeat=1, timeout=10, quick=True, work=tmp_path).selected("mock", "scale")


def test_update_of_a_whole_group_drops_its_old_rows(tmp_path: Path) -> None:
    def row(group: str, case: str, value: float) -> Comparison:
        return Comparison(group, case, "wall time", "s", "lower", Figure((value,)))

    old = [row("generation", "petstore", 1.0), row("mock", "read: old name", 2.0), row("mock", "kept?", 3.0)]
    old.append(row("conformance", "facturare", 5.0))
    (tmp_path / "results.json").write_text(render_json(old, [], {}, {"repeat": 3}), encoding="utf-8")
    fresh = [row("mock", "list: new name", 4.0)]
    merged, _, settings, _ = _merge(tmp_path, fresh, [], {"only": ["mock:*"], "command": "x"})
    assert [c.case for c in merged] == ["petstore", "list: new name", "facturare"]  # the group keeps its place
    merged, _, _, _ = _merge(tmp_path, fresh, [], {"only": ["mock:scale"], "command": "x"})
    assert [c.case for c in merged] == ["petstore", "read: old name", "kept?", "list: new name", "facturare"]
    assert settings["updates"] == [{"only": ["mock:*"], "command": "x"}]


def test_a_busy_machine_is_said_in_the_results() -> None:
    busy = {"cores": "2", "load average at start (1/5/15 min)": "7.5 7.0 6.0", "load average at end": "0.2"}
    quiet = {"cores": "2", "load average at start (1/5/15 min)": "0.4 0.3 0.2"}
    text = render_markdown([], [], busy, {"repeat": 3})
    assert "The machine was busy**: a 1-minute load average up to 7.5 on 2 cores" in text
    assert "re-run on a quiet machine" in text
    assert "busy" not in render_markdown([], [], quiet, {"repeat": 3})
    update = {"command": "python -m benchmarks --only x", "repeat": 3, "load_start": "6.0 1 1"}
    updated = {"repeat": 3, "updates": [update]}
    text = render_markdown([], [], quiet, updated)
    assert "up to 6.0 on 2 cores" in text  # a busy re-measuring run counts too
    assert "(3 repetitions, load average at start 6.0 1 1)" in text


def test_other_processes_cpu_during_a_run_is_said_even_when_the_load_average_looks_quiet() -> None:
    """The load average is read only at the start and the end, and the benchmark's own server and wrk keep both cores
    busy; the CPU time other processes used during the run (all cores' busy time less the run's own) is the sign."""
    quiet = {"cores": "2", "load average at start (1/5/15 min)": "0.4 0.3 0.2"}
    text = render_markdown([], [], quiet, {"repeat": 3, "others_share": 0.37})
    assert "other processes used up to 37% of all cores' time during a run" in text
    assert "busy" not in render_markdown([], [], quiet, {"repeat": 3, "others_share": 0.02})
    update = {"command": "python -m benchmarks --only x", "repeat": 3, "load_start": "0.3 0 0", "others_share": 0.25}
    text = render_markdown([], [], quiet, {"repeat": 3, "others_share": 0.02, "updates": [update]})
    assert "up to 25%" in text and "(3 repetitions, load average at start 0.3 0 0, other processes 25% of all" in text


def test_a_measured_quiet_run_is_not_called_busy_for_a_lagging_load_average() -> None:
    """The 1-minute load average at the start still counts the work just before the run (a CI run had ended: 1.2
    on 2 cores, while other processes took 0% during the benchmark); where the run measured the others' share, that
    share decides. A run that did not measure it is still judged by its load average."""
    lagging = {"cores": "2", "load average at start (1/5/15 min)": "1.2 1.6 1.7"}
    assert "busy" not in render_markdown([], [], lagging, {"repeat": 3, "others_share": 0.0})
    update = {"command": "python -m benchmarks --only x", "repeat": 3, "load_start": "1.2 1.6 1.7", "others_share": 0}
    assert "busy" not in render_markdown([], [], lagging, {"repeat": 3, "others_share": 0.0, "updates": [update]})
    unmeasured = {"command": "python -m benchmarks --only x", "repeat": 3, "load_start": "1.2 1.6 1.7"}
    text = render_markdown([], [], lagging, {"repeat": 3, "others_share": 0.0, "updates": [unmeasured]})
    assert "a 1-minute load average up to 1.2 on 2 cores." in text


def test_contention_subtracts_the_runs_own_cpu_and_its_childrens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other processes' share = all cores' busy time less the run's own (itself and the children it waited for),
    over cores x wall time. Read for real: a child the run waits for lands in its own time, and the machine's busy
    time grows at least by what the run spent (whatever else the shared machine is doing)."""
    import subprocess
    import sys

    from benchmarks import machine

    before_own, before_busy = machine._own_seconds(), machine._busy_seconds()
    spin = "import time\nt=time.process_time()\nwhile time.process_time()-t<0.8: pass"
    subprocess.run([sys.executable, "-c", spin], check=True, timeout=60)
    spent = machine._own_seconds() - before_own
    assert spent >= 0.75  # the waited-for child's CPU is the run's own
    busy = machine._busy_seconds()
    assert before_busy is not None and busy is not None and busy - before_busy >= spent - 0.1

    # the arithmetic, with the readings fixed: 10 s busy on 2 cores over 10 s, 4 of them the run's own
    readings = {"busy": [100.0, 110.0], "own": [50.0, 54.0], "clock": [0.0, 10.0]}
    monkeypatch.setattr(machine, "_busy_seconds", lambda: readings["busy"].pop(0))
    monkeypatch.setattr(machine, "_own_seconds", lambda: readings["own"].pop(0))
    monkeypatch.setattr("benchmarks.machine.time.perf_counter", lambda: readings["clock"].pop(0))
    monkeypatch.setattr("benchmarks.machine.os.cpu_count", lambda: 2)
    contention = machine.Contention.start()
    assert contention.others_share() == pytest.approx(6.0 / 20.0)
