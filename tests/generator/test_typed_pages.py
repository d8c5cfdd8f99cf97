"""A pager's items are typed whenever the spec types them, in the forms public specs write them:

- inline item objects with no component schema of their own (the APIs.guru bundles of Azure's specs inline the
  whole page: ``{value: [{id, name, properties}], nextLink}``; Discourse's ``{directory_items: [{...}], meta}``):
  the page model generated for the response has a model for its items, and the pager reads the items into it;
- AWS's JSON protocol as APIs.guru converts it: the page's list is ``allOf: [{$ref: ThingList}, {description}]``
  (macie, storagegateway and ssm answered pages of ``Any`` that way before the list's items were looked for
  through ``allOf``).

Each is walked over an ``httpx2.MockTransport``: the items come back as model instances, not dicts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from pydantic import BaseModel

from generator.client.ir import Operation
from generator.client.modelfields import ModelFields
from generator.client.pipeline import generate_files
from tests.generator.conftest import GenerateClient
from tests.generator.test_token_pagination import walk

NAMES = [f"thing {i}" for i in range(7)]  # served three to a page: 3, 3, 1
STRING = {"type": "string"}
INLINE_THING = {"type": "object", "properties": {"name": STRING, "size": {"type": "integer"}}}


def _spec(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "Things", "version": "1"}, "paths": paths}
    if schemas:
        spec["components"] = {"schemas": schemas}
    return spec


def _get(operation_id: str, schema: dict[str, Any], *params: dict[str, Any]) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    return {
        "get": {
            "operationId": operation_id,
            "parameters": list(params),
            "responses": {"200": {"description": "OK", "content": content}},
        }
    }


def _azure_spec() -> dict[str, Any]:
    """The page and its items inline, as in APIs.guru's bundle of an Azure spec (no component schemas at all)."""
    page = {
        "type": "object",
        "properties": {"value": {"type": "array", "items": INLINE_THING}, "nextLink": STRING},
    }
    version = {"name": "api-version", "in": "query", "required": True, "schema": STRING}
    return _spec({"/things": _get("Things_List", page, version)})


def _discourse_spec() -> dict[str, Any]:
    """A numbered page whose list and its items are inline: ``{directory_items: [{...}], meta: {...}}``."""
    page = {
        "type": "object",
        "required": ["directory_items", "meta"],
        "properties": {
            "directory_items": {"type": "array", "items": INLINE_THING},
            "meta": {"type": "object", "properties": {"total_rows_directory_items": {"type": "integer"}}},
        },
    }
    number = {"name": "page", "in": "query", "schema": {"type": "integer"}}
    return _spec({"/directory_items.json": _get("listThings", page, number)})


def _aws_spec() -> dict[str, Any]:
    """APIs.guru's form of an AWS JSON-protocol list action: every member an ``allOf`` around a ``$ref``."""

    def ref(name: str) -> dict[str, Any]:
        return {"allOf": [{"$ref": f"#/components/schemas/{name}"}, {"description": f"The {name}."}]}

    schemas = {
        "String": STRING,
        "Integer": {"type": "integer"},
        "Thing": {"type": "object", "properties": {"name": ref("String"), "size": ref("Integer")}},
        "ThingList": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
        "ListThingsRequest": {
            "type": "object",
            "properties": {"NextToken": ref("String"), "MaxResults": ref("Integer")},
        },
        "ListThingsResult": {"type": "object", "properties": {"Things": ref("ThingList"), "NextToken": ref("String")}},
    }
    header = {"name": "X-Amz-Target", "in": "header", "required": True}
    operation = {
        "operationId": "ListThings",
        "parameters": [{**header, "schema": {"type": "string", "enum": ["Things_20200101.ListThings"]}}],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ListThingsRequest"}}},
        },
        "responses": {
            "200": {
                "description": "Success",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ListThingsResult"}}},
            }
        },
    }
    return _spec({"/#X-Amz-Target=Things_20200101.ListThings": {"post": operation}}, schemas)


