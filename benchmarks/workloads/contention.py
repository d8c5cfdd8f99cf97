"""Creates against the mock in process, no HTTP: ``python -m benchmarks.workloads.contention [--seconds S]``.

What ``mock:workers`` cannot show apart: how much of a create is the shared state file, and how much is two
processes taking turns at its one writer lock. Four set-ups run one after another, each for ``--seconds`` (and at
most ``--cap`` creates a process), every process calling the mock's own request handler in a loop with facturare's
``POST /customers`` (the ``mock:workers`` create):

- one process, in memory (the default mock);
- two independent processes, in memory: whether this machine's cores are independent at all (2x when they are);
- one process on a state file;
- two processes on one state file (``--workers 2``, less the HTTP server).

Each line gives creates per second, CPU per create, and per create the time spent waiting for the writers' lock
and holding it (the commit of the request's rows; a counter is taken under the counters file's own flock, a
couple of µs, not timed). The lock is timed by wrapping the state file's own taking and giving of it; nothing else
of the mock is changed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]

SPEC = Path(__file__).resolve().parents[2] / "specs" / "facturare.yaml"


def _worker(spec: Path, state: Path | None, seconds: float, cap: int, start: Any, results: Any) -> None:
    from benchmarks.suites.mock_calls import plan
    from conformance.mock import MockConfig, create_app
    from conformance.mock import shared as shared_state

    call = plan(spec, "facturare").calls["create"]
    app = create_app([f"facturare={spec}"], config=MockConfig(state_file=state))
    server = next(iter(app.state.mock.servers.values()))
    headers = {k.lower(): v for k, v in call.headers.items()}
    path, _, query = call.path.partition("?")
    clock = {"waited": 0.0, "held": 0.0, "since": 0.0}
    take, give = shared_state.SharedState._lock_gate, shared_state.SharedState._unlock

    def timed_take(self: Any) -> None:
        started = time.perf_counter()
        take(self)
        clock["since"] = time.perf_counter()
        clock["waited"] += clock["since"] - started

    def timed_give(self: Any) -> None:
        clock["held"] += time.perf_counter() - clock["since"]
        give(self)

    shared_state.SharedState._lock_gate, shared_state.SharedState._unlock = timed_take, timed_give  # type: ignore[method-assign]
    for _ in range(50):  # warm: the schema plans and validators are built on first use
        server.handle("POST", path, query.encode(), headers, call.body, {})
    clock.update(waited=0.0, held=0.0)
    start.wait()
    count, cpu, deadline = 0, time.process_time(), time.perf_counter() + seconds
    while count < cap and time.perf_counter() < deadline:
        status, _, body = server.handle("POST", path, query.encode(), headers, call.body, {})
        if status >= 300:
            raise SystemExit(f"create answered {status}: {body[:200]!r}")
        count += 1
    elapsed = seconds - max(0.0, deadline - time.perf_counter())
    results.put((count, elapsed, time.process_time() - cpu, clock["waited"], clock["held"]))


def _run(label: str, processes: int, shared: bool, seconds: float, cap: int, folder: Path) -> str:
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(processes), context.Queue()
    state = folder / f"{label.replace(' ', '-')}.sqlite" if shared else None
    workers = [
        context.Process(target=_worker, args=(SPEC, state, seconds, cap, start, results)) for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    figures = [results.get(timeout=seconds + 120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    creates = sum(f[0] for f in figures)
    rate = sum(f[0] / f[1] for f in figures)
    each = [
        f"cpu {f[2] / f[0] * 1e6:.0f} µs, waited {f[3] / f[0] * 1e6:.0f} µs, held {f[4] / f[0] * 1e6:.0f} µs"
        for f in figures
    ]
    return f"{label}: {rate:,.0f} creates/s ({creates:,} in all); per create: " + "; ".join(each)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="how long each set-up runs (default 4)")
    parser.add_argument("--cap", type=int, default=50_000, help="the most creates one process makes")
    args = parser.parse_args(argv)
    set_ups = (
        ("1 process, memory", 1, False),
        ("2 independent processes, memory", 2, False),
        ("1 process, state file", 1, True),
        ("2 processes, one state file", 2, True),
    )
    with tempfile.TemporaryDirectory(prefix="specforge-contention-") as folder:
        for label, processes, shared in set_ups:
            print(_run(label, processes, shared, args.seconds, args.cap, Path(folder)), flush=True)


if __name__ == "__main__":
    main()
