"""Running the real mock behind the drift injector, on a few operations chosen per mutation."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from apimodel.project import API_NAMES
from apimodel.walk import iter_operations
from conformance.engine import ApiResult, ConformOptions, Target, run_spec
from conformance.inject import MUTATIONS, DriftInjector
from conformance.inject.mutations import FIELD_TESTS, operation_has_field
from conformance.mock import MockConfig, create_app
from conformance.presets import QUICK
from conformance.suite import load_target_spec, mock_tenants

__all__ = ["CASES", "proof_operations", "run_proof"]

_CRUD = ("create", "retrieve", "list", "update", "delete")
_PAGINATION_STYLES = {"drop-pagination-header": ("link",), "wrong-total-count": ("offset", "link")}


def _primary_resource(spec: dict[str, Any]) -> str | None:
    """The top-level resource with the most CRUD operations (first in the document on a tie)."""
    counts: Counter[str] = Counter()
    for ref in iter_operations(spec):
        resource = ref.operation.get("x-resource")
        if isinstance(resource, str) and "." not in resource and ref.operation.get("x-action") in _CRUD:
            counts[resource] += 1
    return counts.most_common(1)[0][0] if counts else None


def proof_operations(spec: dict[str, Any], mutation: str) -> tuple[str, ...]:
    """The operationIds a mutation is tried on: the main resource's CRUD, plus its lists or PDFs where needed."""
    primary = _primary_resource(spec)
    refs = list(iter_operations(spec))
    if primary is None:
        return tuple(str(r.operation["operationId"]) for r in refs)
    chosen = [r for r in refs if r.operation.get("x-resource") == primary and r.operation.get("x-action") in _CRUD]
    test = FIELD_TESTS.get(mutation)
    if test is not None:
        creates = [r for r in refs if r.operation.get("x-action") == "create" and "{" not in r.path]
        chosen += [r for r in creates if operation_has_field(spec, r.operation, test)][:2]
    styles = _PAGINATION_STYLES.get(mutation)
    if styles:
        lists = [r for r in refs if (r.operation.get("x-pagination") or {}).get("style") in styles]
        chosen += [r for r in lists if r.operation.get("x-resource") == primary][:1] or lists[:1]
    if mutation == "break-pdf":
        pdfs = [r for r in refs if "application/pdf" in str(r.operation.get("responses"))]
        pdfs = [r for r in pdfs if r.operation.get("x-resource") == primary][:2] or pdfs[:2]
        resources = {r.operation.get("x-resource") for r in pdfs}
        chosen += pdfs + [r for r in refs if r.operation.get("x-resource") in resources and r.method == "post"][:2]
    return tuple(dict.fromkeys(str(r.operation["operationId"]) for r in chosen))


def run_proof(api: str, mutation: str | None, *, seed: int = 5, operations: tuple[str, ...] = ()) -> ApiResult:
    """One run against a seeded mock, behind the injector applying ``mutation`` (none: the faithful mock)."""
    name, spec = load_target_spec(api)
    tenants = mock_tenants(name, spec)
    # Seeded objects give mutations something to edit; not for tenant leaks, where both tenants' seeded objects
    # are identical (same example, same id) and would look like a leak without one.
    app: Any = create_app([api], config=MockConfig(seed_data=mutation not in (None, "leak-tenant")))
    if mutation is not None:
        app = DriftInjector(app, spec, [mutation], prefix=f"/{name}", tenants=tenants)
        operations = operations or proof_operations(spec, mutation)
    options: ConformOptions = replace(QUICK, max_examples=5, seed=seed, operations=operations)
    return run_spec(
        name,
        spec,
        Target(f"http://localhost/{name}", app=app),
        credentials=tenants[0],
        other_tenants=tenants[1:],
        options=options,
    )


def _cases() -> list[tuple[str, str]]:
    cases = []
    for api in API_NAMES:
        _, spec = load_target_spec(api)
        cases += [(api, name) for name, m in MUTATIONS.items() if m.applies(spec)]
    return cases


CASES: list[tuple[str, str]] = _cases()
