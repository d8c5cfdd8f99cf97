"""Lists read through the bucket indexes give what filtering and sorting every object gives, after any writes."""

from __future__ import annotations

import random
from typing import Any

import pytest

from conformance.mock.index import Bucket, sort_key
from conformance.mock.listing import Criteria
from conformance.mock.query import select

VALUES: list[Any] = [None, True, False, 0, 1, 2, 1.0, 2.5, "", "0", "1", "true", "True", "a", "b", [], {"id": 1}, {}]
FIELDS = ("status", "client_id", "deleted")


def _object(rng: random.Random, number: int) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": number}
    for name in FIELDS:
        if rng.random() < 0.9:
            obj[name] = rng.choice(VALUES)
    return obj


def _reference(objects: list[dict[str, Any]], wanted: Criteria, hidden: list[str]) -> list[dict[str, Any]]:
    kept = [o for o in objects if not any(o.get(f) is True for f in hidden) and wanted.keeps(o)]
    for name, descending in wanted.sorts:
        kept = sorted(kept, key=lambda o, n=name: sort_key(o.get(n)), reverse=descending)
    return kept


def _criteria(rng: random.Random) -> tuple[Criteria, list[str]]:
    equal = [(name, rng.choice([*VALUES[:12], "a", "False", "2"])) for name in rng.sample(FIELDS, rng.randint(0, 2))]
    tests = [lambda o: o.get("id", 0) % 3 != 0] if rng.random() < 0.25 else []
    sorts = [(rng.choice(FIELDS), rng.random() < 0.5) for _ in range(rng.choice([0, 1, 1, 2]))]
    return Criteria(equal, list(tests), sorts), (["deleted"] if rng.random() < 0.3 else [])


@pytest.mark.parametrize("seed", range(12))
def test_indexed_lists_match_filtering_every_object(seed: int) -> None:
    rng = random.Random(seed)
    bucket, shadow = Bucket(), {}
    for number in range(rng.choice([5, 60, 400])):
        obj = _object(rng, number)
        bucket.put(str(number), obj)
        shadow[str(number)] = obj
    for _round in range(30):
        wanted, hidden = _criteria(rng)
        expected = _reference(list(shadow.values()), wanted, hidden)
        chosen = select(bucket, wanted, hidden)
        assert len(chosen) == len(expected)
        assert list(chosen) == expected
        start = rng.randint(0, 10)
        assert chosen[start : start + 7] == expected[start : start + 7]
        assert chosen[10**30 : 10**30 + 7] == []  # a page number far past the end
        for _ in range(rng.randint(1, 8)):  # writes after the indexes exist: replace, delete, add, re-add
            key = rng.choice([*shadow, "new"]) if shadow else "new"
            roll = rng.random()
            if roll < 0.4 and key in shadow:
                replacement = _object(rng, int(key))
                bucket.put(key, replacement)
                shadow[key] = replacement
            elif roll < 0.7 and key in shadow:
                assert bucket.pop(key) is shadow.pop(key)
            else:
                key = str(rng.randint(0, 10_000))
                obj = _object(rng, int(key))
                bucket.put(key, obj)
                shadow[key] = obj
        assert list(bucket.objects) == list(shadow)


def test_a_page_of_a_big_bucket_reads_the_index_not_every_object() -> None:
    """Correctness of the plan, not a timing: a first page must not touch every stored object."""
    bucket = Bucket()
    for number in range(20_000):
        bucket.put(str(number), {"id": number, "status": "paid" if number % 2 else "draft", "n": -number})
    touched = 0
    real = bucket.obj

    def counting(seq: int) -> dict[str, Any]:
        nonlocal touched
        touched += 1
        return real(seq)

    bucket.obj = counting  # type: ignore[method-assign]
    wanted = Criteria([("status", "paid")], [], [("n", False)])
    select(bucket, wanted, ["deleted"])  # builds the indexes once
    touched = 0
    chosen = select(bucket, wanted, ["deleted"])
    page = chosen[0:25]
    assert len(chosen) == 10_000
    assert [o["id"] for o in page] == list(range(19_999, 19_949, -2))
    assert touched <= 25  # the count is the check: a wall-clock bound failed once on a loaded machine
