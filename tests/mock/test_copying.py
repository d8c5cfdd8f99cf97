"""``json_copy``: the mock's fast deep copy of JSON-shaped data."""

from __future__ import annotations

import copy
import datetime

from conformance.mock.copying import json_copy


def test_a_copy_shares_no_container_with_its_original() -> None:
    original = {"lines": [{"qty": 1, "tags": ["a"]}], "meta": {"x": None, "ok": True, "price": 1.5}, "n": 3}
    copied = json_copy(original)
    assert copied == original
    copied["lines"][0]["tags"].append("b")
    copied["meta"]["x"] = 1
    assert original == {"lines": [{"qty": 1, "tags": ["a"]}], "meta": {"x": None, "ok": True, "price": 1.5}, "n": 3}


def test_values_json_lacks_are_deep_copied_as_before() -> None:
    """A YAML example can hold a date, or a set from code: those go through copy.deepcopy, not shared or lost."""
    day = datetime.date(2024, 1, 10)
    original = {"when": day, "seen": {1, 2}, "pair": (1, [2])}
    copied = json_copy(original)
    assert copied == original
    assert copied["seen"] is not original["seen"]
    assert copied["pair"][1] is not original["pair"][1]
    assert copied == copy.deepcopy(original)
