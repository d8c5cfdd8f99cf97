"""Measured comparisons of specforge with its peers: ``python -m benchmarks`` writes ``RESULTS.md``."""

from __future__ import annotations

__all__: list[str] = []
