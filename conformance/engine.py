"""Running schemathesis on one spec against one target and collecting what it finds as drift."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

import conformance.checks  # noqa: F401  (registers our checks with schemathesis)
from apimodel import Api
from conformance.auth import Credentials, strip_body_credentials
from conformance.cleanup import CleanupReport, Tracker, delete_created
from conformance.collect import PHASES, Collector, Progress, Reporter
from conformance.context import RunContext, bind, unbind
from conformance.coverage import OperationCoverage, verdict
from conformance.drift import Drift
from conformance.redact import Redactor
from conformance.selection import select_operations

__all__ = ["ApiResult", "ConformOptions", "Target", "quirk_disabled_checks", "run_spec"]

ALL_PHASES = PHASES


@dataclass(frozen=True)
class ConformOptions:
    """How hard to test. Runs are seeded: the same seed against the same target sends the same requests."""

    max_examples: int = 10
    seed: int = 0
    max_steps: int = 10
    phases: tuple[str, ...] = ALL_PHASES
    allow_writes: bool = True
    rate_limit: str | None = None
    request_timeout: float = 10.0
    max_time: int | None = None
    disabled_checks: tuple[str, ...] = ()
    cleanup: bool | None = None  # delete what the run created; by default only against a live server
    operations: tuple[str, ...] = ()  # operations to test: operationIds, tags or path globs (all when empty)
    exclude: tuple[str, ...] = ()  # operations not to test, named the same way

    def cleans_up(self, target: Target) -> bool:
        return self.cleanup if self.cleanup is not None else target.live and self.allow_writes


@dataclass(frozen=True)
class Target:
    """Where requests go: an ASGI app in-process (``app``) or a server at ``base_url``."""

    base_url: str
    app: Any = field(default=None, repr=False)
    live: bool = False


@dataclass(frozen=True)
class ApiResult:
    api: str
    operations_total: int
    operations_covered: int
    test_cases: int
    drifts: tuple[Drift, ...]
    errors: tuple[str, ...]
    elapsed: float
    seed: int
    cleanup: CleanupReport | None = None
    coverage: tuple[OperationCoverage, ...] = ()
    unchecked: str | None = None  # why the run checked (almost) nothing: it must not pass as clean
    notes: tuple[str, ...] = ()  # what was skipped on purpose, and why
    mock_violations: tuple[str, ...] | None = None  # against the self-checking mock: its responses that broke the spec
    mock_seconds: float | None = None  # in-process: the time spent inside the mock answering (None: not measured)

    @property
    def mock_share(self) -> float | None:
        """The share of the run's time spent inside the in-process mock; the rest is schemathesis and our checks."""
        if self.mock_seconds is None or self.elapsed <= 0:
            return None
        return min(1.0, self.mock_seconds / self.elapsed)

    @property
    def failures_by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for drift in self.drifts:
            counts[drift.kind] = counts.get(drift.kind, 0) + 1
        return dict(sorted(counts.items()))

    @property
    def ok(self) -> bool:
        return not self.drifts and not self.errors and self.unchecked is None

    @property
    def operations_reached(self) -> int:
        """Operations at least one request of which got a 2xx: the ones whose success responses were checked."""
        return sum(1 for o in self.coverage if o.reached)


def quirk_disabled_checks(api: Api) -> tuple[str, ...]:
    """schemathesis checks whose expectations an API's declared error statuses contradict.

    CloudInvoice answers every error with 400: checks that demand 401, 404 or 405 would report its
    documented behaviour as drift, so they are left to our own checks for that API.
    """
    status = api.errors.status_of
    disabled: list[str] = []
    if status("unauthorized") not in (None, 401, 403):
        disabled += ["ignored_auth", "missing_required_header"]
    if status("not_found") not in (None, 404):
        disabled += ["positive_data_acceptance"]
    if status("method_not_allowed") not in (None, 405):
        disabled += ["unsupported_method"]
    return tuple(disabled)


def _config(target: Target, options: ConformOptions, api: Api) -> SchemathesisConfig:
    phases: dict[str, Any] = {name: {"enabled": name in options.phases} for name in ALL_PHASES}
    phases["stateful"]["max-steps"] = max(2, options.max_steps)
    data: dict[str, Any] = {
        "seed": options.seed,
        "base-url": target.base_url.rstrip("/"),
        "continue-on-failure": True,
        "workers": 1,
        "request-timeout": options.request_timeout,
        "generation": {"max-examples": options.max_examples, "database": "none", "allow-extra-parameters": False},
        "phases": phases,
    }
    if api.content_type_required:
        # CloudInvoice wants Content-Type on every request, GET included (specs/README.md)
        data["headers"] = {"Content-Type": api.content_type_required}
    disabled = (*options.disabled_checks, *quirk_disabled_checks(api))
    if target.live and not options.allow_writes:
        # The coverage phase probes each path with the methods its (read-only filtered) schema leaves out: DELETE,
        # PUT and POST included, on a live API. A read-only run sends none of them, and so has nothing to check.
        phases["coverage"]["unexpected-methods"] = []
        disabled = (*disabled, "unsupported_method")
    if disabled:
        data["checks"] = {name: {"enabled": False} for name in disabled}
    if options.rate_limit:
        data["rate-limit"] = options.rate_limit
    return SchemathesisConfig.from_dict(data)


