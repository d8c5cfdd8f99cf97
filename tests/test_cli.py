"""The command line: every sub-command loads, and loading the group imports none of them."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from specforge.cli import COMMANDS, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_sub_command_loads_and_has_help(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert isinstance(command, click.Command) and command.name == name
    # a real process: `bench` hands --help on to `python -m benchmarks`, which prints it itself
    code = "from specforge.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code, name, "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "usage:" in result.stdout.lower(), result.stdout + result.stderr


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["frobnicate"])
    assert result.exit_code == 2 and "No such command 'frobnicate'" in result.output


def test_importing_the_cli_loads_no_sub_command() -> None:
    heavy = ("specforge.commands.", "schemathesis", "conformance")
    code = f"import sys, specforge.cli; print(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
