"""Schemathesis, every check and phase, against the in-process mock of each of our five APIs.

Credentials go in through schemathesis' own auth configuration, so its ``ignored_auth`` check
probes the mock with missing and wrong credentials; body credentials (e-Cont's ``connect``),
which OpenAPI cannot describe, are written into generated bodies.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from conformance.mock import create_app, demo_credentials, load_api
from generator.project import API_NAMES

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 5


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
    return schema


def _connect(api: str, case: schemathesis.Case) -> None:
    slots = _model(api).data.get("x-body-credentials") or ()
    if not slots or not isinstance(case.body, dict):
        return
    creds = demo_credentials(api)
    for slot in slots:
        node = case.body
        tokens = str(slot["pointer"]).strip("/").split("/")
        for token in tokens[:-1]:
            child = node.get(token)
            node = child if isinstance(child, dict) else node.setdefault(token, {})
        node[tokens[-1]] = creds[str(slot["env"])]


def _run(api: str, case: schemathesis.Case) -> None:
    _connect(api, case)
    case.call_and_validate()


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
