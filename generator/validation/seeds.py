"""Rule: every operation a seed document shows is in its spec (``specs/seed-operations.yaml``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from apimodel.diagnostics import Diagnostic
from apimodel.project import SPECS_DIR
from apimodel.walk import iter_operations

__all__ = ["SeedOperation", "check_seed_coverage", "normalise", "seed_operations"]

SEED_TABLE = SPECS_DIR / "seed-operations.yaml"
_PARAM = re.compile(r"\{[^}/]+\}")


@dataclass(frozen=True)
class SeedOperation:
    method: str
    path: str
    seed_says: str = ""
    why: str = ""

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def normalise(method: str, path: str) -> tuple[str, str]:
    """Method and path with parameter names erased: ``GET /a/{id}`` == ``GET /a/{a_id}``."""
    return method.upper(), _PARAM.sub("{}", path)


@cache
def _table(path: Path) -> dict[str, tuple[SeedOperation, ...]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    table: dict[str, tuple[SeedOperation, ...]] = {}
    for api, entries in raw.items():
        operations = []
        for entry in entries or []:
            extra: dict[str, Any] = {}
            if isinstance(entry, dict):
                extra = entry
                entry = entry["op"]
            method, _, op_path = str(entry).partition(" ")
            operations.append(
                SeedOperation(
                    method.upper(), op_path.strip(), str(extra.get("seed-says", "")), str(extra.get("why", ""))
                )
            )
        table[str(api)] = tuple(operations)
    return table


def seed_operations(api: str, table: Path = SEED_TABLE) -> tuple[SeedOperation, ...]:
    return _table(table).get(api, ())


def check_seed_coverage(label: str, data: dict[str, Any], api: str) -> Iterator[Diagnostic]:
    present = {normalise(op.method, op.path) for op in iter_operations(data)}
    for seed in seed_operations(api):
        if normalise(seed.method, seed.path) not in present:
            yield Diagnostic(
                label,
                "/paths",
                "seed-operation-missing",
                f"the seed shows {seed.key} but the spec lacks it",
                "add the operation (specs/seed-operations.yaml lists what the seed shows)",
            )
