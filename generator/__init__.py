"""Spec loading, validation, IR and client rendering. Imports nothing from ``conformance``."""

from __future__ import annotations

__all__: list[str] = []
