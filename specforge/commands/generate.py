"""``specforge generate``: regenerate ``generated/<api>/`` or generate a client for any spec."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.client.naming import python_identifier
from generator.client.pipeline import Generated, generate_files
from generator.client.render import load_templates
from generator.client.write import diff_tree, write_tree
from generator.diagnostics import SpecError
from generator.project import API_NAMES, GENERATED_DIR, SPECS_DIR, TEMPLATES_DIR, display_path
from specforge import __version__

__all__ = ["check_generated", "generate"]


def _report(result: Generated) -> None:
    for diagnostic in result.diagnostics:
        click.echo(diagnostic.format(), err=True)


def _ours(apis: tuple[str, ...]) -> list[str]:
    unknown = [a for a in apis if a not in API_NAMES]
    if unknown:
        raise click.UsageError(f"unknown API {', '.join(unknown)}; choose from {', '.join(API_NAMES)} or use --spec")
    return list(apis) or [a for a in API_NAMES if (SPECS_DIR / f"{a}.yaml").is_file()]


def check_generated(apis: tuple[str, ...] = ()) -> tuple[bool, str]:
    """Whether ``generated/`` is what the specs and templates produce, and the unified diff if not."""
    templates = load_templates(TEMPLATES_DIR)
    diffs: list[str] = []
    for api in _ours(apis):
        try:
            result = generate_files(
                SPECS_DIR / f"{api}.yaml",
                api=api,
                regenerate=f"specforge generate {api}",
                generator_version=__version__,
                templates=templates,
            )
        except SpecError as exc:
            diffs.extend(f"{d.format()}\n" for d in exc.diagnostics)
            continue
        diffs.append(diff_tree(GENERATED_DIR / api, result.files, f"generated/{api}"))
    text = "".join(diffs)
    return not text, text


@click.command()
@click.argument("apis", nargs=-1, metavar="[API]...")
@click.option("--spec", "spec", type=click.Path(path_type=Path), help="Generate from any OpenAPI 3.x file.")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Folder of the generated project (with --spec).")
@click.option("--name", "name", help="API name; the package is <name>_client (default: the spec file's stem).")
@click.option("--check", is_flag=True, help="Exit 1 with a unified diff when generated/ is out of date.")
def generate(apis: tuple[str, ...], spec: Path | None, out: Path | None, name: str | None, check: bool) -> None:
    """Generate typed Python clients: ours into generated/<api>/ (all by default), or --spec PATH --out DIR."""
    try:
        if check:
            same, diff = check_generated(apis)
            if not same:
                click.echo(diff, nl=False)
                click.echo("generated/ is out of date; run: specforge generate", err=True)
                raise SystemExit(1)
            click.echo("generated/ is up to date", err=True)
            return
        if spec is not None:
            if out is None:
                raise click.UsageError("--spec needs --out DIR")
            api = str(python_identifier(name or spec.stem, fallback="api"))
            regenerate = f"specforge generate --spec {display_path(spec)} --out {display_path(out)} --name {api}"
            targets = [(api, spec, out, regenerate)]
        else:
            targets = [(a, SPECS_DIR / f"{a}.yaml", GENERATED_DIR / a, f"specforge generate {a}") for a in _ours(apis)]
        templates = load_templates(TEMPLATES_DIR)
        for api, path, folder, regenerate in targets:
            result = generate_files(
                path, api=api, regenerate=regenerate, generator_version=__version__, templates=templates
            )
            _report(result)
            changed = write_tree(folder, result.files)
            click.echo(f"{display_path(folder)}: {result.operations} operations, {len(changed)} file(s) changed")
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        sys.exit(1)
