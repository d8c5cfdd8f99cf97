"""Request bodies as dicts: a TypedDict per object a request sends, nested ones named, keys as the spec names them."""

from __future__ import annotations

import copy
import importlib
import json
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pydantic
import yaml

from generator.client.pipeline import generate_files
from generator.client.write import write_tree
from tests.generator.conftest import GenerateClient
from tests.generator.specs import billing_spec


def _spec() -> dict[str, Any]:
    spec = copy.deepcopy(billing_spec(pagination={"style": "page"}))
    schemas = spec["components"]["schemas"]
    create = schemas["InvoiceCreate"]
    create["properties"]["id"] = {"type": "integer", "readOnly": True}  # a request never sends it
    create["properties"]["buyer"] = {  # an inline object
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "tax-no": {"type": "string"}},  # a key that is no identifier
    }
    create["properties"]["lines"] = {  # an array of inline objects, each naming a component
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"qty": {"type": "number"}, "unit": {"$ref": "#/components/schemas/Unit"}},
        },
    }
    create["properties"]["parent"] = {
        "anyOf": [{"$ref": "#/components/schemas/InvoiceCreate"}, {"type": "object", "nullable": True, "enum": [None]}]
    }  # recursive, nullable
    create["properties"]["payer"] = {  # a component plus a rule a TypedDict cannot say (one of two keys required)
        "allOf": [{"$ref": "#/components/schemas/Unit"}, {"anyOf": [{"required": ["code"]}, {"required": ["name"]}]}]
    }
    schemas["Unit"] = {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}
    schemas["InvoiceCreateParam"] = {"type": "string"}  # a schema that already has the natural name
    spec["paths"]["/units"] = {
        "post": {
            "operationId": "createUnit",
            "x-resource": "units",
            "x-action": "create",
            "requestBody": {
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvoiceCreateParam"}}}
            },
            "responses": {"204": {"description": "ok"}},
        }
    }
    return spec


def _keys(types: ModuleType, typed_dict: type) -> dict[str, bool]:
    """Each key of ``typed_dict`` and whether it is required (read from its annotations)."""
    hints = typing.get_type_hints(typed_dict, localns=vars(types), include_extras=True)
    return {key: typing.get_origin(hint) is not typing.NotRequired for key, hint in hints.items()}


def test_typed_dicts_follow_the_schema(generate_client: GenerateClient) -> None:
    module = generate_client(_spec(), "dicts")
    types = importlib.import_module(f"{module.__name__}.types")
    param = types.InvoiceCreateParam_2  # collision-safe: the schema's own name stays the schema's
    assert types.InvoiceCreateParam is not param
    keys = _keys(types, param)
    assert set(keys) == {"number", "note", "status", "buyer", "lines", "parent", "payer"}  # readOnly ``id`` left out
    assert {k for k, required in keys.items() if required} == {"number"}
    assert _keys(types, types.InvoiceCreateBuyerParam) == {"name": True, "tax-no": False}  # the functional form
    assert _keys(types, types.InvoiceCreateLinesItemParam) == {"qty": False, "unit": False}
    assert _keys(types, types.UnitParam) == {"code": True}
    assert _keys(types, types.InvoiceCreatePayerParam) == {"code": True}
    invoices = Path(module.__file__).parent.joinpath("resources", "invoices.py").read_text(encoding="utf-8")
    assert "payer: types.InvoiceCreatePayerParam | Omit = omit," in invoices  # typed, not dict[str, Any]
    source = Path(types.__file__).read_text(encoding="utf-8")
    assert "    lines: NotRequired[list[InvoiceCreateLinesItemParam]]\n" in source
    assert "    unit: NotRequired[UnitParam]\n" in source  # a component inside an inline object: its own TypedDict
    assert "    parent: NotRequired[InvoiceCreateParam_2 | None]\n" in source
    units = Path(module.__file__).parent.joinpath("resources", "units.py").read_text(encoding="utf-8")
    # a string schema is a plain str in signatures (primitive aliases stay primitives): no model, no dict form
    assert "body: str | Omit = omit" in units


