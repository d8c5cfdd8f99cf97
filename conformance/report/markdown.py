"""The drift report as Markdown: one section per API, entries grouped by operation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby

from conformance.drift import DRIFT_KINDS, Drift
from conformance.engine import ApiResult

__all__ = ["render_markdown"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _entry(drift: Drift) -> list[str]:
    lines = [
        f"#### `{drift.kind}` ({drift.check})" + (f", seen {drift.occurrences} times" if drift.occurrences > 1 else ""),
        "",
        f"- **where in the spec:** `{drift.pointer}`",
        f"- **the spec says:** {_cell(drift.spec_says)}",
        f"- **the API did:** {_cell(drift.api_did)}",
    ]
    if drift.curl:
        lines += ["", "```sh", drift.curl, "```"]
    if drift.patch is not None:
        lines += ["", f"Suggested spec change ({drift.patch.why}):", "", "```json"]
        lines += [json.dumps(list(drift.patch.operations), indent=2, default=str), "```"]
    return [*lines, ""]


def render_markdown(results: Sequence[ApiResult]) -> str:
    total = sum(len(r.drifts) for r in results)
    unchecked = [r for r in results if r.unchecked is not None]
    lines = ["# Conformance drift report", ""]
    if total:
        lines.append(f"{total} drift(s) found in {len(results)} API(s).")
    elif unchecked:
        lines.append("Nothing was checked for " + ", ".join(r.api for r in unchecked) + ": no drift is not a pass.")
    else:
        lines.append("No drift found.")
    lines += [
        "",
        "| API | operations reached (2xx) | operations answered | test cases | drift | errors | time |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        kinds = ", ".join(f"{k} {n}" for k, n in r.failures_by_kind.items()) or "none"
        lines.append(
            f"| {r.api} | {r.operations_reached}/{r.operations_total} | {r.operations_covered}/{r.operations_total} "
            f"| {r.test_cases} | {kinds} | {len(r.errors)} | {r.elapsed:.1f}s |"
        )
    lines.append("")
    for r in results:
        lines += [f"- {r.api}: **not checked**: {_cell(r.unchecked)}"] if r.unchecked else []
        lines += [f"- {r.api}: {_cell(note)}" for note in r.notes]
        missed = [o for o in r.coverage if not o.reached]
        if missed:
            lines.append(f"- {r.api}: {len(missed)} operation(s) never answered with a 2xx, so their success")
            lines.append("  responses were not checked: " + ", ".join(f"`{o.operation}`" for o in missed[:20]))
            lines[-1] += f" and {len(missed) - 20} more" if len(missed) > 20 else ""
    lines.append("")
    for r in results:
        if r.cleanup is not None:
            lines += [f"- {r.api}: {r.cleanup.summary()}", *(f"  - left: {_cell(item)}" for item in r.cleanup.left)]
    if any(r.cleanup is not None for r in results):
        lines.append("")
    for r in results:
        if not r.drifts and not r.errors:
            continue
        lines += [f"## {r.api}", "", f"Seed {r.seed}; rerun with the same seed to reproduce.", ""]
        for error in r.errors:
            lines.append(f"- run error: {_cell(error)}")
        if r.errors:
            lines.append("")
        for operation, entries in groupby(sorted(r.drifts, key=lambda d: d.operation), key=lambda d: d.operation):
            items = list(entries)
            op_id = items[0].operation_id
            lines += [f"### {operation}" + (f" (`{op_id}`)" if op_id else ""), ""]
            for drift in items:
                lines += _entry(drift)
    kinds_seen = sorted({d.kind for r in results for d in r.drifts})
    if kinds_seen:
        lines += ["## Kinds", ""] + [f"- `{k}`: {DRIFT_KINDS[k]}" for k in kinds_seen] + [""]
    return "\n".join(lines)
