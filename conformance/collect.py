"""Collecting a run as it goes: drift entries, coverage, run errors and notes, and progress lines."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from schemathesis.engine import events

from conformance.checks.responses import is_error_envelope, is_state_refusal, is_unwritten_singleton
from conformance.classify import classify_failure
from conformance.context import RunContext
from conformance.coverage import Coverage
from conformance.curl import curl_command
from conformance.drift import Drift
from conformance.jsonseq import is_json_sequence

__all__ = ["PHASES", "Collector", "Progress", "Reporter"]

PHASES: tuple[str, ...] = ("examples", "coverage", "fuzzing", "stateful")
_NO_LINKS = "Missing Open API links"
_CASE_PARTS = {"query": "query", "header": "headers", "path": "path_parameters", "cookie": "cookies"}
Progress = Callable[[str], None]


def _header(response: Any, name: str) -> str | None:
    for key, values in (response.headers or {}).items():
        if key.lower() == name and values:
            return str(values[0])
    return None


def _any(headers: dict[str, str], query: str, body: bytes) -> bool:
    return True  # a run without credentials: every request went as the run sends them


class Collector:
    def __init__(self, context: RunContext, selected: frozenset[str]) -> None:
        self.context = context
        self.drifts: dict[tuple[str, str, str, str, str], Drift] = {}
        self.cases = 0
        self.covered: set[str] = set()
        self.errors: list[str] = []
        self.notes: list[str] = []
        credentials = context.credentials
        self.coverage = Coverage(tuple(sorted(selected)), credentials.carried_by if not credentials.is_empty else _any)

    def error(self, label: str | None, text: str) -> None:
        if _NO_LINKS in text:  # the filters left the stateful phase nothing to chain: a skip, not a failure
            self.notes.append("stateful phase skipped: the selected operations have no links between them")
            return
        if label and label in self.coverage.selected:
            self.coverage.unanswered(label)
        self.errors.append(self.context.redactor.text(text))

    def scenario(self, recorder: Any) -> None:
        self.coverage.observe(recorder)
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

    def _can_refuse(self, operation: Any, statuses: tuple[int, ...] = ()) -> bool:
        """Whether the spec lets the operation refuse a request: with one of ``statuses``, or any error."""
        found = self.context.model.operation(operation.method, operation.path)
        declared = found.responses if found is not None else {}
        if self.context.model.errors.kinds:
            return True
        if statuses:
            return any(str(s) in declared for s in statuses) or "4XX" in declared or "default" in declared
        return any(c[0] in "45" or c == "default" for c in declared)

    def _declared_refusal(self, operation: Any, answer: Any) -> bool:
        """Whether ``answer`` refused the request with a 4xx status the operation declares. schemathesis counts only
        its own list (400, 401, 403, 404, 405, 406, 409, 415, 422, 428, 429) as a rejection; a spec may declare its
        refusals otherwise: APIs.guru's AWS specs give each fault a status of its own from 480 up (ElastiCache's
        ``CacheClusterNotFoundFault`` is 480), and no other 4xx, so 480 is the only refusal they allow."""
        status = answer.status_code if answer is not None else 0
        if not 400 <= status < 500:
            return False
        found = self.context.model.operation(operation.method, operation.path)
        declared = found.responses if found is not None else {}
        return str(status) in declared or "4XX" in declared

    def _unsendable(self, operation: Any, case: Any, check: str, failure: Any) -> list[str]:
        """The parameters (and XML body properties) of the case that no request can carry as generated, where they
        decide ``check``: for ``positive_data_acceptance`` those the case sets (or must set), for
        ``negative_data_rejection`` those its failure names as the invalid part. schemathesis writes an array of
        objects in a query as the objects' keys (ElastiCache's ``Tags=Key&Tags=Value``, where AWS's own Query protocol
        writes ``Tags.Tag.1.Key=…``), so the API judges other data than the check assumes."""
        if check not in ("positive_data_acceptance", "negative_data_rejection"):
            return []
        found = self.context.model.operation(operation.method, operation.path)
        schemas = self.context.model.schemas
        message = str(getattr(failure, "message", ""))
        names = []
        for param in found.params if found is not None else ():
            if _form_serializable(schemas, param.schema):
                continue
            sent = getattr(case, _CASE_PARTS.get(param.location, ""), None) or {}
            decides = param.required or param.name in sent if check == "positive_data_acceptance" else None
            if decides or (check == "negative_data_rejection" and f"`{param.name}`" in message):
                names.append(param.name)
        body = getattr(case, "body", None)
        xml = "xml" in str(getattr(case, "media_type", ""))
        if check == "positive_data_acceptance" and xml and isinstance(body, dict):
            # an empty array writes no element in XML (unless wrapped): the body goes without the property, and an
            # API that requires it rightly refuses (ElastiCache's required TagList, no minItems)
            names += [f"{name} (an empty array in XML)" for name, value in body.items() if value == []]
        if check == "negative_data_rejection" and xml and isinstance(body, dict) and found is not None:
            # XML text has no types: a number or null put in a string property is a valid string once written
            # (ElastiCache's <Marker>60.0</Marker>), so the API rightly takes it
            content = (found.body or {}).get("content") or {}
            schema = next((c.get("schema") for m, c in content.items() if "xml" in m and isinstance(c, dict)), None)
            props = schemas.properties(schema)
            names += [
                f"{name} (a {type(value).__name__} written as XML text)"
                for name, value in body.items()
                if not isinstance(value, str | list | dict)
                and schemas.schema_type(props.get(name)) == "string"
                and f"/properties/{name}" in message
            ]
        return names

    def _not_valid(self, operation: Any, case: Any) -> str | None:
        """Where (a dotted path) a JSON body schemathesis generated as valid breaks the operation's schema as the spec
        means it (the mock's validator: Unicode classes are Unicode's), else ``None``."""
        found = self.context.model.operation(operation.method, operation.path)
        media = str(getattr(case, "media_type", "") or "")
        json = "json" in media and not is_json_sequence(media)  # a sequence is checked line by line elsewhere
        content = ((found.body or {}).get("content") or {}).get(media) if found is not None and json else None
        schema = content.get("schema") if isinstance(content, dict) else None
        body = getattr(case, "body", None)
        if schema is None or not isinstance(body, dict | list | str | int | float | bool):
            return None
        errors = self.context.schemas.errors(schema, body, "request", limit=1)
        return (errors[0].param or "the body") if errors else None

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
        if check.name == "negative_data_rejection" and self._declared_refusal(operation, answer):
            return
        if check.name == "negative_data_rejection" and not self.context.live and not self._can_refuse(operation):
            return  # the spec declares no error this operation could answer with: the mock may only accept
        unsendable = self._unsendable(operation, case, check.name, failure)
        if unsendable:
            note = (
                f"{operation.label}: {check.name} not judged on cases that set {', '.join(unsendable)}: OpenAPI "
                "defines no way to write an array of objects or a nested object in a query, header or path, nor an "
                "empty array in XML, so the request as sent is not the data that was generated"
            )
            if note not in self.notes:
                self.notes.append(note)
            return
        broken = self._not_valid(operation, case) if check.name == "positive_data_acceptance" else None
        if broken is not None:
            note = (
                f"{operation.label}: positive_data_acceptance not judged on cases whose body breaks its schema at "
                f"{broken}: schemathesis generated them as valid, but its patterns are translations of its own (its "
                "\\p{Z} holds \\t\\n\\r\\f\\v, which Unicode's separators do not), and the spec refuses them"
            )
            if note not in self.notes:
                self.notes.append(note)
            return
        if check.name == "positive_data_acceptance" and is_state_refusal(
            self.context.model, operation.method, operation.path, answer
        ):
            return
        if check.name == "ensure_resource_availability" and is_unwritten_singleton(
            self.context.model, operation.method, operation.path, answer.status_code if answer is not None else None
        ):
            return  # an invoice's payment plan is 404 until written: the create made the invoice, not the plan
        if check.name == "ignored_auth" and not self.context.live and not self._can_refuse(operation, (401, 403)):
            return  # the spec declares neither 401 nor 403 here: the mock refuses with what the spec declares
        response = answer
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


def _form_serializable(schemas: Any, schema: Any) -> bool:
    """Whether a parameter's value has a serialization in a query, header, path or cookie (OpenAPI's styles):
    a primitive, an array of primitives, or an object whose properties are primitives."""
    kind = schemas.schema_type(schema)
    if kind == "array":
        return schemas.schema_type((schemas.mapping(schema).get("items")) or {}) not in ("array", "object")
    if kind == "object":
        return all(schemas.schema_type(p) not in ("array", "object") for p in schemas.properties(schema).values())
    return True


def _bump(drift: Drift) -> Drift:
    return replace(drift, occurrences=drift.occurrences + 1)


class Reporter:
    """Progress lines for long runs: each phase as it starts and ends, and cases at most every 5 seconds."""

    def __init__(self, api: str, out: Progress | None, started: float) -> None:
        self.api, self.out, self.started = api, out, started
        self.last = self.phase_started = started
        self.phase_cases = 0

    def _say(self, text: str) -> None:
        if self.out is not None:
            self.last = time.perf_counter()
            self.out(f"{self.api}: {text} ({self.last - self.started:.0f} s)")

    def phase(self, event: Any, cases: int) -> None:
        name = str(getattr(event.phase, "name", event.phase)).lower()
        if name not in PHASES:
            return  # schemathesis's own preparation steps take no time worth reporting
        if isinstance(event, events.PhaseStarted):
            self.phase_started, self.phase_cases = time.perf_counter(), cases
            return
        status = str(getattr(event.status, "name", event.status)).lower()
        outcome = {
            "success": "done",
            "failure": "done, cases flagged (the report says which are drift)",
            "skip": "skipped",
        }.get(status, status)
        took = time.perf_counter() - self.phase_started
        self._say(f"{name} phase {outcome}: {cases - self.phase_cases} cases in {took:.1f} s")

    def cases(self, cases: int) -> None:
        if self.out is not None and time.perf_counter() - self.last >= 5:
            self._say(f"{cases} cases")
