"""Mock server: throughput and latency of read, list and create, and start-up on the largest corpus spec.

Ours and Prism serve the same spec, each started fresh per repetition, alternating; the same
bounded load program (another process, loopback only) drives both.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2

from benchmarks.harness import Failed, Measure, Settings, alternate, progress
from benchmarks.proc import Server, free_port, run_measured, serve, tree_rss_bytes
from benchmarks.report import QualityCheck
from benchmarks.specs import CORPUS_DIR, STRIPE
from benchmarks.stats import Better, Comparison
from benchmarks.tools import ROOT, tool

__all__ = ["run_mock"]

GROUP = "mock"
PETSTORE = CORPUS_DIR / "oai-petstore-expanded.yaml"
NEW_PET = {"name": "Rex", "tag": "dog"}
OPERATIONS = ("read", "list", "create")
START_TIMEOUT = 120.0
_ROUTES = {"read": "GET /pets/{id}", "list": "GET /pets", "create": "POST /pets"}
_LOAD_METRICS: tuple[tuple[str, str, str, Better], ...] = (
    ("rps", "requests/s (8 connections)", "req/s", "higher"),
    ("p50", "p50 latency", "ms", "lower"),
    ("p99", "p99 latency", "ms", "lower"),
)


def _command(name: str, spec: Path, port: int) -> list[str]:
    found = tool("ours-mock" if name == "ours" else "prism")
    if name == "prism":
        if not found.available:
            raise Failed("not measured", found.missing)
        return [*found.command, "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)]
    if found.available:
        return [*found.command, "--spec", str(spec), "--host", "127.0.0.1", "--port", str(port)]
    try:
        import conformance.mock  # noqa: F401
    except ImportError:
        raise Failed("not measured", "our mock (conformance.mock) does not exist yet") from None
    return [sys.executable, "-m", "benchmarks.workloads.serve_mock", str(spec), str(port)]


@contextmanager
def _server(name: str, spec: Path, settings: Settings) -> Iterator[Server]:
    port = free_port()
    command = _command(name, spec, port)
    log = settings.work / f"mock-{name}.log"
    try:
        with serve(command, port, timeout=min(settings.timeout, START_TIMEOUT), log=log) as server:
            yield server
    except (RuntimeError, TimeoutError) as exc:
        note = f"{name} mock: {exc} (log: {log})"
        raise Failed("timeout" if isinstance(exc, TimeoutError) else "failed", note) from None


def _prefix(server: Server, spec: Path) -> str:
    """Ours mounts each API at ``/<name>``; Prism serves at the root."""
    for prefix in (f"/{spec.stem}", ""):
        if httpx2.get(f"{server.base_url}{prefix}/pets", timeout=10).status_code == 200:
            return prefix
    raise Failed("failed", f"no prefix of {server.base_url} serves GET /pets")


def _load(url: str, method: str, body: Any, settings: Settings) -> dict[str, float]:
    spec = {
        "url": url,
        "method": method,
        "body": body,
        "requests": 300 if settings.quick else 3000,
        "duration": 3.0 if settings.quick else 5.0,
        "concurrency": 8,
    }
    command = [sys.executable, "-m", "benchmarks.workloads.load", json.dumps(spec)]
    run = run_measured(command, timeout=settings.timeout, cwd=ROOT)
    if not run.ok:
        raise Failed("timeout" if run.timed_out else "failed", f"load on {method} {url}: {run.reason()}")
    result = run.json()
    if result["ok"] < result["requests"]:
        raise Failed(
            "failed",
            f"{method} {url}: only {result['ok']} of {result['requests']} answers were 2xx ({result['statuses']})",
        )
    return {"rps": result["rps"], "p50": result["p50_ms"], "p99": result["p99_ms"]}


def _throughput(name: str, settings: Settings) -> Measure:
    def once() -> dict[str, float]:
        with _server(name, PETSTORE, settings) as server:
            base = server.base_url + _prefix(server, PETSTORE)
            created = httpx2.post(f"{base}/pets", json=NEW_PET, timeout=10)
            pet_id = created.json().get("id") if created.status_code < 300 else None
            if pet_id is None:
                raise Failed("failed", f"{name}: POST /pets answered {created.status_code} without an id")
            values: dict[str, float] = {}
            for operation, method, path, body in (
                ("read", "GET", f"/pets/{pet_id}", None),
                ("list", "GET", "/pets", None),
                ("create", "POST", "/pets", NEW_PET),
            ):
                for metric, value in _load(base + path, method, body, settings).items():
                    values[f"{operation}_{metric}"] = value
            return values

    return once


def _startup(name: str, settings: Settings) -> Measure:
    def once() -> dict[str, float]:
        with _server(name, STRIPE, settings) as server:
            return {"startup": server.startup, "rss": tree_rss_bytes(server.process.pid) / 2**20}

    return once


def run_mock(settings: Settings) -> tuple[list[Comparison], list[QualityCheck]]:
    comparisons: list[Comparison] = []
    if settings.selected(GROUP, "petstore-expanded"):
        progress(GROUP, "petstore-expanded")
        metrics = tuple(f"{op}_{m}" for op in OPERATIONS for m in ("rps", "p50", "p99"))
        figures = alternate(
            {"ours": _throughput("ours", settings), "prism": _throughput("prism", settings)}, metrics, settings.repeat
        )
        reproduce = f"python -m benchmarks --only {GROUP}:petstore-expanded"
        for op in OPERATIONS:
            case = f"{op}: {_ROUTES[op]}, oai-petstore-expanded"
            for metric, title, unit, better in _LOAD_METRICS:
                key = f"{op}_{metric}"
                comparisons.append(
                    Comparison(
                        GROUP,
                        case,
                        title,
                        unit,
                        better,
                        figures["ours"][key],
                        "prism",
                        figures["prism"][key],
                        reproduce,
                    )
                )
    if settings.selected(GROUP, "startup-stripe") and not settings.quick:
        progress(GROUP, "startup-stripe")
        figures = alternate(
            {"ours": _startup("ours", settings), "prism": _startup("prism", settings)},
            ("startup", "rss"),
            settings.repeat,
        )
        reproduce = f"python -m benchmarks --only {GROUP}:startup-stripe"
        for metric, title, unit in (("startup", "start-up to first answer", "s"), ("rss", "RSS when ready", "MiB")):
            comparisons.append(
                Comparison(
                    GROUP,
                    "stripe-spec3 (468 ops)",
                    title,
                    unit,
                    "lower",
                    figures["ours"][metric],
                    "prism",
                    figures["prism"][metric],
                    reproduce,
                )
            )
    return comparisons, []
