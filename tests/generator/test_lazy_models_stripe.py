"""Stripe's own description (nobody here wrote it): its models split and built field by field must read every value
as the same models built all at once do. Stripe's expandable fields are unions of an id and objects that take any
keys (``Card | BankAccount | Source``), where the member pydantic picks depends on how many fields each sets: a lazy
build that tried members one by one read 49 of these 167 cases as another member."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel

from benchmarks.specs import STRIPE, load_data
from benchmarks.synth import Synthesizer
from generator.client import lazymodels
from generator.client.pipeline import generate_files
from generator.client.write import write_tree

pytestmark = pytest.mark.slow


def _pascal(name: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in name.replace(".", "_").split("_"))


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    """Stripe's models in one module (every model built at once) and split (built as values need them)."""
    root = tmp_path_factory.mktemp("stripe")
    made = []
    for api, split_above in (("stripewhole", 10**6), ("stripesplit", 0)):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(lazymodels, "SPLIT_ABOVE", split_above)
            files = generate_files(STRIPE, api=api, regenerate="x", generator_version="0").files
        write_tree(root / api, {k: v for k, v in files.items() if "/types/" in k or k.count("/") == 1})
        sys.path.insert(0, str(root / api))
        made.append(importlib.import_module(f"{api}_client.types"))
    yield made[0], made[1]
    for api in ("stripewhole", "stripesplit"):
        sys.path.remove(str(root / api))
        for name in [m for m in sys.modules if m.split(".")[0] == f"{api}_client"]:
            del sys.modules[name]


def _cases(spec: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(schema, property, member, a value of the schema whose property holds an instance of that member), for each
    property that is a union of two or more models."""
    synthesizer = Synthesizer(spec)
    for name, schema in sorted(spec["components"]["schemas"].items()):
        for prop, prop_schema in (schema.get("properties") or {}).items():
            choices = prop_schema.get("anyOf") or prop_schema.get("oneOf") or []
            members = [c["$ref"].rsplit("/", 1)[1] for c in choices if "$ref" in c]
            if len(members) < 2:
                continue
            base = synthesizer.instance(synthesizer.schema(name))
            for member in members:
                yield name, prop, member, {**base, prop: synthesizer.instance(synthesizer.schema(member))}


def _read(types: ModuleType, name: str, prop: str, value: dict[str, Any]) -> tuple[str, Any]:
    model = getattr(types, _pascal(name))
    try:
        parsed = model.model_validate(value)
    except ValueError as error:
        return "error", str(error).count("\n")
    field = next(k for k, f in model.model_fields.items() if (f.alias or k) == prop)
    return type(getattr(parsed, field)).__name__, parsed.model_dump(mode="json", by_alias=True)


def test_every_union_of_stripe_models_reads_as_the_models_built_at_once_read_it(
    packages: tuple[ModuleType, ModuleType],
) -> None:
    whole, split = packages
    spec = load_data(STRIPE)
    cases = list(_cases(spec))
    assert len(cases) > 150  # the description has these by the hundred: the comparison is not empty
    differ = [
        (name, prop, member, _read(whole, name, prop, value)[0], _read(split, name, prop, value)[0])
        for name, prop, member, value in cases
        if _read(whole, name, prop, value) != _read(split, name, prop, value)
    ]
    assert differ == []
    chosen = {_read(split, n, p, v)[0] for n, p, _, v in cases}
    assert {"Card", "BankAccount", "DeletedCustomer"} <= chosen  # the members really vary


def test_every_stripe_model_reads_its_full_instance_alike(packages: tuple[ModuleType, ModuleType]) -> None:
    whole, split = packages
    spec = load_data(STRIPE)
    synthesizer = Synthesizer(spec)
    compared = 0
    for name in sorted(spec["components"]["schemas"]):
        model = getattr(whole, _pascal(name), None)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        value = synthesizer.instance(synthesizer.schema(name))
        results = []
        for types in (whole, split):
            try:
                results.append(json.dumps(getattr(types, _pascal(name)).model_validate(value).model_dump(mode="json")))
            except ValueError as error:
                results.append(f"error {error.__class__.__name__} {str(error).count(chr(10))}")
        assert results[0] == results[1], name
        compared += 1
    assert compared > 800
