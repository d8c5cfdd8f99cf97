"""Generate a client from an inline spec into a temporary folder and import it."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from generator.client.pipeline import generate_files
from generator.client.write import write_tree

__all__ = ["GenerateClient"]

GenerateClient = Callable[[dict[str, Any], str], ModuleType]


@pytest.fixture
def generate_client(tmp_path: Path) -> Iterator[GenerateClient]:
    added: list[str] = []

    def make(spec: dict[str, Any], api: str) -> ModuleType:
        spec_path = tmp_path / f"{api}.yaml"
        spec_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        result = generate_files(spec_path, api=api, regenerate="test", generator_version="test")
        out = tmp_path / api
        write_tree(out, result.files)
        sys.path.insert(0, str(out))
        added.append(str(out))
        return importlib.import_module(f"{api}_client")

    yield make
    for path in added:
        sys.path.remove(path)
    for name in [m for m in sys.modules if any(m.split(".")[0] == Path(p).name + "_client" for p in added)]:
        del sys.modules[name]
