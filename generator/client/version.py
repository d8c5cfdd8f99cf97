"""A generated package's version: the spec's ``info.version`` followed by the generator's, as PEP 440 numbers."""

from __future__ import annotations

import re

__all__ = ["package_version"]


def _three(version: str) -> str:
    numbers = [str(int(n)) for n in re.findall(r"\d+", version)[:3]]
    return ".".join(numbers + ["0"] * (3 - len(numbers)))


def package_version(spec_version: str, generator_version: str) -> str:
    """``2024-12`` from specforge ``0.1.0`` is ``2024.12.0.0.1.0``: three numbers of the spec's version (missing ones
    are 0, words dropped: ``v3`` is ``3.0.0``), then three of the generator's. A new spec version or a new generator
    gives a higher version, so ``pip install -U`` picks up either; no local part, so any index accepts it."""
    return f"{_three(spec_version)}.{_three(generator_version)}"
