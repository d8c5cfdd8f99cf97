"""``specforge validate``: openapi-spec-validator plus our own rules, as diagnostics."""

from __future__ import annotations

from generator.validation.run import Profile, validate_document, validate_path

__all__ = ["Profile", "validate_document", "validate_path"]
