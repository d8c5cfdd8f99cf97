"""Conformance: wall time and generated test cases per second of ``specforge conform`` for each of our APIs."""

from __future__ import annotations

import json
import shutil

from apimodel.project import API_NAMES, SPECS_DIR
from benchmarks.harness import Failed, Measure, Settings, alternate, progress
from benchmarks.proc import run_measured
from benchmarks.report import QualityCheck
from benchmarks.stats import Comparison, Figure
from benchmarks.tools import ROOT, tool

__all__ = ["run_conformance"]

GROUP = "conformance"


def _conform(api: str, settings: Settings) -> Measure | Failed:
    found = tool("ours-conform")
    if not found.available:
        return Failed("not measured", found.missing)
    if not (SPECS_DIR / f"{api}.yaml").is_file():
        return Failed("not measured", f"specs/{api}.yaml does not exist yet")
    report = settings.work / "conform" / api

    def once() -> dict[str, float]:
        progress(GROUP, api)
        shutil.rmtree(report, ignore_errors=True)
        command = [*found.command, api, "--report", str(report)]
        if settings.quick:
            command += ["--max-examples", "2"]
        run = run_measured(command, timeout=settings.timeout, cwd=ROOT)
        if run.timed_out or run.returncode not in (0, 1):  # 1 means drift was found: the run itself completed
            raise Failed("timeout" if run.timed_out else "failed", f"specforge conform {api}: {run.reason()}")
        try:
            data = json.loads((report / "drift.json").read_text(encoding="utf-8"))
            cases = sum(int(entry["test_cases"]) for entry in data["apis"])
            in_mock = sum(float(entry["mock_seconds"]) for entry in data["apis"])
            in_run = sum(float(entry["elapsed_seconds"]) for entry in data["apis"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise Failed("failed", f"specforge conform {api}: no test-case count in drift.json ({exc})") from None
        share = 100 * in_mock / in_run if in_run > 0 else 0.0
        return {
            "wall": run.wall,
            "cases": float(cases),
            "rate": cases / run.wall,
            "rss": run.peak_rss / 2**20,
            "mock": share,
        }

    return once


def run_conformance(settings: Settings) -> tuple[list[Comparison], list[QualityCheck]]:
    """Each API in turn (a conformance run takes a minute or more, so ``--conform-repeat`` defaults to 1)."""
    apis = [api for api in API_NAMES if settings.selected(GROUP, api)]
    if settings.quick:
        apis = apis[:1]
    measures = {api: _conform(api, settings) for api in apis}
    figures = alternate(measures, ("wall", "cases", "rate", "rss", "mock"), settings.conform_repeat)
    comparisons: list[Comparison] = []
    totals: dict[str, list[float]] = {"wall": [], "cases": []}
    for api in apis:
        reproduce = f"python -m benchmarks --only {GROUP}:{api}"
        mine = figures[api]
        cases = mine["cases"].value
        label = f"{api} ({cases:,.0f} test cases)" if cases is not None else api
        comparisons.append(Comparison(GROUP, label, "wall time", "s", "lower", mine["wall"], reproduce=reproduce))
        comparisons.append(
            Comparison(GROUP, label, "test cases per second", "cases/s", "higher", mine["rate"], reproduce=reproduce)
        )
        comparisons.append(Comparison(GROUP, label, "peak RSS", "MiB", "lower", mine["rss"], reproduce=reproduce))
        comparisons.append(
            Comparison(GROUP, label, "time inside the mock", "%", "lower", mine["mock"], reproduce=reproduce)
        )
        if mine["wall"].value is not None and cases is not None:
            totals["wall"].append(mine["wall"].value)
            totals["cases"].append(cases)
    if apis and len(totals["wall"]) == len(apis) and len(apis) == len(API_NAMES):
        wall, cases = sum(totals["wall"]), sum(totals["cases"])
        label = f"all {len(apis)} APIs ({cases:,.0f} test cases)"
        reproduce = f"python -m benchmarks --only '{GROUP}:*'"
        comparisons.append(
            Comparison(GROUP, label, "wall time (sum of medians)", "s", "lower", Figure((wall,)), reproduce=reproduce)
        )
        comparisons.append(
            Comparison(
                GROUP, label, "test cases per second", "cases/s", "higher", Figure((cases / wall,)), reproduce=reproduce
            )
        )
    return comparisons, []
