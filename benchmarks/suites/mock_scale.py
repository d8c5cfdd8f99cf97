"""Mock rows beyond one small spec: Stripe- and DigitalOcean-sized specs, and the cost of a list as a tenant grows.

The growth rows run in-process: one BitFaktura mock whose tenant holds 10 invoices, another whose tenant holds
10,000 (made through the mock's own create path), the same list request timed against each in alternating
blocks. Each request asks for a page of 10, so both answers carry 10 invoices and the ratio shows what the
stored objects cost, not what a bigger page costs. Memory per stored object is traced with ``tracemalloc``.
"""

from __future__ import annotations

import copy
import gc
import shutil
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.harness import Failed, Measure, Settings, alternate, progress
from benchmarks.proc import tree_rss_bytes
from benchmarks.stats import Better, Comparison, Figure
from benchmarks.suites.mock import GROUP, _server, measure_wrk
from benchmarks.suites.mock_calls import plan
from conformance.auth import credentials_from_env
from conformance.mock import create_app, demo_credentials
from conformance.mock.app import body_example
from conformance.mock.request import ParsedRequest
from conformance.mock.server import ApiServer

__all__ = ["big_specs", "scale"]

SCALE_API = "bitfaktura"
QUERIES = {
    "list": {"per_page": "10"},
    "filtered list (kind=vat: every invoice)": {"per_page": "10", "kind": "vat"},
    "sorted list (order=number.desc)": {"per_page": "10", "order": "number.desc"},
    "filtered and sorted list": {"per_page": "10", "kind": "vat", "order": "issue_date.desc"},
}


def _startup(name: str, spec: Path, settings: Settings) -> Measure:
    mount = spec.stem.split(".")[0]

    def once() -> dict[str, float]:
        # our first start parses the spec (an empty parse cache); the second reads the parse back
        cache = settings.work / f"parse-cache-{name}"
        shutil.rmtree(cache, ignore_errors=True)
        env = {"SPECFORGE_CACHE_DIR": str(cache)}
        with _server(name, spec, mount, settings, env=env) as server:
            first = server.startup
        with _server(name, spec, mount, settings, env=env) as server:
            values = {"startup": first, "startup_cached": server.startup}
            values["rss"] = tree_rss_bytes(server.process.pid) / 2**20
            call = plan(spec, mount).calls.get("list")
            if call is None:
                raise Failed("not measured", f"{spec.name}: no list operation to load")
            base = server.base_url + ("" if name == "prism" else f"/{mount}")
            figures = measure_wrk(base + call.path, settings, headers=call.headers)
            return {**values, "rps": figures["rps"], "non2xx": figures["non2xx"]}

    return once


def big_specs(settings: Settings, specs: dict[str, Path]) -> list[Comparison]:
    rows: list[Comparison] = []
    metrics: tuple[tuple[str, str, str, Better], ...] = (
        ("startup", "start-up to first answer", "s", "lower"),
        ("startup_cached", "start-up, second start (parsed spec cached)", "s", "lower"),
        ("rss", "RSS when ready", "MiB", "lower"),
        ("rps", "list requests/s (8 connections)", "req/s", "higher"),
        ("non2xx", "list answers not 2xx", "answers", "lower"),
    )
    for case, spec in specs.items():
        if not settings.selected(GROUP, case):
            continue
        progress(GROUP, case)
        reproduce = f"python -m benchmarks --only {GROUP}:{case}"
        if not spec.is_file():
            from benchmarks.suites.mock import DIGITALOCEAN_HINT

            missing = Figure.missing("not measured", f"{spec.name}: {DIGITALOCEAN_HINT}")
            rows += [Comparison(GROUP, case, t, u, b, missing, "prism", missing, reproduce) for _, t, u, b in metrics]
            continue
        names = tuple(m[0] for m in metrics)
        figures = alternate(
            {"ours": _startup("ours", spec, settings), "prism": _startup("prism", spec, settings)},
            names,
            settings.repeat,
        )
        label = f"{case.removeprefix('startup-')} ({spec.name})"
        for metric, title, unit, better in metrics:
            rows.append(
                Comparison(
                    GROUP,
                    label,
                    title,
                    unit,
                    better,
                    figures["ours"][metric],
                    "prism",
                    figures["prism"][metric],
                    reproduce,
                )
            )
    return rows


def _filled(count: int) -> tuple[ApiServer, dict[str, str], str]:
    """A BitFaktura mock whose demo tenant holds ``count`` invoices; the credentials and the list path."""
    app = create_app([SCALE_API])
    server: ApiServer = app.state.mock.servers[SCALE_API]
    model = server.api.model
    create = next(op for op in model.operations if op.role == "create" and op.resource == "invoices")
    listing = next(op for op in model.operations if op.role == "list" and op.resource == "invoices")
    example = body_example(server, create)[1]
    for number in range(count):
        body = copy.deepcopy(example)
        body["invoice"]["issue_date"] = f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}"
        server.resources.create(0, create, ParsedRequest(body=body))
    creds = credentials_from_env(model, demo_credentials(SCALE_API))
    return server, {**dict(creds.query)}, listing.path


def _per_call(server: ApiServer, path: str, query: bytes, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        status, _, body = server.handle("GET", path, query, {"host": "mock"}, b"", {})
    elapsed = time.perf_counter() - started
    if status != 200 or body.count(b'"number"') != 10:
        raise Failed("failed", f"GET {path}?{query.decode()} answered {status} with other than 10 invoices")
    return elapsed / calls * 1e6


def scale(settings: Settings) -> list[Comparison]:
    progress(GROUP, "scale")
    big = 1_000 if settings.quick else 10_000
    small_server, token, path = _filled(10)
    queries = {case: urlencode({**query, **token}).encode() for case, query in QUERIES.items()}
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    big_server = _filled(big)[0]
    for encoded in queries.values():  # the indexes these lists use are built on first use: count them too
        _per_call(big_server, path, encoded, 1)
    gc.collect()
    per_object = Figure(((tracemalloc.get_traced_memory()[0] - before) / big,))
    tracemalloc.stop()
    rows: list[Comparison] = []
    reproduce = f"python -m benchmarks --only {GROUP}:scale"
    for case, encoded in queries.items():
        samples: dict[str, list[float]] = {"big": [], "small": []}
        for _ in range(5 if settings.quick else 15):  # alternating blocks of 20 requests
            for label, server in (("big", big_server), ("small", small_server)):
                samples[label].append(_per_call(server, path, encoded, 20))
        title = f"time per request, tenant of {big:,} invoices"
        rows.append(
            Comparison(
                GROUP,
                f"{case}: GET {path}, page of 10",
                title,
                "µs",
                "lower",
                Figure(tuple(samples["big"])),
                "tenant of 10",
                Figure(tuple(samples["small"])),
                reproduce,
            )
        )
    case = f"{SCALE_API} invoices, with the indexes these lists built"
    rows.append(
        Comparison(
            GROUP, case, "memory per stored object (tracemalloc)", "bytes", "lower", per_object, reproduce=reproduce
        )
    )
    return rows
