"""A bounded HTTP load against a loopback server: ``python -m benchmarks.workloads.load SPEC_JSON``.

SPEC_JSON names ``url`` (loopback only), ``method``, optional ``body`` and ``headers``, ``requests``
(a hard cap), ``concurrency`` and ``duration`` (seconds, a hard cap). Prints throughput and latency.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any
from urllib.parse import urlsplit

import httpx2

from benchmarks.stats import percentile

__all__ = ["run_load"]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


async def run_load(spec: dict[str, Any]) -> dict[str, Any]:
    """Send at most ``requests`` requests for at most ``duration`` seconds with ``concurrency`` workers."""
    if urlsplit(spec["url"]).hostname not in _LOOPBACK:
        raise SystemExit(f"load: refusing non-loopback target {spec['url']}")
    limit, deadline_s = int(spec["requests"]), float(spec["duration"])
    body = json.dumps(spec["body"]).encode() if spec.get("body") is not None else None
    headers = {"content-type": "application/json", **spec.get("headers", {})}
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    issued = 0
    limits = httpx2.Limits(max_connections=int(spec["concurrency"]))
    async with httpx2.AsyncClient(limits=limits, timeout=30.0) as client:
        for _ in range(3):  # warm the connections and the server's first-request paths
            await client.request(spec["method"], spec["url"], content=body, headers=headers)
        started = time.perf_counter()
        deadline = started + deadline_s

        async def worker() -> None:
            nonlocal issued
            while issued < limit and time.perf_counter() < deadline:
                issued += 1
                sent = time.perf_counter()
                response = await client.request(spec["method"], spec["url"], content=body, headers=headers)
                await response.aread()
                latencies.append(time.perf_counter() - sent)
                statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1

        await asyncio.gather(*(worker() for _ in range(int(spec["concurrency"]))))
        elapsed = time.perf_counter() - started
    ok = sum(n for status, n in statuses.items() if status.startswith("2"))
    return {
        "requests": len(latencies),
        "ok": ok,
        "statuses": statuses,
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": _ms(percentile(latencies, 0.50)),
        "p99_ms": _ms(percentile(latencies, 0.99)),
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run_load(json.loads(sys.argv[1])))))
