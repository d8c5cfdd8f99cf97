"""Lists of specs without hints paginate: the model infers the style, the client walks it, the mock serves it.

The three parts read one :class:`apimodel.Pagination`, so a client generated from a foreign spec walks every page
of the mock of that same spec, whatever the style: a cursor taken from the page (Google's ``pageToken``), the
last item's id while ``has_more`` (Stripe's ``starting_after``), or the next page's URL in the body (Twilio).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml

from apimodel import api_from_data
from conformance.mock import SyncASGITransport, create_app
from tests.generator.conftest import GenerateClient

THING = {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}}}


def _spec(parameters: list[dict[str, Any]], envelope: dict[str, Any]) -> dict[str, Any]:
    thing = {"$ref": "#/components/schemas/Thing"}
    listing = {"type": "object", "properties": {**envelope, "data": {"type": "array", "items": thing}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": parameters,
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": listing}}}},
                },
                "post": {
                    "operationId": "createThing",
                    "requestBody": {"content": {"application/json": {"schema": thing}}},
                    "responses": {"201": {"description": "made", "content": {"application/json": {"schema": thing}}}},
                },
            }
        },
        "components": {"schemas": {"Thing": THING}},
    }


def _query(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": kind}}


STYLES: dict[str, dict[str, Any]] = {
    "cursor token": _spec([_query("pageToken"), _query("pageSize", "integer")], {"nextPageToken": {"type": "string"}}),
    "last id": _spec([_query("starting_after"), _query("limit", "integer")], {"has_more": {"type": "boolean"}}),
    # e-conomic's classic pagination: SkipPages counts pages to skip from 0, PageSize (default 20) per page
    "skip pages": _spec(
        [
            _query("SkipPages", "integer"),
            {**_query("PageSize", "integer"), "schema": {"type": "integer", "default": 20}},
        ],
        {},
    ),
    "next url": _spec(
        [_query("PageSize", "integer"), _query("PageToken")],
        {"meta": {"type": "object", "properties": {"next_page_url": {"type": "string", "nullable": True}}}},
    ),
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_generated_client_walks_every_page_its_mock_serves(
    style: str, generate_client: GenerateClient, tmp_path: Path
) -> None:
    spec = STYLES[style]
    pagination = api_from_data("things", spec).operations[0].pagination
    assert pagination is not None and pagination.reason.source == "inferred"
    path = tmp_path / "things.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    app = create_app([f"things={path}"])
    module = generate_client(spec, f"things_{style.replace(' ', '_')}")
    client = module.Client(base_url="http://mock/things", http_client=httpx2.Client(transport=SyncASGITransport(app)))
    for index in range(23):
        client.things.create(name=f"thing {index}")
    size = {"cursor token": "page_size", "last id": "limit", "next url": "page_size", "skip pages": "page_size"}[style]
    first = client.things.list(**{size: 5})
    assert len(first.items) == 5 and first.has_next_page()
    names = [thing.name for thing in client.things.list(**{size: 5})]
    assert names == [f"thing {index}" for index in range(23)]  # every page, in order, each item once
    pages = list(first.iter_pages())
    assert [len(p.items) for p in pages] == [5, 5, 5, 5, 3] and not pages[-1].has_next_page()
