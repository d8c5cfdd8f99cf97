"""The names a user keeps beside a spec (``<spec>.names.yaml``), so regeneration never renames silently.

```yaml
operations:                       # an operationId, or "METHOD /path"
  getTopic: {resource: topics, method: retrieve}
  "PUT /t/-/{id}.json": {method: update_title}
models:                           # a generated model class name -> the name to use
  Item53: TopicPoster
```

Only names change: an operation keeps its role (list, create, an action...) and its pagination.
"""

from __future__ import annotations

import keyword
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from io import StringIO
from pathlib import Path
from typing import Any

import yaml

from apimodel import Operation as ModelOperation
from apimodel.diagnostics import Diagnostic, escape_pointer
from apimodel.facts import Reason

__all__ = ["NameOverrides", "apply_to_models", "apply_to_operations", "load_names", "names_path"]

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_RESOURCE = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")
_CLASS = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class NameOverrides:
    file: str = ""
    operations: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # key -> (resource, method)
    models: dict[str, str] = field(default_factory=dict)


def names_path(spec: Path) -> Path:
    """``specs/forum.yaml`` → ``specs/forum.names.yaml`` (also for ``.json`` and ``.yml`` specs)."""
    return spec.with_name(f"{spec.stem}.names.yaml")


def _problem(file: str, pointer: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(file, pointer, "names-file", message, f"{hint}; the entry is ignored", "error")


def load_names(spec: Path, spec_label: str, diagnostics: list[Diagnostic]) -> NameOverrides:
    """The overrides beside ``spec`` (none if there is no such file); each problem is a diagnostic naming the
    file as ``spec_label``'s sibling, and the rest applies."""
    path = names_path(spec)
    if not path.is_file():
        return NameOverrides()
    label = names_path(Path(spec_label)).as_posix()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split())[:200]
        diagnostics.append(_problem(label, "", f"cannot be read: {reason}", "fix the file or remove it"))
        return NameOverrides(label)
    if data is None:
        return NameOverrides(label)
    if not isinstance(data, dict) or set(data) - {"operations", "models"}:
        diagnostics.append(
            _problem(label, "", "expected a mapping with the keys 'operations' and 'models'", "see the README")
        )
        return NameOverrides(label)
    return NameOverrides(
        label, _operations(label, data.get("operations") or {}, diagnostics), _models(label, data, diagnostics)
    )


def _operations(label: str, raw: Any, diagnostics: list[Diagnostic]) -> dict[str, tuple[str | None, str | None]]:
    if not isinstance(raw, dict):
        diagnostics.append(_problem(label, "/operations", "expected a mapping", "operationId: {resource, method}"))
        return {}
    found: dict[str, tuple[str | None, str | None]] = {}
    for key, entry in raw.items():
        pointer = f"/operations/{escape_pointer(str(key))}"
        if not isinstance(entry, dict) or not entry or set(entry) - {"resource", "method"}:
            diagnostics.append(_problem(label, pointer, "expected {resource: ..., method: ...}", "give one or both"))
            continue
        resource, method = entry.get("resource"), entry.get("method")
        if resource is not None and not (isinstance(resource, str) and _RESOURCE.match(resource)):
            diagnostics.append(
                _problem(label, f"{pointer}/resource", f"{resource!r} is no resource name", "snake_case, dots nest")
            )
            continue
        if method is not None and not (
            isinstance(method, str) and _IDENTIFIER.match(method) and not keyword.iskeyword(method)
        ):
            diagnostics.append(
                _problem(label, f"{pointer}/method", f"{method!r} is no method name", "a snake_case identifier")
            )
            continue
        found[str(key)] = (resource, method)
    return found


def _models(label: str, data: dict[str, Any], diagnostics: list[Diagnostic]) -> dict[str, str]:
    raw = data.get("models") or {}
    if not isinstance(raw, dict):
        diagnostics.append(_problem(label, "/models", "expected a mapping", "GeneratedName: WantedName"))
        return {}
    found: dict[str, str] = {}
    for old, new in raw.items():
        if not (isinstance(new, str) and _CLASS.match(new) and not keyword.iskeyword(new)):
            where = f"/models/{escape_pointer(str(old))}"
            diagnostics.append(_problem(label, where, f"{new!r} is no class name", "a Python class name"))
            continue
        found[str(old)] = new
    return found


def apply_to_operations(
    operations: Sequence[ModelOperation], names: NameOverrides, diagnostics: list[Diagnostic]
) -> list[ModelOperation]:
    """``operations`` with the resources and methods the file names; an entry matching nothing is a warning."""
    if not names.operations:
        return list(operations)
    used: set[str] = set()
    out = []
    for op in operations:
        key = next((k for k in (op.operation_id, f"{op.method} {op.path}") if k and k in names.operations), None)
        if key is None:
            out.append(op)
            continue
        used.add(key)
        resource, method = names.operations[key]
        why = Reason("hint", f"{names.file}: {key}")
        reasons = tuple(
            (fact, why) if (fact == "resource" and resource) or (fact == "action" and method) else (fact, reason)
            for fact, reason in op.reasons
        )
        out.append(
            replace(
                op,
                resource=resource or op.resource,
                namespace=None if resource else op.namespace,
                action=method or op.action,
                reasons=reasons,
            )
        )
    for key in sorted(set(names.operations) - used):
        diagnostics.append(
            Diagnostic(names.file, f"/operations/{escape_pointer(key)}", "names-file",
                       f"no operation has the operationId or method and path {key!r}", "the entry is ignored",
                       "warning")
        )  # fmt: skip
    return out


def apply_to_models(
    source: str, kept: dict[str, str], names: NameOverrides, diagnostics: list[Diagnostic]
) -> tuple[str, dict[str, str]]:
    """The models source and the schema → class map with the classes the file renames."""
    if not names.models:
        return source, kept
    tokens = tokenize.generate_tokens(StringIO(source).readline)
    tree_names = {tok.string for tok in tokens if tok.type == tokenize.NAME}
    renames = {old: new for old, new in names.models.items() if old in tree_names}
    for old in sorted(set(names.models) - set(renames)):
        diagnostics.append(
            Diagnostic(names.file, f"/models/{escape_pointer(old)}", "names-file",
                       f"no generated model is named {old!r}", "the entry is ignored", "warning")
        )  # fmt: skip
    clashes = sorted(new for new in renames.values() if new in tree_names)
    if clashes:
        diagnostics.append(
            _problem(names.file, "/models", f"{', '.join(clashes)} already named in the models", "pick another name")
        )
        renames = {old: new for old, new in renames.items() if new not in clashes}
    if not renames:
        return source, kept
    # the class, its uses in annotations and its entry in ``__all__``; never an attribute (``.Item53``)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, sorted(renames))) + r")(?!\w)")
    return pattern.sub(lambda m: renames[m.group(1)], source), {k: renames.get(v, v) for k, v in kept.items()}
