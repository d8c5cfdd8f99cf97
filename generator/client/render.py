"""IR → ``{path: text}``. Pure: no file is read or written here (templates come in as :class:`Templates`)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2

from generator.client.imports import from_import, isort_key
from generator.client.ir import ClientIR, FieldIR, Operation, Resource
from generator.client.lazymodels import types_files
from generator.client.readme import resource_example, uses_models
from generator.client.typeref import type_ref_source
from generator.client.version import package_version

__all__ = ["RUNTIME_FILES", "Templates", "load_templates", "render"]

RUNTIME_FILES: tuple[str, ...] = (
    "_base_client.py",
    "_core.py",
    "_endpoint.py",
    "_exceptions.py",
    "_lenient.py",
    "_request.py",
    "_types.py",
    "_xml.py",
    "pagination.py",
)
EXCEPTIONS: tuple[str, ...] = (
    "APIConnectionError", "APIError", "APIReportedError", "APIResponseDecodeError", "APIResponseError",
    "APIResponseValidationError", "APIStatusError", "APITimeoutError", "AuthenticationError", "BadRequestError",
    "ClientError", "ConflictError", "InternalServerError", "NotFoundError", "PermissionDeniedError", "RateLimitError",
    "ServerError", "UnprocessableEntityError",
)  # fmt: skip


@dataclass(frozen=True)
class Templates:
    environment: jinja2.Environment
    runtime: dict[str, str]
    sha256: str


def _strlit(value: object) -> str:
    return json.dumps(str(value))[1:-1]


def _pyrepr(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool | int | float) or value is None:
        return repr(value)
    if isinstance(value, tuple):  # a tuple stays one (a body path of keys): ``("meta", "next_page_url")``
        return "(" + ", ".join(_pyrepr(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_pyrepr(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {_pyrepr(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))


def _doc(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip().rstrip('"')


def _annotate(field: FieldIR) -> str:
    annotation = field.annotation + (" | None" if field.nullable and field.annotation != "Any" else "")
    if field.default is not None:
        return f"{annotation} = {field.default}"
    return annotation if field.required else f"{annotation} | Omit = omit"


def _mapping(fields: tuple[FieldIR, ...] | list[FieldIR]) -> str:
    return "{" + ", ".join(f"{json.dumps(f.wire_name)}: {f.name}" for f in fields) + "}"


def _call_lines(op: Operation) -> list[str]:
    """The request parts a method passes to the runtime, one ``name=value,`` line each."""
    lines = [f"path_params={_mapping(op.path_params)},"] if op.path_params else []
    for location in ("header", "cookie"):
        fields = [f for f in op.params if f.location == location]
        if fields:
            lines.append(f"{location}s={_mapping(fields)},")
    if op.body is not None:
        lines.append("body=body," if op.body.annotation else f"body={_mapping(op.body.fields)},")
    return lines


def load_templates(root: Path) -> Templates:
    """Read the template tree once (the only I/O of rendering)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters.update(
        strlit=_strlit,
        pyrepr=_pyrepr,
        doc=_doc,
        annotate=_annotate,
        call_lines=_call_lines,
        from_import=from_import,
        typeref=type_ref_source,
    )
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    runtime = {name: (root / "package" / name).read_text(encoding="utf-8") for name in RUNTIME_FILES}
    return Templates(environment, runtime, digest.hexdigest())


_BUILTIN_TYPES = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes"})


