"""``specforge bench``: run ``python -m benchmarks`` from the checkout with the same arguments."""

from __future__ import annotations

import subprocess
import sys

import click

from apimodel.project import ROOT

__all__ = ["bench"]


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def bench(arguments: tuple[str, ...]) -> None:
    """Measure specforge against its peers; writes benchmarks/RESULTS.md (see `specforge bench --help`)."""
    if not (ROOT / "benchmarks" / "__main__.py").is_file():
        raise click.ClickException(f"{ROOT / 'benchmarks'} is missing: run from a checkout of specforge")
    raise SystemExit(subprocess.call([sys.executable, "-m", "benchmarks", *arguments], cwd=ROOT))
