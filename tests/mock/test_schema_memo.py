"""What the mock remembers per schema node (``SchemaSet.remembered``) is never another node's answer.

The mock derives the same facts from the same schema nodes on every request (properties, computed-field rules,
where the resource sits in a response), so it remembers them by the node's ``id``. Nodes made per request (``{}``
for a missing schema, a merged variant) come and go, and CPython reuses their ids at once. The memo keeps each
node it answered for alive, so its id cannot pass to another node while the entry stands: the first test fails on a
memo that keeps only the answer. The third fails on one that hands out its own dict.
"""

from __future__ import annotations

from conformance.mock.schema import _REMEMBERED, SchemaSet

DOCUMENT = {
    "openapi": "3.0.3",
    "components": {
        "schemas": {
            "Base": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"name": {"type": "string"}}}]},
            "Secret": {"type": "object", "properties": {"password": {"type": "string", "writeOnly": True}}},
            "Owner": {
                "type": "object",
                "properties": {"pets": {"type": "array", "items": {"$ref": "#/components/schemas/Secret"}}},
            },
        }
    },
}


def test_nodes_made_and_dropped_in_turn_each_get_their_own_properties() -> None:
    schemas = SchemaSet(DOCUMENT)
    for n in range(2_000):
        # a fresh node each time, dropped right after: its id is reused by the next one
        assert list(schemas.properties({"type": "object", "properties": {f"field_{n}": {"type": "string"}}})) == [
            f"field_{n}"
        ]
    assert len(schemas._memo) <= _REMEMBERED


def test_the_memo_stays_bounded_when_every_request_builds_its_own_schema() -> None:
    schemas = SchemaSet(DOCUMENT)
    # all alive at once, so no id is reused, and more of them than the memo holds
    kept: list[dict[str, object]] = [{"properties": {"a": {}}} for _ in range(_REMEMBERED + 10)]
    for node in kept:
        assert list(schemas.properties(node)) == ["a"]
    assert len(schemas._memo) <= _REMEMBERED


def test_a_caller_changing_the_properties_it_got_does_not_change_the_next_answer() -> None:
    schemas = SchemaSet(DOCUMENT)
    pet = {"$ref": "#/components/schemas/Pet"}
    first = schemas.properties(pet)
    assert list(first) == ["id", "name"]
    first["intruder"] = {}
    assert list(schemas.properties(pet)) == ["id", "name"]


def test_write_only_is_found_through_refs_and_arrays_and_only_there() -> None:
    schemas = SchemaSet(DOCUMENT)
    assert schemas.has_write_only({"$ref": "#/components/schemas/Owner"})
    assert not schemas.has_write_only({"$ref": "#/components/schemas/Pet"})
    # an example that happens to hold the word is data, not a schema
    assert not schemas.has_write_only({"type": "object", "example": {"writeOnly": True}})
