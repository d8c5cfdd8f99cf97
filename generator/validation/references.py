"""Rules on ``$ref``: every one resolves, every component is used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apimodel.diagnostics import Diagnostic, join_pointer
from apimodel.loader import resolve_pointer
from apimodel.walk import iter_refs, local_ref_target

__all__ = ["check_references", "check_unused_components", "ref_cycles"]


def ref_cycles(data: dict[str, Any]) -> list[list[str]]:
    """Chains of ``$ref`` that come back to where they started with nothing in between (``A: {$ref: B}``,
    ``B: {$ref: A}``): each cycle once, as the pointers of its members, smallest first."""
    cycles: dict[tuple[str, ...], list[str]] = {}
    for ref, where in iter_refs(data):
        chain = [where]
        target = local_ref_target(ref)
        while target is not None and target not in chain:
            chain.append(target)
            try:
                node = resolve_pointer(data, target)
            except KeyError:
                target = None
                break
            next_ref = node.get("$ref") if isinstance(node, dict) else None
            target = local_ref_target(next_ref) if isinstance(next_ref, str) else None
        if target is not None and target in chain:
            members = chain[chain.index(target) :]
            start = members.index(min(members))
            cycles.setdefault(tuple(sorted(members)), members[start:] + members[:start])
    return sorted(cycles.values())


def check_references(label: str, data: dict[str, Any]) -> Iterator[Diagnostic]:
    for members in ref_cycles(data):
        yield Diagnostic(
            label,
            members[0],
            "ref-cycle",
            "'$ref' chain comes back to itself: " + " -> ".join(members + members[:1]),
            "give one of them a schema of its own (a recursive schema needs a property between the references)",
        )
    for ref, where in iter_refs(data):
        target = local_ref_target(ref)
        if target is None:
            yield Diagnostic(
                label,
                where,
                "unresolved-ref",
                f"'$ref: {ref}' points outside this file",
                "inline the referenced definition; external references are not followed",
            )
            continue
        try:
            resolve_pointer(data, target)
        except KeyError:
            yield Diagnostic(
                label,
                where,
                "unresolved-ref",
                f"'$ref: {ref}' points to nothing",
                "define it under components or fix the name",
            )


def _used_security_schemes(data: dict[str, Any]) -> set[str]:
    used: set[str] = set()
    requirements: list[Any] = list(data.get("security") or [])
    for item in (data.get("paths") or {}).values():
        if isinstance(item, dict):
            for operation in item.values():
                if isinstance(operation, dict):
                    requirements.extend(operation.get("security") or [])
    for requirement in requirements:
        if isinstance(requirement, dict):
            used.update(str(name) for name in requirement)
    return used


def check_unused_components(label: str, data: dict[str, Any]) -> Iterator[Diagnostic]:
    components = data.get("components") or {}
    if not isinstance(components, dict):
        return
    # A component counts as used when something outside it refers to it, directly or through
    # other used components: walk from everything that is not a component.
    referenced: set[str] = set()
    roots = {key: value for key, value in data.items() if key != "components"}
    pending = [target for ref, _ in iter_refs(roots) if (target := local_ref_target(ref))]
    while pending:
        target = pending.pop()
        if target in referenced:
            continue
        referenced.add(target)
        try:
            node = resolve_pointer(data, target)
        except KeyError:
            continue
        pending.extend(t for ref, _ in iter_refs(node) if (t := local_ref_target(ref)))
    security = _used_security_schemes(data)
    for section, entries in sorted(components.items()):
        if not isinstance(entries, dict):
            continue
        for name in sorted(entries):
            if section == "securitySchemes":
                if name in security:
                    continue
            elif join_pointer("components", section, name) in referenced:
                continue
            yield Diagnostic(
                label,
                join_pointer("components", section, name),
                "unused-component",
                f"{section} '{name}' is never referenced",
                "reference it or remove it",
            )
