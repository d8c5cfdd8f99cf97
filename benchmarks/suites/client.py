"""Client runtime: parsing a large list response, per-call overhead, and import time of a generated package."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from benchmarks.harness import Failed, Measure, Settings, alternate, progress
from benchmarks.proc import run_measured
from benchmarks.report import QualityCheck
from benchmarks.specs import CORPUS_DIR, STRIPE, BenchSpec, load_data
from benchmarks.stats import Comparison
from benchmarks.suites.generation import Output, generated
from benchmarks.synth import Synthesizer
from benchmarks.tools import ROOT

__all__ = ["find_class", "our_model", "run_client"]

GROUP = "client"
ITEMS = 1000
OURS, OPC = "ours-generate", "openapi-python-client"


def find_class(output: Output, name: str) -> str:
    """The dotted module of the generated package that defines class ``name``."""
    pattern = re.compile(rf"^class {re.escape(name)}\b", re.MULTILINE)
    base = output.target if output.target.is_dir() else output.target.parent
    for path in sorted(base.rglob("*.py"), key=lambda p: (len(p.parts), str(p))):
        if pattern.search(path.read_text(encoding="utf-8")):
            relative = path.relative_to(output.path_root).with_suffix("")
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            return ".".join(parts)
    raise Failed("failed", f"no class {name} in the generated package {output.module}")


_RETRIEVE = re.compile(r"def retrieve\(.*?\)\s*->\s*\"?types\.(\w+)\"?:", re.DOTALL)


def our_model(output: Output, resource: str) -> tuple[str, str]:
    """(module, class) of what our client's ``<resource>.retrieve`` returns: the model a list yields too."""
    source = output.target / "resources" / f"{resource}.py"
    found = _RETRIEVE.search(source.read_text(encoding="utf-8")) if source.is_file() else None
    if found is None:
        raise Failed("failed", f"{output.module} has no resources/{resource}.py with a typed retrieve()")
    return f"{output.module}.types", found.group(1)  # the public module: a large spec's models load from it


def _payload(spec: Path, schema: str, settings: Settings, count: int = ITEMS, depth: int = 3) -> Path:
    """``count`` copies of an instance of ``schema`` in a list envelope, ids distinct: every property down to
    ``depth`` levels (the default: fully populated), only the required ones below."""
    synthesizer = Synthesizer(load_data(spec), depth=depth)
    one = synthesizer.instance(synthesizer.schema(schema))
    items = [{**one, "id": f"in_{index:06d}"} if "id" in one else one for index in range(count)]
    suffix = "" if depth == 3 else f"-depth{depth}"
    path = settings.work / "payloads" / f"{spec.stem}-{schema}-{count}{suffix}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"object": "list", "data": items, "has_more": False}))
    return path


def _workload(
    module: str,
    arguments: list[str],
    settings: Settings,
    output: Output | None = None,
    metrics: tuple[str, ...] = ("seconds",),
) -> Measure:
    env = {"PYTHONPATH": f"{output.path_root}:{ROOT}" if output else str(ROOT)}

    def once() -> dict[str, float]:
        run = run_measured([sys.executable, "-m", module, *arguments], timeout=settings.timeout, cwd=ROOT, env=env)
        if not run.ok:
            raise Failed("timeout" if run.timed_out else "failed", run.reason())
        printed = run.json()
        return {metric: float(printed[metric]) for metric in metrics}

    return once


def _output(tool_name: str, spec: BenchSpec, settings: Settings) -> Output | Failed:
    try:
        return generated(tool_name, spec, settings)
    except Failed as failure:
        return failure


def _parse(settings: Settings) -> list[Comparison]:
    progress(GROUP, "parse")
    spec = BenchSpec(STRIPE, STRIPE.stem, ours=False)
    payload = _payload(STRIPE, "invoice", settings)
    metrics = ("seconds", "cpu_seconds")
    measures: dict[str, Measure | Failed] = {
        "json.loads": _workload("benchmarks.workloads.parse", ["json", str(payload)], settings, metrics=metrics)
    }
    for tool_name, kind in ((OURS, "client-runtime"), (OPC, "attrs-from-dict")):
        output = _output(tool_name, spec, settings)
        if isinstance(output, Failed):
            measures[tool_name] = output
            continue
        try:
            module, name = (
                our_model(output, "invoices") if tool_name == OURS else (find_class(output, "Invoice"), "Invoice")
            )
        except Failed as failure:
            measures[tool_name] = failure
            continue
        arguments = [kind, str(payload), module, name]
        measures[tool_name] = _workload("benchmarks.workloads.parse", arguments, settings, output, metrics)
    figures = alternate(measures, metrics, settings.repeat)
    case = f"{ITEMS:,} Stripe invoices ({payload.stat().st_size / 2**20:.1f} MiB JSON) → models"
    reproduce = f"python -m benchmarks --only {GROUP}:parse"
    # wall time is what a user waits; CPU time is the same work without the other processes of a shared machine
    rows = [(metric, "parse time" if metric == "seconds" else "parse CPU time") for metric in metrics]
    return [
        Comparison(GROUP, case, label, "s", "lower", figures[OURS][metric], peer, figures[key][metric], reproduce)
        for metric, label in rows
        for peer, key in ((OPC, OPC), ("plain json.loads", "json.loads"))
    ]


