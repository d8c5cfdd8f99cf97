"""Generation: wall time and peak memory of ours, openapi-python-client and datamodel-code-generator per spec."""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import Failed, Measure, Settings, alternate, progress
from benchmarks.proc import Run, run_measured
from benchmarks.report import QualityCheck
from benchmarks.specs import BenchSpec, all_specs
from benchmarks.stats import Comparison
from benchmarks.tools import tool

__all__ = ["OPC_CONFIG", "Output", "generate", "generated", "package_root", "run_generation"]

GROUP = "generation"
PEERS = ("openapi-python-client", "datamodel-code-generator")
# openapi-python-client needs literal enums to get through Stripe's hundreds of enums in reasonable time.
OPC_CONFIG = "literal_enums: true\n"
_MYPY_CONFIG = "[mypy]\n"
MYPY_TIMEOUT = 120.0  # Stripe-sized output can keep mypy busy for many minutes; past this we report the timeout
_NEEDS_DIRECTORY = "Modular references require an output directory"
_MODULAR: set[Path] = set()
_LATEST: dict[tuple[str, Path], Output] = {}
_SKIPPED = re.compile(r"Endpoint will not be generated")


@dataclass(frozen=True)
class Output:
    """Where a tool put its output: the directory to put on ``sys.path`` and the module to import."""

    path_root: Path
    module: str
    target: Path
    notes: str = ""


def _fail_from(run: Run) -> Failed:
    return Failed("timeout" if run.timed_out else "failed", run.reason())


def package_root(out: Path) -> tuple[Path, str]:
    """The top-level package a generator wrote below ``out``: (directory to import from, package name)."""
    inits = sorted(out.rglob("__init__.py"), key=lambda p: (len(p.parts), str(p)))
    for init in inits:
        if not (init.parent.parent / "__init__.py").is_file():
            return init.parent.parent, init.parent.name
    raise Failed("failed", f"no Python package found below {out}")


def generated(tool_name: str, spec: BenchSpec, settings: Settings) -> Output:
    """This run's output of ``tool_name`` for ``spec``, generating it now if no measurement did yet."""
    found = _LATEST.get((tool_name, spec.path))
    return found if found is not None else generate(tool_name, spec, settings)[1]


def generate(tool_name: str, spec: BenchSpec, settings: Settings) -> tuple[Run, Output]:
    """Run one generator once into a fresh directory."""
    run, output = _generate(tool_name, spec, settings)
    _LATEST[(tool_name, spec.path)] = output
    return run, output


def _generate(tool_name: str, spec: BenchSpec, settings: Settings) -> tuple[Run, Output]:
    found = tool(tool_name)
    if not found.available:
        raise Failed("not measured", f"{tool_name}: {found.missing}")
    base = settings.work / "gen" / tool_name / spec.name
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    if tool_name == "ours-generate":
        command = [*found.command, "--spec", str(spec.path), "--out", str(base / "out"), "--name", spec.name]
    elif tool_name == "openapi-python-client":
        config = settings.work / "opc-config.yaml"
        config.write_text(OPC_CONFIG)
        out = base / spec.name
        command = [*found.command, "generate", "--path", str(spec.path), "--meta", "none", "--overwrite"]
        command += ["--output-path", str(out), "--config", str(config)]
    else:
        return _datamodel_codegen(found.command, spec, settings, base)
    run = run_measured(command, timeout=settings.timeout, cwd=base)
    if not run.ok:
        raise _fail_from(run)
    if tool_name == "openapi-python-client":
        skipped = len(_SKIPPED.findall(run.stdout + run.stderr))
        notes = f"{skipped} endpoint(s) not generated" if skipped else ""
        return run, Output(base, spec.name, base / spec.name, notes)
    root, module = package_root(base / "out")
    return run, Output(root, module, root / module)


