"""The API model: one typed, frozen reading of a spec, shared by the client generator, the mock and conformance.

``load_api("bitfaktura")`` or ``load_api("path/to/spec.yaml")`` gives an :class:`Api`. Every ``x-`` hint is
read in :mod:`apimodel.hints`; where a spec has none, the same facts are inferred from standard OpenAPI,
and each fact keeps the reason it was read or inferred (``specforge describe`` prints them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apimodel.build import build_api
from apimodel.facts import (
    Api,
    Apply,
    BodySetting,
    Computed,
    Credential,
    Effect,
    ErrorKind,
    ErrorModel,
    FieldPath,
    Filter,
    Operation,
    Pagination,
    Parameter,
    Reason,
    Resource,
    Role,
    Server,
    ServerVariable,
)
from apimodel.loader import SpecDocument, load_spec
from apimodel.project import resolve_spec, split_target

__all__ = [
    "Api",
    "Apply",
    "BodySetting",
    "Computed",
    "Credential",
    "Effect",
    "ErrorKind",
    "ErrorModel",
    "FieldPath",
    "Filter",
    "Operation",
    "Pagination",
    "Parameter",
    "Reason",
    "Resource",
    "Role",
    "Server",
    "ServerVariable",
    "SpecDocument",
    "api_from_data",
    "build_api",
    "load_api",
]


def api_from_data(name: str, data: dict[str, Any], label: str | None = None) -> Api:
    """The model of a spec already in memory (a test's inline spec, a tool that builds one)."""
    shown = label or f"{name}.yaml"
    return build_api(SpecDocument(Path(shown), shown, data, b""), name)


def load_api(target: str | Path, name: str | None = None) -> Api:
    """The model of one of our APIs (by name) or of any spec file; raises ``SpecError`` when it cannot load.

    A foreign spec is named after its file (``oai-petstore.yaml`` is ``oai-petstore``) unless ``name`` is given,
    or the target says ``NAME=PATH``.
    """
    target, named = split_target(target)
    api, path = resolve_spec(str(target))
    return build_api(load_spec(path), name or named or api or path.stem)
