"""``specforge check``: the main job. Validates every spec, checks the generated clients, conforms against the mock."""

from __future__ import annotations

import time
from pathlib import Path

import click

from apimodel.project import CHECKOUT, display_path
from apimodel.walk import iter_operations
from generator.validation import validate_path
from specforge.commands.project import configured, resolve_targets
from specforge.config import ApiEntry
from specforge.output import table

__all__ = ["check"]


def _validate(found: list[ApiEntry | str]) -> tuple[list[list[object]], list[str], bool]:
    """The validation table's rows, the conformance targets of the valid specs, and whether any failed."""
    rows: list[list[object]] = []
    valid: list[str] = []
    failed = False
    for item in found:
        started = time.perf_counter()
        name, target = (item.name, str(item.spec)) if isinstance(item, ApiEntry) else (item, item)
        document, diagnostics = validate_path(target, profile=item.profile if isinstance(item, ApiEntry) else None)
        errors = [d for d in diagnostics if d.severity == "error"]
        for diagnostic in errors:
            click.echo(diagnostic.format(), err=True)
        failed = failed or bool(errors)
        if document is not None and not errors and (not isinstance(item, ApiEntry) or item.conform):
            valid.append(item.target if isinstance(item, ApiEntry) else item)
        operations = sum(1 for _ in iter_operations(document.data)) if document else 0
        schemas = len((document.data.get("components") or {}).get("schemas") or {}) if document else 0
        verdict = "ok" if not errors else "FAIL"
        rows.append([name, operations, schemas, len(errors), verdict, f"{time.perf_counter() - started:.2f}s"])
    return rows, valid, failed


@click.command()
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the conformance drift report (drift.md, drift.json, junit.xml) into this directory.",
)
def check(report_dir: Path | None) -> None:
    """Validate every spec, check the generated clients are current, conform each API against the mock, and
    summarise: a project's configured APIs ([tool.specforge]), else our five (the job CI and the README's quick
    start run)."""
    found, config = resolve_targets(())
    if config is not None:
        report_dir = configured(report_dir, "report_dir", config.report)
    rows, valid, failed = _validate(found)
    click.echo(table(["api", "operations", "schemas", "errors", "validate", "time"], rows))
    from specforge.commands.generate import check_generated, ours, project_targets  # the generator, only here

    targets = project_targets(config) if config is not None else ours(()) if CHECKOUT is not None else []
    where = ", ".join(t.install_path or display_path(t.out) for t in targets) if config else "generated/"
    if targets:
        up_to_date, diff = check_generated(targets)
        click.echo(f"{where}: {'up to date' if up_to_date else 'OUT OF DATE (run: specforge generate)'}")
        if not up_to_date:
            click.echo(diff, nl=False, err=True)
        failed = failed or not up_to_date
    else:
        click.echo(f"{where}: nothing to check (no out folder configured, and not a specforge checkout)")
    if valid:
        from specforge.commands.conform import conformance_table

        started = time.perf_counter()
        text, drift = conformance_table(tuple(valid), report_dir=report_dir)
        click.echo(f"\nconformance against the mock ({time.perf_counter() - started:.0f}s):\n{text}")
        failed = failed or drift
    if failed:
        raise SystemExit(1)
