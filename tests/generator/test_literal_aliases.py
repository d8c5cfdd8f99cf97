"""Long enums in signatures are named Literal aliases in ``types``; short ones stay inline."""

from __future__ import annotations

import copy
import importlib
import inspect
import typing
from typing import Any

import pytest

from generator.client.literals import INLINE_MAX, LiteralAliases, singular
from tests.generator.conftest import GenerateClient
from tests.generator.specs import billing_spec

PERIODS = ["this_month", "last_month", "this_year", "last_year", "all"]


def _spec() -> dict[str, Any]:
    spec = copy.deepcopy(billing_spec(pagination={"style": "page"}))
    params = spec["paths"]["/invoices"]["get"]["parameters"]
    params.append({"name": "period", "in": "query", "schema": {"type": "string", "enum": PERIODS}})
    params.append({"name": "periods", "in": "query", "schema": {"type": "array", "items": {"enum": PERIODS}}})
    params.append({"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["a", "b", "c", "d"]}})
    spec["components"]["schemas"]["InvoiceSort"] = {"type": "string", "enum": ["x"]}  # takes the natural name
    return spec


def test_long_enums_become_aliases_and_short_ones_stay(generate_client: GenerateClient) -> None:
    module = generate_client(_spec(), "aliased")
    types = importlib.import_module("aliased_client.types")
    assert typing.get_args(types.InvoicePeriod) == tuple(PERIODS)
    assert typing.get_args(types.InvoiceSortLiteral) == ("a", "b", "c", "d")  # InvoiceSort is the schema's model
    assert {"InvoicePeriod", "InvoiceSortLiteral"} <= set(types.__all__)
    signature = inspect.signature(importlib.import_module(f"{module.__name__}.resources").Invoices.list).parameters
    assert signature["period"].annotation == "types.InvoicePeriod | Omit"
    assert signature["periods"].annotation == "builtins.list[types.InvoicePeriod] | Omit"  # same values, one alias
    assert signature["status"].annotation.replace("'", '"') == 'Literal["draft", "paid"] | Omit'  # two values: inline
    assert not hasattr(types, "InvoicePeriods")


@pytest.mark.parametrize(
    ("plural", "expected"),
    [("invoices", "invoice"), ("categories", "category"), ("addresses", "address"), ("status", "statu"),
     ("price_lists", "price_list"), ("access", "access")],
)  # fmt: skip
def test_singular(plural: str, expected: str) -> None:
    assert singular(plural) == expected


def test_alias_names_are_collision_safe() -> None:
    taken = {"InvoiceKind", "InvoiceKindLiteral"}
    aliases = LiteralAliases(taken)
    long = "Literal[" + ", ".join(f'"v{i}"' for i in range(INLINE_MAX + 1)) + "]"
    other = long.replace('"v0"', '"w0"')
    assert aliases.apply(f"list[{long}] | None", "invoices", "kind") == "list[types.InvoiceKindLiteral_2] | None"
    assert aliases.apply(other, "invoices", "kind") == "types.InvoiceKindLiteral_3"  # other values, another alias
    assert aliases.apply(long, "clients", "kind") == "types.InvoiceKindLiteral_2"  # the same values: the same alias
    short = 'Literal["a", "b", "c"]'
    assert aliases.apply(short, "invoices", "x") == short
    source, names = aliases.source()
    assert names == ("InvoiceKindLiteral_2", "InvoiceKindLiteral_3")
    assert source.splitlines()[0] == f"InvoiceKindLiteral_2: TypeAlias = {long}"
