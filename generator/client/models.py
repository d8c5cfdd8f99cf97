"""Request and response models: datamodel-code-generator, used as a library, with open enums."""

from __future__ import annotations

import ast
import json
import re
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

from apimodel.diagnostics import Diagnostic
from generator.client.aliases import primitive_aliases
from generator.client.imports import after_imports
from generator.client.lazymodels import defer_builds

__all__ = ["empty_models", "fold_null_branches", "generate_models"]

_ENUM_BASES = {"str": "OpenStrEnum", "int": "OpenIntEnum", "float": "OpenEnum", "": "OpenEnum"}
# ``(str, Enum):``, also as the formatter wraps a long class name's bases over lines
_ENUM_BASE = re.compile(r"\(\s*(?:(str|int|float),\s*)?Enum,?\s*\):$", re.MULTILINE)


def empty_models(header: str) -> str:
    """The ``types`` module of a spec without component schemas."""
    return f"{header}\n\nfrom __future__ import annotations\n\n__all__: list[str] = []\n"


def _is_null_only(node: Any) -> bool:
    """OpenAPI 3.0's way of saying "null" in a union: ``{type: T, nullable: true, enum: [null]}``."""
    return isinstance(node, dict) and node.get("nullable") is True and node.get("enum") == [None]


def fold_null_branches(node: Any) -> Any:
    """A copy of ``node`` where a union with a null-only branch becomes the rest of the union, nullable.

    ``anyOf: [{$ref: X}, {type: object, nullable: true, enum: [null]}]`` is how a spec says "X or null" in a way
    every validator agrees on; datamodel-code-generator would make the null branch a model of its own, so the
    models see ``allOf: [{$ref: X}], nullable: true`` (``X | None``) instead. Validation keeps the spec as written.
    """
    if isinstance(node, list):
        return [fold_null_branches(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: fold_null_branches(value) for key, value in node.items()}
    for key in ("anyOf", "oneOf"):
        branches = out.get(key)
        if isinstance(branches, list) and len(branches) > 1 and any(_is_null_only(b) for b in branches):
            rest = [b for b in branches if not _is_null_only(b)]
            del out[key]
            if len(rest) == 1:
                out["allOf"] = [*out.get("allOf", []), rest[0]]
            else:
                out[key] = rest
            out["nullable"] = True
    return out


_RUFF_SETTINGS = 'line-length = 120\ntarget-version = "py311"\n'


def _run(text: str, header: str, metadata_path: Path) -> Any:
    # imported here: datamodel-code-generator takes seconds to import, and only generation needs it
    from datamodel_code_generator import Formatter, InputFileType, NamingStrategy, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType

    # ruff format reads its settings from a folder; ours, not the caller's working directory, so the
    # output is the same wherever ``specforge generate`` runs
    settings = metadata_path.parent
    (settings / "ruff.toml").write_text(_RUFF_SETTINGS, encoding="utf-8")
    return generate(
        text,
        settings_path=settings,
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        emit_model_metadata=metadata_path,
        disable_timestamp=True,
        custom_file_header=header,
        use_subclass_enum=True,
        use_specialized_enum=False,
        extra_fields="allow",
        field_constraints=True,
        use_double_quotes=True,
        treat_dot_as_module=False,
        formatters=[Formatter.RUFF_FORMAT],
        allow_population_by_field_name=True,
        set_default_enum_member=True,
        use_annotated=True,
        collapse_root_models=True,
        # an inline schema is named after its parent (``InvoiceStatus``), not numbered (``Status1``)
        naming_strategy=NamingStrategy.ParentPrefixed,
    )


def generate_models(label: str, text: str, header: str, diagnostics: list[Diagnostic]) -> tuple[str, dict[str, str]]:
    """The ``types`` module source, and component schema name → the model class generated for it."""
    with tempfile.TemporaryDirectory(prefix="specforge-models-") as folder:
        metadata_path = Path(folder) / "models.json"
        try:
            with warnings.catch_warnings(record=True) as caught:  # the library's notes become our diagnostics
                warnings.simplefilter("always")
                source = _run(text, header, metadata_path)
            metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
        except Exception as exc:  # datamodel-code-generator raises many types; one diagnostic, the rest generates
            message = " ".join(str(exc).split())[:240] or type(exc).__name__
            diagnostics.append(
                Diagnostic(label, "/components/schemas", "models-failed", f"models could not be generated: {message}",
                           "methods use plain dicts for these types", "warning")
            )  # fmt: skip
            return empty_models(header), {}
    for note in sorted({" ".join(str(w.message).split())[:240] for w in caught}):
        diagnostics.append(
            Diagnostic(label, "/components/schemas", "model-note", note, "the model is generated without it", "warning")
        )
    if not isinstance(source, str):
        diagnostics.append(
            Diagnostic(label, "/components/schemas", "models-failed", "models span several modules",
                       "rename schemas whose names contain dots", "warning")
        )  # fmt: skip
        return empty_models(header), {}
    prefix = "#/components/schemas/"
    names = {
        str(m["source_ref"])[len(prefix) :].replace("~1", "/").replace("~0", "~"): str(m["class_name"])
        for m in metadata.get("models", [])
        if str(m.get("source_ref", "")).startswith(prefix) and m.get("source_path", [None] * 4)[3:] == []
    }
    # EmailStr needs the optional email-validator package; an e-mail address is a plain string to the client
    source, aliases = primitive_aliases(re.sub(r"\bEmailStr\b", "str", source))
    source = _required_overrides(defer_builds(_sort_imports(_builtin_generics(_enum_members(_open_enums(source))))))
    tree = ast.parse(source)
    defined = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    defined |= {
        t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)
    }
    defined.discard("model_config")
    names = {k: v for k, v in names.items() if v in defined and v not in aliases}
    source += "\n\n__all__ = [\n" + "".join(f'    "{name}",\n' for name in sorted(defined)) + "]\n"
    return source, names


