"""AWS operations on the API's root, told apart by the part of the path after ``#`` (APIs.guru's form of AWS's
JSON protocol, ``/#X-Amz-Target=Prefix.Action``, and of its query protocol, ``/#Action=Action`` with a GET and a
POST of each): the action names the method (``list_things``), the service names the resource; no method is named
after the header (``x_amz_target_things_list_things.list``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apimodel import api_from_data
from tests.generator.test_inferred_names import method_names

ANSWER = {"type": "object", "properties": {"Things": {"type": "array", "items": {"type": "string"}}}}


def _op(operation_id: str, *, target: str | None = None) -> dict[str, Any]:
    content = {"application/json": {"schema": ANSWER}}
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "responses": {"200": {"description": "Success", "content": content}},
    }
    if target is not None:
        header = {"name": "X-Amz-Target", "in": "header", "required": True, "schema": {"type": "string"}}
        operation["parameters"] = [{**header, "schema": {"type": "string", "enum": [target]}}]
        operation["requestBody"] = {"content": {"application/json": {"schema": {"type": "object"}}}}
    return operation


def _json_protocol(info: dict[str, Any]) -> dict[str, Any]:
    paths = {
        f"/#X-Amz-Target=Things_20200101.{action}": {"post": _op(action, target=f"Things_20200101.{action}")}
        for action in ("ListThings", "CreateThing", "DescribeThingAnalysis")
    }
    return {"openapi": "3.0.0", "info": {"title": "Things", "version": "1", **info}, "paths": paths}


def _query_protocol() -> dict[str, Any]:
    paths = {
        f"/#Action={action}": {"get": _op(f"GET_{action}"), "post": _op(f"POST_{action}")}
        for action in ("DescribeThings", "RebootThing")
    }
    # as APIs.guru writes ElastiCache's POST_DescribeCacheClusters: the input as a text/xml document
    paths["/#Action=DescribeThings"]["post"]["requestBody"] = {"content": {"text/xml": {"schema": {"type": "object"}}}}
    info = {"title": "Things", "version": "1", "x-serviceName": "things"}
    return {"openapi": "3.0.0", "info": info, "paths": paths}


def test_an_x_amz_target_names_the_method_and_its_prefix_the_resource(tmp_path: Path) -> None:
    methods = method_names(tmp_path, _json_protocol({}), "things")
    assert sorted(methods.values()) == [
        "things.create_thing",
        "things.describe_thing_analysis",
        "things.list_things",
    ]  # the target's prefix without its version (Things_20200101)


def test_the_service_name_is_the_resource_where_the_document_gives_one(tmp_path: Path) -> None:
    methods = method_names(tmp_path, _json_protocol({"x-serviceName": "widgets"}), "things")
    assert methods[("POST", "/#X-Amz-Target=Things_20200101.ListThings")] == "widgets.list_things"


def test_a_query_action_s_get_and_post_get_one_name_each(tmp_path: Path) -> None:
    """The POST of a pair is named by how it sends its input (``describe_things_xml``), not by the HTTP method
    glued to the action (``describe_things_post``, 65 such names on ElastiCache); only a POST with no body keeps
    the method's word."""
    methods = method_names(tmp_path, _query_protocol(), "things")
    assert methods == {
        ("GET", "/#Action=DescribeThings"): "things.describe_things",
        ("POST", "/#Action=DescribeThings"): "things.describe_things_xml",
        ("GET", "/#Action=RebootThing"): "things.reboot_thing",
        ("POST", "/#Action=RebootThing"): "things.reboot_thing_post",
    }


def test_the_model_keeps_the_role_and_says_where_the_name_came_from() -> None:
    ops = {op.key: op for op in api_from_data("things", _query_protocol()).operations}
    op = ops["GET /#Action=DescribeThings"]
    # the client groups it under the service; the action is its own resource (the mock keeps its state apart:
    # AWS actions on one URL answer different kinds of object, so one shared resource mixed their shapes)
    assert (op.client_resource, op.action, op.role) == ("things", "describe_things", "list")
    assert op.resource == "describe_things" and ops["GET /#Action=RebootThing"].resource == "reboot_thing"
    action, resource = op.reason("action"), op.reason("resource")
    assert action is not None and "'DescribeThings'" in action.detail
    assert resource is not None and "the service" in resource.detail
    # a fragment that names no action (required query parameters) is no word of the name
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "Zones", "version": "1"},
        "paths": {"/zonesbyvpc#vpcid&vpcregion": {"get": _op("ListZonesByVPC")}},
    }
    (zones,) = api_from_data("zones", spec).operations
    assert zones.resource == "zonesbyvpc"
