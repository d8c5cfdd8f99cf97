"""Schemathesis, every check and phase, against the in-process mock of each of our five APIs.

Credentials go in through schemathesis' own auth configuration, so its ``ignored_auth`` check
probes the mock with missing and wrong credentials. Body credentials (``x-body-credentials``), which
OpenAPI cannot describe, are written into generated bodies, except where a declared security scheme
already carries the same credential (BitFaktura's ``api_token``): there the body copy is left out, so
removing the declared credential leaves the request without any. A negative body whose only defect was
the credential itself keeps its generated value, so the mutation reaches the mock.
``x-content-type-required`` (CloudInvoice) is sent on requests without a body.

Phases: examples, coverage and fuzzing run per operation (``parametrize``); the stateful phase runs
as one state machine per API over the links schemathesis finds or infers. Sizes are bounded so the
file stays within a few minutes under ``pytest -n 2``.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NotSet
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.specs.openapi.checks import ensure_resource_availability, positive_data_acceptance

from apimodel.project import API_NAMES
from conformance.checks.responses import is_state_refusal, is_unwritten_singleton
from conformance.mock import create_app, demo_credentials, load_api

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 5
STATEFUL_EXAMPLES = 10
STATEFUL_STEPS = 5


_model = functools.cache(load_api)


def _auth(api: str) -> dict[str, Any]:
    creds, model = demo_credentials(api), _model(api)
    schemes: dict[str, dict[str, str]] = {}
    for name, scheme in (model.data.get("components", {}).get("securitySchemes") or {}).items():
        envs = [str(e) for e in scheme.get("x-env") or ()]
        values = [creds[e] for e in envs if e in creds]
        if not values:
            continue
        if scheme.get("type") == "http" and scheme.get("scheme") == "basic":
            schemes[name] = {"username": values[0], "password": values[1] if len(values) > 1 else ""}
        elif scheme.get("type") == "http" or scheme.get("type") == "oauth2":
            schemes[name] = {"bearer": values[0]}
        else:
            schemes[name] = {"api_key": str(scheme.get("x-prefix") or "") + values[0]}
    return schemes


def _schema(api: str) -> Any:
    raw = copy.deepcopy(_model(api).data)
    raw["servers"] = [{"url": f"http://localhost/{api}"}]
    for item in raw.get("paths", {}).values():  # per-operation servers would send requests elsewhere
        item.pop("servers", None)
        for op in item.values():
            if isinstance(op, dict):
                op.pop("servers", None)
    auth = _auth(api)
    settings_: dict[str, Any] = {"generation": {"max-examples": MAX_EXAMPLES}, "checks": {"enabled": True}}
    config = SchemathesisConfig.from_dict({**settings_, **({"auth": {"openapi": auth}} if auth else {})})
    schema = schemathesis.openapi.from_dict(raw, config=config)
    schema.app = create_app([api])
    schema.hook(_wire_filter(api))
    return schema


def _set_pointer(body: dict[str, Any], pointer: str, value: str | None, create: bool) -> None:
    node: Any = body
    tokens = pointer.strip("/").split("/")
    for token in tokens[:-1]:
        child = node.get(token)
        if not isinstance(child, dict):
            if not create:
                return
            child = node[token] = {}
        node = child
    if value is None:
        node.pop(tokens[-1], None)
    else:
        node[tokens[-1]] = value


def _body_credentials(api: str, case: schemathesis.Case) -> None:
    """Write ``api``'s body credentials into the case (or drop them where a security scheme carries them)."""
    data = _model(api).data
    slots = data.get("x-body-credentials") or ()
    if not slots or not isinstance(case.body, dict):
        return
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    carried = {str(env) for scheme in schemes.values() for env in scheme.get("x-env") or ()}
    creds = demo_credentials(api)
    negative = case.meta is not None and case.meta.is_negative_at(ParameterLocation.BODY)
    original, body = case.body, copy.deepcopy(case.body)
    for slot in slots:
        env = str(slot["env"])
        _set_pointer(body, str(slot["pointer"]), None if env in carried else creds[env], create=not negative)
    case.body = body  # a new object, so schemathesis revalidates what is sent
    if negative and case.meta is not None and not case.meta.is_negative_at(ParameterLocation.BODY):
        case.body = original  # the credential was the mutated part: send it as generated