def _datamodel_codegen(command: tuple[str, ...], spec: BenchSpec, settings: Settings, base: Path) -> tuple[Run, Output]:
    """One module, or a package when the spec's schema names make modules (Stripe's dotted names)."""
    module = f"{spec.name}_models"
    modular = spec.path in _MODULAR
    target = base / module if modular else base / f"{module}.py"
    arguments = [*command, "--input", str(spec.path), "--input-file-type", "openapi", "--output", str(target)]
    arguments += ["--output-model-type", "pydantic_v2.BaseModel", "--target-python-version", "3.11"]
    run = run_measured(arguments, timeout=settings.timeout, cwd=base)
    if not modular and not run.ok and _NEEDS_DIRECTORY in run.stderr:
        _MODULAR.add(spec.path)
        return _datamodel_codegen(command, spec, settings, base)
    if not run.ok:
        raise _fail_from(run)
    return run, Output(base, module, target)


def _quality(spec: BenchSpec, tool_name: str, output: Output, settings: Settings) -> QualityCheck:
    env = {"PYTHONPATH": str(output.path_root)}
    imported = run_measured([sys.executable, "-c", f"import {output.module}"], timeout=settings.timeout, env=env)
    imports = "yes" if imported.ok else f"no: {imported.reason()}"
    if settings.quick:
        return QualityCheck(spec.case, tool_name, imports, "not checked (--quick)", output.notes)
    config = settings.work / "mypy.ini"
    config.write_text(_MYPY_CONFIG)
    cache = settings.work / "mypy-cache"  # shared: the libraries are analysed once, each output afresh
    command = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config), "--cache-dir", str(cache)]
    limit = min(settings.timeout, MYPY_TIMEOUT)
    checked = run_measured([*command, str(output.target)], timeout=limit, cwd=output.path_root, env=env)
    summary = (checked.stdout.strip().splitlines() or [""])[-1]
    if checked.timed_out:
        mypy = checked.reason()
    elif checked.ok:
        mypy = "passes"
    elif found := re.search(r"Found (\d+) errors? in (\d+) files?", summary):
        mypy = f"fails: {found.group(1)} errors in {found.group(2)} files"
    else:
        mypy = f"fails: {checked.reason()}"
    return QualityCheck(spec.case, tool_name, imports, mypy, output.notes)


def run_generation(settings: Settings) -> tuple[list[Comparison], list[QualityCheck]]:
    """Every spec: each generator alternately, ``repeat`` times; then each output's import and mypy check."""
    comparisons: list[Comparison] = []
    quality: list[QualityCheck] = []
    for spec in all_specs(settings.quick):
        if not settings.selected(GROUP, spec.case):
            continue
        progress(GROUP, spec.case)
        outputs: dict[str, Output] = {}

        def measure(name: str, spec: BenchSpec = spec, outputs: dict[str, Output] = outputs) -> Measure:
            def once() -> dict[str, float]:
                run, outputs[name] = generate(name, spec, settings)
                return {"wall": run.wall, "rss": run.peak_rss / 2**20}

            return once

        names = ("ours-generate", *PEERS)
        figures = alternate({name: measure(name) for name in names}, ("wall", "rss"), settings.repeat)
        reproduce = f"python -m benchmarks --only {GROUP}:{spec.case}"
        for metric, title, unit in (("wall", "wall time", "s"), ("rss", "peak RSS", "MiB")):
            for peer in PEERS:
                comparisons.append(
                    Comparison(
                        GROUP,
                        spec.label,
                        title,
                        unit,
                        "lower",
                        figures["ours-generate"][metric],
                        peer,
                        figures[peer][metric],
                        reproduce,
                    )
                )
        for name in names:
            label = name.replace("ours-generate", "specforge")
            if figures[name]["wall"].status == "ok" and name in outputs:
                quality.append(_quality(spec, label, outputs[name], settings))
            elif tool(name).available:
                status = figures[name]["wall"].status
                quality.append(QualityCheck(spec.case, label, f"not checked: generation {status}", "not checked"))
    return comparisons, quality
