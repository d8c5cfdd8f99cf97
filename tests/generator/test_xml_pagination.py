"""Lists answered in XML: the generated client reads the answer into its model and walks every page.

AWS's query protocol ("Query API request", e.g. the ElastiCache API reference, "Common Parameters" and each
``Describe*`` action): a ``GET`` (or form ``POST``) on the root with ``Action=DescribeThings``; the answer is
``<DescribeThingsResponse><DescribeThingsResult>...</DescribeThingsResult><ResponseMetadata>..`` with a list's items
in a wrapper element (``<Things><Thing>..</Thing></Things>``, or ``<member>`` when the shape names none). A page
with more to come carries ``Marker``; the next request sends it back as the ``Marker`` query parameter. The spec
below is written for these tests in the form the APIs.guru conversion gives AWS's query APIs (``/#Action=..``
paths, ``text/xml`` answers, ``xml: {name}`` on list items).
"""

from __future__ import annotations

import importlib
from typing import Any
from xml.sax.saxutils import escape

import httpx2
import pytest

from apimodel import api_from_data
from tests.generator.conftest import GenerateClient
from tests.generator.test_token_pagination import walk

NAMES = [f"thing {i}" for i in range(7)]  # served three to a page: 3, 3, 1
STRING = {"type": "string"}


def _ref(name: str, **beside: Any) -> dict[str, Any]:
    return {"allOf": [{"$ref": f"#/components/schemas/{name}"}, beside or {"description": name}]}


def _query(name: str, schema: dict[str, Any], *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def _action(action: str, answer: str, *params: dict[str, Any]) -> dict[str, Any]:
    constant = [
        _query("Action", {"type": "string", "enum": [action]}, required=True),
        _query("Version", {"type": "string", "enum": ["2020-01-01"]}, required=True),
    ]
    return {
        f"/#Action={action}": {
            "get": {
                "operationId": f"GET_{action}",
                "parameters": [*params, *constant],
                "responses": {
                    "200": {
                        "description": "Success",
                        "content": {"text/xml": {"schema": {"$ref": f"#/components/schemas/{answer}"}}},
                    }
                },
            }
        }
    }


SCHEMAS: dict[str, Any] = {
    "String": STRING,
    "Integer": {"type": "integer"},
    "Boolean": {"type": "boolean"},
    "Thing": {
        "type": "object",
        "properties": {
            "ThingName": _ref("String"),
            "Size": _ref("Integer"),
            "Active": _ref("Boolean"),
            "Region": {"type": "string", "xml": {"attribute": True, "name": "region"}},
            "Tags": _ref("TagList"),
            "Owner": _ref("ThingOwner"),
            "Attributes": {"type": "object", "additionalProperties": {"type": "integer"}},  # AWS's <entry> map
        },
    },
    "ThingOwner": {"type": "object", "properties": {"Id": STRING, "DisplayName": STRING}},
    "TagList": {"type": "array", "items": STRING},  # no item name: AWS's <member>
    "ThingList": {
        "type": "array",
        "items": {"allOf": [{"$ref": "#/components/schemas/Thing"}, {"xml": {"name": "Thing"}}]},
    },
    "ThingMessage": {
        "type": "object",
        "properties": {"Marker": _ref("String"), "Things": _ref("ThingList")},
    },
    # not a pager: a marker parameter, but nothing in the answer says where the next page starts
    "ThingSummary": {"type": "object", "properties": {"Things": _ref("ThingList")}},
}


def aws_query_spec() -> dict[str, Any]:
    marker = _query("Marker", STRING)
    size = _query("MaxRecords", {"type": "integer"})
    paths = {
        **_action("DescribeThings", "ThingMessage", _query("ThingName", STRING), size, marker),
        **_action("SummarizeThings", "ThingSummary", marker),
    }
    return {
        "openapi": "3.0.0",
        "info": {"title": "Things", "version": "2020-01-01", "x-serviceName": "things"},
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }


def _thing(index: int, name: str) -> str:
    tags = "".join(f"<member>t{index}-{n}</member>" for n in range(index % 3))
    return (
        f'<Thing region="eu-{index}"><ThingName>{escape(name)}</ThingName><Size>{index}</Size>'
        f"<Active>{'true' if index % 2 else 'false'}</Active><Tags>{tags}</Tags>"
        f"<Owner><Id>o{index}</Id><DisplayName>Owner {index}</DisplayName></Owner>"
        f"<Attributes><entry><key>weight</key><value>{index * 10}</value></entry>"
        "<entry><key>height</key><value>7</value></entry></Attributes></Thing>"
    )


def _page(start: int, size: int, last: str = "") -> bytes:
    """Items ``start`` to ``start + size``; the last page says so with ``last`` (nothing, or an empty marker)."""
    things = "".join(_thing(i, n) for i, n in enumerate(NAMES) if start <= i < start + size)
    marker = f"<Marker>m{start + size}</Marker>" if start + size < len(NAMES) else last
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<DescribeThingsResponse xmlns="https://things.test/doc/2020-01-01/">'
        f"<DescribeThingsResult><Things>{things}</Things>{marker}</DescribeThingsResult>"
        "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeThingsResponse>"
    ).encode()


