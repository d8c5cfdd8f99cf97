"""Import lines written the way isort (ruff's ``I`` rules) wants them, for every generated module."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = ["after_imports", "by_type", "from_import", "isort_key", "natural"]


def isort_key(name: str) -> tuple[str, str]:
    return name.lower(), name


def by_type(name: str) -> tuple[int, str]:
    """isort's order by type: CONSTANTS, then Classes, then the rest."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def natural(text: str) -> list[int | str]:
    """isort's natural order of module names: ``application2`` before ``application10``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text.lower())]


def from_import(module: str, names: Iterable[str], indent: str = "", key: Callable[[str], object] = isort_key) -> str:
    """``from module import a, b``, sorted, wrapped in parentheses past 120 characters."""
    ordered = sorted(names, key=key)  # type: ignore[arg-type]
    line = f"{indent}from {module} import {', '.join(ordered)}"
    if len(line) <= 120:
        return line
    inner = "".join(f"{indent}    {name},\n" for name in ordered)
    return f"{indent}from {module} import (\n{inner}{indent})"


def after_imports(code: str) -> str:
    """The blank lines isort wants between an import block and ``code``: two before a class or function, else one."""
    return "\n\n" if code.lstrip("\n").startswith(("class ", "def ", "async def ", "@")) else "\n"
