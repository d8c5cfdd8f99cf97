"""One call from a spec file to a package's files: load → IR → models → render."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from apimodel.diagnostics import Diagnostic
from apimodel.loader import load_spec
from apimodel.project import TEMPLATES_DIR
from generator.client.build import build_client
from generator.client.ir import ClientIR
from generator.client.preflight import preflight
from generator.client.render import Templates, load_templates, render

__all__ = ["Generated", "generate_files"]


@dataclass(frozen=True)
class Generated:
    files: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]
    operations: int
    ir: ClientIR


def generate_files(
    spec: Path,
    *,
    api: str,
    regenerate: str,
    generator_version: str,
    templates: Templates | None = None,
    label: str | None = None,
    package: str | None = None,
    install_path: str | None = None,
    force: bool = False,
) -> Generated:
    """Every file of the client package for ``spec``; raises ``SpecError`` if the spec cannot be loaded.

    ``label`` names the spec in headers (default: its display path), ``package`` the Python package (default
    ``<api>_client``), ``install_path`` the project folder the README installs from (default ``generated/<api>``).
    A spec with errors ``validate`` would report raises ``SpecError`` too, unless ``force`` (then each error says
    what generation did with it).
    """
    document = load_spec(spec, label)
    checked = preflight(document, force=force)
    result = build_client(document, api=api, regenerate=regenerate, package=package)
    files = render(
        result.ir,
        result.models_source,
        templates or load_templates(TEMPLATES_DIR),
        generator_version,
        hashlib.sha256(document.raw).hexdigest(),
        install_path=install_path,
    )
    operations = json.loads(files[f"{result.ir.package}/_provenance.json"])["operations"]
    diagnostics = tuple(sorted(set(checked) | set(result.ir.diagnostics), key=_order))
    return Generated(files, diagnostics, operations, result.ir)


def _order(diagnostic: Diagnostic) -> tuple[bool, str, str, str]:
    return diagnostic.severity != "error", diagnostic.pointer, diagnostic.code, diagnostic.message
