"""An XML list paged by the mock and walked by the generated client, end to end.

The spec is the hand-written AWS query-style one of ``tests/generator/test_xml_pagination.py`` (``/#Action=..``
paths, ``text/xml`` answers, a ``Marker`` the next request sends back, ``MaxRecords`` the page size), its list given
``x-mock-items`` since no operation of it creates things: the mock serves that many sampled items, a page of them
at a time, in the document the spec describes (``<DescribeThingsResponse><DescribeThingsResult><Things><Thing>..``).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml

from apimodel import api_from_data
from conformance.mock import SyncASGITransport, create_app
from tests.generator.conftest import GenerateClient, generate_client
from tests.generator.test_token_pagination import walk
from tests.generator.test_xml_pagination import aws_query_spec

__all__ = ["generate_client"]  # the fixture, used here

DESCRIBE = "/#Action=DescribeThings"


def _spec(items: int | None) -> dict[str, Any]:
    spec = copy.deepcopy(aws_query_spec())
    if items is not None:
        spec["paths"][DESCRIBE]["get"]["x-mock-items"] = items
    return spec


def _mock(spec: dict[str, Any], tmp_path: Path, seen: list[tuple[dict[str, str], bytes]]) -> Any:
    path = tmp_path / "things.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    inner = SyncASGITransport(create_app([f"things={path}"]))

    def handle(request: httpx2.Request) -> httpx2.Response:
        response = inner.handle_request(request)
        seen.append((dict(request.url.params), response.read()))
        return response

    return handle


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_generated_xml_pager_walks_every_page_the_mock_serves(
    mode: str, generate_client: GenerateClient, tmp_path: Path
) -> None:
    spec = _spec(7)
    module = generate_client(spec, f"things_pages_{mode}")
    seen: list[tuple[dict[str, str], bytes]] = []
    things = walk(
        module,
        mode,
        "http://mock/things",
        _mock(spec, tmp_path, seen),
        lambda client: client.things.describe_things(max_records=3),
    )
    # seven items, each once, in order, typed: the mock numbers them in their first text field
    assert [t.Region for t in things] == [f"describe_things-{n}" for n in range(1, 8)]
    assert all(isinstance(t, module.types.Thing) for t in things)
    asked = [{k: v for k, v in query.items() if k in ("MaxRecords", "Marker")} for query, _ in seen]
    assert asked == [{"MaxRecords": "3"}, {"MaxRecords": "3", "Marker": "3"}, {"MaxRecords": "3", "Marker": "6"}]
    first, last = seen[0][1], seen[-1][1]
    assert b"<DescribeThingsResponse><DescribeThingsResult>" in first and b"<Marker>3</Marker>" in first
    assert first.count(b"<Thing ") == 3 and last.count(b"<Thing ") == 1 and b"<Marker>" not in last


def test_without_the_hint_the_list_is_one_empty_page_and_a_bad_hint_is_a_warning(
    generate_client: GenerateClient, tmp_path: Path
) -> None:
    spec = _spec(None)
    module = generate_client(spec, "things_empty")
    seen: list[tuple[dict[str, str], bytes]] = []
    things = walk(
        module,
        "sync",
        "http://mock/things",
        _mock(spec, tmp_path, seen),
        lambda c: c.things.describe_things(max_records=3),
    )
    assert things == [] and len(seen) == 1 and b"<Things></Things>" in seen[0][1]
    found = api_from_data("things", _spec(-1)).diagnostics
    assert any(d.code == "bad-mock-items" and d.pointer.endswith("/x-mock-items") for d in found), found
