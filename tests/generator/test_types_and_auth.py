"""Literal-typed enum arguments, types resolved without eval, and ``x-prefix`` on API keys."""

from __future__ import annotations

import ast
import copy
import importlib
import inspect
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import httpx2
import pytest

from apimodel.loader import load_spec
from apimodel.project import ROOT
from generator.client.build import build_client
from generator.client.typeref import TypeRefError, type_ref
from tests.generator.conftest import GenerateClient
from tests.generator.specs import billing_spec

PAGE = {"style": "page", "page": "page", "per-page": "per_page"}


def _same(annotation: str) -> str:
    """An annotation as ``from __future__ import annotations`` stores it (normalised quotes)."""
    return ast.unparse(ast.parse(annotation))


def _with_enums() -> dict[str, Any]:
    spec = billing_spec(pagination=PAGE)
    list_params = spec["paths"]["/invoices"]["get"]["parameters"]
    list_params.append({"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc", None]}})
    list_params.append({"name": "kinds", "in": "query", "schema": {"type": "array", "items": {"enum": [1, 2]}}})
    spec["components"]["schemas"]["InvoiceCreate"]["properties"]["list"] = {"type": "string", "enum": ["list", "str"]}
    return spec


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ("types.Invoice", "types.Invoice"),
        ("builtins.list[types.Invoice]", ("list", "types.Invoice")),
        ("dict[str, Any] | None", ("|", ("dict", "str", "Any"), "None")),
        ("int | str | types.Customer", ("|", "int", "str", "types.Customer")),
        ('Literal["a", 2]', ("Literal", "a", 2)),
    ],
)
def test_type_ref_is_structured_data(annotation: str, expected: object) -> None:
    assert type_ref(annotation) == expected


@pytest.mark.parametrize("annotation", ["__import__('os')", "os.system", "list[int, int]", "set[int]", "1 +"])
def test_type_ref_refuses_anything_but_annotations(annotation: str) -> None:
    with pytest.raises(TypeRefError):
        type_ref(annotation)


def test_runtime_resolves_types_without_eval(generate_client: GenerateClient) -> None:
    billing = generate_client(billing_spec(pagination=PAGE), "resolving")
    importlib.import_module("resolving_client.types")
    resolve = billing._endpoint.resolve_type
    assert resolve(("list", "types.Invoice"), billing.types) == list[billing.types.Invoice]
    assert resolve(("|", "int", "None"), billing.types) == int | None
    assert resolve(("Literal", "a", 1), billing.types) == Literal["a", 1]
    runtime = ROOT / "templates" / "package"
    calls = {
        node.func.id
        for path in runtime.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not calls & {"eval", "exec", "compile"}


def test_enum_arguments_are_literals_and_responses_stay_open(generate_client: GenerateClient) -> None:
    module = generate_client(_with_enums(), "enums")
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx2.Response(201, json={"id": 1, "number": "A", "status": "archived"})
        return httpx2.Response(200, json=[{"id": 2, "number": "B", "status": "someday"}])

    client = module.Client(api_key="k", http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    listing = inspect.signature(client.invoices.list).parameters
    assert listing["status"].annotation == _same('Literal["draft", "paid"] | Omit')
    assert listing["sort"].annotation == _same('Literal["asc", "desc"] | None | Omit')  # null is nullability
    assert listing["kinds"].annotation == _same("builtins.list[Literal[1, 2]] | Omit")
    creating = inspect.signature(client.invoices.create).parameters
    assert creating["list"].annotation == _same('Literal["list", "str"] | Omit')  # a string value is never "unshadowed"
    assert [i.status.value for i in client.invoices.list(status="paid", kinds=[1, 2], per_page=5)] == ["someday"]
    assert seen[0].url.params.get_list("kinds") == ["1", "2"]
    assert client.invoices.create(number="A", list="str").status.value == "archived"


def _prefixed_spec(location: str, prefix: Any) -> dict[str, Any]:
    spec = copy.deepcopy(billing_spec(pagination=PAGE))
    spec["security"] = [{"token": []}]
    spec["components"]["securitySchemes"] = {
        "token": {
            "type": "apiKey",
            "in": location,
            "name": "Authorization",
            "x-prefix": prefix,
            "x-env": ["PX_API_KEY"],
        }
    }
    return spec


@pytest.fixture
def prefixed(generate_client: GenerateClient) -> ModuleType:
    return generate_client(_prefixed_spec("header", "Token "), "px")


def _sent(module: ModuleType, **kwargs: Any) -> httpx2.Request:
    seen: list[httpx2.Request] = []
    transport = httpx2.MockTransport(lambda r: seen.append(r) or httpx2.Response(204))
    client = module.Client(http_client=httpx2.Client(transport=transport), **kwargs)
    client.invoices.delete(1)
    assert "0123abcd" not in repr(client)
    return seen[0]


def test_x_prefix_is_sent_before_the_key(prefixed: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _sent(prefixed, api_key="0123abcd").headers["authorization"] == "Token 0123abcd"
    monkeypatch.setenv("PX_API_KEY", "0123abcd")
    assert _sent(prefixed).headers["authorization"] == "Token 0123abcd"
    assert _sent(prefixed, api_key="Token 0123abcd").headers["authorization"] == "Token 0123abcd"  # not doubled


@pytest.mark.parametrize("location", ["query", "cookie"])
def test_x_prefix_applies_wherever_the_key_travels(generate_client: GenerateClient, location: str) -> None:
    module = generate_client(_prefixed_spec(location, "key-"), f"px_{location}")
    request = _sent(module, api_key="0123abcd")
    if location == "query":
        assert request.url.params["Authorization"] == "key-0123abcd"
    else:
        assert request.headers["cookie"] == "Authorization=key-0123abcd"


def test_bad_x_prefix_is_a_diagnostic(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "px.yaml"
    path.write_text(yaml.safe_dump(_prefixed_spec("header", ["Token"])), encoding="utf-8")
    ir = build_client(load_spec(path), api="px", regenerate="x").ir
    assert [c.prefix for c in ir.credentials] == [""]
    found = [d for d in ir.diagnostics if d.code == "bad-prefix"]
    assert found and found[0].pointer == "/components/securitySchemes/token/x-prefix"
