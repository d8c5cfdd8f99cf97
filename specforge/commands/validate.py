"""``specforge validate``: check specs against OpenAPI and our rules."""

from __future__ import annotations

import click

from apimodel.diagnostics import Diagnostic
from apimodel.project import API_NAMES
from generator.validation import validate_path

__all__ = ["run_validation", "validate"]


def run_validation(targets: tuple[str, ...], profile: str | None) -> tuple[int, list[Diagnostic]]:
    """Validate each target; return the number of files and every diagnostic."""
    diagnostics: list[Diagnostic] = []
    for target in targets or API_NAMES:
        _, found = validate_path(target, profile=profile)  # type: ignore[arg-type]
        diagnostics.extend(found)
    return len(targets or API_NAMES), diagnostics


@click.command()
@click.argument("targets", nargs=-1, metavar="[API|PATH]...")
@click.option(
    "--profile",
    type=click.Choice(["house", "generic"]),
    default=None,
    help="Rules to apply: 'house' (our specs/README.md rules) or 'generic' (any OpenAPI). "
    "Default: house for our five APIs, generic for other files.",
)
def validate(targets: tuple[str, ...], profile: str | None) -> None:
    """Validate specs (all five of ours by default) and report every problem.

    Each problem is one line, `error[code] file#/json/pointer: what is wrong; what to do`.
    Exit status 1 when any error is found.
    """
    count, diagnostics = run_validation(targets, profile)
    for diagnostic in diagnostics:
        click.echo(diagnostic.format())
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    click.echo(f"{count} spec(s) checked: {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise SystemExit(1)