def test_a_dict_body_is_sent_as_given(generate_client: GenerateClient) -> None:
    module = generate_client(_spec(), "dicts_sent")
    seen: list[httpx2.Request] = []
    transport = httpx2.MockTransport(lambda r: seen.append(r) or httpx2.Response(201, json={"id": 1, "number": "A"}))
    client = module.Client(api_token="t", http_client=httpx2.Client(transport=transport))
    buyer = {"name": "Acme", "tax-no": "RO1"}
    lines = [{"qty": 2, "unit": {"code": "pcs"}}]
    client.invoices.create(number="A", buyer=buyer, lines=lines, parent=None)
    assert json.loads(seen[0].content) == {"number": "A", "buyer": buyer, "lines": lines, "parent": None}


def test_dict_bodies_type_check_and_wrong_ones_do_not(tmp_path: Path) -> None:
    spec = tmp_path / "dicts.yaml"
    spec.write_text(yaml.safe_dump(_spec()), encoding="utf-8")
    write_tree(tmp_path, generate_files(spec, api="dicts", regenerate="x", generator_version="0").files)
    usage = """from dicts_client import Client

def good(client: Client) -> None:
    client.invoices.create(number="A", buyer={"name": "Acme", "tax-no": "R"}, lines=[{"qty": 2, "unit": {"code": ""}}])
    client.invoices.create(number="A", parent={"number": "B", "parent": None})

def bad(client: Client) -> None:
    client.invoices.create(number="A", buyer={"tax-no": "RO1"})
    client.invoices.create(number="A", lines=[{"unit": {}}])
    client.invoices.create(number="A", parent={"number": "B", "id": 3})
"""
    (tmp_path / "usage.py").write_text(usage, encoding="utf-8")
    command = [
        "mypy",
        "--strict",
        "--no-incremental",
        "--cache-dir",
        str(tmp_path / ".mypy"),
        "dicts_client",
        "usage.py",
    ]
    run = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path, capture_output=True, text=True)
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert {line.split(":")[0] for line in errors} == {"usage.py"}, run.stdout[-3000:]
    assert {int(line.split(":")[1]) for line in errors} == {8, 9, 10}, run.stdout[-3000:]


def _wrapper_spec() -> dict[str, Any]:
    """Components that wrap a plain value (root models): a map of objects (econt's ``items``) and a map of strings
    with a size limit (facturare's ``metadata``)."""
    spec = copy.deepcopy(billing_spec(pagination={"style": "page"}))
    schemas = spec["components"]["schemas"]
    schemas["Unit"] = {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}
    schemas["UnitsByKey"] = {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": {"$ref": "#/components/schemas/Unit"},
    }
    schemas["Labels"] = {
        "type": "object",
        "maxProperties": 3,
        "additionalProperties": {"type": "string", "maxLength": 9},
    }
    schemas["InvoiceCreate"]["properties"]["units"] = {"$ref": "#/components/schemas/UnitsByKey"}
    schemas["InvoiceCreate"]["properties"]["labels"] = {"$ref": "#/components/schemas/Labels"}
    return spec


def test_wrapper_models_take_the_plain_value_they_wrap(generate_client: GenerateClient) -> None:
    module = generate_client(_wrapper_spec(), "wrappers")
    types = importlib.import_module(f"{module.__name__}.types")
    assert issubclass(types.UnitsByKey, pydantic.RootModel) and issubclass(types.Labels, pydantic.RootModel)
    invoices = Path(module.__file__).parent.joinpath("resources", "invoices.py").read_text(encoding="utf-8")
    assert "units: types.UnitsByKey | dict[str, types.Unit | types.UnitParam] | Omit = omit," in invoices
    assert "labels: types.Labels | dict[str, str] | Omit = omit," in invoices
    seen: list[bytes] = []
    transport = httpx2.MockTransport(
        lambda r: seen.append(r.content) or httpx2.Response(201, json={"id": 1, "number": "A"})
    )
    client = module.Client(api_token="t", http_client=httpx2.Client(transport=transport))
    client.invoices.create(number="A", units={"984": {"code": "pcs"}, "985": types.Unit(code="kg")}, labels={"a": "b"})
    wrapped = types.UnitsByKey.model_validate({"984": {"code": "pcs"}, "985": {"code": "kg"}})
    client.invoices.create(number="A", units=wrapped, labels=types.Labels({"a": "b"}))
    expected = {"number": "A", "units": {"984": {"code": "pcs"}, "985": {"code": "kg"}}, "labels": {"a": "b"}}
    assert [json.loads(body) for body in seen] == [expected, expected]
