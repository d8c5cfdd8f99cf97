"""Per-call cost of a generated client against a raw httpx2 request, both to the same in-process mock.

``python -m benchmarks.workloads.overhead SPEC PACKAGE CALLS``: creates one pet, then times blocks
of ``GET /pets/{id}`` both ways, interleaved (raw: request, status check, ``.json()``; generated:
``client.pets.retrieve(id)``, which also validates the model). Prints microseconds per call.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx2

from conformance.mock import create_app

__all__ = ["measure"]

_BLOCKS = 10


async def _per_call(call: Callable[[], Awaitable[Any]], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        await call()
    return (time.perf_counter() - started) / calls * 1e6


async def measure(spec: str, package: str, calls: int) -> dict[str, float]:
    transport = httpx2.ASGITransport(app=create_app([spec]))
    base_url = f"http://mock.invalid/{Path(spec).stem}"
    module: Any = importlib.import_module(package)
    async with (
        httpx2.AsyncClient(transport=transport, base_url=base_url) as raw,
        httpx2.AsyncClient(transport=transport) as inner,
    ):
        generated = module.AsyncClient(base_url=base_url, http_client=inner, max_retries=0)
        created = await raw.post("/pets", json={"name": "Rex", "tag": "dog"})
        created.raise_for_status()
        pet_id = created.json()["id"]

        async def raw_call() -> Any:
            response = await raw.get(f"/pets/{pet_id}")
            response.raise_for_status()
            return response.json()

        async def generated_call() -> Any:
            return await generated.pets.retrieve(pet_id)

        await raw_call(), await generated_call()  # warm-up: adapters, routes
        block = max(1, calls // _BLOCKS)
        raw_us: list[float] = []
        ours_us: list[float] = []
        for index in range(_BLOCKS):
            pair = [(raw_us, raw_call), (ours_us, generated_call)]
            for samples, call in pair if index % 2 == 0 else reversed(pair):
                samples.append(await _per_call(call, block))
    return {"raw_us": statistics.median(raw_us), "ours_us": statistics.median(ours_us)}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(measure(sys.argv[1], sys.argv[2], int(sys.argv[3])))))
