"""``specforge generate`` error paths, output independent of the working directory, and request-shape details."""

from __future__ import annotations

import copy
import inspect
import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from click.testing import CliRunner

from apimodel.project import ROOT
from generator.client.pipeline import generate_files
from specforge.cli import main
from tests.generator.conftest import GenerateClient
from tests.generator.specs import billing_spec
from tests.specs import BOOKSHOP


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, ["generate", *args])


def test_spec_and_api_names_together_are_a_usage_error(tmp_path: Path) -> None:
    result = _run("facturare", "--spec", str(BOOKSHOP), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "not both" in result.output
    assert not (tmp_path / "o").exists()


def test_out_without_spec_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("facturare", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "--out and --name go with --spec" in result.output


def test_unwritable_out_is_one_line_without_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = _run("--spec", str(BOOKSHOP), "--out", str(blocker / "sub"))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error[write-failed] ") and "Traceback" not in result.output


def test_check_compares_a_spec_with_its_out_folder(tmp_path: Path) -> None:
    out = tmp_path / "pets"
    args = ("--spec", str(BOOKSHOP), "--out", str(out), "--name", "pets")
    assert _run(*args).exit_code == 0
    assert _run("--check", *args).exit_code == 0
    (out / "pets_client" / "_client.py").write_text("edited\n", encoding="utf-8")
    stale = _run("--check", *args)
    assert stale.exit_code == 1 and "-edited" in stale.output


def test_a_spec_without_schemas_generates_without_warnings(tmp_path: Path) -> None:
    spec = tmp_path / "bare.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: Bare, version: '1'}\npaths: {}\n", encoding="utf-8")
    result = generate_files(spec, api="bare", regenerate="x", generator_version="0")
    assert result.diagnostics == ()
    assert "__all__: list[str] = []" in result.files["bare_client/types/__init__.py"]


def test_output_does_not_depend_on_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = copy.deepcopy(billing_spec(pagination={"style": "page"}))
    long_text = "A description long enough that a formatter with another line length wraps it differently. " * 2
    spec["components"]["schemas"]["Invoice"]["properties"]["note"]["description"] = long_text
    path = tmp_path / "billing.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    (tmp_path / "ruff.toml").write_text("line-length = 60\n", encoding="utf-8")  # a caller's own settings
    monkeypatch.chdir(ROOT)
    here = generate_files(path, api="billing", regenerate="x", generator_version="0").files
    monkeypatch.chdir(tmp_path)
    there = generate_files(path, api="billing", regenerate="x", generator_version="0").files
    assert here == there


def test_all_of_bodies_become_keyword_arguments_and_constants_default(generate_client: GenerateClient) -> None:
    spec = copy.deepcopy(billing_spec(pagination={"style": "page"}))
    schemas = spec["components"]["schemas"]
    schemas["Audited"] = {"type": "object", "properties": {"reference": {"type": "string"}}}
    members = [{"$ref": "#/components/schemas/InvoiceCreate"}, {"$ref": "#/components/schemas/Audited"}]
    schemas["InvoiceDraft"] = {"allOf": members}
    create = spec["paths"]["/invoices"]["post"]
    create["requestBody"]["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/InvoiceDraft"}
    constant = {"type": "string", "enum": ["2024-01"]}
    create["parameters"] = [
        {"name": "X-Api-Version", "in": "header", "required": True, "schema": constant},
        # OpenAPI 3: a header parameter named Content-Type (or Accept, Authorization) SHALL be ignored
        {"name": "Content-Type", "in": "header", "required": True, "schema": {"type": "string", "enum": ["x/y"]}},
    ]
    module = generate_client(spec, "shapes")
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(201, json={"id": 1, "number": "N-1"})

    client = module.Client(api_key="k", http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    parameters = inspect.signature(client.invoices.create).parameters
    assert parameters["number"].default is inspect.Parameter.empty  # required by the allOf member
    assert parameters["x_api_version"].default == "2024-01"
    assert "content_type" not in parameters
    client.invoices.create(number="N-1", reference="PO-7")
    assert json.loads(seen[0].content) == {"number": "N-1", "reference": "PO-7"}
    assert seen[0].headers["x-api-version"] == "2024-01"
    assert seen[0].headers["content-type"] == "application/json"


def test_content_negotiated_forms_get_their_own_methods(generate_client: GenerateClient) -> None:
    spec = copy.deepcopy(billing_spec(pagination={"style": "page"}))
    content = spec["paths"]["/invoices/{id}"]["get"]["responses"]["200"]["content"]
    content["application/pdf"] = {"schema": {"type": "string", "format": "binary"}}
    module = generate_client(spec, "negotiated")

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.headers["accept"] == "application/pdf":
            return httpx2.Response(200, content=b"%PDF-1.7")
        return httpx2.Response(200, json={"id": 5, "number": "N-5"})

    client = module.Client(api_key="k", http_client=httpx2.Client(transport=httpx2.MockTransport(handler)))
    assert client.invoices.retrieve(5).number == "N-5"
    assert client.invoices.retrieve_pdf(5) == b"%PDF-1.7"
    with client.invoices.retrieve_pdf_stream(5) as chunks:
        assert b"".join(chunks) == b"%PDF-1.7"
