"""A slice of a spec keeps whole paths and exactly the components they reach, through every hop of ``$ref``."""

from __future__ import annotations

from typing import Any

from benchmarks.slicing import slice_spec


def _document() -> dict[str, Any]:
    def read(schema: str) -> dict[str, Any]:
        ok = {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
        return {"get": {"responses": {"200": {"description": "ok", **ok}}}}

    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "security": [{"token": []}],
        "paths": {
            "/a": {
                **read("A"),
                "parameters": [{"$ref": "#/components/parameters/Page"}],
                "post": {"responses": {"201": {"$ref": "#/components/responses/Made"}}},
            },
            "/b": read("B"),
            "/c/{x~y}": read("C~0~1slash"),  # the name C~/slash, escaped as JSON pointers escape it
        },
        "components": {
            "schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "object", "properties": {"deep": {"$ref": "#/components/schemas/Deep"}}},
                "Deep": {"type": "string"},
                "C~/slash": {"type": "integer"},
                "Unused": {"type": "boolean"},
            },
            "parameters": {"Page": {"name": "page", "in": "query", "schema": {"type": "integer"}}},
            "responses": {"Made": {"description": "made", "headers": {"L": {"$ref": "#/components/headers/L"}}}},
            "headers": {"L": {"schema": {"type": "string"}}, "Unused": {"schema": {"type": "string"}}},
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "webhooks": {"hook": {"post": {"responses": {"200": {"description": "ok"}}}}},
    }


def _kept_slice(operations: int, seed: int) -> dict[str, Any]:
    return slice_spec(_document(), operations, seed)


def test_a_slice_keeps_whole_paths_and_the_components_they_reach_through_every_hop() -> None:
    for seed in range(6):
        cut = _kept_slice(1, seed)
        (path,) = cut["paths"]
        assert cut["paths"][path] == _document()["paths"][path]  # every method and the path's parameters
        schemas = set(cut["components"]["schemas"])
        expected = {"/a": {"A", "B", "Deep"}, "/b": {"B", "Deep"}, "/c/{x~y}": {"C~/slash"}}[path]
        assert schemas == expected, (seed, path)
        assert cut["components"]["securitySchemes"] == _document()["components"]["securitySchemes"]
        assert ("parameters" in cut["components"]) == (path == "/a")
        if path == "/a":  # a response's header, two hops from the path
            assert set(cut["components"]["headers"]) == {"L"}
        assert "webhooks" not in cut and cut["security"] == [{"token": []}]


def test_a_slice_is_seeded_and_grows_to_the_operations_asked_for() -> None:
    assert _kept_slice(2, 3) == _kept_slice(2, 3)
    assert len({tuple(_kept_slice(1, seed)["paths"]) for seed in range(12)}) > 1
    whole = _kept_slice(100, 0)
    assert set(whole["paths"]) == {"/a", "/b", "/c/{x~y}"}
    assert set(whole["components"]["schemas"]) == {"A", "B", "Deep", "C~/slash"}
    assert set(whole["components"]["headers"]) == {"L"}