class _CredentialProvider:
    """Writes the run's credentials into every generated case (headers, query and body pointers): those of the
    first security alternative of the case's operation the run can meet."""

    def __init__(self, api: Api, credentials: Credentials) -> None:
        self._api, self._credentials = api, credentials

    def get(self, case: Any, ctx: Any) -> Credentials:
        return self._credentials.for_requirements(_requirements(self._api, case))

    def set(self, case: Any, data: Credentials, ctx: Any) -> None:
        if data.headers:
            case.headers = {**(case.headers or {}), **dict(data.headers)}
        if data.query:
            case.query = {**(case.query or {}), **dict(data.query)}
        if data.body and not (data.headers or data.query):
            # Body credentials are the API's only way (e-Cont), or an alternative to the scheme's (BitFaktura):
            # sending both would let a request stay authenticated when a check removes one of them.
            case.body = data.apply_body(case.body)


def _requirements(api: Api, case: Any) -> Any:
    """The security requirements of a case's operation (the document's where it names none)."""
    operation = api.operation(case.operation.method, case.operation.path)
    if operation is None or operation.security is None:
        return api.security
    return operation.security


def run_spec(
    api: Api,
    target: Target,
    *,
    credentials: Credentials,
    other_tenants: tuple[Credentials, ...] = (),
    options: ConformOptions | None = None,
    progress: Progress | None = None,
) -> ApiResult:
    """Run every enabled phase of schemathesis plus our checks; return the drift found, deduplicated.

    ``progress`` gets a line per phase and at most one every few seconds within a phase (cases, elapsed time).
    Raises :class:`conformance.selection.SelectionError` when an include or exclude pattern names nothing.
    """
    options = options or ConformOptions()
    started = time.perf_counter()
    read_only = target.live and not options.allow_writes
    selected = select_operations(api, include=options.operations, exclude=options.exclude, read_only=read_only)
    secrets = [s for c in (credentials, *other_tenants) for s in c.secrets]
    context = RunContext(api, credentials, other_tenants, Redactor(secrets), target.live)
    schema: Any = schemathesis.openapi.from_dict(strip_body_credentials(api), config=_config(target, options, api))
    if target.app is not None:
        schema.app = target.app
    full_schema = schema
    if len(selected) < len(api.operations):
        # One filter: chained include() calls do not narrow each other.
        schema = schema.include(lambda ctx: str(ctx.operation.label) in selected)
    if not credentials.is_empty:
        schema.auth.providers.append(_CredentialProvider(api, credentials))
    collector = Collector(context, selected)
    reporter = Reporter(api.name, progress, started)
    tracker = Tracker(api) if options.cleans_up(target) else None
    cleanup: CleanupReport | None = None
    bind(schema, context)
    try:
        stream: Any = from_schema(schema).execute() if selected else iter(())
        for event in stream:
            over = options.max_time and time.perf_counter() - started > options.max_time
            if over and not stream.stop_event.is_set():
                stream.stop()  # a hard limit: schemathesis's own max-time keeps generating until it is reached
                collector.notes.append(f"stopped after {options.max_time} s (--max-time): not every case ran")
            if isinstance(event, events.ScenarioFinished):
                collector.scenario(event.recorder)
                reporter.cases(collector.cases)
                if tracker is not None:
                    tracker.observe(event.recorder)
            elif isinstance(event, events.PhaseStarted | events.PhaseFinished):
                reporter.phase(event, collector.cases)
            elif isinstance(event, events.NonFatalError):
                collector.error(event.label, f"{event.label}: {event.info.title}: {event.value}")
            elif isinstance(event, events.FatalError):
                collector.error(None, f"fatal: {event.exception}")
    finally:
        unbind(schema)
        if tracker is not None:
            cleanup = delete_created(
                full_schema, api, tracker.objects, credentials, app=target.app, rate_limit=options.rate_limit
            )
    coverage = collector.coverage.operations()
    return ApiResult(
        api=api.name,
        operations_total=len(api.operations),
        operations_covered=len(collector.covered),
        test_cases=collector.cases,
        drifts=tuple(sorted(collector.drifts.values())),
        errors=tuple(collector.errors),
        elapsed=time.perf_counter() - started,
        seed=options.seed,
        cleanup=cleanup,
        coverage=coverage,
        unchecked=verdict(coverage, _credential_hint(api, credentials)),
        notes=tuple(collector.notes),
    )


def _credential_hint(api: Api, credentials: Credentials) -> str:
    names = ", ".join(v for c in api.credentials for v in c.env) or "none"
    if credentials.is_empty:
        return f"pass credentials with --auth SCHEME=VALUE or the environment ({names})"
    return f"check the credentials given with --auth or the environment ({names})"
