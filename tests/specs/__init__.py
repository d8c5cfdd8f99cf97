"""Small specs written for these tests (no third-party spec is copied here)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BOOKSHOP"]

BOOKSHOP = Path(__file__).parent / "bookshop.yaml"
"""Plain OpenAPI 3.0.3 without x- hints: four operations on books, an API key header, one error schema."""
