"""What ``generate`` does with a spec ``validate`` finds fault with: refuse it, or (forced) say what it did."""

from __future__ import annotations

from dataclasses import replace

from apimodel.diagnostics import Diagnostic, SpecError
from apimodel.loader import SpecDocument
from apimodel.project import resolve_spec
from generator.validation import validate_document

__all__ = ["FORCED", "preflight"]

# what the generator does with each kind of error when told --force
FORCED: dict[str, str] = {
    "unresolved-ref": "the type fell back to Any",
    "ref-cycle": "the types on the cycle fell back to Any",
    "undeclared-path-parameter": "the parameter was added as a required str",
    "duplicate-operation-id": "method names come from the paths",
    "example-invalid": "the example is left out of the docs",
}
_MISSING_INFO = "'info' is missing"
_DOCUMENTATION_ONLY = frozenset({"example-invalid"})


def _forced(diagnostic: Diagnostic) -> str:
    if diagnostic.code in FORCED:
        return FORCED[diagnostic.code]
    if diagnostic.message == _MISSING_INFO:
        return "the client is titled after the API name, version 0"
    return "generated as the spec is written; that part of the client is unchecked"


def preflight(document: SpecDocument, *, force: bool) -> list[Diagnostic]:
    """Every problem ``validate`` reports on ``document`` (our house rules for our specs).

    Raises :class:`SpecError` on an error unless ``force``; forced, each error says what generation did with it.
    """
    ours, _ = resolve_spec(str(document.path))
    found = validate_document(document, api=ours, profile="house" if ours else "generic")
    # An example that breaks its schema is wrong documentation, not a wrong contract: the client is the same
    # either way, so it is reported as a warning and does not stop generation (public specs carry many).
    found = [
        replace(d, severity="warning", hint=f"{d.hint}; the client does not depend on examples")
        if d.severity == "error" and d.code in _DOCUMENTATION_ONLY
        else d
        for d in found
    ]
    errors = [d for d in found if d.severity == "error"]
    if errors and not force:
        last = Diagnostic(
            document.label,
            "",
            "spec-invalid",
            f"{len(errors)} error(s): no client generated",
            "fix them, or pass --force to generate anyway",
        )
        raise SpecError([*found, last])
    return [replace(d, hint=f"generated anyway (--force): {_forced(d)}") if d.severity == "error" else d for d in found]