def _import_time(spec: BenchSpec, settings: Settings, first_use: str | None = None) -> list[Comparison]:
    """Importing the package and its models module; with ``first_use`` (a schema), until one instance of it was
    parsed too: what a user's first call costs before any request."""
    progress(GROUP, f"import-{spec.case}")
    # a first use: one instance populated to depth 3 (a Stripe invoice so holds about 80 models), and one of the
    # required fields only (the model and the few its required fields hold)
    payloads: dict[str, Path] = {}
    if first_use:
        payloads[""] = _payload(spec.path, first_use, settings, count=1)
        payloads[" (required fields only)"] = _payload(spec.path, first_use, settings, count=1, depth=0)
    plain: dict[str, Measure | Failed] = {}
    used: dict[str, dict[str, Measure | Failed]] = {label: {} for label in payloads}
    for tool_name in (OURS, OPC):
        output = _output(tool_name, spec, settings)
        if isinstance(output, Failed):
            plain[tool_name] = output
            for measures in used.values():
                measures[tool_name] = output
            continue
        models = f"{output.module}.types" if tool_name == OURS else f"{output.module}.models"
        imports = f"{output.module},{models}"
        warm = plain[tool_name] = _workload("benchmarks.workloads.importtime", [imports], settings, output)
        try:
            warm()  # the first import writes the bytecode cache; measure imports as users see them after
            module, name = our_model(output, "invoices") if tool_name == OURS else (models, "Invoice")
        except Failed as failure:
            for measures in used.values():
                measures[tool_name] = failure
            continue
        kind = "client-runtime" if tool_name == OURS else "attrs-from-dict"
        for label, payload in payloads.items():
            arguments = [imports, kind, str(payload), module, name]
            used[label][tool_name] = _workload("benchmarks.workloads.importtime", arguments, settings, output)
    reproduce = f"python -m benchmarks --only {GROUP}:import-{spec.case}"
    rows = [(f"import {spec.label} package", plain)]
    rows += [(f"import {spec.label} package + parse the first {first_use}{label}", used[label]) for label in used]
    comparisons = []
    for case, measures in rows:
        figures = alternate(measures, ("seconds",), settings.repeat)
        comparisons.append(
            Comparison(
                GROUP,
                case,
                "import time",
                "s",
                "lower",
                figures[OURS]["seconds"],
                OPC,
                figures[OPC]["seconds"],
                reproduce,
            )
        )
    return comparisons


def run_client(settings: Settings) -> tuple[list[Comparison], list[QualityCheck]]:
    comparisons: list[Comparison] = []
    if settings.selected(GROUP, "parse") and not settings.quick:
        comparisons += _parse(settings)
    small = BenchSpec(CORPUS_DIR / "oai-petstore-expanded.yaml", "oai-petstore-expanded", ours=False)
    sizes = (
        [(small, None)] if settings.quick else [(small, None), (BenchSpec(STRIPE, STRIPE.stem, ours=False), "invoice")]
    )
    for spec, first_use in sizes:
        if settings.selected(GROUP, f"import-{spec.case}"):
            comparisons += _import_time(spec, settings, first_use)
    if settings.selected(GROUP, "overhead"):
        comparisons += _overhead(settings)
    return comparisons, []


def _overhead(settings: Settings) -> list[Comparison]:
    progress(GROUP, "overhead")
    spec = BenchSpec(CORPUS_DIR / "oai-petstore-expanded.yaml", "oai-petstore-expanded", ours=False)
    output = _output(OURS, spec, settings)
    measure: Measure | Failed = output if isinstance(output, Failed) else _pair(spec, output, settings)
    figures = alternate({"pair": measure}, ("ours_us", "raw_us", "added_us"), settings.repeat)["pair"]
    case = "GET /pets/{id} to the in-process mock (ASGI), oai-petstore-expanded"
    reproduce = f"python -m benchmarks --only {GROUP}:overhead"
    return [
        Comparison(
            GROUP,
            case,
            "time per call",
            "µs",
            "lower",
            figures["ours_us"],
            "raw httpx2 + .json()",
            figures["raw_us"],
            reproduce,
        ),
        Comparison(
            GROUP, case, "added by the generated client", "µs", "lower", figures["added_us"], reproduce=reproduce
        ),
    ]


def _pair(spec: BenchSpec, output: Output, settings: Settings) -> Measure:
    env = {"PYTHONPATH": f"{output.path_root}:{ROOT}"}
    calls = "200" if settings.quick else "2000"

    def once() -> dict[str, float]:
        command = [sys.executable, "-m", "benchmarks.workloads.overhead", str(spec.path), output.module, calls]
        run = run_measured(command, timeout=settings.timeout, cwd=ROOT, env=env)
        if not run.ok:
            raise Failed("timeout" if run.timed_out else "failed", run.reason())
        result = run.json()
        return {
            "ours_us": result["ours_us"],
            "raw_us": result["raw_us"],
            "added_us": result["ours_us"] - result["raw_us"],
        }

    return once