def _handler(seen: list[dict[str, str]], last: str = "") -> Any:
    def handle(request: httpx2.Request) -> httpx2.Response:
        query = dict(request.url.params)
        seen.append(query)
        start = int(query.get("Marker", "m0")[1:])
        size = int(query.get("MaxRecords", "3"))
        return httpx2.Response(200, content=_page(start, size, last), headers={"content-type": "text/xml"})

    return handle


def test_an_aws_query_list_pages_by_the_marker_it_answers() -> None:
    ops = {op.operation_id: op for op in api_from_data("things", aws_query_spec()).operations}
    pagination = ops["GET_DescribeThings"].pagination
    assert pagination is not None and pagination.reason.source == "inferred"
    assert (pagination.style, pagination.cursor, pagination.next_cursor, pagination.items, pagination.limit) == (
        "cursor",
        "Marker",
        ("Marker",),
        "Things",
        "MaxRecords",
    )
    assert ops["GET_SummarizeThings"].role == "list" and ops["GET_SummarizeThings"].pagination is None


@pytest.mark.parametrize(("mode", "last"), [("sync", ""), ("async", ""), ("sync", "<Marker/>"), ("async", "<Marker/>")])
def test_the_client_walks_xml_pages_by_marker(mode: str, last: str, generate_client: GenerateClient) -> None:
    """Pages follow while the answer has a marker; the last page has none, or an empty one."""
    module = generate_client(aws_query_spec(), f"aws_query_{mode}_{len(last)}")
    seen: list[dict[str, str]] = []
    things = walk(
        module,
        mode,
        "https://things.test",
        _handler(seen, last),
        lambda client: client.things.describe_things(max_records=3),
    )
    assert [t.ThingName for t in things] == NAMES  # every page, each item once, typed
    assert all(isinstance(t, module.types.Thing) for t in things)
    constant = {"Action": "DescribeThings", "Version": "2020-01-01", "MaxRecords": "3"}
    assert seen == [constant, {**constant, "Marker": "m3"}, {**constant, "Marker": "m6"}]


def test_an_xml_answer_is_read_into_its_model(generate_client: GenerateClient) -> None:
    """Nested objects, an attribute, a wrapped list of items the spec names, a list of ``<member>`` strings, an
    empty list, a map of ``<entry>`` keys and values, integers and booleans as their types."""
    module = generate_client(aws_query_spec(), "aws_query_model")
    client = module.Client(
        base_url="https://things.test", http_client=httpx2.Client(transport=httpx2.MockTransport(_handler([])))
    )
    page = client.things.describe_things(max_records=3)
    first, second, third = page.items
    assert (first.ThingName, first.Size, first.Active, first.Region, first.Tags) == ("thing 0", 0, False, "eu-0", [])
    assert (second.Size, second.Active, second.Tags) == (1, True, ["t1-0"])
    assert third.Tags == ["t2-0", "t2-1"]
    assert (third.Owner.Id, third.Owner.DisplayName) == ("o2", "Owner 2")
    assert third.Attributes == {"weight": 20, "height": 7}
    assert page.has_next_page()


