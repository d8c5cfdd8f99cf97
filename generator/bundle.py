"""``specforge bundle``: each spec as one self-contained YAML and JSON file with a version, for other languages.

Pure: a document in, ``{relative path: text}`` out (``generator.client.write`` puts it on disk). Beside the two
files of each spec go one openapi-generator config per language (``openapi-generator/<api>-<language>.yaml``)
and the Java class those configs may name.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import yaml

from apimodel.diagnostics import Diagnostic, SpecError
from apimodel.loader import SpecDocument
from apimodel.project import SPECS_DIR
from apimodel.walk import iter_refs, local_ref_target
from generator.portability import JAVA_DEEP_OBJECT_CLASS, LANGUAGES, generator_config

__all__ = ["JAVA_SUPPORT", "bundle_files", "bundle_version"]

JAVA_SUPPORT = SPECS_DIR / "portability" / "java"


def bundle_version(document: SpecDocument) -> str:
    """The document's own ``info.version`` with the first 12 hex digits of the spec file's sha256 as build
    metadata: ``1.0.0+3f2a9c01b7d4``. Any edit to the spec gives a new version."""
    info = document.data.get("info") if isinstance(document.data.get("info"), dict) else {}
    base = str(info.get("version", "0")) if isinstance(info, dict) else "0"
    return f"{base}+{hashlib.sha256(document.raw).hexdigest()[:12]}"


def _check_self_contained(document: SpecDocument) -> None:
    outside = [(ref, where) for ref, where in iter_refs(document.data) if local_ref_target(ref) is None]
    if outside:
        raise SpecError(
            Diagnostic(
                document.label,
                where,
                "external-ref",
                f"'$ref: {ref}' points outside this file, so the bundle would not stand alone",
                "inline the referenced definition into components",
            )
            for ref, where in outside
        )


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the spec's own order, no aliases: a file any YAML reader takes."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _java_support() -> dict[str, str]:
    relative = JAVA_DEEP_OBJECT_CLASS.replace(".", "/") + ".java"
    return {f"java/{relative}": (JAVA_SUPPORT / relative).read_text(encoding="utf-8")}


def bundle_files(document: SpecDocument, api: str) -> dict[str, str]:
    """``<api>.yaml``, ``<api>.json`` and the openapi-generator configs; raises SpecError for external refs."""
    _check_self_contained(document)
    data = copy.deepcopy(document.data)
    version = bundle_version(document)
    info = data.setdefault("info", {})
    if isinstance(info, dict):
        info["version"] = version
    files = {
        f"{api}.yaml": yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120),
        f"{api}.json": json.dumps(data, indent=2, ensure_ascii=False) + "\n",
    }
    for language in LANGUAGES:
        config = generator_config(language, document.data, api)
        files[f"openapi-generator/{api}-{language.key}.yaml"] = yaml.dump(
            config, Dumper=_Dumper, sort_keys=False, width=120
        )
        if JAVA_DEEP_OBJECT_CLASS in config.get("schemaMappings", {}).values():
            files.update(_java_support())
    return files
