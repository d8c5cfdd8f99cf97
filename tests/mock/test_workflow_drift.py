"""The drift a full ``specforge conform facturare`` found against our own mock, kept found-and-decided."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from apimodel import load_api
from apimodel.project import ROOT
from conformance.auth import credentials_from_env
from conformance.checks.responses import is_state_refusal, is_unwritten_singleton
from conformance.engine import ConformOptions, Target, run_spec
from conformance.mock import create_app, demo_credentials
from tests.mock.helpers import api_client

PLAN = "/invoices/{invoice_id}/payment_plan"


def test_a_new_invoice_has_no_payment_plan_and_that_404_is_no_drift() -> None:
    """The stateful phase chains ``POST /invoices`` into ``GET /invoices/{invoice_id}/payment_plan`` (the path
    prefix) and took the 404 for a created resource gone missing (``state-inconsistency``). The spec and Invoiced's
    docs agree with the mock: a plan exists once ``PUT`` writes it, and the retrieve answers 404 before."""
    api = load_api("facturare")
    options = ConformOptions(
        max_examples=5,
        max_steps=5,
        seed=0,
        phases=("stateful",),
        operations=("createInvoice", "retrieveInvoicePaymentPlan"),
    )
    credentials = credentials_from_env(api, demo_credentials("facturare"))
    result = run_spec(
        api,
        Target("http://localhost/facturare", app=create_app(["facturare"])),
        credentials=credentials,
        options=options,
    )
    assert result.drifts == (), [d.kind for d in result.drifts]
    assert result.test_cases > 0


def test_only_a_declared_404_of_a_one_per_parent_object_is_excused() -> None:
    api = load_api("facturare")
    assert is_unwritten_singleton(api, "GET", PLAN, 404)
    assert not is_unwritten_singleton(api, "GET", PLAN, 500)
    assert not is_unwritten_singleton(api, "GET", "/invoices/{id}", 404)  # a created invoice must be there


def test_an_unknown_client_code_refused_as_documented_is_no_drift() -> None:
    """Generated documents name random client codes, which CloudInvoice refuses with its validation error (the
    seed's own example): the refusal the spec declares, not valid data rejected. Anything else still counts."""
    api = load_api("cloudinvoice")
    app = create_app(["cloudinvoice"])
    client = api_client(app, "cloudinvoice")
    body = {"document_nature": "FT", "document_date": "2026-01-05", "client_code": "NONE", "lines": []}
    body["lines"] = [{"description": "x", "quantity": "1", "unit_price": "1.00", "tax_rate": "23.00"}]
    answer = client.post("/documents/", json=body)
    assert answer.status_code == 400
    # the check sees schemathesis's response: headers map to lists of values
    refused = SimpleNamespace(status_code=400, headers={"Content-Type": ["application/json"]}, content=answer.content)
    assert is_state_refusal(api, "POST", "/documents/", refused)
    assert not is_state_refusal(api, "POST", "/clients/", refused)  # clients name no other object
    assert not is_state_refusal(api, "POST", "/documents/", SimpleNamespace(**{**vars(refused), "status_code": 500}))
    options = ConformOptions(max_examples=10, seed=0, operations=("createDocument",))
    credentials = credentials_from_env(api, demo_credentials("cloudinvoice"))
    result = run_spec(api, Target("http://localhost/cloudinvoice", app=app), credentials=credentials, options=options)
    assert result.drifts == (), [d.kind for d in result.drifts]
    assert result.test_cases > 0


def _updates_drift(app: Any) -> list[tuple[str, str, str]]:
    api = load_api("bitfaktura")
    options = ConformOptions(seed=0, phases=("coverage",), operations=("createInvoice", "updateInvoice"))
    credentials = credentials_from_env(api, demo_credentials("bitfaktura"))
    result = run_spec(api, Target("http://localhost/bitfaktura", app=app), credentials=credentials, options=options)
    assert result.test_cases > 1000
    return [(d.kind, d.spec_says, d.api_did) for d in result.drifts]


@pytest.mark.slow
def test_an_update_of_a_computed_field_is_held_to_the_specs_rule_not_to_the_value_sent(tmp_path: Path) -> None:
    """BitFaktura's ``status`` is computed (``x-computed``): a ``partial`` sent with nothing paid is ``issued``.
    ``write_persisted`` expected the value sent back and reported our own mock as drifting from our own spec
    (``conform bitfaktura``, seed 0: "status becomes 'partial'"); it now expects what the spec's rule makes of the
    value sent. An API that keeps the status as sent still drifts, named by the rule it breaks."""
    assert _updates_drift(create_app(["bitfaktura"])) == []

    spec = yaml.safe_load((ROOT / "specs" / "bitfaktura.yaml").read_text(encoding="utf-8"))
    status = spec["components"]["schemas"]["Invoice"]["properties"]["status"]
    del status["x-computed"]  # this API stores the status it is sent
    keeps = tmp_path / "bitfaktura.yaml"
    keeps.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    found = _updates_drift(create_app([keeps]))
    assert found and {kind for kind, _, _ in found} == {"state-inconsistency"}
    assert any(
        said.startswith("status becomes 'issued', by the spec's rule")
        and "on status='partial'" in said
        and did == "read back status='partial' after a 200"
        for _, said, did in found
    ), found
