"""Every multipart operation of a spec, uploaded through its generated client to the spec's own mock.

Each ``multipart/form-data`` operation is called twice through the generated client, in-process against the mock
(:func:`conformance.mock.create_app`, with a demo tenant's credentials): once with a real file as ``bytes`` and once
as a ``(name, content, type)`` tuple, each time with its typed form fields (the spec's example where it has one,
else a value the mock's sampler draws from the field's schema). The operation *uploads* when both calls reach the
mock as a well-formed multipart body (read with the mock's own reader) whose parts match the spec (the check the
mock makes on every request: :func:`conformance.mock.request.multipart_errors`), every file part carrying the file.
What the mock answered is kept too (a 404 for a placeholder id says nothing about the upload).

``python -m benchmarks.uploads`` measures a seeded sample of the APIs.guru specs that have multipart operations
(``--count``, ``--seed``; ``--all`` or ``SPECFORGE_UPLOADS_ALL=1`` for every one of them).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from benchmarks.corpus import CorpusError, Entry, entries, sample
from benchmarks.tools import WORK
from generator.client.ir import ClientIR, FieldIR, Operation, Resource
from specforge.testing import environment

__all__ = ["FILE", "Upload", "main", "multipart_entries", "try_uploads", "uploads_section"]

FILE = b"%PDF-1.7 specforge upload\n"
_START, _END = "<!-- uploads: written by python -m benchmarks.uploads --report -->", "<!-- /uploads -->"
_FORMS: dict[str, Any] = {"bytes": FILE, "tuple": ("scan.pdf", FILE, "application/pdf")}


@dataclass(frozen=True)
class Upload:
    """One multipart operation, called once per file form."""

    operation: str  # "POST /uploads.json"
    uploaded: bool
    statuses: tuple[int, ...] = ()  # what the mock answered each call
    problem: str = ""  # why it did not upload (the first reason)


def is_multipart(op: Operation) -> bool:
    return op.body is not None and op.body.content_type.lower().startswith("multipart/")


def try_uploads(spec: Path, mount: str, ir: ClientIR, out: Path, module: str) -> list[Upload]:
    """Each multipart operation of ``ir`` (generated into ``out`` as ``module``) called against the mock of ``spec``."""
    from conformance.mock import SyncASGITransport, create_app

    wanted = [(r, op) for r in ir.all_resources() for op in r.operations if is_multipart(op)]
    if not wanted:
        return []
    app = create_app([f"{mount}={spec}"])
    server = app.state.mock.servers[mount]
    seen: list[tuple[httpx2.Request, int]] = []  # each request the mock got, and its answer's status
    inner = SyncASGITransport(app)

    def handle(request: httpx2.Request) -> httpx2.Response:
        response = inner.handle_request(request)
        seen.append((request, response.status_code))
        return response

    with _imported(out, module) as package, environment(app.state.mock.credentials(mount)):
        transport = httpx2.Client(transport=httpx2.MockTransport(handle))
        client = package.Client(base_url=f"http://mock/{mount}", http_client=transport, max_retries=0)
        return [_upload(client, server, resource, op, seen) for resource, op in wanted]


def _upload(
    client: Any, server: Any, resource: Resource, op: Operation, seen: list[tuple[httpx2.Request, int]]
) -> Upload:
    label = f"{op.http_method} {op.path}"
    assert op.body is not None
    model_op = next((o for o in server.api.model.operations if o.pointer == op.pointer), None)
    if model_op is None:
        return Upload(label, False, problem="the mock serves no operation at this pointer")
    schema = (((model_op.body or {}).get("content") or {}).get(op.body.content_type) or {}).get("schema")
    schemas = server.api.schemas
    props = schemas.properties(schema)
    # the file parts as the spec says (not as the client types them): a client that takes text there fails below
    files = [f for f in op.body.fields if f.wire_name in props and schemas.is_file(props[f.wire_name])]
    if not op.body.fields:
        return Upload(label, False, problem=f"no typed parts: the method takes body: {op.body.annotation}")
    method: Any = client
    for attribute in [*resource.dotted.split("."), op.name]:
        method = getattr(method, attribute)
    statuses: list[int] = []
    for form, file in _FORMS.items():
        args, kwargs = _arguments(server, props, op, files, file)
        before = len(seen)
        try:
            method(*args, **kwargs)
        except Exception as exc:  # an API error is the mock's answer; anything else before sending is a finding
            if len(seen) == before:
                return Upload(label, False, tuple(statuses), f"{form}: not sent: {type(exc).__name__}: {exc}"[:200])
        if len(seen) == before:
            return Upload(label, False, tuple(statuses), f"{form}: not sent")
        request, status = seen[-1]
        statuses.append(status)
        problem = _received(server, model_op, schema, request, files)
        if problem:
            return Upload(label, False, tuple(statuses), f"{form}: {problem}"[:200])
    return Upload(label, True, tuple(statuses))


def _arguments(
    server: Any, props: dict[str, Any], op: Operation, files: list[FieldIR], file: Any
) -> tuple[list[Any], dict[str, Any]]:
    """Path values and required parameters from the spec's examples (else placeholders), every form field a value
    the mock's sampler draws from its schema (a valid example of it where there is one); the file where the part is
    a file."""
    from conformance.mock.samples import Sampler

    example = op.example
    args = list(example.args) if example else ["1" for _ in op.path_params]
    given = dict(example.kwargs) if example else {}
    kwargs = {name: value for name, value in given.items() if name in {f.name for f in op.params}}
    sampler = Sampler(server.api.schemas)
    assert op.body is not None
    for part in op.body.fields:
        if part in files:
            kwargs[part.name] = [file] if server.api.schemas.array_items(props[part.wire_name]) is not None else file
        elif part.wire_name in props:
            prop = props[part.wire_name]
            value = sampler.sample(prop)  # the spec's example where it has one; one drawn from the schema where
            if not server.api.schemas.is_valid(prop, value, "request"):  # that example breaks its own schema
                value = sampler.sample(prop, use_examples=False)
            kwargs[part.name] = value
    return args, kwargs


def _received(server: Any, model_op: Any, schema: Any, request: httpx2.Request, files: list[FieldIR]) -> str:
    """Why the mock would not take ``request``'s body as the spec's multipart form; empty when it would."""
    from conformance.mock.request import BodyProblem, multipart_errors, parse_body

    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data") or "boundary=" not in content_type:
        return f"sent Content-Type {content_type or 'none'!r}"
    try:
        parts, _ = parse_body(model_op, content_type, request.content, server.config.max_depth)
    except BodyProblem as problem:
        return f"the mock read no form: {problem.message}"
    if schema is not None:
        errors = multipart_errors(server.api.schemas, schema, parts)
        if errors:
            return f"the parts break the spec: {errors[0].param or 'body'}: {errors[0].message}"
    missing = [f.wire_name for f in files if parts.get(f.wire_name) != FILE.decode()]
    return f"no file in part {missing[0]!r}" if missing else ""


@contextmanager
def _imported(out: Path, module: str) -> Iterator[Any]:
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(module)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == module or m.startswith(f"{module}.")]:
            del sys.modules[name]


def _multipart_operations(document: dict[str, Any]) -> int:
    """How many operations of ``document`` take a multipart body (a request body given by ``$ref`` included)."""
    bodies = (document.get("components") or {}).get("requestBodies") or {}
    count = 0
    for item in (document.get("paths") or {}).values():
        for op in item.values() if isinstance(item, dict) else ():
            body = op.get("requestBody") if isinstance(op, dict) else None
            if isinstance(body, dict) and str(body.get("$ref", "")).startswith("#/components/requestBodies/"):
                body = bodies.get(body["$ref"].rsplit("/", 1)[-1])
            content = body.get("content") if isinstance(body, dict) else None
            count += isinstance(content, dict) and any(str(m).lower().startswith("multipart/") for m in content)
    return count


def multipart_entries(count: int | None, seed: int, *, largest: int = 300) -> list[Entry]:
    """The collection's specs (up to ``largest`` operations) with a multipart operation: ``count`` of them drawn
    with ``seed``, or all of them (``count`` None), smallest first."""
    found = []
    for entry in entries():
        if not 0 < entry.operations <= largest:
            continue
        raw = entry.path.read_bytes()
        if b"multipart/" in raw and _multipart_operations(json.loads(raw)):
            found.append(entry)
    chosen = found if count is None or count >= len(found) else random.Random(seed).sample(found, count)
    return sorted(chosen, key=lambda e: (e.operations, e.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.uploads", description=__doc__)
    parser.add_argument("--count", type=int, default=15, help="specs with multipart operations to draw (15)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--largest", type=int, default=300, help="most operations a drawn spec may have")
    parser.add_argument("--all", action="store_true", help="every such spec (also SPECFORGE_UPLOADS_ALL=1)")
    parser.add_argument(
        "--sample", type=int, default=0, metavar="N", help="also the real-world sample of N specs (realworld --count)"
    )
    parser.add_argument("--report", type=Path, help="also write the tables as their own section of this file")
    args = parser.parse_args(argv)
    whole = args.all or os.environ.get("SPECFORGE_UPLOADS_ALL") == "1"
    try:
        chosen = multipart_entries(None if whole else args.count, args.seed, largest=args.largest)
        sampled = sample(args.sample, args.seed) if args.sample else []
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    WORK.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="uploads-", dir=WORK))
    try:
        found = _measure(sampled, args.seed, work, every=False) if sampled else None
        lines, summary, problems = _measure(chosen, args.seed, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # the sample's own table (its specs that send multipart bodies) under its summary, then the drawn specs'
    head: list[str] = []
    if found:
        head = [f"The real-world sample (`realworld --count {args.sample} --seed {args.seed}`), {found[1]}", ""]
        head += [*found[0], "", "The drawn specs with multipart operations:", ""]
        problems = [*found[2], *problems]
    print("\n".join([*head, *lines, "", summary, *([""] if problems else []), *problems]))
    if args.report is not None:
        words = sys.argv[1:] if argv is None else argv
        command = " ".join(["python -m benchmarks.uploads", *words])
        _write_section(args.report, command, [*head, *lines], summary, problems)
    return 0


def _measure(chosen: list[Entry], seed: int, work: Path, *, every: bool = True) -> tuple[list[str], str, list[str]]:
    """Each spec's uploads: the table's lines (``every`` False: only specs the client sends multipart bodies to),
    the summary, and why the operations that did not upload did not."""
    from benchmarks.realworld import check_spec

    started = time.perf_counter()
    lines = ["| spec | ops | multipart | uploads | mock 2xx | s |", "|---|---|---|---|---|---|"]
    totals = [0, 0, 0]
    problems: list[str] = []
    for entry in chosen:
        row = check_spec(entry, seed=seed, work=work, conform=False, type_check=False)
        totals = [totals[0] + row.multipart, totals[1] + row.uploads, totals[2] + row.uploads_2xx]
        if every or row.multipart:
            lines.append(
                f"| {entry.name} | {entry.operations} | {row.multipart} | {row.uploads} | {row.uploads_2xx} "
                f"| {row.seconds:.0f} |"
            )
        reported = ("upload", "generate crashed", "import")
        problems += [f"- {entry.name}: {p}" for p in row.problems if p.startswith(reported)]
        print(f"{entry.name}: {row.uploads} of {row.multipart} upload ({row.seconds:.0f} s)", file=sys.stderr)
    summary = (
        f"{len(chosen)} specs: multipart uploads: {totals[1]}/{totals[0]} (the mock answered 2xx to both calls of "
        f"{totals[2]}); {time.perf_counter() - started:.0f} s"
    )
    return lines, summary, problems


def uploads_section(text: str) -> str:
    """The uploads section of a report (markers included); empty when it has none."""
    start, end = text.find(_START), text.find(_END)
    return text[start : end + len(_END)] if 0 <= start < end else ""


def _write_section(report: Path, command: str, lines: list[str], summary: str, problems: list[str]) -> None:
    from benchmarks.machine import describe_machine

    section = "\n".join(
        [
            _START,
            "## Multipart uploads: specs of the collection that have multipart operations",
            "",
            f"Written by `{command}`. Each multipart operation called twice through the generated client against "
            "the spec's mock, a file as bytes and as a (name, content, type) tuple next to its typed form fields; "
            "it uploads when both bodies reach the mock well-formed with parts that match the spec "
            "(see [uploads.py](uploads.py)). The multipart column counts the operations the client sends as "
            "multipart: one that also takes JSON, or raw bytes where its multipart schema names no parts, is sent "
            "that way (blazemeter.com's five). The 2xx column: the mock also accepted the call as a whole (a "
            "placeholder id in the path may get a 404 instead). `--all` (or `SPECFORGE_UPLOADS_ALL=1`) runs every "
            "spec of the collection that has a multipart operation.",
            "",
            f"Machine: {', '.join(f'{k}: {v}' for k, v in describe_machine().items())}.",
            "",
            *lines,
            "",
            summary,
            *(["", "Why the others do not upload:", "", *problems] if problems else []),
            _END,
        ]
    )
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    old = uploads_section(text)
    report.write_text(text.replace(old, section) if old else f"{text.rstrip()}\n\n{section}\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
