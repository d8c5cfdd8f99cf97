"""The spec-driven mock server, extra checks, conformance suites and drift reports."""

from __future__ import annotations

__all__: list[str] = []
