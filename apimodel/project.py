"""Where this project keeps its specs, templates and generated packages."""

from __future__ import annotations

from pathlib import Path

__all__ = ["API_NAMES", "GENERATED_DIR", "ROOT", "SPECS_DIR", "TEMPLATES_DIR", "display_path", "resolve_spec"]

ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = ROOT / "specs"
TEMPLATES_DIR = ROOT / "templates"
GENERATED_DIR = ROOT / "generated"

API_NAMES: tuple[str, ...] = ("facturare", "econt", "efactori", "bitfaktura", "cloudinvoice")


def resolve_spec(name_or_path: str) -> tuple[str | None, Path]:
    """Map ``bitfaktura`` to ``specs/bitfaktura.yaml``; anything else is taken as a path.

    Returns the API name (``None`` for a foreign spec) and the file path.
    """
    if name_or_path in API_NAMES:
        return name_or_path, SPECS_DIR / f"{name_or_path}.yaml"
    path = Path(name_or_path)
    if path.resolve().parent == SPECS_DIR.resolve() and path.stem in API_NAMES:
        return path.stem, path
    return None, path


def display_path(path: Path) -> str:
    """A path as users should see it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