def test_a_list_without_a_next_marker_is_one_plain_call(generate_client: GenerateClient) -> None:
    module = generate_client(aws_query_spec(), "aws_query_plain")
    seen: list[dict[str, str]] = []
    client = module.Client(
        base_url="https://things.test", http_client=httpx2.Client(transport=httpx2.MockTransport(_handler(seen)))
    )
    summary = client.things.summarize_things()
    assert isinstance(summary, module.types.ThingSummary) and not hasattr(summary, "next_page")
    assert [t.ThingName for t in summary.Things or []] == NAMES[:3] and len(seen) == 1


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b"<DescribeThingsResponse><Marker>&b;</Marker></DescribeThingsResponse>",
            "declares a DTD",
        ),
        (b'<!DOCTYPE r SYSTEM "file:///etc/passwd"><DescribeThingsResponse/>', "declares a DTD"),
        (b"<DescribeThingsResponse><Marker>&ext;</Marker></DescribeThingsResponse>", "undefined entity"),
        (b"<DescribeThingsResponse>" + b"<a>" * 400 + b"</a>" * 400 + b"</DescribeThingsResponse>", "deeper than"),
        (b"not xml at all", "not well-formed XML"),
    ],
    ids=["entity-expansion", "external-dtd", "undeclared-entity", "too-deep", "not-xml"],
)
def test_hostile_or_broken_xml_is_refused_with_one_clear_error(
    body: bytes, why: str, generate_client: GenerateClient
) -> None:
    module = generate_client(aws_query_spec(), "aws_query_hostile")

    def handle(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=body, headers={"content-type": "text/xml"})

    transport = httpx2.MockTransport(handle)
    client = module.Client(base_url="https://things.test", http_client=httpx2.Client(transport=transport))
    with pytest.raises(module.APIResponseDecodeError) as caught:
        client.things.summarize_things()
    message = str(caught.value)
    assert message.startswith("things.summarize_things: the XML body was refused: ") and "\n" not in message
    assert why in message and "aaaaaaaaaa" not in message  # no entity was ever expanded


def rest_xml_spec() -> dict[str, Any]:
    """Route 53's style (REST-XML): the answer's root holds the fields, ``NextMarker`` and ``IsTruncated`` say what
    comes next, the request sends ``marker``; lists wrapped as the spec's ``xml`` keywords say."""
    zone = {
        "type": "object",
        "properties": {
            "Id": STRING,
            "Kind": {"type": "string", "xml": {"attribute": True, "name": "kind"}},
            "Aliases": {
                "type": "array",
                "xml": {"wrapped": False},
                "items": {"type": "string", "xml": {"name": "Alias"}},
            },
            "Servers": {
                "type": "array",
                "xml": {"wrapped": True, "name": "NameServers"},
                "items": {"type": "string", "xml": {"name": "NameServer"}},
            },
        },
    }
    page = {
        "type": "object",
        "properties": {
            "Zones": {
                "type": "array",
                "items": {"allOf": [{"$ref": "#/components/schemas/Zone"}, {"xml": {"name": "Zone"}}]},
            },
            "Marker": STRING,
            "NextMarker": STRING,
            "IsTruncated": {"type": "boolean"},
            "MaxItems": {"type": "integer"},
        },
    }
    operation = {
        "operationId": "ListZones",
        "parameters": [_query("marker", STRING), _query("maxitems", {"type": "integer"})],
        "responses": {
            "200": {
                "description": "Success",
                "content": {"text/xml": {"schema": {"$ref": "#/components/schemas/ListZonesResponse"}}},
            }
        },
    }
    return {
        "openapi": "3.0.0",
        "info": {"title": "Zones", "version": "2020-01-01"},
        "paths": {"/2020-01-01/zone": {"get": operation}},
        "components": {"schemas": {"Zone": zone, "ListZonesResponse": page}},
    }


