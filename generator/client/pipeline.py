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
) -> Generated:
    """Every file of the client package for ``spec``; raises ``SpecError`` if the spec cannot be loaded.

    ``label`` names the spec in headers (default: its display path), ``package`` the Python package (default
    ``<api>_client``), ``install_path`` the project folder the README installs from (default ``generated/<api>``).
    """
    document = load_spec(spec, label)
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
    return Generated(files, result.ir.diagnostics, operations, result.ir)
