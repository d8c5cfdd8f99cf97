"""Package READMEs: a usage example per resource, from the spec's examples, that the real methods accept."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from apimodel.project import GENERATED_DIR
from generator.client.pipeline import generate_files
from tests.generator.specs import billing_spec

OURS = sorted(p.name for p in GENERATED_DIR.iterdir() if (p / "README.md").is_file()) if GENERATED_DIR.is_dir() else []
_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _blocks(readme: str) -> list[str]:
    return _BLOCK.findall(readme)


def _sections(readme: str) -> dict[str, str]:
    """``client.<dotted>`` → the README text under that resource's heading."""
    parts = re.split(r"^### `(client\.[\w.]+)`$", readme, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _client_calls(tree: ast.AST) -> Iterator[tuple[list[str], ast.Call]]:
    """Every call ``client.a.b.method(...)`` as (["a", "b", "method"], node)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            chain: list[str] = []
            target: ast.expr = node.func
            while isinstance(target, ast.Attribute):
                chain.insert(0, target.attr)
                target = target.value
            if isinstance(target, ast.Name) and target.id == "client":
                yield chain, node


@pytest.fixture
def imported(request: pytest.FixtureRequest) -> Iterator[ModuleType]:
    api = request.param
    folder = str(GENERATED_DIR / api)
    sys.path.insert(0, folder)
    try:
        yield importlib.import_module(f"{api}_client")
    finally:
        sys.path.remove(folder)
        for name in [m for m in sys.modules if m.split(".")[0] == f"{api}_client"]:
            del sys.modules[name]


@pytest.mark.parametrize("imported", OURS, indirect=True)
def test_readme_has_an_example_per_resource_that_binds_to_real_methods(imported: ModuleType) -> None:
    api = imported.__name__.removesuffix("_client")
    readme = (GENERATED_DIR / api / "README.md").read_text(encoding="utf-8")
    client = imported.Client(base_url="http://127.0.0.1:9")
    models = importlib.import_module(f"{imported.__name__}.types")
    sections = _sections(readme)
    assert sections, "no resource sections"
    for heading, text in sections.items():
        blocks = _blocks(text)
        assert blocks, f"{heading} has no usage example"
        calls = [(chain, node) for block in blocks for chain, node in _client_calls(ast.parse(block))]
        assert any(".".join(["client", *chain[:-1]]) == heading for chain, _ in calls), heading
    for block in _blocks(readme):
        tree = ast.parse(compile(block, "README.md", "exec", flags=ast.PyCF_ONLY_AST))
        for chain, node in _client_calls(tree):
            method: Any = client
            for attribute in chain:
                method = getattr(method, attribute)
            placeholders = [object()] * len(node.args)
            inspect.signature(method).bind(*placeholders, **{k.arg: object() for k in node.keywords if k.arg})
        for node in ast.walk(tree):  # types.Model.model_validate(...): the model exists
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "types":
                assert hasattr(models, node.attr), node.attr


@pytest.mark.slow
@pytest.mark.parametrize("api", OURS)
def test_readme_examples_type_check_against_the_package(api: str, tmp_path: Path) -> None:
    blocks = _blocks((GENERATED_DIR / api / "README.md").read_text(encoding="utf-8"))
    setup, examples = blocks[0], blocks[1:]
    body = "".join(
        f"\n\ndef example_{i}() -> None:\n" + "".join(f"    {line}\n" if line else "\n" for line in block.splitlines())
        for i, block in enumerate(examples)
    )
    (tmp_path / "readme_examples.py").write_text(setup + body, encoding="utf-8")
    command = ["mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), "readme_examples.py"]
    env = {**os.environ, "MYPYPATH": str(GENERATED_DIR / api)}
    run = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout[-3000:]


def test_example_comes_from_the_request_example_and_follows_the_signature(tmp_path: Path) -> None:
    import yaml

    spec = billing_spec(pagination={"style": "page"})
    create = spec["paths"]["/invoices"]["post"]
    create["requestBody"]["content"]["application/json"]["example"] = {"number": "INV-0042", "status": "paid"}
    spec["paths"]["/invoices/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["example"] = {
        "id": 4711,
        "number": "INV-0042",
    }
    path = tmp_path / "billing.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    readme = generate_files(path, api="billing", regenerate="x", generator_version="0").files["README.md"]
    code = "\n".join(_blocks(_sections(readme)["client.invoices"]))
    assert 'invoice = client.invoices.create(number="INV-0042", status="paid")' in code
    assert "invoice = client.invoices.retrieve(4711)" in code  # the id the retrieve response example shows
    assert "for invoice in client.invoices.list():" in code
    compile(code, "README.md", "exec")
