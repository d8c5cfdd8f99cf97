"""Parse a list response into models: ``python -m benchmarks.workloads.parse KIND PAYLOAD [MODULE CLASS]``.

KIND is ``json`` (``json.loads`` only), ``attrs-from-dict`` (openapi-python-client: ``from_dict``
per item), ``pydantic-list`` (one ``TypeAdapter(list[Model])`` over the items) or ``client-runtime``
(our generated runtime's own parse of a page's items: strict validation first, the lenient walk only
when that fails). Prints the median wall seconds of the timed loops, and their median CPU seconds: parsing is
one thread's work, so on a shared machine its CPU time is the steadier figure (wall time grows with the machine's
load, CPU time barely does).
"""

from __future__ import annotations

import importlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["parser_for"]


def parser_for(kind: str, module: str, name: str) -> Callable[[bytes], Any]:
    """The function that turns the response body into what the caller gets."""
    if kind == "json":
        return json.loads
    model: Any = getattr(importlib.import_module(module), name)
    if kind == "attrs-from-dict":
        return lambda body: [model.from_dict(item) for item in json.loads(body)["data"]]
    if kind == "pydantic-list":
        from pydantic import TypeAdapter

        adapter: Any = TypeAdapter(list[model])  # built once, as the generated client caches its adapters
        return lambda body: adapter.validate_python(json.loads(body)["data"])
    if kind == "client-runtime":
        return _client_runtime(module, name)
    raise SystemExit(f"unknown parser kind {kind!r}")


def _client_runtime(module: str, name: str) -> Callable[[bytes], Any]:
    """What a generated client does with a page's items: ``ClientCore._validate`` of ``list[Model]``."""
    package = module.rpartition(".types")[0]
    core: Any = importlib.import_module(f"{package}._core")
    endpoint: Any = importlib.import_module(f"{package}._endpoint").Endpoint("GET", "/items", operation="items.list")
    client = core.ClientCore(
        base_url="http://127.0.0.1:9",
        credentials=(),
        timeout=1.0,
        max_retries=0,
        default_headers={},
        types_module=module,
        error_type=None,
        error_match={},
    )
    ref = ("list", f"types.{name}")
    return lambda body: client._validate(endpoint, None, ref, json.loads(body)["data"], None)


def main(argv: list[str]) -> None:
    kind, payload = argv[0], Path(argv[1])
    parse = parser_for(kind, *(argv[2:4] if len(argv) >= 4 else ("", "")))
    body = payload.read_bytes()
    parsed = parse(body)  # warm-up, and a check that the payload parses at all
    count = len(parsed) if isinstance(parsed, list) else len(parsed["data"])
    timings, cpu = [], []
    for _ in range(5):
        started, started_cpu = time.perf_counter(), time.process_time()
        parse(body)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    figures = {"seconds": statistics.median(timings), "cpu_seconds": statistics.median(cpu)}
    print(json.dumps({**figures, "items": count, "bytes": len(body)}))


if __name__ == "__main__":
    main(sys.argv[1:])
