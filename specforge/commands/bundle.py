"""``specforge bundle``: publish the specs for other languages' tools."""

from __future__ import annotations

import json
from pathlib import Path

import click

from apimodel.diagnostics import SpecError
from apimodel.loader import load_spec
from apimodel.project import API_NAMES, display_path, resolve_spec
from generator.bundle import bundle_files, bundle_version
from generator.client.write import write_tree

__all__ = ["bundle"]


@click.command()
@click.argument("targets", nargs=-1, metavar="[API|PATH]...")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist") / "specs",
    show_default="dist/specs",
    help="Folder to write into (its other files are removed).",
)
def bundle(targets: tuple[str, ...], out: Path) -> None:
    """Write each spec (all five of ours by default) as one self-contained YAML and JSON file whose info.version
    carries the spec's hash, with an openapi-generator config per language (TypeScript, Go, Java) and a
    versions.json manifest. README.md, "Using the specs from other languages", shows the commands."""
    files: dict[str, str] = {}
    versions: dict[str, str] = {}
    for target in targets or API_NAMES:
        api, path = resolve_spec(target)
        name = api or path.stem
        try:
            document = load_spec(path)
            files.update(bundle_files(document, name))
        except SpecError as exc:
            raise click.ClickException(str(exc).splitlines()[0]) from None
        versions[name] = bundle_version(document)
    files["versions.json"] = json.dumps(versions, indent=2, sort_keys=True) + "\n"
    write_tree(out, files)
    for name, version in sorted(versions.items()):
        click.echo(f"{display_path(out)}/{name}.yaml and .json: version {version}")