_OVERRIDE_NOTE = "  # pyright: ignore[reportGeneralTypeIssues]"


def _required_overrides(source: str) -> str:
    """A model that makes its base's optional field required (``allOf`` with ``required``) is what the schema says,
    and pydantic builds it; pyright reads the missing default as a mistake, so that line says it is meant."""
    tree = ast.parse(source)
    defaults: dict[str, dict[str, bool]] = {}  # class → field → has a default, inherited fields included
    marked: set[int] = set()
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        inherited: dict[str, bool] = {}
        for base in node.bases:
            if isinstance(base, ast.Name):
                inherited |= defaults.get(base.id, {})
        own = {
            s.target.id: s.value is not None
            for s in node.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
        }
        marked |= {
            s.lineno - 1
            for s in node.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name) and s.value is None
            if inherited.get(s.target.id)
        }
        defaults[node.name] = inherited | own
    if not marked:
        return source
    lines = source.splitlines(keepends=True)
    for index in marked:
        lines[index] = lines[index].rstrip("\n") + _OVERRIDE_NOTE + "\n"
    return "".join(lines)


_ENUM_PROPERTIES = ("name", "value")  # every enum member has these; a member of that name hides one


def _enum_members(source: str) -> str:
    """An enum member called ``name`` or ``value`` (Adyen's field names) becomes ``name_``/``value_``: Python allows
    it, but then ``Member.name`` means two things and pyright refuses the class. The value sent stays the same."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    renamed: list[tuple[str, str]] = []
    enums = set(_ENUM_BASES.values())
    for node in tree.body:
        if not (isinstance(node, ast.ClassDef) and {getattr(b, "id", "") for b in node.bases} & enums):
            continue
        for s in node.body:
            target = s.targets[0] if isinstance(s, ast.Assign) and len(s.targets) == 1 else None
            if isinstance(target, ast.Name) and target.id in _ENUM_PROPERTIES:
                line = lines[target.lineno - 1]
                lines[target.lineno - 1] = f"{line[: target.col_offset]}{target.id}_{line[target.end_col_offset :]}"
                renamed.append((node.name, target.id))
    source = "".join(lines)
    for enum, member in renamed:
        source = re.sub(rf"\b{enum}\.{member}\b(?!_)", f"{enum}.{member}_", source)
    return source


def _open_enums(source: str) -> str:
    """Enums accept values the spec does not list (pseudo-members), so additive API changes never break parsing."""
    used: set[str] = set()

    def swap(match: re.Match[str]) -> str:
        base = _ENUM_BASES[match.group(1) or ""]
        used.add(base)
        return f"({base}):"

    source = _ENUM_BASE.sub(swap, source)
    if used:
        source = re.sub(r"^from enum import Enum\n", "", source, flags=re.MULTILINE)
        line = f"\n\nfrom .._types import {', '.join(sorted(used))}"
        source = re.sub(
            r"^(from pydantic import (?:\([^)]*\)|.*))$",
            lambda m: m.group(1) + line,
            source,
            count=1,
            flags=re.MULTILINE,
        )
    return source


def _sort_imports(source: str) -> str:
    """One import block in isort order (future, standard library, third party, local), one import per line."""
    tree = ast.parse(source)
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    if not imports:
        return source
    lines = source.splitlines(keepends=True)
    first, last = imports[0].lineno - 1, (imports[-1].end_lineno or imports[-1].lineno)
    if any(not isinstance(n, ast.Import | ast.ImportFrom) for n in tree.body if first < n.lineno - 1 < last):
        return source

    def group(node: ast.Import | ast.ImportFrom) -> int:
        module = node.module or "" if isinstance(node, ast.ImportFrom) else node.names[0].name
        if isinstance(node, ast.ImportFrom) and node.level:
            return 3
        if module == "__future__":
            return 0
        return 1 if module.split(".")[0] in sys.stdlib_module_names else 2

    groups: dict[int, list[str]] = {}
    for node in imports:
        if isinstance(node, ast.ImportFrom):
            node.names = [alias for alias in node.names if alias.name != "str"]
            if not node.names:
                continue
        groups.setdefault(group(node), []).append(ast.unparse(node))
    block = "\n\n".join(
        "\n".join(sorted(set(groups[k]), key=lambda t: (t.startswith("from "), t))) for k in sorted(groups)
    )
    rest = "".join(lines[last:]).lstrip("\n")
    return "".join(lines[:first]) + block + "\n" + after_imports(rest) + rest


def _builtin_generics(source: str) -> str:
    """``Dict[str, X]`` (which the generator still writes for typed extra fields) as ``dict[str, X]``."""
    if "Dict[" not in source:
        return source
    source = re.sub(r"\bDict\[", "dict[", source)
    source = re.sub(r"^from typing import Dict\n", "", source, flags=re.MULTILINE)
    return re.sub(r"^(from typing import .*)\bDict, |, Dict\b", lambda m: m.group(1) or "", source, flags=re.MULTILINE)
