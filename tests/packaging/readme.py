"""The README's code blocks, by the section they stand in, so tests run exactly what it shows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from apimodel.project import ROOT

__all__ = ["README", "Block", "block", "blocks", "commands"]

README = ROOT / "README.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Block:
    section: str  # the ## heading above it
    language: str
    text: str


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        headings = re.findall(r"^## (.+)$", text[: match.start()], flags=re.MULTILINE)
        found.append(Block(headings[-1] if headings else "", match.group(1), match.group(2)))
    return found


def block(section: str, language: str, index: int = 0) -> str:
    """The ``index``-th ``language`` block of a section."""
    return [b.text for b in blocks() if b.section == section and b.language == language][index]


def commands(section: str, index: int = 0) -> list[str]:
    """The command lines of a section's bash block: comment lines dropped, trailing ``# ...`` comments cut."""
    lines = []
    for line in block(section, "bash", index).splitlines():
        command = re.sub(r"\s+#\s.*$", "", line).strip()
        if command and not command.startswith("#"):
            lines.append(command)
    return lines