def _zone(index: int) -> str:
    aliases = "".join(f"<Alias>a{index}-{n}</Alias>" for n in range(index % 3))
    return (
        f'<Zone kind="{"private" if index % 2 else "public"}"><Id>z{index}</Id>{aliases}'
        f"<NameServers><NameServer>ns{index}-1</NameServer><NameServer>ns{index}-2</NameServer></NameServers></Zone>"
    )


def _zones_handler(seen: list[dict[str, str]]) -> Any:
    def handle(request: httpx2.Request) -> httpx2.Response:
        query = dict(request.url.params)
        seen.append(query)
        start = int(query.get("marker", "z0")[1:])
        size = int(query.get("maxitems", "3"))
        more = start + size < len(NAMES)
        zones = "".join(_zone(i) for i in range(start, min(start + size, len(NAMES))))
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><ListZonesResponse xmlns="https://zones.test/doc/2020-01-01/">'
            f"<Zones>{zones}</Zones><IsTruncated>{'true' if more else 'false'}</IsTruncated>"
            f"<Marker>{query.get('marker', '')}</Marker>"  # the marker asked for, echoed
            + (f"<NextMarker>z{start + size}</NextMarker>" if more else "")
            + f"<MaxItems>{size}</MaxItems></ListZonesResponse>"
        )
        return httpx2.Response(200, content=body.encode(), headers={"content-type": "text/xml"})

    return handle


