"""RESULTS.md (a table a person reads) and results.json (every raw number) from one run's comparisons."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.stats import Comparison, Figure, advantage

__all__ = ["QualityCheck", "format_value", "load_json", "render_json", "render_markdown"]

_GROUP_TITLES = {
    "generation": "Generation (fresh process per run: wall time, peak RSS)",
    "client": "Client runtime",
    "mock": "Mock server",
    "conformance": "Conformance against the in-process mock",
}


@dataclass(frozen=True)
class QualityCheck:
    """Whether one tool's output for one spec imports and passes ``mypy --strict``."""

    case: str
    tool: str
    imports: str
    mypy: str
    notes: str = ""


def format_value(value: float, unit: str) -> str:
    """A number as a person reads it, in its unit."""
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "µs":
        return f"{value:.1f} µs" if value < 1000 else f"{value / 1000:.2f} ms"
    if unit == "MiB":
        return f"{value:.0f} MiB" if value >= 10 else f"{value:.1f} MiB"
    if unit in ("bytes", "answers"):
        return f"{value:,.0f} {unit}"
    if unit in ("req/s", "cases/s"):
        return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"
    return f"{value:.3g} {unit}".strip()


class _Notes:
    """Numbered footnotes, so that a failure's reason does not swell a table cell."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def cell(self, figure: Figure, unit: str) -> str:
        if figure.status == "ok" and figure.value is not None:
            spread = ""
            if len(figure.samples) > 1:
                spread = f" ({format_value(min(figure.samples), unit)}–{format_value(max(figure.samples), unit)})"
            return format_value(figure.value, unit) + spread
        if not figure.note:
            return figure.status
        reason = figure.note.replace("|", "\\|").replace("\n", " ")
        if reason in self.lines:
            return f"{figure.status} [{self.lines.index(reason) + 1}]"
        self.lines.append(reason)
        return f"{figure.status} [{len(self.lines)}]"


def _ratio_cell(comparison: Comparison) -> str:
    ratio = comparison.ratio
    if ratio is None:
        return "–"
    lead = advantage(comparison)
    if lead is None:
        return f"{ratio:.2f}"
    who, factor = lead
    return (
        f"{ratio:.2f} (**ours** {factor:.1f}× better)" if who == "ours" else f"{ratio:.2f} (peer {factor:.1f}× better)"
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def render_markdown(
    comparisons: Sequence[Comparison],
    quality: Sequence[QualityCheck],
    machine: Mapping[str, str],
    settings: Mapping[str, Any],
) -> str:
    """The whole RESULTS.md."""
    notes = _Notes()
    out = [
        "# specforge benchmarks",
        "",
        "Written by `python -m benchmarks` (or `specforge bench`); do not edit by hand. Each figure is the",
        f"median of {settings.get('repeat', '?')} repetitions (min–max in brackets; conformance:"
        f" {settings.get('conform_repeat', '?')}), ours and the peer's measured in the same run, alternating.",
        "**ratio** is ours ÷ peer: below 1 is better for times and memory, above 1 for throughput.",
        "Reproduce one row with the command in its last column; raw numbers are in `results.json`.",
        "",
        "## Machine",
        "",
        *_table(["", ""], [[key, value] for key, value in machine.items()]),
        "",
        *_load_note(machine, settings),
    ]
    for group in dict.fromkeys(c.group for c in comparisons):
        rows = [
            [
                c.case,
                c.metric,
                notes.cell(c.ours, c.unit),
                c.peer_name or "–",
                notes.cell(c.peer, c.unit) if c.peer_name else "–",
                _ratio_cell(c),
                f"`{c.reproduce}`" if c.reproduce else "",
            ]
            for c in comparisons
            if c.group == group
        ]
        out += [f"## {_GROUP_TITLES.get(group, group)}", ""]
        out += _table(["case", "metric", "ours", "peer", "peer's figure", "ratio", "reproduce"], rows)
        out.append("")
        if group == "generation" and quality:
            out += ["### Does the output import and pass `mypy --strict`?", ""]
            out += _table(
                ["spec", "tool", "imports", "mypy --strict", "notes"],
                [[q.case, q.tool, q.imports, q.mypy, q.notes] for q in quality],
            )
            out.append("")
    updates = settings.get("updates") or []
    if updates:
        out += ["## Rows re-measured after the full run", ""]
        out += [
            f"- `{u.get('command', '?')}` ({u.get('repeat', '?')} repetitions"
            + (f", {u['date']}, commit {u.get('commit') or '?'}" if u.get("date") else "")
            + (f", load average at start {u['load_start']}" if u.get("load_start") else "")
            + (
                f", other processes {u['others_share']:.0%} of all cores' time"
                if u.get("others_share") is not None
                else ""
            )
            + ")"
            for u in updates
        ]
        out.append("")
    if notes.lines:
        out += ["## Notes", ""]
        out += [f"{number}. {line}" for number, line in enumerate(notes.lines, start=1)]
        out.append("")
    return "\n".join(out)


OTHERS = "CPU used by other processes during the run"
BUSY_SHARE = 0.10  # other processes took more than this share of the cores' time: the figures are disturbed


def _load_note(machine: Mapping[str, str], settings: Mapping[str, Any]) -> list[str]:
    """A warning when other work kept the cores busy (in this run or in a re-measuring one): such figures are noisy
    and need a re-run on a quiet machine. Two signs: the CPU time other processes used during the run (the run's own
    servers and load generator excluded), and, for a run that did not measure it, the load average at the start or
    the end."""
    cores = int(machine["cores"]) if machine.get("cores", "").isdigit() else 0
    # the load average is only a sign where a run did not measure the others' share: it lags by a minute, so a run
    # started just after other work (or this benchmark's own last run) reads busy while the share says quiet
    texts = [text for key, text in machine.items() if key.startswith("load average")]
    texts = texts if settings.get("others_share") is None else []
    texts += [str(u.get("load_start") or "") for u in settings.get("updates") or [] if u.get("others_share") is None]
    loads = [float(v) for text in texts for v in text.split()[:1]]
    shares = [
        float(v)
        for v in [settings.get("others_share"), *(u.get("others_share") for u in settings.get("updates") or [])]
        if v is not None
    ]
    loaded = bool(cores and loads and max(loads) > cores / 2)
    shared = bool(shares and max(shares) > BUSY_SHARE)
    if not loaded and not shared:
        return []
    why = []
    if loaded:
        why.append(f"a 1-minute load average up to {max(loads):.1f} on {cores} cores")
    if shared:
        why.append(f"other processes used up to {max(shares):.0%} of all cores' time during a run")
    return [
        f"**The machine was busy**: {' and '.join(why)}.",
        "Absolute figures are low and noisy; ratios taken in the same run, alternating, are the",
        "better guide, and every figure here needs a re-run on a quiet machine before it is quoted as settled.",
        "",
    ]


def _figure_json(figure: Figure) -> dict[str, Any]:
    return {"status": figure.status, "median": figure.value, "samples": list(figure.samples), "note": figure.note}


def render_json(
    comparisons: Sequence[Comparison],
    quality: Sequence[QualityCheck],
    machine: Mapping[str, str],
    settings: Mapping[str, Any],
) -> str:
    """Every raw number of the run, for tools and for later comparison."""
    payload = {
        "machine": dict(machine),
        "settings": dict(settings),
        "comparisons": [
            {
                "key": c.key,
                "group": c.group,
                "case": c.case,
                "metric": c.metric,
                "unit": c.unit,
                "better": c.better,
                "ours": _figure_json(c.ours),
                "peer_name": c.peer_name,
                "peer": _figure_json(c.peer) if c.peer_name else None,
                "ratio": c.ratio,
                "reproduce": c.reproduce,
            }
            for c in comparisons
        ],
        "quality": [
            {"case": q.case, "tool": q.tool, "imports": q.imports, "mypy": q.mypy, "notes": q.notes} for q in quality
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _figure_from(data: Mapping[str, Any] | None) -> Figure:
    if data is None:
        return Figure.missing("not measured", "no peer for this measurement")
    return Figure(tuple(float(v) for v in data["samples"]), data["status"], data["note"])


def load_json(text: str) -> tuple[list[Comparison], list[QualityCheck], dict[str, Any]]:
    """Read back a results.json: its comparisons, quality checks and settings (for ``--update``)."""
    data = json.loads(text)
    comparisons = [
        Comparison(
            c["group"],
            c["case"],
            c["metric"],
            c["unit"],
            c["better"],
            _figure_from(c["ours"]),
            c["peer_name"],
            _figure_from(c["peer"]),
            c["reproduce"],
        )
        for c in data["comparisons"]
    ]
    quality = [QualityCheck(q["case"], q["tool"], q["imports"], q["mypy"], q.get("notes", "")) for q in data["quality"]]
    return comparisons, quality, dict(data["settings"])
