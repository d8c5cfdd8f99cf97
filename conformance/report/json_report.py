"""The drift report as JSON: stable keys, sorted entries, no timestamps."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from conformance.engine import ApiResult

__all__ = ["render_json", "report_data"]

FORMAT_VERSION = 2  # 2: per-operation coverage, "unchecked" and notes


def report_data(results: Sequence[ApiResult]) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "drift_found": any(r.drifts for r in results),
        "checked": all(r.unchecked is None for r in results),
        "apis": [
            {
                "api": r.api,
                "seed": r.seed,
                "operations_total": r.operations_total,
                "operations_covered": r.operations_covered,
                "operations_reached": r.operations_reached,
                "unchecked": r.unchecked,
                "notes": list(r.notes),
                "coverage": [
                    {
                        "operation": o.operation,
                        "answered": o.answered,
                        "succeeded": o.succeeded,
                        "refused": o.refused,
                        "not_found": o.not_found,
                        "unanswered": o.unanswered,
                    }
                    for o in r.coverage
                ],
                "test_cases": r.test_cases,
                "elapsed_seconds": round(r.elapsed, 3),
                "mock_seconds": None if r.mock_seconds is None else round(r.mock_seconds, 3),
                "failures_by_kind": r.failures_by_kind,
                "errors": list(r.errors),
                "drifts": [d.as_dict() for d in r.drifts],
                "cleanup": None
                if r.cleanup is None
                else {"created": r.cleanup.created, "deleted": r.cleanup.deleted, "left": list(r.cleanup.left)},
            }
            for r in results
        ],
    }


def render_json(results: Sequence[ApiResult]) -> str:
    return json.dumps(report_data(results), indent=2, sort_keys=True, default=str) + "\n"
