"""Test-session ordering for the whole suite (tests/ and conformance/)."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked slow run first, the rest after, each group in its own order: pytest-xdist hands tests out in
    this order, so the minute-long ones start while both workers are free instead of one of them ending the run
    alone (with ``--dist worksteal``, set in pyproject.toml, so that the worker given the slow half is relieved)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
