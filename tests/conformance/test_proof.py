"""Proof against the real mock: every mutation that applies to an API is caught, as its kind, by its check."""

from __future__ import annotations

import pytest

from conformance.inject import MUTATIONS
from conformance.testing import describe
from tests.conformance.proof import CASES, run_proof

# The checks that are meant to catch each mutation (schemathesis's own, or ours in conformance/checks/).
EXPECTED_CHECKS: dict[str, frozenset[str]] = {
    "drop-required-field": frozenset({"response_schema_conformance"}),
    "rename-field": frozenset({"response_schema_conformance"}),
    "change-type": frozenset({"response_schema_conformance"}),
    "change-format": frozenset({"response_schema_conformance"}),
    "add-enum-value": frozenset({"response_schema_conformance"}),
    "change-status": frozenset({"status_code_conformance"}),
    "change-content-type": frozenset({"content_type_conformance"}),
    "server-error": frozenset({"not_a_server_error"}),
    "drop-pagination-header": frozenset({"pagination_consistency", "response_headers_conformance"}),
    "wrong-total-count": frozenset({"pagination_consistency", "count_matches_items"}),
    "error-with-200": frozenset({"error_envelope_status"}),
    "break-pdf": frozenset({"pdf_body", "pdf_when_asked"}),
    "ignore-write": frozenset({"write_persisted"}),
    "leak-tenant": frozenset({"tenant_isolation"}),
    "ignore-auth": frozenset({"ignored_auth", "credentials_required", "body_credentials_honoured"}),
    "break-trailing-slash": frozenset({"trailing_slash"}),
}


def test_every_mutation_names_the_checks_that_catch_it() -> None:
    assert set(EXPECTED_CHECKS) == set(MUTATIONS)
    assert {api for api, _ in CASES} == {"facturare", "econt", "efactori", "bitfaktura", "cloudinvoice"}


@pytest.mark.slow
@pytest.mark.parametrize(("api", "mutation"), CASES, ids=[f"{api}-{name}" for api, name in CASES])
def test_mutation_is_caught_by_its_check(api: str, mutation: str) -> None:
    result = run_proof(api, mutation)
    expected = MUTATIONS[mutation].detected_as
    caught = [d for d in result.drifts if d.kind in expected and d.check in EXPECTED_CHECKS[mutation]]
    assert caught, f"{mutation} not caught as {sorted(expected)}:\n{describe(result)}"