def _string_maps(api: str, method: str, path: str) -> set[str]:
    """The operation's deepObject query parameters whose values are all plain strings."""
    names: set[str] = set()
    model = _model(api)
    for op in model.operations:
        if op.method != method.upper() or op.path != path:
            continue
        for param in op.params:
            schema = model.schemas.resolve(param.schema)
            extra = model.schemas.resolve(schema.get("additionalProperties")) if isinstance(schema, dict) else None
            if param.style == "deepObject" and not schema.get("properties") and extra == {"type": "string"}:
                names.add(param.name)
    return names


_JSON_WORDS = frozenset({"null", "true", "false"})


def _reads_as_text(value: Any) -> bool:
    if isinstance(value, dict | list):
        return not value  # an empty object or list travels as an empty value
    return value is None or isinstance(value, bool | int | float) or (isinstance(value, str) and value in _JSON_WORDS)


def _wire_filter(api: str) -> Any:
    """A ``filter_query`` hook that drops queries whose request is valid on the wire though generated as invalid.

    A number, boolean or null inside a deepObject string map (``metadata[k]=1.0``, ``filter[k]=null``)
    travels as text, which is a valid string: no server can tell it from one, and schemathesis judges
    such a request by the value it generated, not by what it sent. Booleans and nulls reach the hook
    already spelt as JSON words, so those words are dropped too (a positive case spelling them loses
    nothing). Lists (repeated keys) and nested objects stay: the mock rejects them.
    """

    def filter_query(context: Any, query: dict[str, Any]) -> bool:
        names = _string_maps(api, context.operation.method, context.operation.path)
        for key, value in (query or {}).items():
            name = key.split("[", 1)[0]
            if name not in names:
                continue
            values = value.values() if isinstance(value, dict) else [value] if "[" in key else []
            if any(_reads_as_text(v) for v in values):
                return False
        return True

    return filter_query


def _prepare(api: str, case: schemathesis.Case) -> None:
    _body_credentials(api, case)
    required = _model(api).data.get("x-content-type-required")
    if (
        isinstance(required, str)
        and isinstance(case.body, NotSet)
        and "content-type" not in {name.lower() for name in case.headers or {}}
    ):
        case.headers = {**(case.headers or {}), "Content-Type": required}


def _validate(api: str, case: schemathesis.Case, response: Any) -> None:
    # schemathesis cannot know the state a refusal depends on; conform decides the same way (conformance/collect.py)
    model, method, path = _model(api).model, case.operation.method, case.operation.path
    excluded: list[Any] = [positive_data_acceptance] if is_state_refusal(model, method, path, response) else []
    if is_unwritten_singleton(model, method, path, response.status_code):
        excluded.append(ensure_resource_availability)  # an invoice's payment plan: 404 until written
    case.validate_response(response, excluded_checks=excluded or None)


def _run(api: str, case: schemathesis.Case) -> None:
    _prepare(api, case)
    _validate(api, case, case.call())


def _run_stateful(api: str, schema: Any) -> None:
    """The stateful phase: scenarios that chain operations by the links schemathesis infers."""

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: schemathesis.Case) -> None:
            _prepare(api, case)

        def validate_response(self, response: Any, case: schemathesis.Case, *args: Any, **kwargs: Any) -> None:
            _validate(api, case, response)

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


facturare = _schema("facturare")
econt = _schema("econt")
efactori = _schema("efactori")
bitfaktura = _schema("bitfaktura")
cloudinvoice = _schema("cloudinvoice")
assert set(API_NAMES) == {"facturare", "econt", "efactori", "bitfaktura", "cloudinvoice"}
_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@facturare.parametrize()
@_SETTINGS
def test_facturare(case: schemathesis.Case) -> None:
    _run("facturare", case)


@econt.parametrize()
@_SETTINGS
def test_econt(case: schemathesis.Case) -> None:
    _run("econt", case)


@efactori.parametrize()
@_SETTINGS
def test_efactori(case: schemathesis.Case) -> None:
    _run("efactori", case)


@bitfaktura.parametrize()
@_SETTINGS
def test_bitfaktura(case: schemathesis.Case) -> None:
    _run("bitfaktura", case)


@cloudinvoice.parametrize()
@_SETTINGS
def test_cloudinvoice(case: schemathesis.Case) -> None:
    _run("cloudinvoice", case)


@pytest.mark.parametrize("api", sorted(API_NAMES))
def test_stateful(api: str) -> None:
    schemas = {"facturare": facturare, "econt": econt, "efactori": efactori, "bitfaktura": bitfaktura}
    _run_stateful(api, schemas.get(api, cloudinvoice))
