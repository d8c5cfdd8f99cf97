"""``specforge generate``: regenerate ``generated/<api>/`` or generate a client for any spec."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apimodel.diagnostics import SpecError
from apimodel.project import API_NAMES, GENERATED_DIR, SPECS_DIR, TEMPLATES_DIR, display_path
from generator.client.naming import python_identifier
from generator.client.pipeline import Generated, generate_files
from generator.client.render import Templates, load_templates
from generator.client.write import diff_tree, write_tree
from specforge import __version__

__all__ = ["check_generated", "generate"]

Target = tuple[str, Path, Path, str]  # api, spec file, output folder, the command that regenerates it


def _report(result: Generated) -> None:
    for diagnostic in result.diagnostics:
        click.echo(diagnostic.format(), err=True)


def _ours(apis: tuple[str, ...]) -> list[str]:
    unknown = [a for a in apis if a not in API_NAMES]
    if unknown:
        raise click.UsageError(f"unknown API {', '.join(unknown)}; choose from {', '.join(API_NAMES)} or use --spec")
    return list(apis) or [a for a in API_NAMES if (SPECS_DIR / f"{a}.yaml").is_file()]


def _diff(target: Target, templates: Templates) -> str:
    api, path, folder, regenerate = target
    try:
        result = generate_files(
            path, api=api, regenerate=regenerate, generator_version=__version__, templates=templates
        )
    except SpecError as exc:
        return "".join(f"{d.format()}\n" for d in exc.diagnostics)
    label = display_path(folder)
    return diff_tree(folder, result.files, label)


def check_generated(apis: tuple[str, ...] = ()) -> tuple[bool, str]:
    """Whether ``generated/`` is what the specs and templates produce, and the unified diff if not."""
    templates = load_templates(TEMPLATES_DIR)
    targets = [(a, SPECS_DIR / f"{a}.yaml", GENERATED_DIR / a, f"specforge generate {a}") for a in _ours(apis)]
    text = "".join(_diff(target, templates) for target in targets)
    return not text, text


def _targets(apis: tuple[str, ...], spec: Path | None, out: Path | None, name: str | None) -> list[Target]:
    if spec is None:
        if out is not None or name is not None:
            raise click.UsageError("--out and --name go with --spec; our APIs always generate into generated/<api>/")
        return [(a, SPECS_DIR / f"{a}.yaml", GENERATED_DIR / a, f"specforge generate {a}") for a in _ours(apis)]
    if apis:
        raise click.UsageError("give API names or --spec PATH, not both")
    if out is None:
        raise click.UsageError("--spec needs --out DIR")
    api = str(python_identifier(name or spec.stem, fallback="api"))
    regenerate = f"specforge generate --spec {display_path(spec)} --out {display_path(out)} --name {api}"
    return [(api, spec, out, regenerate)]


def _write(folder: Path, result: Generated) -> list[str]:
    try:
        return write_tree(folder, result.files)
    except OSError as exc:
        where = display_path(Path(exc.filename)) if exc.filename else display_path(folder)
        click.echo(
            f"error[write-failed] {where}: cannot write the client ({exc.strerror or exc}); "
            "choose an --out folder you can write to",
            err=True,
        )
        sys.exit(1)


@click.command()
@click.argument("apis", nargs=-1, metavar="[API]...")
@click.option("--spec", "spec", type=click.Path(path_type=Path), help="Generate from any OpenAPI 3.x file.")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Folder of the generated project (with --spec).")
@click.option("--name", "name", help="API name; the package is <name>_client (default: the spec file's stem).")
@click.option("--check", is_flag=True, help="Exit 1 with a unified diff when the output folder is out of date.")
def generate(apis: tuple[str, ...], spec: Path | None, out: Path | None, name: str | None, check: bool) -> None:
    """Generate typed Python clients: ours into generated/<api>/ (all by default), or --spec PATH --out DIR."""
    targets = _targets(apis, spec, out, name)
    templates = load_templates(TEMPLATES_DIR)
    if check:
        text = "".join(_diff(target, templates) for target in targets)
        where = "generated/" if spec is None else display_path(targets[0][2])
        if text:
            click.echo(text, nl=False)
            rerun = "specforge generate" if spec is None else targets[0][3]
            click.echo(f"{where} is out of date; run: {rerun}", err=True)
            raise SystemExit(1)
        click.echo(f"{where} is up to date", err=True)
        return
    try:
        for api, path, folder, regenerate in targets:
            result = generate_files(
                path, api=api, regenerate=regenerate, generator_version=__version__, templates=templates
            )
            _report(result)
            changed = _write(folder, result)
            click.echo(f"{display_path(folder)}: {result.operations} operations, {len(changed)} file(s) changed")
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        sys.exit(1)
