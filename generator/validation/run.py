"""Run every validation rule over one document and collect the diagnostics."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Literal

from apimodel import build_api
from apimodel.diagnostics import Diagnostic, SpecError
from apimodel.diagnostics.oneof import check_oneofs
from apimodel.loader import SpecDocument, load_spec
from apimodel.project import resolve_spec
from generator.validation.examples import check_examples
from generator.validation.operations import check_house_operations, check_operation_ids
from generator.validation.portable import check_portability
from generator.validation.references import check_references, check_unused_components
from generator.validation.schema import schema_diagnostics
from generator.validation.seeds import check_seed_coverage

__all__ = ["Profile", "validate_document", "validate_path"]

Profile = Literal["house", "generic"]
"""``house``: our own specs, held to specs/README.md. ``generic``: any OpenAPI document."""


def validate_document(document: SpecDocument, *, api: str | None, profile: Profile) -> list[Diagnostic]:
    label, data = document.label, document.data
    found: list[Diagnostic] = list(check_references(label, data))
    if not found:  # the schema validator raises on dangling references
        found.extend(schema_diagnostics(label, data))
    unused = check_unused_components(label, data)
    found.extend(unused if profile == "house" else (replace(d, severity="warning") for d in unused))
    found.extend(check_operation_ids(label, data, required=profile == "house"))
    found.extend(check_examples(label, data, require=profile == "house"))
    found.extend(check_portability(label, data))
    found.extend(check_oneofs(label, data))
    if profile == "house":
        found.extend(check_house_operations(label, build_api(document, api or Path(label).stem)))
        if api is not None:
            found.extend(check_seed_coverage(label, data, api))
    return sorted(set(found), key=lambda d: (d.file, d.pointer, d.code, d.message))


def validate_path(
    name_or_path: str | Path, *, profile: Profile | None = None
) -> tuple[SpecDocument | None, list[Diagnostic]]:
    """Load and validate; never raises for a bad file (its problem is the one diagnostic)."""
    api, path = resolve_spec(str(name_or_path))
    try:
        document = load_spec(path)
    except SpecError as exc:
        return None, list(exc.diagnostics)
    chosen: Profile = profile or ("house" if api is not None else "generic")
    return document, validate_document(document, api=api, profile=chosen)
