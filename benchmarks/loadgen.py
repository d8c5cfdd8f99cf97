"""The load generator of the mock rows: wrk (Debian package ``wrk``: ``apt-get install wrk``), driven by a Lua
script that counts every answer that is not 2xx and stops each thread at its share of a request cap.

Without wrk a row says ``not measured``: no Python client stands in for it, because one tops out below the
servers it would measure. :func:`ceiling` loads a trivial server the same way, so a reader sees how far
the generator itself reaches on this machine.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.harness import Failed

__all__ = ["Load", "run_wrk", "wrk_missing"]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")
_INSTALL = "wrk is not installed: apt-get install wrk (Debian package)"
_SCRIPT = """
local threads = {}
local cap = %(cap)d
function setup(thread) table.insert(threads, thread) end
function init(args)
  done_here, bad = 0, 0
  wrk.method = %(method)s
  wrk.body = %(body)s
  %(headers)s
end
function response(status, headers, body)
  done_here = done_here + 1
  if status < 200 or status > 299 then bad = bad + 1 end
  if done_here >= cap then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do bad_total = bad_total + thread:get("bad") end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"non_2xx": %%d, "socket_errors": %%d}\\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), bad_total, errors))
end
"""


@dataclass(frozen=True)
class Load:
    """One bounded load: at most ``requests`` requests and ``seconds`` seconds over ``connections``."""

    connections: int = 8
    threads: int = 2
    seconds: float = 4.0
    requests: int = 200_000


def wrk_missing() -> str:
    """Why wrk cannot run here (empty when it can)."""
    return "" if shutil.which("wrk") else _INSTALL


def _lua(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for what we send


def run_wrk(
    url: str,
    load: Load,
    work: Path,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """Throughput (req/s), p50 and p99 latency (ms) and the non-2xx count of one wrk run against ``url``."""
    if urlsplit(url).hostname not in _LOOPBACK:
        raise SystemExit(f"load: refusing non-loopback target {url}")
    found = shutil.which("wrk")
    if found is None:
        raise Failed("not measured", _INSTALL)
    lines = [f"wrk.headers[{_lua(k)}] = {_lua(v)}" for k, v in (headers or {}).items()]
    script = _SCRIPT % {
        "cap": max(1, load.requests // load.threads),
        "method": _lua(method),
        "body": "nil" if body is None else _lua(body.decode("utf-8")),
        "headers": "\n  ".join(lines),
    }
    work.mkdir(parents=True, exist_ok=True)
    path = work / "load.lua"
    path.write_text(script, encoding="utf-8")
    command = [found, f"-t{load.threads}", f"-c{load.connections}", f"-d{load.seconds:g}s", "-s", str(path), url]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=load.seconds + 60, check=False)
    except subprocess.TimeoutExpired:
        raise Failed("timeout", f"wrk on {method} {url} did not finish") from None
    result = next((line for line in done.stdout.splitlines() if line.startswith("{")), None)
    if done.returncode != 0 or result is None:
        last = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()[-1]
        raise Failed("failed", f"wrk on {method} {url}: exit {done.returncode}: {last}")
    figures = json.loads(result)
    if figures["requests"] == 0:
        raise Failed("failed", f"wrk on {method} {url}: no answer ({figures['socket_errors']} socket errors)")
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50": figures["p50_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "non2xx": float(figures["non_2xx"] + figures["socket_errors"]),
    }
