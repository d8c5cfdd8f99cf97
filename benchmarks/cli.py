"""Command line of the benchmarks: which groups, how many repetitions, where the results go."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.harness import Settings
from benchmarks.machine import Contention, describe_machine
from benchmarks.report import OTHERS, QualityCheck, load_json, render_json, render_markdown
from benchmarks.stats import Comparison
from benchmarks.tools import ROOT, WORK

__all__ = ["GROUPS", "main", "parse_arguments"]

Suite = Callable[[Settings], tuple[list[Comparison], list[QualityCheck]]]


def _suite(group: str) -> Suite:
    if group == "generation":
        from benchmarks.suites.generation import run_generation

        return run_generation
    if group == "client":
        from benchmarks.suites.client import run_client

        return run_client
    if group == "mock":
        from benchmarks.suites.mock import run_mock

        return run_mock
    from benchmarks.suites.conformance import run_conformance

    return run_conformance


GROUPS: tuple[str, ...] = ("generation", "client", "mock", "conformance")


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure specforge against its peers and write RESULTS.md and results.json. "
        "Installs nothing: peers come from pip install -e '.[bench]' and, for Prism, "
        "npm install --prefix benchmarks/.work @stoplight/prism-cli.",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: small specs, 2 repetitions, short loads")
    parser.add_argument(
        "--repeat", type=int, default=None, help="repetitions per measurement (default 3; 2 with --quick)"
    )
    parser.add_argument("--timeout", type=float, default=None, help="seconds one run may take (default 300; 120 quick)")
    parser.add_argument(
        "--conform-repeat",
        type=int,
        default=1,
        help="repetitions of each conformance run (default 1: each takes minutes)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="GROUP:CASE",
        help="run only cases matching this glob, e.g. 'generation:stripe*' or 'mock:*' (repeatable)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="directory for RESULTS.md and results.json (default benchmarks/ for a full run, else benchmarks/.work/)",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="re-measure the selected rows (with --only) and merge them into benchmarks/RESULTS.md and results.json",
    )
    parser.add_argument("--work", type=Path, default=WORK, help="scratch directory (default benchmarks/.work/)")
    arguments = parser.parse_args(argv)
    if arguments.repeat is not None and not 1 <= arguments.repeat <= 50:
        parser.error("--repeat must be between 1 and 50")
    if not 1 <= arguments.conform_repeat <= 10:
        parser.error("--conform-repeat must be between 1 and 10")
    if arguments.timeout is not None and not 1 <= arguments.timeout <= 1800:
        parser.error("--timeout must be between 1 and 1800 seconds")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected groups and write the results; exit 0 even when a tool fails (the report says so)."""
    arguments = parse_arguments(argv)
    partial = arguments.quick or bool(arguments.only)
    out: Path = arguments.out or (arguments.work if partial and not arguments.update else ROOT / "benchmarks")
    settings = Settings(
        repeat=arguments.repeat or (2 if arguments.quick else 3),
        timeout=arguments.timeout or (120.0 if arguments.quick else 300.0),
        quick=arguments.quick,
        work=arguments.work.resolve(),
        only=tuple(arguments.only),
        conform_repeat=arguments.conform_repeat,
    )
    settings.work.mkdir(parents=True, exist_ok=True)
    machine = describe_machine()  # before the run: its load average is the one at the start
    contention = Contention.start()
    started = time.perf_counter()
    comparisons: list[Comparison] = []
    quality: list[QualityCheck] = []
    for group in GROUPS:
        if settings.only and not any(pattern.split(":", 1)[0] in (group, "*") for pattern in settings.only):
            continue
        print(f"bench: {group} ...", file=sys.stderr, flush=True)
        found, checks = _suite(group)(settings)
        comparisons += found
        quality += checks
    record = {
        "repeat": settings.repeat,
        "conform_repeat": settings.conform_repeat,
        "timeout_s": settings.timeout,
        "quick": settings.quick,
        "only": list(settings.only),
        "duration_s": round(time.perf_counter() - started, 1),
        "command": "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:]),
        "load_start": machine["load average at start (1/5/15 min)"],
        "others_share": contention.others_share(),
    }
    took = record["duration_s"]  # this run's: after --update, ``record`` is the full run's, merged
    machine["load average at end (1/5/15 min)"] = " ".join(f"{v:.1f}" for v in os.getloadavg())
    if record["others_share"] is not None:
        machine[OTHERS] = f"{record['others_share']:.0%} of all cores' time"
    out.mkdir(parents=True, exist_ok=True)
    if arguments.update and (out / "results.json").is_file():
        # the Machine table stays the full run's; the update's own date, commit and load are listed under it
        record["date"], record["commit"] = machine.get("date"), machine.get("specforge commit")
        comparisons, quality, record, full_run = _merge(out, comparisons, quality, record)
        machine = full_run or machine
    markdown = render_markdown(comparisons, quality, machine, record)
    (out / "RESULTS.md").write_text(markdown, encoding="utf-8")
    (out / "results.json").write_text(render_json(comparisons, quality, machine, record), encoding="utf-8")
    print(markdown)
    print(f"bench: wrote {out / 'RESULTS.md'} and results.json in {took}s", file=sys.stderr)
    return 0


def _merge(
    out: Path, comparisons: list[Comparison], quality: list[QualityCheck], record: dict[str, Any]
) -> tuple[list[Comparison], list[QualityCheck], dict[str, Any], dict[str, str]]:
    """The earlier full run with the rows measured now in place of their old selves; and its Machine table."""
    text = (out / "results.json").read_text(encoding="utf-8")
    old_comparisons, old_quality, settings = load_json(text)
    fresh = {(c.group, c.case) for c in comparisons}
    whole = {pattern.split(":", 1)[0] for pattern in record["only"] if pattern.endswith(":*")}  # 'mock:*'
    merged = [c for c in old_comparisons if (c.group, c.case) not in fresh and c.group not in whole]
    for comparison in comparisons:  # keep the group order of the earlier run
        index = max((i for i, c in enumerate(merged) if c.group == comparison.group), default=len(merged) - 1)
        merged.insert(index + 1, comparison)
    # a group replaced whole keeps its place among the others
    merged.sort(key=lambda c: GROUPS.index(c.group) if c.group in GROUPS else len(GROUPS))
    checked = {(q.case, q.tool) for q in quality}
    merged_quality = [q for q in old_quality if (q.case, q.tool) not in checked] + quality
    settings["updates"] = [*settings.get("updates", []), record]
    return merged, merged_quality, settings, dict(json.loads(text).get("machine") or {})
