"""One module per group of measurements; each returns its comparison rows."""

from __future__ import annotations

__all__: list[str] = []
