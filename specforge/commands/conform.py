"""``specforge conform``: run the conformance suites and write the drift report."""

from __future__ import annotations

from pathlib import Path

import click

from apimodel.diagnostics import SpecError
from conformance.engine import ApiResult, ConformOptions
from conformance.presets import QUICK
from conformance.report import write_reports
from conformance.suite import ConformError, mock_available, run_against_mock, run_against_url
from specforge.commands.project import configured, resolve_targets
from specforge.config import ApiEntry
from specforge.output import table

__all__ = ["conform", "conformance_table"]


def _rows(results: list[ApiResult]) -> list[list[object]]:
    return [
        [
            r.api,
            f"{r.operations_covered}/{r.operations_total}",
            r.test_cases,
            ", ".join(f"{k} {n}" for k, n in r.failures_by_kind.items()) or ("errors" if r.errors else "none"),
            f"{r.elapsed:.1f}s",
        ]
        for r in results
    ]


HEADERS = ["api", "operations covered", "test cases", "failures by kind", "time"]


def conformance_table(
    apis: tuple[str, ...], options: ConformOptions | None = None, report_dir: Path | None = None
) -> tuple[str, bool]:
    """For ``specforge check``: conform each API against the mock (the quick preset by default).

    Returns the table (plus one line per drift or run error, and per report written into ``report_dir``) and
    whether drift or errors were found.
    """
    if not mock_available():
        return "conformance: the embedded mock is not available yet; skipped", False
    try:
        results = run_against_mock(apis, options or QUICK)
    except (SpecError, ConformError) as exc:
        return f"conformance: {str(exc).splitlines()[0]}", True
    lines = [table(HEADERS, _rows(results))]
    if report_dir is not None:
        lines += [f"wrote {path}" for path in write_reports(results, report_dir)]
    for r in results:
        lines += [f"{r.api}: {d.kind} [{d.check}] {d.operation}: {d.api_did.splitlines()[0][:160]}" for d in r.drifts]
        lines += [f"{r.api}: run error: {e.splitlines()[0][:160]}" for e in r.errors if e]
    return "\n".join(lines), any(r.drifts or r.errors for r in results)


@click.command()
@click.argument("apis", nargs=-1, metavar="[API|PATH]...")
@click.option("--url", "base_url", default=None, help="Base URL of a running server (default: the in-process mock).")
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write drift.md, drift.json and junit.xml into this directory.",
)
@click.option(
    "--max-examples",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Generated test cases per operation and phase.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed: the same seed sends the same requests.")
@click.option("--allow-writes", is_flag=True, help="Against --url, also call operations that create or change data.")
@click.option("--rate-limit", default=None, metavar="R", help="Requests per period against --url, e.g. 10/s or 100/m.")
def conform(
    apis: tuple[str, ...],
    base_url: str | None,
    report_dir: Path | None,
    max_examples: int,
    seed: int,
    allow_writes: bool,
    rate_limit: str | None,
) -> None:
    """Run each spec against the mock (or --url) and report where API and spec disagree: a project's configured
    APIs ([tool.specforge]) by default, else our five.

    Exit status 0 when no drift is found, 1 when drift is found, 2 for a usage or connection problem.
    """
    found, config = resolve_targets(apis, conform=True)
    targets = tuple(t.target if isinstance(t, ApiEntry) else t for t in found)
    if config is not None:  # the configuration's settings, where the command line gives none
        max_examples = configured(max_examples, "max_examples", config.max_examples)
        seed = configured(seed, "seed", config.seed)
        report_dir = configured(report_dir, "report_dir", config.report)
    options = ConformOptions(
        max_examples=max_examples,
        seed=seed,
        allow_writes=allow_writes or base_url is None,
        rate_limit=rate_limit,
    )
    try:
        if base_url is None:
            results = run_against_mock(targets, options)
        else:
            results = run_against_url(targets, base_url, options)
    except SpecError as exc:
        click.echo(str(exc).split("\n")[0], err=True)
        raise SystemExit(2) from None
    except ConformError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    click.echo(table(HEADERS, _rows(results)))
    for result in results:
        for error in result.errors:
            click.echo(f"{result.api}: run error: {error.splitlines()[0]}", err=True)
        if result.cleanup is not None:
            click.echo(f"{result.api}: {result.cleanup.summary()}", err=True)
            for item in result.cleanup.left:
                click.echo(f"{result.api}: left behind: {item}", err=True)
    if report_dir is not None:
        for path in write_reports(results, report_dir):
            click.echo(f"wrote {path}", err=True)
    drift = sum(len(r.drifts) for r in results)
    click.echo(f"{drift} drift(s) in {len(results)} API(s)", err=True)
    if drift:
        raise SystemExit(1)
    if any(r.errors for r in results):
        raise SystemExit(2)
