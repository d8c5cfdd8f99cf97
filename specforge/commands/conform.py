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
            f"{r.operations_reached}/{r.operations_total}",
            r.test_cases,
            ", ".join(f"{k} {n}" for k, n in r.failures_by_kind.items()) or ("errors" if r.errors else "none"),
            _time(r),
        ]
        for r in results
    ]


def _time(result: ApiResult) -> str:
    """The run's wall time and, in process, the share of it the mock spent answering (the rest is the test
    generator and our checks)."""
    share, rate = result.mock_share, result.test_cases / result.elapsed if result.elapsed > 0 else 0.0
    return f"{result.elapsed:.1f}s, {rate:.0f} cases/s" + ("" if share is None else f", {share:.0%} in the mock")


HEADERS = ["api", "operations reached (2xx)", "test cases", "failures by kind", "time"]


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
        lines += [f"{r.api}: nothing was checked: {r.unchecked}"] if r.unchecked else []
    return "\n".join(lines), any(not r.ok for r in results)


EXIT_CODES = {0: "no drift", 1: "drift found", 2: "usage or connection problem", 3: "nothing was checked"}


@click.command(epilog="Exit status: " + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items()) + ".")
@click.argument("apis", nargs=-1, metavar="[API|PATH]...")
@click.option("--url", "base_url", default=None, help="Base URL of a running server (default: the in-process mock).")
@click.option(
    "--auth",
    "auth",
    multiple=True,
    metavar="SCHEME=VALUE",
    help="A credential for --url runs: a security scheme of the spec (HTTP Basic: SCHEME=user:password) or one of "
    "its credential variables. Without it, credentials come from the environment: the variables `specforge "
    "describe API` lists, for a spec without hints <API>_<SCHEME> (Basic: <API>_<SCHEME>_USERNAME and _PASSWORD).",
)
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
@click.option(
    "--include",
    multiple=True,
    metavar="PATTERN",
    help="Test only these operations: an operationId, a tag, or a path glob ('/invoices*', 'POST /invoices'). "
    "Repeatable.",
)
@click.option("--exclude", multiple=True, metavar="PATTERN", help="Leave these operations out (same patterns).")
@click.option(
    "--max-time", type=click.IntRange(min=1), default=None, metavar="SECONDS", help="Stop each API after this long."
)
@click.option(
    "--allow-writes",
    is_flag=True,
    help="Against --url, also call operations that create or change data (a read-only run calls reads and the "
    "operations the spec marks safe).",
)
@click.option("--rate-limit", default=None, metavar="R", help="Requests per period against --url, e.g. 10/s or 100/m.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
def conform(
    apis: tuple[str, ...],
    base_url: str | None,
    auth: tuple[str, ...],
    report_dir: Path | None,
    max_examples: int,
    seed: int,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    max_time: int | None,
    allow_writes: bool,
    rate_limit: str | None,
    quiet: bool,
) -> None:
    """Run each spec against the mock (or --url) and report where API and spec disagree: a project's configured
    APIs ([tool.specforge]) by default, else our five.

    A run that was locked out or never reached the API (most requests refused with 401 or 403, every request a
    404, no answer at all) checked nothing: it ends with exit status 3 and one line that says why, never as
    "no drift found".
    """
    if auth and base_url is None:
        raise click.UsageError("--auth goes with --url; in-process runs use the mock's demo credentials")
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
        max_time=max_time,
        operations=include,
        exclude=exclude,
    )
    progress = None if quiet else _progress
    try:
        if base_url is None:
            results = run_against_mock(targets, options, progress=progress)
        else:
            results = run_against_url(targets, base_url, options, auth=auth, progress=progress)
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
        for note in result.notes:
            click.echo(f"{result.api}: {note}", err=True)
        if result.cleanup is not None:
            click.echo(f"{result.api}: {result.cleanup.summary()}", err=True)
            for item in result.cleanup.left:
                click.echo(f"{result.api}: left behind: {item}", err=True)
    if report_dir is not None:
        for path in write_reports(results, report_dir):
            click.echo(f"wrote {path}", err=True)
    drift = sum(len(r.drifts) for r in results)
    unchecked = [r for r in results if r.unchecked is not None]
    for result in unchecked:
        click.echo(f"{result.api}: nothing was checked: {result.unchecked}", err=True)
    click.echo(f"{drift} drift(s) in {len(results)} API(s)", err=True)
    if drift:
        raise SystemExit(1)
    if any(r.errors for r in results):
        raise SystemExit(2)
    if unchecked:
        raise SystemExit(3)


def _progress(line: str) -> None:
    click.echo(line, err=True)
