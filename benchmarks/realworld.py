"""specforge on public specs nobody here wrote: generate, import, type-check, mock and conform each one.

``python -m benchmarks.realworld --count 30 --seed 1`` samples the APIs.guru collection (see
:mod:`benchmarks.corpus`) and prints one row per spec: operations, lists and how many paginate, whether the
client generates, imports and passes ``mypy --strict`` (and how many errors), what the mock did against its
own spec (responses that break it, 5xx), and the conformance result. ``--largest`` admits bigger specs;
``--spec NAME`` adds a spec of the collection by name (``--count 0 --spec maif.local/otoroshi`` runs that one alone);
``--github N`` adds a seeded slice of about N operations of GitHub's description (``--github all``: the whole of
it, over 1,000 operations; ``--count 0`` for GitHub alone). ``--peers`` runs the same sample through
openapi-python-client and openapi-generator too and writes one summary table per tool (:mod:`benchmarks.peers`).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from apimodel import Operation, load_api
from apimodel.diagnostics import SpecError
from apimodel.paging import names_a_page_position
from benchmarks.corpus import CorpusError, Entry, github_entry, named, sample
from benchmarks.peers import GENERATE_SECONDS, MYPY_SECONDS, glued, package_name, report, run_sample, summary, versions
from benchmarks.tools import WORK
from benchmarks.uploads import is_multipart, try_uploads, uploads_section
from generator.client.ir import ClientIR
from generator.client.ir import Operation as OperationIR
from generator.client.pipeline import Generated

__all__ = ["Row", "check_spec", "main"]

_MYPY_SECONDS = 300
# pyright (basic), as .ci/portability-tools installs it from npm; where it is absent the column says "-"
PYRIGHT = Path(__file__).resolve().parents[1] / ".tools" / "npm" / "node_modules" / ".bin" / "pyright"


@dataclass
class Row:
    spec: str
    operations: int
    lists: int = 0
    paginated: int = 0
    unpositioned: int = 0  # lists not paginated that declare no page, offset or cursor parameter: one page
    whole: int = 0  # of those, the ones with nothing to page: the answer is the whole collection (or one object)
    xml_lists: int = 0  # of the other lists not paginated, those that answer XML (read and paged like JSON ones)
    generated: bool = False
    imports: bool = False
    mypy_errors: int | None = None  # None: not run (it did not generate or import)
    pyright_errors: int | None = None  # None: not run (no pyright here, or it did not import)
    mock_violations: int | None = None  # responses of the mock that break the spec
    server_errors: int | None = None  # 5xx from the mock
    conform: str = "not run"
    methods: int = 0  # methods of the generated client (each operation's main method)
    untyped: int = 0  # of them, returning ``dict[str, Any]`` (or pages of ``Any`` items) for a JSON response
    glued: int = 0  # method names that glue the HTTP verb to a path fragment (``post_messages_json``)
    numbered: int = 0  # model names that are a word and a number (``Item53``)
    multipart: int = 0  # operations whose request body is multipart/form-data
    uploads: int = 0  # of them, those whose method uploaded a file and typed fields to the mock (benchmarks.uploads)
    uploads_2xx: int = 0  # of those, the ones the mock also answered with a 2xx (a placeholder id may give a 404)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _generate(entry: Entry, out: Path, row: Row) -> tuple[str, ClientIR] | None:
    from generator.client.pipeline import generate_files
    from generator.client.write import write_tree

    package = package_name(entry.name)
    try:
        result = generate_files(entry.path, api=package, regenerate="x", generator_version="0", force=True)
    except SpecError as exc:
        row.problems.append(f"generate: {str(exc).splitlines()[0]}")
        return None
    except Exception as exc:  # a crash of ours on a real spec is the finding this table exists for
        row.problems.append(f"generate crashed: {type(exc).__name__}: {str(exc)[:160]}")
        return None
    errors = [d for d in result.diagnostics if d.severity == "error"]
    row.problems += [f"generate: {d.format()[:160]}" for d in errors[:3]]
    _names_and_types(result, row)
    write_tree(out, result.files)
    row.generated = True
    return f"{package}_client", result.ir


_NUMBERED = re.compile(r"[A-Z][A-Za-z]*?[0-9]+")


def _names_and_types(result: Generated, row: Row) -> None:
    for resource in result.ir.all_resources():
        for op in resource.operations:
            row.methods += 1
            row.untyped += op.response_kind == "json" and _untyped_return(op)
            row.glued += glued(op.name, op.http_method, op.path)
            row.multipart += is_multipart(op)
    row.numbered = sum(1 for name in result.ir.model_names if _NUMBERED.fullmatch(name))


def _untyped_return(op: OperationIR) -> bool:
    """What the caller gets holds no type of the response: ``dict[str, Any]``, or, for a method that walks pages,
    items of ``Any`` or ``dict[str, Any]`` (``SyncPage[Any]``: the page model is typed, its items are not)."""
    if op.paging is not None:
        return op.paging.item_type in ("Any", "dict[str, Any]")
    return op.return_annotation == "dict[str, Any]"


def _type_check(module: str, out: Path, row: Row) -> None:
    imported = subprocess.run(
        [sys.executable, "-c", f"import {module}, {module}.types"], cwd=out, capture_output=True, text=True
    )
    row.imports = imported.returncode == 0
    if not row.imports:
        row.problems.append(f"import: {(imported.stderr.strip().splitlines() or ['?'])[-1][:160]}")
        return
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(out / ".mypy"), module]
    try:
        run = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=_MYPY_SECONDS)
    except subprocess.TimeoutExpired:
        row.problems.append(f"mypy: over {_MYPY_SECONDS} s")
        return
    lines = [line for line in run.stdout.splitlines() if ": error:" in line]
    row.mypy_errors = len(lines)
    row.problems += [f"mypy: {line[:160]}" for line in lines[:2]]
    if PYRIGHT.exists():
        _pyright(module, out, row)


def _pyright(module: str, out: Path, row: Row) -> None:
    config = {"typeCheckingMode": "basic", "pythonVersion": "3.11", "include": [module]}
    (out / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    command = [str(PYRIGHT), "--pythonpath", sys.executable, "--outputjson"]
    try:
        run = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=_MYPY_SECONDS)
        report = json.loads(run.stdout)
    except subprocess.TimeoutExpired:
        row.problems.append(f"pyright: over {_MYPY_SECONDS} s")
        return
    except ValueError:
        row.problems.append(f"pyright: no report ({(run.stderr or run.stdout).strip()[:160]})")
        return
    errors = [d for d in report.get("generalDiagnostics", []) if d.get("severity") == "error"]
    row.pyright_errors = len(errors)
    for d in errors[:2]:
        where = f"{Path(d.get('file', '?')).relative_to(out)}:{d.get('range', {}).get('start', {}).get('line', 0) + 1}"
        row.problems.append(f"pyright: {where}: {' '.join(str(d.get('message', '')).split())[:160]}")


def _conform(entry: Entry, row: Row, seed: int) -> None:
    from conformance.mock import MockConfig
    from conformance.presets import QUICK
    from conformance.suite import run_against_mock

    options = replace(QUICK, max_examples=2, max_steps=3, seed=seed, max_time=90)
    try:
        result = run_against_mock([str(entry.path)], options, mock_config=MockConfig(self_check=True))[0]
    except Exception as exc:  # the mock or the engine failing on a real spec is a finding, not a crash of the table
        row.problems.append(f"conform crashed: {type(exc).__name__}: {str(exc)[:160]}")
        return
    server = [d for d in result.drifts if d.kind == "server-error"]
    row.server_errors = sum(d.occurrences for d in server)
    violations = result.mock_violations or ()
    row.mock_violations = len(violations)  # what the mock sent that breaks the spec, checked as sent
    row.problems += [f"mock sent: {_clip(v)}" for v in violations[:3]]
    row.problems += [f"conform: {d.kind} {d.operation}: {d.api_did[:120]}" for d in result.drifts[:3]]
    row.problems += [f"conform error: {e[:160]}" for e in result.errors[:2]]
    row.conform = (
        "drift" if result.drifts else "errors" if result.errors else "unchecked" if result.unchecked else "clean"
    )


def check_spec(
    entry: Entry, *, seed: int = 0, work: Path | None = None, conform: bool = True, type_check: bool = True
) -> Row:
    """Every step on one spec; a step that cannot run says why in ``problems``. ``type_check`` False skips mypy and
    pyright (and the import in a fresh interpreter: the uploads still import it)."""
    started = time.perf_counter()
    row = Row(entry.name, entry.operations)
    try:
        api = load_api(entry.path, package_name(entry.name))
    except SpecError as exc:
        row.problems.append(f"load: {str(exc).splitlines()[0]}")
        return row
    row.lists = sum(1 for op in api.operations if op.role == "list")
    row.paginated = sum(1 for op in api.operations if op.role == "list" and op.pagination is not None)
    unpaged = [op for op in api.operations if op.role == "list" and op.pagination is None]
    row.unpositioned = sum(1 for op in unpaged if not _positioned(op))
    row.whole = sum(1 for op in unpaged if op.whole_collection)
    row.xml_lists = sum(1 for op in unpaged if _positioned(op) and _answers_xml(op))
    out = Path(tempfile.mkdtemp(prefix="realworld-", dir=work))
    try:
        generated = _generate(entry, out, row)
        if generated is not None:
            module, ir = generated
            if type_check:
                _type_check(module, out, row)
            _uploads(entry, ir, out, module, row)
        if conform:
            _conform(entry, row, seed)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    row.seconds = time.perf_counter() - started
    return row


def _uploads(entry: Entry, ir: ClientIR, out: Path, module: str, row: Row) -> None:
    """Each multipart operation called with a file and its typed fields against the spec's mock (uploads.py)."""
    try:
        done = try_uploads(entry.path, package_name(entry.name), ir, out, module)
    except Exception as exc:  # the package or the mock failing here is a finding of the table, not a crash of it
        row.problems.append(f"upload crashed: {type(exc).__name__}: {str(exc)[:160]}")
        return
    row.uploads = sum(u.uploaded for u in done)
    row.uploads_2xx = sum(u.uploaded and all(200 <= s < 300 for s in u.statuses) for u in done)
    row.problems += [f"upload: {u.operation}: {u.problem}" for u in done if not u.uploaded]


