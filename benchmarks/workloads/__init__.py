"""Small programs each measurement runs in a fresh interpreter; each prints one JSON line of results."""

from __future__ import annotations

__all__: list[str] = []
