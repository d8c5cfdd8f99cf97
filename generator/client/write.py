"""The only module that writes generated files to disk (and compares them for ``--check``)."""

from __future__ import annotations

import difflib
from pathlib import Path

__all__ = ["diff_tree", "write_tree"]

_IGNORED = ("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache")


def _existing(out: Path) -> set[str]:
    if not out.is_dir():
        return set()
    return {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not any(part in _IGNORED or part.endswith(".egg-info") for part in p.parts)
    }


def write_tree(out: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` under ``out``; remove files the generator no longer produces. Returns changed paths."""
    changed = []
    for stale in sorted(_existing(out) - set(files)):
        (out / stale).unlink()
        changed.append(stale)
    for relative, text in files.items():
        target = out / relative
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        changed.append(relative)
    return changed


def diff_tree(out: Path, files: dict[str, str], label: str) -> str:
    """A unified diff from what is on disk under ``out`` to ``files`` (empty when identical)."""
    chunks: list[str] = []
    for relative in sorted(_existing(out) | set(files)):
        path = out / relative
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        new = files.get(relative, "")
        if old != new:
            chunks.extend(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    fromfile=f"{label}/{relative}",
                    tofile=f"{label}/{relative} (regenerated)",
                )
            )
    return "".join(chunks)
