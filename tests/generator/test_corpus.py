"""Every corpus spec (OpenAPI 3.0 and 3.1, Stripe included) generates a package that imports and type-checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.client.pipeline import generate_files
from generator.client.write import write_tree
from tests.corpus import corpus_params, corpus_specs

SPECS = corpus_params([pytest.param(p, id=p.stem) for p in corpus_specs()])


@pytest.mark.slow
@pytest.mark.parametrize("spec", SPECS)
def test_corpus_spec_generates_imports_and_type_checks(spec: Path, tmp_path: Path) -> None:
    api = "corpus"
    result = generate_files(spec, api=api, regenerate="x", generator_version="0")
    assert not [d for d in result.diagnostics if d.severity == "error"]
    write_tree(tmp_path, result.files)
    imported = subprocess.run([sys.executable, "-c", f"import {api}_client, {api}_client.types"], cwd=tmp_path,
                              capture_output=True, text=True)  # fmt: skip
    assert imported.returncode == 0, imported.stderr[-2000:]
    for command in (["ruff", "check", "-q", "."], ["mypy", "--strict", "--no-incremental", f"{api}_client"]):
        run = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path, capture_output=True, text=True)
        assert run.returncode == 0, f"{command[0]}: {run.stdout[-3000:]}"
