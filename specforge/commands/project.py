"""The user's project configuration as the sub-commands see it: found once, its errors one line and exit 2."""

from __future__ import annotations

from typing import NoReturn, TypeVar

import click

from apimodel.project import API_NAMES
from specforge.config import ApiEntry, ConfigError, ProjectConfig, discover

__all__ = ["config_or_exit", "configured", "resolve_targets", "select_or_exit", "usage_exit"]

T = TypeVar("T")


def usage_exit(message: str) -> NoReturn:
    """Print one line to stderr and exit 2 (a usage or configuration problem)."""
    click.echo(message, err=True)
    raise SystemExit(2)


def config_or_exit() -> ProjectConfig | None:
    """The ``[tool.specforge]`` configuration in force here (``None`` when there is none)."""
    try:
        return discover()
    except ConfigError as exc:
        usage_exit(f"error[config] {exc}")


def select_or_exit(config: ProjectConfig, names: tuple[str, ...]) -> list[ApiEntry]:
    """The configured APIs named (all when none is); an unknown name exits 2 listing the known ones."""
    try:
        return config.select(names)
    except ConfigError as exc:
        usage_exit(f"error[config] {exc}")


def resolve_targets(
    names: tuple[str, ...], *, conform: bool = False
) -> tuple[list[ApiEntry | str], ProjectConfig | None]:
    """The targets of ``validate`` or ``conform``, and the configuration in force.

    With a configuration: its APIs (for ``conform`` those not marked ``conform = false``), or the names given,
    each the configured API of that name if there is one; other names (our APIs, spec paths) stay as given.
    Without one: the names given, or our five.
    """
    config = config_or_exit()
    if config is None:
        return list(names or API_NAMES), None
    if not names:
        return [e for e in config.apis if e.conform or not conform], config
    known = {e.name: e for e in config.apis}
    return [known.get(name, name) for name in names], config


def configured(value: T, parameter: str, setting: T | None) -> T:
    """A command-line option's value, or the configuration's ``setting`` when the option was not given."""
    source = click.get_current_context().get_parameter_source(parameter)
    return setting if setting is not None and source == click.core.ParameterSource.DEFAULT else value
