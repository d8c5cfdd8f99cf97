"""The mock on foreign specs: what the public corpus (GitHub's description among them) made it do wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx2

from conformance.mock import MockConfig, SyncASGITransport, create_app
from conformance.mock.errors import header_text


def _spec(tmp_path: Path, paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> Path:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Any", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }
    path = tmp_path / "anyapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _serve(spec: Path) -> tuple[httpx2.Client, Any]:
    app = create_app([spec], config=MockConfig(self_check=True))
    return httpx2.Client(transport=SyncASGITransport(app), base_url="http://mock/anyapi"), app


def test_a_paged_list_under_a_non_ascii_path_links_its_pages_percent_encoded(tmp_path: Path) -> None:
    """GitHub's ``GET /orgs/{org}/issues`` with a fuzzed org: the Link header held the raw path, which a header
    cannot carry (Latin-1 only), and the request broke off instead of being answered."""
    page = {"name": "page", "in": "query", "schema": {"type": "integer"}}
    per_page = {"name": "per_page", "in": "query", "schema": {"type": "integer"}}
    org = {"name": "org", "in": "path", "required": True, "schema": {"type": "string"}}
    issue = {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}}
    listed = {
        "description": "ok",
        "headers": {"Link": {"schema": {"type": "string"}}},
        "content": {"application/json": {"schema": {"type": "array", "items": issue}}},
    }
    spec = _spec(
        tmp_path,
        {"/orgs/{org}/issues": {"get": {"parameters": [org, page, per_page], "responses": {"200": listed}}}},
    )
    client, app = _serve(spec)
    with client:
        reply = client.get("/orgs/\U000daefe \u00e9/issues", params={"per_page": 1})
    assert reply.status_code == 200, reply.text
    encoded = quote("\U000daefe \u00e9")  # %F3%9A%BB%BE%20%C3%A9
    assert f"/orgs/{encoded}/issues?page=1&per_page=1>" in reply.headers["Link"], reply.headers["Link"]
    assert app.state.mock.violations() == {"anyapi": []}


def test_a_missing_object_is_never_answered_as_an_auth_refusal(tmp_path: Path) -> None:
    """GitHub's ``GET /orgs/{org}/projectsV2/{project_number}/items/{item_id}`` declares 200, 304, 401 and 403, no
    404: the mock answered a missing item with 401, and conform judged the run locked out. A missing object now
    gets the nearest declared status that is no auth refusal (422 here), else the declared success."""
    item = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    thing = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    refused = {"description": "refused"}
    spec = _spec(
        tmp_path,
        {
            "/things/{item_id}": {
                "parameters": [item],
                "get": {"responses": {"200": ok, "304": {"description": "same"}, "401": refused, "403": refused}},
                "patch": {"responses": {"200": ok, "401": refused, "403": refused, "422": refused}},
            }
        },
        {"Thing": thing},
    )
    client, app = _serve(spec)
    with client:
        read = client.get("/things/99")
        written = client.patch("/things/99", json={})
    assert read.status_code == 200 and isinstance(read.json()["id"], int), read.text
    assert written.status_code == 422, written.text
    assert app.state.mock.violations() == {"anyapi": []}


def test_a_31_spec_is_checked_as_json_schema_2020_12_and_sampled_within_its_bounds(tmp_path: Path) -> None:
    """Under draft 4 a 3.1 ``exclusiveMinimum: 0`` did not compile, its stand-in accepted anything, and ``const``
    was no keyword: the self-check passed a response with ``kind: bank`` and ``n: 0``."""
    from conformance.mock.schema import SchemaSet

    schema = {
        "type": "object",
        "required": ["kind", "n", "ratio", "note"],
        "properties": {
            "kind": {"const": "card"},
            "n": {"type": "integer", "exclusiveMinimum": 0},
            "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            "note": {"type": ["string", "null"]},
        },
    }
    checked = SchemaSet({"openapi": "3.1.0", "components": {"schemas": {"Thing": schema}}})
    assert not checked.is_valid(schema, {"kind": "bank", "n": 1, "ratio": 0.5, "note": None}, "response")
    assert not checked.is_valid(schema, {"kind": "card", "n": 0, "ratio": 0.5, "note": None}, "response")
    assert checked.is_valid(schema, {"kind": "card", "n": 1, "ratio": 0.5, "note": None}, "response")
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    spec = _spec(tmp_path, {"/thing": {"get": {"responses": {"200": ok}}}}, {"Thing": schema})
    document = json.loads(spec.read_text(encoding="utf-8"))
    spec.write_text(json.dumps({**document, "openapi": "3.1.0"}), encoding="utf-8")
    client, app = _serve(spec)
    with client:
        body = client.get("/thing").json()
    assert body["kind"] == "card" and body["n"] > 0 and 0 < body["ratio"] < 1, body
    assert app.state.mock.violations() == {"anyapi": []}


def test_a_document_goes_out_as_the_media_type_the_spec_declares(tmp_path: Path) -> None:
    """Route 53 declares its reads as ``text/xml``; the mock rendered them as ``application/xml``, a content type the
    spec does not declare (a self-check violation on the corpus sample)."""
    thing = {"type": "object", "properties": {"Id": {"type": "string"}}}
    xml = {"description": "ok", "content": {"text/xml": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    spec = _spec(tmp_path, {"/things": {"get": {"responses": {"200": xml}}}}, {"Thing": thing})
    client, app = _serve(spec)
    with client:
        reply = client.get("/things")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/xml"), reply.headers
    assert app.state.mock.violations() == {"anyapi": []}


def test_aws_query_actions_sharing_a_path_are_answered_and_self_checked_as_the_action_named(tmp_path: Path) -> None:
    """APIs.guru's AWS query-protocol specs (elasticache) declare every action as ``/#Action=Name``: one path and
    method, told apart by the ``Action`` query value. The mock answered as the action named, but its self-check
    checked the answer against the first action on the path, so an action without a body "broke" the spec."""

    def action(name: str, content: dict[str, Any] | None) -> dict[str, Any]:
        value = {"name": "Action", "in": "query", "required": True, "schema": {"type": "string", "enum": [name]}}
        ok: dict[str, Any] = {"description": "Success", **({"content": content} if content else {})}
        return {"post": {"operationId": f"POST_{name}", "parameters": [value], "responses": {"200": ok}}}

    tags = {"type": "object", "properties": {"TagList": {"type": "array", "items": {"type": "string"}}}}
    spec = _spec(
        tmp_path,
        {
            "/#Action=ListTags": action(
                "ListTags", {"application/json": {"schema": {"$ref": "#/components/schemas/Tags"}}}
            ),
            "/#Action=DeleteCluster": action("DeleteCluster", None),
        },
        {"Tags": tags},
    )
    client, app = _serve(spec)
    with client:
        deleted = client.post("/", params={"Action": "DeleteCluster"})
        listed = client.post("/", params={"Action": "ListTags"})
    assert deleted.status_code == 200 and deleted.content == b"", deleted.text
    assert listed.status_code == 200 and isinstance(listed.json(), dict), listed.text
    assert app.state.mock.violations() == {"anyapi": []}


def test_aws_actions_on_one_url_each_answer_their_own_shape(tmp_path: Path) -> None:
    """AWS's JSON protocol (amazonaws.com/ssm): every action is ``POST /`` told apart by ``X-Amz-Target``. Once the
    client grouped the actions under the service, the mock kept them as one resource, built every create from the
    first action's result schema, and sent CreateAssociation an alarm named ``{}``. Each action keeps its own state
    now, and a result with nothing required that the request fills in (CreateAssociationResult) answers its sample,
    not ``{}``."""
    alarm = {"type": "object", "required": ["Name"], "properties": {"Name": {"type": "string", "minLength": 1}}}
    association = {
        "type": "object",
        "properties": {"Name": {"type": "string"}, "Alarms": {"type": "array", "minItems": 1, "items": alarm}},
    }
    schemas = {
        "Association": association,
        "CreateAssociationResult": {
            "type": "object",
            "properties": {"AssociationDescription": {"$ref": "#/components/schemas/Association"}},
        },
        "StartExecutionResult": {"type": "object", "properties": {"ExecutionId": {"type": "string"}}},
    }

    def action(name: str, result: str) -> dict[str, Any]:
        body = {"content": {"application/json": {"schema": {"type": "object"}}}}
        reply = {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{result}"}}}}
        answers = {"200": {"description": "ok", **reply}}
        return {"post": {"operationId": name, "requestBody": body, "responses": answers}}

    spec = _spec(
        tmp_path,
        {
            "/#X-Amz-Target=Svc.StartExecution": action("StartExecution", "StartExecutionResult"),
            "/#X-Amz-Target=Svc.CreateAssociation": action("CreateAssociation", "CreateAssociationResult"),
        },
        schemas,
    )
    client, app = _serve(spec)
    with client:
        started = client.post("/", json={}, headers={"X-Amz-Target": "Svc.StartExecution"})
        created = client.post("/", json={"Name": "doc"}, headers={"X-Amz-Target": "Svc.CreateAssociation"})
    assert started.status_code == created.status_code == 200, (started.text, created.text)
    assert set(started.json()) == {"ExecutionId"}  # was {}: built from the other action's schema
    described = created.json()["AssociationDescription"]
    assert isinstance(described["Alarms"][0]["Name"], str) and described["Alarms"][0]["Name"]
    assert app.state.mock.violations() == {"anyapi": []}


def test_an_unknown_aws_action_is_refused_by_name_not_answered_as_the_first_action(tmp_path: Path) -> None:
    """``X-Amz-Target: Svc.Nope`` (or ``?Action=Nope``) was answered as if it named the first action on the path.
    AWS answers UnknownOperationException / InvalidAction; the spec declares no status for it, so the mock keeps the
    status the first action declares for a bad request and says what was wrong (X-Mock-Error, and the envelope where
    it has a message)."""
    error = {"type": "object", "properties": {"message": {"type": "string"}}}
    answers = {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
        "480": {"description": "InvalidThing", "content": {"application/json": {"schema": error}}},
    }
    paths = {
        f"/#X-Amz-Target=Svc.{name}": {"post": {"operationId": name, "responses": answers}}
        for name in ("ListThings", "TagThing")
    }
    client, app = _serve(_spec(tmp_path, paths))
    with client:
        known = client.post("/", json={}, headers={"X-Amz-Target": "Svc.TagThing"})
        unknown = client.post("/", json={}, headers={b"X-Amz-Target": "Svc.Nope\u00e9".encode("latin-1")})
    assert known.status_code == 200
    assert unknown.status_code == 480, unknown.text
    said = "X-Amz-Target 'Svc.Nope\u00e9' names no operation here; known: Svc.ListThings, Svc.TagThing"
    assert unknown.json()["message"] == said
    assert unknown.headers["X-Mock-Error"] == said.replace("\u00e9", "\\xe9")
    assert app.state.mock.violations() == {"anyapi": []}


def test_an_error_body_with_no_room_for_the_reason_still_says_it_in_a_header(tmp_path: Path) -> None:
    """AWS's specs give most faults an empty object (``{}``): a refused request told nothing of why. The reason goes
    in ``X-Mock-Error`` where the body cannot hold it, as one line of ASCII (a sent ``\\n`` or ``é`` is escaped, so
    the header stays valid); where the body holds it, no header is added."""
    body = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"Key": {"type": "string", "pattern": "^[a-z]+$"}}}
            }
        },
    }
    answers = {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
        "480": {"description": "InvalidTag", "content": {"application/json": {"schema": {"type": "object"}}}},
    }
    said = {"type": "object", "properties": {"message": {"type": "string"}}}
    roomy = {**answers, "480": {"description": "Invalid", "content": {"application/json": {"schema": said}}}}
    paths = {
        "/tags": {"post": {"operationId": "TagThing", "requestBody": body, "responses": answers}},
        "/labels": {"post": {"operationId": "LabelThing", "requestBody": body, "responses": roomy}},
    }
    client, app = _serve(_spec(tmp_path, paths))
    with client:
        silent = client.post("/tags", json={"Key": "caf\u00e9\nx"})
        roomy_reply = client.post("/labels", json={"Key": "A"})
    assert silent.status_code == 480 and silent.json() == {}, silent.text
    reason = silent.headers["X-Mock-Error"]
    assert "does not match" in reason and "^[a-z]+$" in reason and r"caf\xe9\nx" in reason, reason
    assert reason.isascii() and reason.isprintable(), reason
    assert roomy_reply.status_code == 480 and "does not match" in roomy_reply.json()["message"], roomy_reply.text
    assert "X-Mock-Error" not in roomy_reply.headers
    assert app.state.mock.violations() == {"anyapi": []}
    assert header_text("line\none\tcaf\u00e9 \U0001f600") == r"line\none\tcaf\xe9 \U0001f600"  # a raw newline too


def test_a_digit_string_no_int64_holds_is_refused_naming_the_field(tmp_path: Path) -> None:
    """A spec that takes an id as any string of digits and stores it as an int64 (BitFaktura's IdInput did): a 45-digit
    id was answered 200 and read back as the sample 1. The mock now refuses what the field cannot hold; an id at
    the int64 edge is kept exactly (through a float, 2**63 - 1 became 2**63)."""
    thing = {
        "type": "object",
        "properties": {"id": {"type": "integer", "format": "int64"}, "ref": {"type": "integer", "format": "int64"}},
    }
    given = {"type": "object", "properties": {"ref": {"type": "string", "pattern": "^-?[0-9]+$"}}}
    created = {"description": "ok", "content": {"application/json": {"schema": thing}}}
    error = {"type": "object", "properties": {"message": {"type": "string"}}}
    bad = {"description": "bad", "content": {"application/json": {"schema": error}}}
    body = {"content": {"application/json": {"schema": given}}}
    create = {"requestBody": body, "responses": {"201": created, "422": bad}}
    path_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
    retrieve = {"get": {"parameters": [path_id], "responses": {"200": created}}}
    spec = _spec(tmp_path, {"/things": {"post": create}, "/things/{id}": retrieve})
    client, app = _serve(spec)
    with client:
        refused = client.post("/things", json={"ref": "-626423996134461227043196135911199610249880298"})
        kept = client.post("/things", json={"ref": str(2**63 - 1)})
    assert refused.status_code == 422 and "ref: -6264239961" in refused.text, refused.text
    assert kept.status_code == 201 and kept.json()["ref"] == 2**63 - 1, kept.text
    assert app.state.mock.violations() == {"anyapi": []}
