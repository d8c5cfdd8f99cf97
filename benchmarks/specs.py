"""The specs a run measures on: the public corpus (``../shared/corpus``) and our five, as far as they exist."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apimodel.diagnostics import SpecError
from apimodel.loader import load_spec
from apimodel.project import API_NAMES, SPECS_DIR
from apimodel.walk import iter_operations
from benchmarks.harness import slug
from benchmarks.tools import ROOT

__all__ = ["CORPUS_DIR", "STRIPE", "BenchSpec", "all_specs", "load_data"]

CORPUS_DIR = ROOT.parent / "shared" / "corpus"
STRIPE = CORPUS_DIR / "stripe-spec3-2023-09-12.yaml"


@dataclass(frozen=True)
class BenchSpec:
    """One spec file, its case id and the Python name its generated package gets."""

    path: Path
    case: str
    ours: bool

    @property
    def name(self) -> str:
        return slug(self.case)

    @property
    def label(self) -> str:
        operations = operation_count(self.path)
        return f"{self.case} ({operations} ops)" if operations is not None else self.case


@functools.cache
def load_data(path: Path) -> dict[str, Any]:
    """The parsed document (cached: Stripe takes seconds to parse)."""
    return load_spec(path).data


@functools.cache
def operation_count(path: Path) -> int | None:
    try:
        return sum(1 for _ in iter_operations(load_data(path)))
    except SpecError:
        return None


def all_specs(quick: bool) -> list[BenchSpec]:
    """Corpus specs smallest first, then ours; ``quick`` keeps one small spec of each kind."""
    corpus = sorted((p for p in CORPUS_DIR.glob("*") if p.suffix in (".yaml", ".json")), key=lambda p: p.stat().st_size)
    specs = [BenchSpec(p, p.stem, ours=False) for p in corpus]
    specs += [
        BenchSpec(SPECS_DIR / f"{api}.yaml", api, ours=True)
        for api in API_NAMES
        if (SPECS_DIR / f"{api}.yaml").is_file()
    ]
    if quick:
        specs = [s for s in specs if s.case == "oai-petstore"] + [s for s in specs if s.ours][:1]
    return specs
