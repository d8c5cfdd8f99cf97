"""Where this project keeps its specs, templates and generated packages.

The specs and templates ship inside the ``specforge`` package of an installed wheel (package data, found
through ``importlib.resources``); in a checkout, and in an editable install of one, they are the top-level
``specs/`` and ``templates/`` folders, which stay the only source. ``generated/`` exists only in a checkout.
"""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path

__all__ = [
    "API_NAMES",
    "CHECKOUT",
    "GENERATED_DIR",
    "ROOT",
    "SPECS_DIR",
    "TEMPLATES_DIR",
    "display_path",
    "resolve_spec",
    "split_target",
]

ROOT = Path(__file__).resolve().parent.parent


def _shipped(folder: str) -> Path:
    """``specs`` or ``templates``: the installed package's copy when there is one, else the checkout's folder."""
    packaged = importlib.resources.files("specforge") / folder
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged.resolve()
    return ROOT / folder


SPECS_DIR = _shipped("specs")
TEMPLATES_DIR = _shipped("templates")
CHECKOUT: Path | None = ROOT if (ROOT / "pyproject.toml").is_file() and (ROOT / "specs").is_dir() else None
"""The specforge checkout this code runs from (an editable install is one); ``None`` for an installed wheel."""
GENERATED_DIR = ROOT / "generated"

API_NAMES: tuple[str, ...] = ("facturare", "econt", "efactori", "bitfaktura", "cloudinvoice")

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def split_target(target: str | Path) -> tuple[str | Path, str | None]:
    """``NAME=PATH`` names a spec file's API; anything else (an API name, a path) has no name of its own."""
    if isinstance(target, str):
        name, sep, path = target.partition("=")
        if sep and _NAME.fullmatch(name) and not Path(target).exists():
            return path, name
    return target, None


def resolve_spec(name_or_path: str) -> tuple[str | None, Path]:
    """Map ``bitfaktura`` to ``specs/bitfaktura.yaml``; anything else is taken as a path.

    Returns the API name (``None`` for a foreign spec) and the file path.
    """
    if name_or_path in API_NAMES:
        return name_or_path, SPECS_DIR / f"{name_or_path}.yaml"
    path = Path(name_or_path)
    if path.resolve().parent == SPECS_DIR and path.stem in API_NAMES:
        return path.stem, path
    return None, path


def display_path(path: Path) -> str:
    """A path as users should see it: ``specs/…`` for ours (installed or not), relative to the checkout when
    inside it, else as given. Never relative to the current folder: generated headers must not depend on it."""
    resolved = path.resolve()
    if resolved.is_relative_to(SPECS_DIR):
        return f"specs/{resolved.relative_to(SPECS_DIR).as_posix()}"
    if CHECKOUT is not None and resolved.is_relative_to(CHECKOUT):
        return str(resolved.relative_to(CHECKOUT))
    return str(path)