def test_a_rest_xml_list_pages_by_its_next_marker_while_truncated() -> None:
    (op,) = api_from_data("zones", rest_xml_spec()).operations
    pagination = op.pagination
    assert pagination is not None
    assert (pagination.cursor, pagination.next_cursor, pagination.has_more, pagination.limit) == (
        "marker",
        ("NextMarker",),  # not the echoed Marker: that is the page asked for
        ("IsTruncated",),
        "maxitems",
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_client_walks_rest_xml_pages_with_wrapped_and_unwrapped_lists(
    mode: str, generate_client: GenerateClient
) -> None:
    module = generate_client(rest_xml_spec(), f"rest_xml_{mode}")
    seen: list[dict[str, str]] = []
    zones = walk(module, mode, "https://zones.test", _zones_handler(seen), lambda client: client.zone.list(maxitems=3))
    assert [z.Id for z in zones] == [f"z{i}" for i in range(len(NAMES))]
    assert [q.get("marker") for q in seen] == [None, "z3", "z6"]
    first, second, third = zones[:3]
    assert (first.Kind, second.Kind) == ("public", "private")  # an attribute
    assert (first.Aliases, third.Aliases) == (None, ["a2-0", "a2-1"])  # unwrapped: the items repeat in the zone
    assert first.Servers == ["ns0-1", "ns0-2"]  # wrapped in <NameServers>, each a <NameServer>


def _described(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {**_query(name, schema or STRING), "description": description}


# APIs.guru's conversion adds the SDK's paginator names beside the wire names, described only so (route53.json)
_ALIASES = [
    _described("MaxItems", "Pagination limit"),
    _described("StartRecordName", "Pagination token"),
    _described("StartRecordType", "Pagination token"),
    _described("StartRecordIdentifier", "Pagination token"),
]


def _route53_answer(name: str, items: str, item: str, *fields: str) -> dict[str, Any]:
    listed = {"type": "array", "items": {"allOf": [{"$ref": f"#/components/schemas/{item}"}, {"xml": {"name": item}}]}}
    properties = {items: listed, "IsTruncated": _ref("Boolean"), **{f: _ref("String") for f in fields}}
    return {name: {"type": "object", "properties": {**properties, "MaxItems": _ref("String")}}}


def _rest_get(operation_id: str, answer: str, *params: dict[str, Any]) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "parameters": list(params),
        "responses": {
            "200": {
                "description": "Success",
                "content": {"text/xml": {"schema": {"$ref": f"#/components/schemas/{answer}"}}},
            }
        },
    }


def route53_spec() -> dict[str, Any]:
    """Shaped as APIs.guru's route53.json. ListResourceRecordSets (docs.aws.amazon.com/Route53/latest/APIReference/
    API_ListResourceRecordSets.html): "GET /2013-04-01/hostedzone/Id/rrset?identifier=StartRecordIdentifier&maxitems=
    MaxItems&name=StartRecordName&type=StartRecordType"; the answer's ``IsTruncated``, ``NextRecordName``,
    ``NextRecordType`` and ``NextRecordIdentifier`` ("present only if IsTruncated is true"). ListHostedZones
    (API_ListHostedZones.html): "For the value of marker, specify the value of NextMarker from the previous
    response"; the spec also declares the alias ``Marker``. The look-alikes stay plain lists: a ``Next`` field no
    parameter takes, one two parameters could take, and one only an alias takes."""
    record = {"type": "object", "properties": {"Name": STRING, "Type": STRING, "SetIdentifier": STRING}}
    zone = {"type": "object", "properties": {"Id": STRING, "Name": STRING}}
    size = _described("maxitems", "(Optional) The maximum number of resource records sets to include")
    records = [
        _described("name", "The first name in the lexicographic ordering of resource record sets"),
        _described("type", "The type of resource record set to begin the record listing from."),
        _described("identifier", "specify the value of NextRecordIdentifier from the previous response"),
    ]
    schemas: dict[str, Any] = {
        "String": STRING,
        "Boolean": {"type": "boolean"},
        "ResourceRecordSet": record,
        "HostedZone": zone,
    }
    schemas |= _route53_answer(
        "ListResourceRecordSetsResponse",
        "ResourceRecordSets",
        "ResourceRecordSet",
        "NextRecordName",
        "NextRecordType",
        "NextRecordIdentifier",
    )
    schemas |= _route53_answer("ListHostedZonesResponse", "HostedZones", "HostedZone", "Marker", "NextMarker")
    schemas |= _route53_answer("UnpairedResponse", "HostedZones", "HostedZone", "NextZoneName")
    schemas |= _route53_answer("AliasOnlyResponse", "ResourceRecordSets", "ResourceRecordSet", "NextRecordName")
    zone_id = {"name": "Id", "in": "path", "required": True, "schema": STRING}
    marker = _described("marker", "For the value of marker, specify the value of NextMarker from the previous response")
    paths = {
        "/2013-04-01/hostedzone/{Id}/rrset": {
            "get": _rest_get(
                "ListResourceRecordSets", "ListResourceRecordSetsResponse", zone_id, *records, size, *_ALIASES
            )
        },
        "/2013-04-01/hostedzone": {
            "get": _rest_get(
                "ListHostedZones",
                "ListHostedZonesResponse",
                marker,
                size,
                _described("Marker", "Pagination token"),
                _ALIASES[0],
            )
        },
        "/2013-04-01/unpaired": {
            "get": _rest_get("ListUnpaired", "UnpairedResponse", _described("dnsname", "the first zone"), size)
        },
        "/2013-04-01/twice": {
            "get": _rest_get(
                "ListTwice",
                "ListResourceRecordSetsResponse",
                _described("name", "a name"),
                _described("recordname", "a name"),
                _described("type", "a type"),
                _described("identifier", "an identifier"),
                size,
            )
        },
        "/2013-04-01/aliased": {"get": _rest_get("ListAliased", "AliasOnlyResponse", size, *_ALIASES)},
    }
    return {
        "openapi": "3.0.0",
        "info": {"title": "Route 53", "version": "2013-04-01"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def test_route53_lists_page_by_the_next_fields_each_in_its_wire_parameter() -> None:
    ops = {op.operation_id: op for op in api_from_data("route53", route53_spec()).operations}
    records = ops["ListResourceRecordSets"].pagination
    assert records is not None and records.reason.source == "inferred" and records.style == "cursor"
    assert (records.cursor, records.next_cursor, records.more_cursors, records.has_more, records.limit) == (
        "name",  # not the alias StartRecordName
        ("NextRecordName",),
        (("type", ("NextRecordType",)), ("identifier", ("NextRecordIdentifier",))),
        ("IsTruncated",),
        "maxitems",  # not the alias MaxItems
    )
    zones = ops["ListHostedZones"].pagination
    assert zones is not None and (zones.cursor, zones.next_cursor, zones.limit) == (
        "marker",
        ("NextMarker",),
        "maxitems",
    )
    for name in ("ListUnpaired", "ListTwice", "ListAliased"):  # not paired unambiguously: one page, never a guess
        assert ops[name].role == "list" and ops[name].pagination is None, name


# name, type, set identifier: in Route 53's order, three to a page
RECORDS = [
    ("a.example.com.", "A", ""),
    ("b.example.com.", "A", "w1"),
    ("b.example.com.", "A", "w2"),
    ("b.example.com.", "A", "w3"),
    ("c.example.com.", "MX", ""),
    ("d.example.com.", "A", ""),
    ("d.example.com.", "TXT", ""),
]


def _records_handler(seen: list[dict[str, str]]) -> Any:
    """The answer as API_ListResourceRecordSets.html's response syntax has it; the page starts at the record the
    query names (``identifier`` only where the record has one)."""

    def handle(request: httpx2.Request) -> httpx2.Response:
        query = dict(request.url.params)
        seen.append(query)
        position = (query.get("name"), query.get("type"), query.get("identifier", ""))
        start = next((i for i, r in enumerate(RECORDS) if r == position), 0) if "name" in query else 0
        size = int(query.get("maxitems", "100"))
        page = RECORDS[start : start + size]
        sets = "".join(
            f"<ResourceRecordSet><Name>{n}</Name><Type>{t}</Type>"
            + (f"<SetIdentifier>{i}</SetIdentifier>" if i else "")
            + "</ResourceRecordSet>"
            for n, t, i in page
        )
        following = ""
        if start + size < len(RECORDS):
            n, t, i = RECORDS[start + size]
            following = f"<NextRecordName>{n}</NextRecordName><NextRecordType>{t}</NextRecordType>"
            following += f"<NextRecordIdentifier>{i}</NextRecordIdentifier>" if i else ""
        truncated = "true" if following else "false"
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
            f"<ResourceRecordSets>{sets}</ResourceRecordSets><IsTruncated>{truncated}</IsTruncated>{following}"
            f"<MaxItems>{size}</MaxItems></ListResourceRecordSetsResponse>"
        )
        return httpx2.Response(200, content=body.encode(), headers={"content-type": "text/xml"})

    return handle


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_client_walks_route53_records_by_name_type_and_identifier(
    mode: str, generate_client: GenerateClient
) -> None:
    module = generate_client(route53_spec(), f"route53_{mode}")
    seen: list[dict[str, str]] = []

    def call(client: Any) -> Any:
        return client.hostedzone.rrset.list(id="Z1", maxitems="3")

    records = walk(module, mode, "https://route53.test", _records_handler(seen), call)
    assert [(r.Name, r.Type, r.SetIdentifier or "") for r in records] == RECORDS  # every record once, in order
    assert seen == [
        {"maxitems": "3"},
        {"maxitems": "3", "name": "b.example.com.", "type": "A", "identifier": "w3"},
        {"maxitems": "3", "name": "d.example.com.", "type": "TXT"},  # no identifier left over from the last page
    ]
    # the generated settings are tuples, as ``Paging`` declares them (a list would fail mypy --strict)
    paging = importlib.import_module(f"route53_{mode}_client.resources.hostedzone_rrset")._LIST_PAGING
    assert (paging.next_cursor, paging.has_more, paging.more_cursors) == (
        ("NextRecordName",),
        ("IsTruncated",),
        (("type", ("NextRecordType",)), ("identifier", ("NextRecordIdentifier",))),
    )
