"""``specforge validate``: check specs against OpenAPI and our rules."""

from __future__ import annotations

import click

from apimodel.diagnostics import Diagnostic
from generator.validation import validate_path
from specforge.commands.project import resolve_targets
from specforge.config import ApiEntry

__all__ = ["run_validation", "validate", "validation_targets"]

Targets = list[tuple[str, str | None]]  # (API name or path, profile: None for the default)


def validation_targets(targets: tuple[str, ...]) -> Targets:
    """What ``validate`` checks: the targets given (a configured API's name means its spec); else the project's
    configured specs; else our five."""
    found, _ = resolve_targets(targets)
    return [(str(t.spec), t.profile) if isinstance(t, ApiEntry) else (t, None) for t in found]


def run_validation(targets: Targets, profile: str | None) -> tuple[int, list[Diagnostic]]:
    """Validate each target (``profile`` overrides each one's own); return the number of files and every
    diagnostic."""
    diagnostics: list[Diagnostic] = []
    for target, own in targets:
        _, found = validate_path(target, profile=profile or own)  # type: ignore[arg-type]
        diagnostics.extend(found)
    return len(targets), diagnostics


@click.command()
@click.argument("targets", nargs=-1, metavar="[API|PATH]...")
@click.option(
    "--profile",
    type=click.Choice(["house", "generic"]),
    default=None,
    help="Rules to apply: 'house' (our specs/README.md rules) or 'generic' (any OpenAPI). "
    "Default: house for our five APIs, generic for other files, or each spec's profile in the configuration.",
)
def validate(targets: tuple[str, ...], profile: str | None) -> None:
    """Validate specs (a project's configured specs, else our five, by default) and report every problem.

    Each problem is one line, `error[code] file#/json/pointer: what is wrong; what to do`.
    Exit status 1 when any error is found.
    """
    count, diagnostics = run_validation(validation_targets(targets), profile)
    for diagnostic in diagnostics:
        click.echo(diagnostic.format())
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    click.echo(f"{count} spec(s) checked: {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise SystemExit(1)
