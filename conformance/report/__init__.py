"""The drift report: Markdown for people, JSON for tools, JUnit XML for CI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from conformance.engine import ApiResult
from conformance.report.json_report import render_json
from conformance.report.junit import render_junit
from conformance.report.markdown import render_markdown

__all__ = ["render_json", "render_junit", "render_markdown", "write_reports"]


def write_reports(results: Sequence[ApiResult], directory: Path) -> list[Path]:
    """Write ``drift.md``, ``drift.json`` and ``junit.xml`` into ``directory``; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (
        ("drift.md", render_markdown(results)),
        ("drift.json", render_json(results)),
        ("junit.xml", render_junit(results)),
    ):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