def _unshadow(resource: Resource) -> Resource:
    """Methods named ``list`` or ``str`` shadow the builtins in class scope: spell those as ``builtins.list``."""
    shadowed = _BUILTIN_TYPES & {n for op in resource.operations for n in (op.name, op.stream_name) if n}
    if not shadowed:
        return resource
    # string literals (``Literal["list"]``) are matched first and kept as they are
    pattern = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w.])(' + "|".join(sorted(shadowed)) + r")\b")

    def fix(text: str) -> str:
        return pattern.sub(lambda m: f"builtins.{m.group(1)}" if m.group(1) else m.group(0), text)

    def fix_field(f: FieldIR) -> FieldIR:
        return replace(f, annotation=fix(f.annotation))

    operations = []
    for op in resource.operations:
        body = op.body
        if body is not None:
            body = replace(
                body, fields=tuple(map(fix_field, body.fields)), annotation=body.annotation and fix(body.annotation)
            )
        paging = op.paging and replace(op.paging, item_type=fix(op.paging.item_type))
        operations.append(
            replace(
                op,
                path_params=tuple(map(fix_field, op.path_params)),
                params=tuple(map(fix_field, op.params)),
                body=body,
                return_annotation=fix(op.return_annotation),
                response_type=op.response_type and fix(op.response_type),
                paging=paging,
            )
        )
    return replace(resource, operations=tuple(operations))


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _resource_imports(resource: Resource) -> list[str]:
    ops = resource.operations
    texts = [f.annotation for op in ops for f in (*op.path_params, *op.keyword_fields)]
    # a list that pages returns its pager, not the page's own annotation
    texts += [op.return_annotation for op in ops if not op.paging] + [op.paging.item_type for op in ops if op.paging]
    texts += [op.body.annotation for op in ops if op.body and op.body.annotation]
    texts = [_STRING.sub('""', t) for t in texts]  # names inside Literal values import nothing
    has_stream = any(op.stream_name for op in ops)
    has_paging = any(op.paging for op in ops)
    needs_omit = any(not f.required for op in ops for f in op.keyword_fields) or any(
        op.body and op.body.annotation and not op.body.required for op in ops
    )
    needs_cast = any(not op.paging and op.return_annotation != "None" for op in ops)
    typing_names = [
        n
        for n, used in (
            ("TYPE_CHECKING", any("types." in t for t in texts)),
            ("Any", any(re.search(r"\bAny\b", t) for t in texts)),
            ("Literal", any("Literal[" in t for t in texts)),
            ("cast", needs_cast),
        )
        if used
    ]
    std = ["import builtins"] if any("builtins." in t for t in texts) else []
    if has_stream:
        std += ["from collections.abc import AsyncIterator, Iterator",
                "from contextlib import AbstractAsyncContextManager, AbstractContextManager"]  # fmt: skip
    if typing_names:
        std.append(f"from typing import {', '.join(typing_names)}")
    local = []
    if ops:
        local.append("from .._base_client import AsyncAPIClient, SyncAPIClient")
        local.append("from .._endpoint import Endpoint")
        names = ["FileInput"] if any("FileInput" in t for t in texts) else []
        names += ["Omit", "RequestOptions", "omit"] if needs_omit else ["RequestOptions"]
        local.append(f"from .._types import {', '.join(names)}")
    else:
        local.append("from .._base_client import AsyncAPIClient, SyncAPIClient")
    if has_paging:
        local.append("from ..pagination import AsyncPager, Paging, SyncPage, async_list, sync_list")
    for child in resource.children:
        local.append(from_import(f".{child.module}", [child.class_name, f"Async{child.class_name}"]))
    lines = [*std, ""] if std else []
    lines += local
    if "TYPE_CHECKING" in typing_names:
        lines += ["", "if TYPE_CHECKING:", "    from .. import types"]
    return lines


def render(
    ir: ClientIR,
    models_source: str,
    templates: Templates,
    generator_version: str,
    spec_sha256: str,
    *,
    install_path: str | None = None,
) -> dict[str, str]:
    """Every file of the package, keyed by its path relative to the project folder."""
    env = templates.environment
    header = f"# Generated by specforge from {ir.spec_label}; do not edit. Regenerate: {ir.regenerate}"
    package = ir.package
    resources = ir.all_resources()
    variables = sorted({v.name: v for s in ir.servers for v in s.variables}.values(), key=lambda v: v.name)
    env_names = [e for c in ir.credentials for e in c.env]
    common = {
        "header": header,
        "ir": ir,
        "variables": variables,
        "env_names": env_names,
        "base_url_env": f"{ir.api.upper()}_BASE_URL",
    }
    files: dict[str, str] = {}
    for name, text in templates.runtime.items():
        files[f"{package}/{name}"] = f"{header}\n{text}"
    files[f"{package}/py.typed"] = f"{header}\n"
    files.update(types_files(package, models_source, header))
    exported = sorted(
        [
            "ENVIRONMENTS",
            "AsyncClient",
            "Client",
            "Deviation",
            "deviations",
            "NOT_GIVEN",
            "Omit",
            "RequestOptions",
            "omit",
            "AsyncPage",
            "AsyncPager",
            "SyncPage",
            *EXCEPTIONS,
        ]
    )
    files[f"{package}/__init__.py"] = env.get_template("package/__init__.py.jinja").render(
        **common, exceptions=EXCEPTIONS, exported=exported
    )
    top_classes = sorted((n for r in ir.resources for n in (r.class_name, f"Async{r.class_name}")), key=isort_key)
    files[f"{package}/_client.py"] = env.get_template("package/_client.py.jinja").render(
        **common, top_classes=top_classes
    )
    resource_names = sorted(n for r in resources for n in (r.class_name, f"Async{r.class_name}"))
    files[f"{package}/resources/__init__.py"] = env.get_template("package/resources/__init__.py.jinja").render(
        **common, resources=resources, exported=resource_names
    )
    template = env.get_template("package/resources/resource.py.jinja")
    for resource in map(_unshadow, resources):
        files[f"{package}/resources/{resource.module}.py"] = template.render(
            **common, resource=resource, imports=_resource_imports(resource)
        )
    if ir.xml_shapes is not None:
        files[f"{package}/_xml_shapes.py"] = env.get_template("package/_xml_shapes.py.jinja").render(**common)
    version = package_version(ir.version, generator_version)
    files["pyproject.toml"] = env.get_template("pyproject.toml.jinja").render(**common, project_version=version)
    dict_forms = frozenset(f"types.{name}" for name in ir.dict_forms)
    examples = {r.dotted: resource_example(r, dict_forms) for r in resources}
    files["README.md"] = env.get_template("README.md.jinja").render(
        **common,
        resources=resources,
        examples=examples,
        imports=["Client", "NotFoundError", *(["types"] if any(map(uses_models, examples.values())) else [])],
        install_path=install_path or f"generated/{ir.api}",
        project_version=version,
        generator_version=generator_version,
    )
    provenance = {
        "_comment": header[2:],
        "generator": f"specforge {generator_version}",
        "spec": ir.spec_label,
        "spec_sha256": spec_sha256,
        "templates_sha256": templates.sha256,
        "operations": len({(op.http_method, op.path) for r in resources for op in r.operations}),  # spec operations
        "methods": sum(len(r.operations) for r in resources),
        "models": len(ir.model_names),
    }
    files[f"{package}/_provenance.json"] = json.dumps(provenance, indent=2, sort_keys=True) + "\n"
    return dict(sorted(files.items()))
