"""``specforge generate``: a project's clients, ``generated/<api>/`` of a checkout, or a client for any spec."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from apimodel.diagnostics import SpecError
from apimodel.project import API_NAMES, CHECKOUT, GENERATED_DIR, SPECS_DIR, TEMPLATES_DIR, display_path, resolve_spec
from generator.client.naming import python_identifier
from generator.client.pipeline import Generated, generate_files
from generator.client.render import Templates, load_templates
from generator.client.write import diff_tree, write_tree
from specforge import __version__
from specforge.commands.project import config_or_exit, select_or_exit, usage_exit
from specforge.config import ProjectConfig

__all__ = ["GenTarget", "check_generated", "generate", "project_targets"]


@dataclass(frozen=True)
class GenTarget:
    """One client to generate: from which spec, into which folder, and how its files name themselves."""

    api: str
    spec: Path
    out: Path
    regenerate: str  # the command that regenerates it, printed in every file's header
    label: str | None = None  # how headers name the spec (default: its display path)
    package: str | None = None  # default <api>_client
    install_path: str | None = None  # the README's `pip install -e` folder (default generated/<api>)

    def files(self, templates: Templates, *, force: bool = False) -> Generated:
        return generate_files(
            self.spec,
            api=self.api,
            regenerate=self.regenerate,
            generator_version=__version__,
            templates=templates,
            label=self.label,
            package=self.package,
            install_path=self.install_path,
            force=force,
        )


def _report(result: Generated) -> None:
    for diagnostic in result.diagnostics:
        click.echo(diagnostic.format(), err=True)


def ours(apis: tuple[str, ...]) -> list[GenTarget]:
    """Our APIs into the checkout's ``generated/<api>/`` (a checkout's job; an installed specforge has none)."""
    if CHECKOUT is None:
        usage_exit(
            "error[no-project] no specforge.toml or [tool.specforge] in pyproject.toml here or above, and "
            "generated/ belongs to a specforge checkout; add a configuration, or use --spec PATH --out DIR"
        )
    unknown = [a for a in apis if a not in API_NAMES]
    if unknown:
        raise click.UsageError(f"unknown API {', '.join(unknown)}; choose from {', '.join(API_NAMES)} or use --spec")
    names = list(apis) or [a for a in API_NAMES if (SPECS_DIR / f"{a}.yaml").is_file()]
    return [GenTarget(a, SPECS_DIR / f"{a}.yaml", GENERATED_DIR / a, f"specforge generate {a}") for a in names]


def project_targets(config: ProjectConfig, apis: tuple[str, ...] = ()) -> list[GenTarget]:
    """The configured APIs that have an ``out`` folder (all of them, or those named)."""
    return [
        GenTarget(e.name, e.spec, e.out, f"specforge generate {e.name}", e.spec_label, e.package, e.out_label)
        for e in select_or_exit(config, apis)
        if e.out is not None
    ]


def _diff(target: GenTarget, templates: Templates) -> str:
    try:
        result = target.files(templates)
    except SpecError as exc:
        return "".join(f"{d.format()}\n" for d in exc.diagnostics)
    return diff_tree(target.out, result.files, target.install_path or display_path(target.out))


def check_generated(targets: list[GenTarget]) -> tuple[bool, str]:
    """Whether each output folder is what its spec and the templates produce, and the unified diff if not."""
    templates = load_templates(TEMPLATES_DIR)
    text = "".join(_diff(target, templates) for target in targets)
    return not text, text


def default_targets(apis: tuple[str, ...]) -> tuple[list[GenTarget], str]:
    """What ``generate`` acts on without --spec: the project's configured clients, else our ``generated/``."""
    config = config_or_exit()
    if config is None:
        return ours(apis), "generated/"
    targets = project_targets(config, apis)
    if not targets:
        usage_exit(f'error[config] {display_path(config.path)}: no API has an out folder; add out = "DIR"')
    return targets, ", ".join(t.install_path or str(t.out) for t in targets)


def _spec_target(apis: tuple[str, ...], spec: str, out: Path | None, name: str | None) -> GenTarget:
    if apis:
        raise click.UsageError("give API names or --spec PATH, not both")
    if out is None:
        raise click.UsageError("--spec needs --out DIR")
    ours_name, path = resolve_spec(spec)
    api = str(python_identifier(name or ours_name or path.stem, fallback="api"))
    root = project_root(out)
    label = None if ours_name else _relative(path, root)
    out_label = _relative(out, root)
    regenerate = f"specforge generate --spec {ours_name or label} --out {out_label} --name {api}"
    return GenTarget(api, path, out, regenerate, label=label, install_path=out_label)


_PROJECT_MARKERS = ("specforge.toml", "pyproject.toml", ".git")


def project_root(out: Path) -> Path:
    """The project a client is generated into: the nearest folder above ``out`` with a ``specforge.toml``,
    ``pyproject.toml`` or ``.git``, else the current folder when ``out`` is inside it, else the folder holding
    it. Headers name paths relative to it, so inside a project they read the same whatever the current folder
    and however ``--out`` and ``--spec`` are spelled."""
    resolved = out.resolve()
    for folder in resolved.parents:
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return folder
    here = Path.cwd().resolve()
    return here if resolved.is_relative_to(here) else resolved.parent


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to the project; a path outside it stays absolute (``../../tmp/x.yaml`` helps nobody)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        return resolved.as_posix()
    return Path(os.path.relpath(resolved, root)).as_posix()


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
@click.option("--spec", "spec", help="Generate from any OpenAPI 3.x file (or one of our APIs by name).")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Folder of the generated project (with --spec).")
@click.option("--name", "name", help="API name; the package is <name>_client (default: the spec file's stem).")
@click.option("--check", is_flag=True, help="Exit 1 with a unified diff when the output folder is out of date.")
@click.option("--force", is_flag=True, help="Generate even from a spec with errors; each error says what was done.")
def generate(
    apis: tuple[str, ...], spec: str | None, out: Path | None, name: str | None, check: bool, force: bool
) -> None:
    """Generate typed Python clients: a project's (its [tool.specforge] configuration), ours into
    generated/<api>/ in a checkout, or any spec with --spec PATH --out DIR."""
    if spec is None:
        if out is not None or name is not None:
            raise click.UsageError("--out and --name go with --spec; without it the configuration says where")
        targets, where = default_targets(apis)
    else:
        target = _spec_target(apis, spec, out, name)
        targets, where = [target], display_path(target.out)
    templates = load_templates(TEMPLATES_DIR)
    if check:
        text = "".join(_diff(target, templates) for target in targets)
        if text:
            click.echo(text, nl=False)
            rerun = targets[0].regenerate if spec is not None else "specforge generate"
            click.echo(f"{where} is out of date; run: {rerun}", err=True)
            raise SystemExit(1)
        click.echo(f"{where} is up to date", err=True)
        return
    try:
        for target in targets:
            result = target.files(templates, force=force)
            _report(result)
            changed = _write(target.out, result)
            shown = target.install_path or display_path(target.out)
            click.echo(f"{shown}: {result.operations} operations, {len(changed)} file(s) changed")
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        sys.exit(1)
