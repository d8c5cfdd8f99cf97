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
from conformance.checks.responses import is_error_envelope
from conformance.classify import classify_failure
from conformance.cleanup import CleanupReport, Tracker, delete_created
from conformance.context import RunContext, bind, unbind
from conformance.curl import curl_command
from conformance.drift import Drift
from conformance.redact import Redactor

__all__ = ["ApiResult", "ConformOptions", "Target", "quirk_disabled_checks", "run_spec"]

ALL_PHASES: tuple[str, ...] = ("examples", "coverage", "fuzzing", "stateful")
_READ_METHODS = ["GET", "HEAD", "OPTIONS"]


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
    operations: tuple[str, ...] = ()  # operationIds to test (all when empty)

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

    @property
    def failures_by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for drift in self.drifts:
            counts[drift.kind] = counts.get(drift.kind, 0) + 1
        return dict(sorted(counts.items()))

    @property
    def ok(self) -> bool:
        return not self.drifts and not self.errors


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
        # It probes a path with the methods the (read-only filtered) schema leaves out: POST included.
        disabled = (*disabled, "unsupported_method")
    if disabled:
        data["checks"] = {name: {"enabled": False} for name in disabled}
    if options.rate_limit:
        data["rate-limit"] = options.rate_limit
    if options.max_time:
        data["max-time"] = options.max_time
    return SchemathesisConfig.from_dict(data)


class _CredentialProvider:
    """Writes the run's credentials into every generated case (headers, query and body pointers)."""

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    def get(self, case: Any, ctx: Any) -> Credentials:
        return self._credentials

    def set(self, case: Any, data: Credentials, ctx: Any) -> None:
        if data.headers:
            case.headers = {**(case.headers or {}), **dict(data.headers)}
        if data.query:
            case.query = {**(case.query or {}), **dict(data.query)}
        if data.body and not (data.headers or data.query):
            # Body credentials are the API's only way (e-Cont), or an alternative to the scheme's (BitFaktura):
            # sending both would let a request stay authenticated when a check removes one of them.
            case.body = data.apply_body(case.body)


def _selected(operation: Any, operation_ids: tuple[str, ...], read_only: bool) -> bool:
    if read_only and operation.method.upper() not in _READ_METHODS:
        return False
    return not operation_ids or str(operation.definition.raw.get("operationId", "")) in operation_ids


def _header(response: Any, name: str) -> str | None:
    for key, values in (response.headers or {}).items():
        if key.lower() == name and values:
            return str(values[0])
    return None


class _Collector:
    def __init__(self, context: RunContext) -> None:
        self.context = context
        self.drifts: dict[tuple[str, str, str, str, str], Drift] = {}
        self.cases = 0
        self.covered: set[str] = set()
        self.errors: list[str] = []

    def scenario(self, recorder: Any) -> None:
        self.cases += len(recorder.cases)
        for case_id, interaction in recorder.interactions.items():
            node = recorder.cases.get(case_id)
            if node is not None and interaction.response is not None:
                self.covered.add(node.value.operation.label)
        for case_id, checks in recorder.checks.items():
            for check in checks:
                if check.failure_info is not None:
                    self._failure(recorder, case_id, check)

    def _curl(self, recorder: Any, case_ids: list[str]) -> str:
        lines = []
        for case_id in case_ids:
            interaction = recorder.interactions.get(case_id)
            if interaction is None:
                continue
            request = interaction.request
            headers = {k: v for k, v in request.headers.items()}
            lines.append(curl_command(request.method, request.uri, headers, request.body, self.context.redactor))
        return "\n".join(lines)

    def _failure(self, recorder: Any, case_id: str, check: Any) -> None:
        failure = check.failure_info.failure
        if check.name == "negative_data_rejection" and "Invalid component: positive test case" in str(
            getattr(failure, "message", "")
        ):
            # schemathesis could not make the body invalid (multipart fields are all text once sent): the request
            # it reports as accepted is a valid one, so the API was right to accept it.
            return
        interaction = recorder.interactions.get(case_id)
        answer = interaction.response if interaction is not None else None
        if (
            check.name == "negative_data_rejection"
            and answer is not None
            and self.context.model.errors.in_success
            and is_error_envelope(self.context.model, answer)
        ):
            return  # rejected in the body, with the 2xx status the spec says such errors may come with
        node = recorder.cases.get(case_id)
        if node is None:
            return
        case = node.value
        operation = case.operation
        interaction = recorder.interactions.get(case_id)
        response = interaction.response if interaction is not None else None
        steps = [step.case_id for step in check.failure_info.steps] or [case_id]
        if case_id not in steps:
            steps.append(case_id)
        drift = classify_failure(
            api=self.context.api,
            spec=self.context.spec,
            error_schema=self.context.model.errors.schema_ref,
            check=check.name,
            failure=failure,
            path=operation.path,
            method=operation.method,
            operation_id=str(operation.definition.raw.get("operationId", "")),
            status=response.status_code if response is not None else None,
            content_type=_header(response, "content-type") if response is not None else None,
            curl=self._curl(recorder, steps),
            redact=self.context.redactor.text,
        )
        known = self.drifts.get(drift.signature)
        if known is None:
            self.drifts[drift.signature] = drift
        else:
            self.drifts[drift.signature] = _bump(known)


def _bump(drift: Drift) -> Drift:
    from dataclasses import replace

    return replace(drift, occurrences=drift.occurrences + 1)


def run_spec(
    api: Api,
    target: Target,
    *,
    credentials: Credentials,
    other_tenants: tuple[Credentials, ...] = (),
    options: ConformOptions | None = None,
) -> ApiResult:
    """Run every enabled phase of schemathesis plus our checks; return the drift found, deduplicated."""
    options = options or ConformOptions()
    started = time.perf_counter()
    secrets = [s for c in (credentials, *other_tenants) for s in c.secrets]
    context = RunContext(api, credentials, other_tenants, Redactor(secrets), target.live)
    schema: Any = schemathesis.openapi.from_dict(strip_body_credentials(api), config=_config(target, options, api))
    if target.app is not None:
        schema.app = target.app
    full_schema = schema
    read_only = target.live and not options.allow_writes
    if read_only or options.operations:
        # One filter: chained include() calls do not narrow each other.
        schema = schema.include(lambda ctx: _selected(ctx.operation, options.operations, read_only))
    if not credentials.is_empty:
        schema.auth.providers.append(_CredentialProvider(credentials))
    collector = _Collector(context)
    tracker = Tracker(api) if options.cleans_up(target) else None
    cleanup: CleanupReport | None = None
    bind(schema, context)
    try:
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                collector.scenario(event.recorder)
                if tracker is not None:
                    tracker.observe(event.recorder)
            elif isinstance(event, events.NonFatalError):
                collector.errors.append(context.redactor.text(f"{event.label}: {event.info.title}: {event.value}"))
            elif isinstance(event, events.FatalError):
                collector.errors.append(context.redactor.text(f"fatal: {event.exception}"))
    finally:
        unbind(schema)
        if tracker is not None:
            cleanup = delete_created(
                full_schema, api, tracker.objects, credentials, app=target.app, rate_limit=options.rate_limit
            )
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
    )
