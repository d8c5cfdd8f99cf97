"""conform on an AWS Query protocol spec as APIs.guru writes them (ElastiCache's ``/#Action=Name`` paths, a GET and a
POST per action, faults as statuses from 480 up, ``text/xml`` bodies). In-process conform of ElastiCache reported 137
drifts (seed 1) that came from the mock and schemathesis disagreeing, not from the spec; each kind is pinned here on a
small spec of the same shape, with who was right and why:

- 126 ``negative-data-accepted`` answered 480: the mock refused, with the only 4xx the spec declares (AWS itself
  answers 400 ``MissingParameter``/``InvalidParameterValue`` and 403 ``MissingAuthenticationToken``, its Common Errors
  page says, but the spec declares none of them). schemathesis counts only its own list of statuses as a refusal;
  conform now also counts a 4xx the operation declares.
- 7 ``negative-data-accepted`` answered 200 on POST: the mock did not read ``text/xml`` bodies against their schema.
  It does now (the mock was wrong).
- 1 ``positive-data-rejected`` on ``ModifyUser``: the mock gave the ``Passwords`` pairs to the ``AuthenticationMode``
  object (whose property has that name) instead of the ``Passwords`` parameter (the mock was wrong).
- the other ``positive-data-rejected``: arrays of objects in a query (``Tags``: schemathesis writes each object's keys,
  ``Tags=Key&Tags=Value``; OpenAPI defines no form serialization for them, and AWS's own is ``Tags.Tag.1.Key=…``), and
  empty arrays in XML bodies (no element is written, so a required one is missing as sent). Neither side is wrong:
  the request as sent is not the data generated, so conform does not judge those cases and says so in a note.
- ``negative-data-accepted`` where a number or null went into a string property of an XML body: XML text has no
  types, so ``<Marker>60.0</Marker>`` is a valid string and the mock was right to take it; not judged either.

What remains, and is the spec's: an ``Action`` value fuzzed to name no operation reaches the mock as the first
action's request and is refused with that action's 480; an operation that declares only 200
(``DescribeCacheEngineVersions``) cannot refuse anything within its spec, so that answer is an undocumented status.
AWS answers ``InvalidAction`` with 400 there, equally undeclared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2

from conformance.engine import ConformOptions
from conformance.mock import MockConfig, SyncASGITransport, create_app
from conformance.suite import run_against_mock

TAG = {"type": "object", "properties": {"Key": {"type": "string"}, "Value": {"type": "string"}}}
TAGS = {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Tag"}, {"xml": {"name": "Tag"}}]}}
MESSAGE = {
    "type": "object",
    "required": ["ResourceName", "Tags"],
    "properties": {
        "ResourceName": {"type": "string"},
        "Tags": {"$ref": "#/components/schemas/TagList"},
        "MaxRecords": {"type": "integer"},
    },
}


def _xml(schema: str) -> dict[str, Any]:
    return {"text/xml": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def _action(name: str, query: list[dict[str, Any]], body: str | None, faults: bool = True) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "Success", "content": _xml("Result")}}
    if faults:
        responses["480"] = {"description": "ResourceNotFoundFault", "content": _xml("Fault")}
    fixed = [
        {"name": "Action", "in": "query", "required": True, "schema": {"type": "string", "enum": [name]}},
        {"name": "Version", "in": "query", "required": True, "schema": {"type": "string", "enum": ["2015-02-02"]}},
    ]
    get = {"operationId": f"GET_{name}", "parameters": [*query, *fixed], "responses": responses}
    post: dict[str, Any] = {"operationId": f"POST_{name}", "parameters": fixed, "responses": responses}
    if body is not None:
        post["requestBody"] = {"content": _xml(body)}
    return {"get": get, "post": post}


def _spec(tmp_path: Path) -> Path:
    resource = {"name": "ResourceName", "in": "query", "required": True, "schema": {"type": "string"}}
    tags = {"name": "Tags", "in": "query", "required": True, "schema": TAGS}
    passwords = {"name": "Passwords", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
    mode = {
        "name": "AuthenticationMode",
        "in": "query",
        "schema": {
            "type": "object",
            "properties": {"Type": {"type": "string"}, "Passwords": {"type": "array", "items": {"type": "string"}}},
        },
    }
    user = {"name": "UserId", "in": "query", "required": True, "schema": {"type": "string"}}
    document = {
        "openapi": "3.0.0",
        "info": {"title": "Cache", "version": "2015-02-02"},
        "security": [{"hmac": []}],
        "paths": {
            "/#Action=AddTagsToResource": _action("AddTagsToResource", [resource, tags], "Message"),
            "/#Action=ModifyUser": _action("ModifyUser", [user, passwords, mode], None),
        },
        "components": {
            "securitySchemes": {"hmac": {"type": "apiKey", "name": "Authorization", "in": "header"}},
            "schemas": {
                "Tag": TAG,
                "TagList": TAGS,
                "Message": MESSAGE,
                "Result": {"type": "object", "properties": {"TagList": {"$ref": "#/components/schemas/TagList"}}},
                "Fault": {"type": "object", "properties": {}},
            },
        },
    }
    path = tmp_path / "cache.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _client(tmp_path: Path) -> tuple[httpx2.Client, dict[str, str], Any]:
    app = create_app([_spec(tmp_path)], config=MockConfig(self_check=True))
    token = next(iter(app.state.mock.credentials("cache").values()))
    client = httpx2.Client(transport=SyncASGITransport(app), base_url="http://mock/cache")
    return client, {"Authorization": token, "Content-Type": "text/xml"}, app


def test_the_mock_reads_an_xml_body_against_its_schema(tmp_path: Path) -> None:
    client, headers, app = _client(tmp_path)
    query = "/?Action=AddTagsToResource&Version=2015-02-02"
    tags = "<Tags><Key>team</Key><Value>cache</Value></Tags><Tags><Key>env</Key></Tags>"
    with client:
        valid = client.post(query, headers=headers, content=f"<M><ResourceName>arn</ResourceName>{tags}</M>")
        missing = client.post(query, headers=headers, content="<M><ResourceName>arn</ResourceName></M>")
        typed = client.post(query, headers=headers, content=f"<M><ResourceName/>{tags}<MaxRecords>x</MaxRecords></M>")
        text = client.post(query, headers=headers, content="<M>null</M>")
    assert valid.status_code == 200, valid.text
    assert missing.status_code == 480 and "Tags" in missing.text, missing.text
    assert typed.status_code == 480 and "integer" in typed.text, typed.text
    assert text.status_code == 480 and "object" in text.text, text.text
    assert app.state.mock.violations() == {"cache": []}


def test_an_exploded_object_parameter_never_takes_the_pairs_of_another_parameter(tmp_path: Path) -> None:
    client, headers, _ = _client(tmp_path)
    with client:
        reply = client.get(
            "/?Action=ModifyUser&Version=2015-02-02&UserId=u1&Passwords=first&Passwords=second", headers=headers
        )
    assert reply.status_code == 200, reply.text


def test_conform_of_an_aws_query_spec_against_its_mock_finds_no_drift_of_the_mock_and_says_what_it_did_not_judge(
    tmp_path: Path,
) -> None:
    options = ConformOptions(max_examples=8, seed=1, phases=("examples", "fuzzing"))
    result = run_against_mock([str(_spec(tmp_path))], options, mock_config=MockConfig(self_check=True))[0]
    assert result.errors == () and result.mock_violations == (), (result.errors, result.mock_violations)
    assert [(d.kind, d.operation, d.api_did) for d in result.drifts] == [], result.drifts
    assert any("GET /#Action=AddTagsToResource: positive_data_acceptance not judged" in n for n in result.notes), (
        result.notes
    )
    # the GET with Tags in its query never gets a 2xx: no request can carry them as generated
    assert {c.operation for c in result.coverage if not c.reached} == {"GET /#Action=AddTagsToResource"}
