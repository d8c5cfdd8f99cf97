"""``specforge check``: the main job. Validates every spec and prints a summary table."""

from __future__ import annotations

import time

import click

from apimodel.project import API_NAMES
from apimodel.walk import iter_operations
from generator.validation import validate_path
from specforge.output import table

__all__ = ["check"]


@click.command()
def check() -> None:
    """Validate every spec and summarise (the job CI and the README's quick start run)."""
    rows: list[list[object]] = []
    failed = False
    valid: list[str] = []
    for api in API_NAMES:
        started = time.perf_counter()
        document, diagnostics = validate_path(api)
        errors = [d for d in diagnostics if d.severity == "error"]
        for diagnostic in errors:
            click.echo(diagnostic.format(), err=True)
        failed = failed or bool(errors)
        if document is not None and not errors:
            valid.append(api)
        operations = sum(1 for _ in iter_operations(document.data)) if document else 0
        schemas = len((document.data.get("components") or {}).get("schemas") or {}) if document else 0
        rows.append(
            [
                api,
                operations,
                schemas,
                len(errors),
                "ok" if not errors else "FAIL",
                f"{time.perf_counter() - started:.2f}s",
            ]
        )
    click.echo(table(["api", "operations", "schemas", "errors", "validate", "time"], rows))
    from specforge.commands.generate import check_generated  # imports the generator only when checking

    up_to_date, diff = check_generated()
    click.echo(f"generated/: {'up to date' if up_to_date else 'OUT OF DATE (run: specforge generate)'}")
    if not up_to_date:
        click.echo(diff, nl=False, err=True)
    failed = failed or not up_to_date
    if valid:
        from specforge.commands.conform import conformance_table

        started = time.perf_counter()
        text, drift = conformance_table(tuple(valid))
        click.echo(f"\nconformance against the mock ({time.perf_counter() - started:.0f}s):\n{text}")
        failed = failed or drift
    if failed:
        raise SystemExit(1)
