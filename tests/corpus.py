"""The public corpus of third-party specs (``../shared/corpus``): present in CI, maybe absent in a clone.

``SPECFORGE_CORPUS`` points elsewhere (an empty folder shows how the suite runs without it). Tests that need
the corpus skip with one line when it is absent; ``.ci/run`` refuses to start without it, so CI runs them all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from apimodel.project import ROOT

__all__ = ["CORPUS", "SKIP_REASON", "corpus_params", "corpus_spec", "corpus_specs"]

CORPUS = Path(os.environ.get("SPECFORGE_CORPUS") or ROOT.parent / "shared" / "corpus")
SKIP_REASON = f"the public corpus is not at {CORPUS} (../shared/corpus beside the checkout, or SPECFORGE_CORPUS)"


def corpus_specs() -> list[Path]:
    """Every spec of the corpus, sorted; empty when it is absent."""
    return sorted(p for p in CORPUS.glob("*") if p.suffix in (".yaml", ".json")) if CORPUS.is_dir() else []


def corpus_spec(name: str) -> Path:
    """One corpus spec by file name; skips the calling test when the corpus is absent."""
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(SKIP_REASON)
    return path


def corpus_params(params: list[Any]) -> list[Any]:
    """``params`` for a parametrized corpus test, or one skipped parameter saying why there are none."""
    return params or [pytest.param(None, id="no-corpus", marks=pytest.mark.skip(reason=SKIP_REASON))]