def _answers_xml(op: Operation) -> bool:
    content = op.responses.get(op.success_status() or "", {}).get("content")
    return isinstance(content, dict) and any("xml" in str(media).lower() for media in content)


def _positioned(op: Operation) -> bool:
    """Whether the list declares where a next page would start: a page, offset or cursor query parameter."""
    return names_a_page_position([p.name for p in op.params if p.location == "query"])


def _cell(value: object) -> str:
    return "-" if value is None else ("yes" if value is True else "no" if value is False else str(value))


def table(rows: list[Row]) -> str:
    header = ["spec", "ops", "lists", "paginated", "generates", "imports", "mypy errors", "pyright errors"]
    header += ["mock violations", "5xx", "dict methods", "glued names", "numbered models", "multipart uploads"]
    lines = [" | ".join([*header, "conform", "s"]), " | ".join("---" for _ in range(len(header) + 2))]
    for r in rows:
        cells = [r.spec, r.operations, r.lists, r.paginated, r.generated, r.imports, r.mypy_errors, r.pyright_errors]
        cells += [r.mock_violations, r.server_errors, r.untyped, r.glued, r.numbered, f"{r.uploads}/{r.multipart}"]
        cells += [r.conform, f"{r.seconds:.0f}"]
        lines.append(" | ".join(_cell(c) for c in cells))
    lists = sum(r.lists for r in rows)
    paged = sum(r.paginated for r in rows)
    whole = sum(r.whole for r in rows)
    summary = [
        f"{len(rows)} specs: {sum(r.generated for r in rows)} generate, {sum(r.imports for r in rows)} import, "
        f"{sum(1 for r in rows if r.mypy_errors == 0)} pass mypy --strict, "
        f"{sum(1 for r in rows if r.mock_violations == 0 and r.server_errors == 0)} mocked without a violation; "
        f"lists paginated: {paged} of {lists} ({_percent(paged, lists)} of all lists; not paginated: "
        f"{sum(r.unpositioned for r in rows)} declare no page, offset or cursor parameter, "
        f"{sum(r.xml_lists for r in rows)} more answer XML); returns the whole collection, nothing to page: {whole} "
        f"lists; of the {lists - whole} lists with something to page, {paged} paginated "
        f"({_percent(paged, lists - whole)}); "
        "methods returning dict[str, Any] or pages of untyped items: "
        f"{sum(r.untyped for r in rows)} of {sum(r.methods for r in rows)}; glued names: {sum(r.glued for r in rows)}; "
        f"numbered models: {sum(r.numbered for r in rows)}; multipart uploads: "
        f"{sum(r.uploads for r in rows)}/{sum(r.multipart for r in rows)}; mypy --strict errors: "
        f"{sum(r.mypy_errors or 0 for r in rows)}; pyright (basic) errors: "
        f"{sum(r.pyright_errors or 0 for r in rows)} in {sum(r.pyright_errors is not None for r in rows)} specs checked"
    ]
    return "\n".join([*lines, "", *summary])


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


