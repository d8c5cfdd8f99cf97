"""``specforge describe``: what specforge understood about an API, so users can see and correct it."""

from __future__ import annotations

import json

import click

from apimodel import load_api
from apimodel.describe import describe_data, describe_text
from apimodel.diagnostics import SpecError

__all__ = ["describe"]


@click.command()
@click.argument("target", metavar="API|PATH")
@click.option("--name", default=None, help="The API's name for a spec file (default: the file's stem).")
@click.option("--json", "as_json", is_flag=True, help="Print the same facts as JSON.")
def describe(target: str, name: str | None, as_json: bool) -> None:
    """Print what specforge read or inferred from a spec: resources, operations and their roles, auth and its
    environment variables, pagination per list, errors and effects, each with the reason for it.

    Facts marked "inferred" come from standard OpenAPI; add the x- hints of specs/README.md to change them.
    """
    try:
        api = load_api(target, name)
    except SpecError as exc:
        raise click.ClickException(str(exc).splitlines()[0]) from None
    if as_json:
        click.echo(json.dumps(describe_data(api), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(describe_text(api))
