"""Our five specs: valid, every example valid, every seed operation present."""

from __future__ import annotations

import pytest

from apimodel.loader import load_spec
from apimodel.project import API_NAMES, SPECS_DIR
from apimodel.walk import iter_operations
from generator.validation import validate_path
from generator.validation.seeds import SeedOperation, normalise, seed_operations

MINIMUM_OPERATIONS = {"facturare": 70, "efactori": 60, "bitfaktura": 60, "econt": 1, "cloudinvoice": 2}


@pytest.mark.parametrize("api", API_NAMES)
def test_spec_validates_with_no_diagnostics(api: str) -> None:
    document, diagnostics = validate_path(api)
    assert document is not None
    assert document.version == "3.0.3"
    assert [d.format() for d in diagnostics] == []


@pytest.mark.parametrize("api", API_NAMES)
def test_spec_covers_the_documented_surface(api: str) -> None:
    document = load_spec(SPECS_DIR / f"{api}.yaml")
    assert sum(1 for _ in iter_operations(document.data)) >= MINIMUM_OPERATIONS[api]


SEED_CASES = [(api, op) for api in API_NAMES for op in seed_operations(api)]


@pytest.mark.parametrize(("api", "seed"), SEED_CASES, ids=[f"{api}:{op.key}" for api, op in SEED_CASES])
def test_every_seed_operation_is_in_the_spec(api: str, seed: SeedOperation) -> None:
    document = load_spec(SPECS_DIR / f"{api}.yaml")
    present = {normalise(op.method, op.path) for op in iter_operations(document.data)}
    assert normalise(seed.method, seed.path) in present


def test_the_seed_table_covers_each_seed_with_calls() -> None:
    # Seed 001 (econt) is an introduction with no call; every other seed shows some.
    counts = {api: len(seed_operations(api)) for api in API_NAMES}
    assert counts["econt"] == 0
    assert all(counts[api] >= 2 for api in API_NAMES if api != "econt")
    assert counts["bitfaktura"] >= 40
