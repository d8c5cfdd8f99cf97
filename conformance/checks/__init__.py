"""Our checks for what the specs promise beyond single responses (importing this registers them)."""

from __future__ import annotations

from conformance.checks.registry import EXTRA_CHECKS, DriftFailure, ExtraCheck, extra_check

__all__ = ["EXTRA_CHECKS", "DriftFailure", "ExtraCheck", "extra_check"]

from conformance.checks import replays, responses, sequences  # noqa: F401  (registers the checks)