def _clip(text: str, keep: int = 80) -> str:
    """``text`` short enough for a table's notes, its start (where) and its end (what) both kept."""
    return text if len(text) <= 2 * keep + 3 else f"{text[:keep]} … {text[-keep:]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.realworld", description=__doc__)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--largest", type=int, default=300, help="most operations a sampled spec may have")
    parser.add_argument("--problems", action="store_true", help="print each spec's problems under the table")
    parser.add_argument("--no-conform", action="store_true", help="skip the mock and conformance run (faster)")
    parser.add_argument(
        "--spec",
        action="append",
        default=[],
        metavar="NAME",
        help="also this spec of the collection, by name (amazonaws.com/elasticache); repeatable",
    )
    parser.add_argument(
        "--github",
        metavar="N|all",
        help="also GitHub's description (npm @octokit/openapi): a seeded slice of about N operations, or all of it",
    )
    parser.add_argument(
        "--peers",
        action="store_true",
        help="run the sample through specforge, openapi-python-client and openapi-generator and write one summary "
        "table per tool (see --report); no mock or conformance run",
    )
    parser.add_argument("--report", type=Path, default=WORK / "REALWORLD.md", help="where --peers writes its table")
    parser.add_argument("--jobs", type=int, default=1, choices=(1, 2), help="--peers: tool runs at a time")
    parser.add_argument("--timeout", type=float, default=GENERATE_SECONDS, help="--peers: seconds per generation")
    parser.add_argument("--mypy-timeout", type=float, default=MYPY_SECONDS, help="--peers: seconds per mypy run")
    args = parser.parse_args(argv)
    if args.github not in (None, "all") and not str(args.github).isdigit():
        parser.error(f"--github takes a number of operations or 'all', not {args.github!r}")
    try:
        entries = sample(args.count, args.seed, largest=args.largest) if args.count else []
        entries += named(args.spec)
        if args.github is not None:
            entries.append(github_entry(None if args.github == "all" else int(args.github), args.seed))
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.peers:
        return _peers(entries, args, argv)
    rows = []
    for entry in entries:
        rows.append(check_spec(entry, seed=args.seed, conform=not args.no_conform))
        print(f"{entry.name}: {rows[-1].conform} ({rows[-1].seconds:.0f} s)", file=sys.stderr)
    print(table(rows))
    if args.problems:
        for row in rows:
            for problem in row.problems:
                print(f"{row.spec}: {problem}")
    return 0


def _peers(entries: list[Entry], args: argparse.Namespace, argv: list[str] | None) -> int:
    from benchmarks.machine import describe_machine

    words = sys.argv[1:] if argv is None else argv
    command = " ".join(["python -m benchmarks.realworld", *words])
    machine = describe_machine()
    tool_versions = versions()
    work = Path(tempfile.mkdtemp(prefix="peers-", dir=_work_dir()))
    try:
        rows = run_sample(entries, work, timeout=args.timeout, mypy_timeout=args.mypy_timeout, jobs=args.jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(rows, command, machine, tool_versions)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    kept = uploads_section(args.report.read_text(encoding="utf-8")) if args.report.exists() else ""
    args.report.write_text(text + (f"\n{kept}\n" if kept else ""), encoding="utf-8")  # the uploads run's own
    print(summary(rows))
    print(f"written: {args.report}", file=sys.stderr)
    return 0


def _work_dir() -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    return WORK


if __name__ == "__main__":
    raise SystemExit(main())