def _operation(tmp_path: Path, spec: dict[str, Any]) -> Operation:
    path = tmp_path / "things.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    result = generate_files(path, api="things", regenerate="test", generator_version="test")
    (op,) = [op for r in result.ir.all_resources() for op in r.operations]
    return op


@pytest.mark.parametrize("spec", [_azure_spec, _discourse_spec, _aws_spec])
def test_a_page_of_typed_items_is_a_pager_of_their_model(tmp_path: Path, spec: Any) -> None:
    op = _operation(tmp_path, spec())
    assert op.paging is not None and op.response_type is not None  # the page is read into its model
    assert op.paging.item_type.startswith("types."), op.paging.item_type  # and so is each item


def _azure_handler(request: httpx2.Request) -> httpx2.Response:
    start = int(request.url.params.get("$skiptoken", "0"))
    page: dict[str, Any] = {"value": [{"name": n, "size": i} for i, n in enumerate(NAMES)][start : start + 3]}
    if start + 3 < len(NAMES):
        page["nextLink"] = f"https://management.test/things?api-version=1&$skiptoken={start + 3}"
    return httpx2.Response(200, json=page)


def _discourse_handler(request: httpx2.Request) -> httpx2.Response:
    start = (int(request.url.params.get("page", "1")) - 1) * 3  # pages are numbered from 1
    items = [{"name": n, "size": i} for i, n in enumerate(NAMES)][start : start + 3]
    return httpx2.Response(200, json={"directory_items": items, "meta": {"total_rows_directory_items": len(NAMES)}})


def _aws_handler(request: httpx2.Request) -> httpx2.Response:
    start = int(json.loads(request.content or b"{}").get("NextToken", "0"))
    page: dict[str, Any] = {"Things": [{"name": n, "size": i} for i, n in enumerate(NAMES)][start : start + 3]}
    if start + 3 < len(NAMES):
        page["NextToken"] = str(start + 3)
    return httpx2.Response(200, json=page)


CASES = {
    "azure": (_azure_spec, _azure_handler, lambda client: client.things.list(api_version="1")),
    "discourse": (_discourse_spec, _discourse_handler, lambda client: client.directory_items.list()),
    "aws": (_aws_spec, _aws_handler, lambda client: client.things.list_things(max_results=3)),
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_pager_yields_models_of_every_page(case: str, mode: str, generate_client: GenerateClient) -> None:
    spec, handler, call = CASES[case]
    module = generate_client(spec(), f"typed_pages_{case}_{mode}")
    items = walk(module, mode, "https://management.test", handler, call)
    assert [item.name for item in items] == NAMES  # attributes, not keys: each item is its model
    assert all(isinstance(item, BaseModel) and type(item).__module__.startswith(module.__name__) for item in items)
    assert [item.size for item in items] == list(range(len(NAMES)))


MODELS = """
class Base(BaseModel):
    items_: Annotated[list[Item] | None, Field(alias="items")] = None


class Page(Base):
    next: str | None = None
    data: list[Item]
    names: list[str]
    either: list[Item] | list[Other] | None = None


class Item(BaseModel):
    name: str


class Other(BaseModel):
    name: str


class Wrapped(BaseModel):
    roots: list[Root]


class Root(RootModel[Item | Other]):
    root: Item | Other
"""


def test_model_fields_find_a_list_s_item_model_by_its_wire_name() -> None:
    fields = ModelFields(MODELS)
    assert fields.list_item("Page", "data") == "types.Item"
    assert fields.list_item("Page", "items") == "types.Item"  # a Field's alias, on a base class
    assert fields.list_item("Page", "items_") is None  # the attribute's name is not the one on the wire
    assert fields.list_item("Page", "names") is None  # no model of the module
    assert fields.list_item("Page", "either") is None  # two kinds of list: which one is not known
    assert fields.list_item("Wrapped", "roots") is None  # a root model would hand the caller ``.root``
    assert fields.list_item("Page", "next") is None and fields.list_item("Missing", "data") is None
