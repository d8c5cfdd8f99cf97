"""Running the real mock behind the drift injector, on a few operations chosen per mutation."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from apimodel import Api, load_api
from apimodel.project import API_NAMES
from conformance.engine import ApiResult, ConformOptions, Target, run_spec
from conformance.inject import MUTATIONS, DriftInjector
from conformance.inject.mutations import FIELD_TESTS, operation_has_field
from conformance.mock import MockConfig, create_app
from conformance.presets import QUICK
from conformance.suite import mock_tenants

__all__ = ["CASES", "proof_operations", "run_proof"]

_CRUD = ("create", "retrieve", "list", "update", "delete")
_PAGINATION_STYLES = {"drop-pagination-header": ("link",), "wrong-total-count": ("offset", "link")}


def _primary_resource(api: Api) -> str | None:
    """The top-level resource with the most CRUD operations (first in the document on a tie)."""
    counts: Counter[str] = Counter(op.resource for op in api.operations if "." not in op.resource and op.role in _CRUD)
    return counts.most_common(1)[0][0] if counts else None


def proof_operations(api: Api, mutation: str) -> tuple[str, ...]:
    """The operationIds a mutation is tried on: the main resource's CRUD, plus its lists or PDFs where needed."""
    primary = _primary_resource(api)
    ops = list(api.operations)
    if primary is None:
        return tuple(op.operation_id for op in ops)
    chosen = [op for op in ops if op.resource == primary and op.role in _CRUD]
    test = FIELD_TESTS.get(mutation)
    if test is not None:
        creates = [op for op in ops if op.role == "create" and "{" not in op.path]
        chosen += [op for op in creates if operation_has_field(api, op, test)][:2]
        if not any(op.safe and operation_has_field(api, op, test) for op in chosen):
            # a read-only run calls no create: a read that shows such a field, or it has nothing to catch it on
            reads = [op for op in ops if op.safe and op.role in ("retrieve", "list") and "." not in op.resource]
            chosen += [op for op in reads if operation_has_field(api, op, test)][:2]
    styles = _PAGINATION_STYLES.get(mutation)
    if styles:
        lists = [op for op in ops if op.pagination is not None and op.pagination.style in styles]
        chosen += [op for op in lists if op.resource == primary][:1] or lists[:1]
    if mutation == "break-pdf":
        pdfs = [op for op in ops if "application/pdf" in str(op.raw.get("responses"))]
        pdfs = [op for op in pdfs if op.resource == primary][:2] or pdfs[:2]
        resources = {op.resource for op in pdfs}
        chosen += pdfs + [op for op in ops if op.resource in resources and op.method == "POST"][:2]
    return tuple(dict.fromkeys(op.operation_id for op in chosen))


def run_proof(api: str, mutation: str | None, *, seed: int = 5, operations: tuple[str, ...] = ()) -> ApiResult:
    """One run against a seeded mock, behind the injector applying ``mutation`` (none: the faithful mock)."""
    model = load_api(api)
    name = model.name
    tenants = mock_tenants(model)
    # Seeded objects give mutations something to edit; not for tenant leaks, where both tenants' seeded objects
    # are identical (same example, same id) and would look like a leak without one.
    app: Any = create_app([api], config=MockConfig(seed_data=mutation not in (None, "leak-tenant")))
    if mutation is not None:
        app = DriftInjector(app, model, [mutation], prefix=f"/{name}", tenants=tenants)
        operations = operations or proof_operations(model, mutation)
    options: ConformOptions = replace(QUICK, max_examples=5, seed=seed, operations=operations)
    return run_spec(
        model,
        Target(f"http://localhost/{name}", app=app),
        credentials=tenants[0],
        other_tenants=tenants[1:],
        options=options,
    )


def _cases() -> list[tuple[str, str]]:
    cases = []
    for api in API_NAMES:
        model = load_api(api)
        cases += [(api, name) for name, m in MUTATIONS.items() if m.applies(model)]
    return cases


CASES: list[tuple[str, str]] = _cases()
