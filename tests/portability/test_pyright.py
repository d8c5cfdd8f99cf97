"""The generated clients type-check under pyright (basic), the checker of VS Code's Python extension, as well as
under ``mypy --strict`` (tests/generator): our five committed clients, and a large spec's package split into one
module per model."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from apimodel.project import API_NAMES
from generator.client import lazymodels
from generator.client.pipeline import generate_files
from generator.client.write import write_tree
from tests.generator.test_lazy_models import _spec
from tests.portability.tools import npm_bin, run

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _pyright(folder: Path, packages: list[str]) -> None:
    config = {"typeCheckingMode": "basic", "pythonVersion": "3.11", "include": packages}
    (folder / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    output = run([str(npm_bin("pyright")), "--pythonpath", sys.executable, "--outputjson"], cwd=folder)
    summary = json.loads(output)["summary"]
    assert summary["errorCount"] == 0 and summary["filesAnalyzed"] > 0, summary


def test_our_clients_pass_pyright_basic(tmp_path: Path) -> None:
    for api in API_NAMES:
        (tmp_path / f"{api}_client").symlink_to(ROOT / "generated" / api / f"{api}_client")
    _pyright(tmp_path, [f"{api}_client" for api in API_NAMES])


def test_a_split_package_passes_pyright_basic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazymodels, "SPLIT_ABOVE", 0)
    spec = tmp_path / "graph.json"
    spec.write_text(json.dumps(_spec()), encoding="utf-8")
    write_tree(tmp_path / "out", generate_files(spec, api="graph", regenerate="x", generator_version="0").files)
    assert (tmp_path / "out" / "graph_client" / "types" / "_m_node.py").exists()
    _pyright(tmp_path / "out", ["graph_client"])
