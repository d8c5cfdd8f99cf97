"""The ``specforge`` command line: wires ``generator`` and ``conformance`` together, nothing more."""

from __future__ import annotations

import importlib

import click

from specforge import __version__

__all__ = ["main"]

# name -> "module:attribute". A sub-command is imported only when it runs (or --help lists it), so
# `specforge validate` does not pay for schemathesis and the mock, nor `generate` for either.
COMMANDS: dict[str, str] = {
    "validate": "specforge.commands.validate:validate",
    "describe": "specforge.commands.describe:describe",
    "check": "specforge.commands.check:check",
    "generate": "specforge.commands.generate:generate",
    "bundle": "specforge.commands.bundle:bundle",
    "mock": "specforge.commands.mock:mock",
    "conform": "specforge.commands.conform:conform",
    "bench": "specforge.commands.bench:bench",
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="specforge")
def main() -> None:
    """Specs, typed clients, mocks and drift checks for five invoicing APIs."""
