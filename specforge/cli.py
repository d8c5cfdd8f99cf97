"""The ``specforge`` command line: wires ``generator`` and ``conformance`` together, nothing more."""

from __future__ import annotations

import click

from specforge import __version__
from specforge.commands.bench import bench
from specforge.commands.check import check
from specforge.commands.conform import conform
from specforge.commands.generate import generate
from specforge.commands.mock import mock
from specforge.commands.validate import validate

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="specforge")
def main() -> None:
    """Specs, typed clients, mocks and drift checks for five invoicing APIs."""


main.add_command(validate)
main.add_command(check)
main.add_command(conform)
main.add_command(generate)
main.add_command(mock)
main.add_command(bench)
