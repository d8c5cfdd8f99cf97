"""The drift a full ``specforge conform facturare`` found against our own mock, kept found-and-decided."""

from __future__ import annotations

from apimodel import load_api
from conformance.auth import credentials_from_env
from conformance.checks.responses import is_unwritten_singleton
from conformance.engine import ConformOptions, Target, run_spec
from conformance.mock import create_app, demo_credentials

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
