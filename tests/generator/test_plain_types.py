"""Primitive aliases stay primitives and optional fields type-check as optional, under plain ``mypy --strict``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml

from generator.client.aliases import primitive_aliases
from generator.client.pipeline import Generated, generate_files
from generator.client.write import write_tree


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Plain", "version": "1"},
    "paths": {
        "/things/{thing_id}": {
            "get": {
                "operationId": "getThing",
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"$ref": "#/components/schemas/Snowflake"},
                    }
                ],
                "responses": {"200": {"description": "ok", "content": _json("Thing")}},
            }
        },
        "/things": {
            "post": {
                "operationId": "createThing",
                "requestBody": {"required": True, "content": _json("ThingCreate")},
                "responses": {"201": {"description": "ok", "content": _json("Thing")}},
            }
        },
    },
    "components": {
        "schemas": {
            "Snowflake": {"type": "string", "pattern": "^[0-9]+$"},
            "ModelIds": {"type": "string", "description": "a model name"},
            "Count": {"type": "integer", "default": 5},
            "IdInput": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^-?[0-9]+$"}]},
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"$ref": "#/components/schemas/Snowflake"}},
            },
            "ThingCreate": {
                "type": "object",
                "required": ["model"],
                "properties": {
                    "model": {"$ref": "#/components/schemas/ModelIds"},
                    "count": {"$ref": "#/components/schemas/Count"},
                    "parent_id": {"$ref": "#/components/schemas/IdInput"},
                    "name": {"type": "string", "maxLength": 5, "description": "the name"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

USAGE = """\
from plain_client import Client, types


def only_required() -> types.ThingCreate:
    return types.ThingCreate(model="gpt")


def everything() -> types.ThingCreate:
    return types.ThingCreate(model="gpt", count=3, parent_id="12", name="abc", tags=["a"])


def call(client: Client) -> str:
    thing = client.things.retrieve("123")
    return thing.id
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Generated, Path]:
    folder = tmp_path_factory.mktemp("plain")
    spec = folder / "plain.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False), encoding="utf-8")
    result = generate_files(spec, api="plain", regenerate="test", generator_version="test")
    write_tree(folder / "out", result.files)
    return result, folder / "out"


def _mypy(folder: Path, files: dict[str, str]) -> list[str]:
    """The error lines of one ``mypy --strict`` run without any configuration, so without the pydantic plugin."""
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", "", *files]
    command += ["--cache-dir", str(folder / ".mypy")]
    run = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    return [line for line in run.stdout.splitlines() if ": error:" in line]


def test_a_path_parameter_naming_a_string_schema_is_str(generated: tuple[Generated, Path]) -> None:
    result, _ = generated
    (retrieve,) = [op for r in result.ir.all_resources() for op in r.operations if op.operation_id == "getThing"]
    assert [(f.name, f.annotation) for f in retrieve.path_params] == [("thing_id", "str")]
    models = result.files["plain_client/types/__init__.py"]
    assert "RootModel" not in models and "Field(None" not in models


def test_request_models_with_only_required_fields_pass_plain_mypy_strict(generated: tuple[Generated, Path]) -> None:
    _, out = generated
    broken = 'from plain_client import types\n\nx = types.ThingCreate(name="a")\n'
    errors = _mypy(out, {"usage.py": USAGE, "broken.py": broken})
    # usage.py is clean; the models are checked, not Any: leaving out the required field is reported
    assert [e.split(":")[0] for e in errors] == ["broken.py"], errors
    assert 'Missing named argument "model"' in errors[0]


def test_aliases_keep_their_constraints_and_defaults_at_runtime(generated: tuple[Generated, Path]) -> None:
    _, out = generated
    sys.path.insert(0, str(out))
    try:
        from plain_client import types  # type: ignore[import-not-found]

        assert types.ThingCreate(model="m").count == 5
        assert types.ThingCreate(model="m", parent_id="-12").parent_id == "-12"
        with pytest.raises(pydantic.ValidationError, match="parent_id"):
            types.ThingCreate(model="m", parent_id="twelve")
        with pytest.raises(pydantic.ValidationError, match="name"):
            types.ThingCreate(model="m", name="too long")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "plain_client"]:
            del sys.modules[name]


def test_only_scalar_root_models_become_aliases() -> None:
    source = (
        "from typing import Annotated\n\nfrom pydantic import Field, RootModel\n\n\n"
        'class Code(RootModel[str]):\n    root: Annotated[str, Field(pattern="^[a-z]+$")]\n\n\n'
        "class Flag(RootModel[bool | int]):\n    root: bool | int\n\n\n"
        "class Tags(RootModel[list[str]]):\n    root: list[str]\n"
    )
    out, names = primitive_aliases(source)
    assert names == {"Code", "Flag"}
    assert 'Code = Annotated[str, Field(pattern="^[a-z]+$")]\n' in out and "Flag = bool | int\n" in out
    assert "class Tags(RootModel[list[str]])" in out and "from pydantic import Field, RootModel" in out
    without_tags, _ = primitive_aliases(source.split("\n\n\nclass Tags")[0] + "\n")
    assert "RootModel" not in without_tags and "from pydantic import Field" in without_tags


def test_source_segment_reads_what_ast_reads_from_lines_split_once() -> None:
    """``primitive_aliases`` cuts each annotation out of lines split once, not the whole source per class (40 s of
    CPU on GitHub's models); every expression's text is the standard library's, across lines, non-ASCII and CRs."""
    import ast
    import re

    from generator.client.aliases import source_segment

    source = (
        "class Name(RootModel[str]):\n"
        "    root: Annotated[\n        str, Field(pattern='^é+$', description='naïve\\u2028')\n    ]\r\n"
        "x = {'ünï': 1,\r 'b': [2,\n 3]}\n"
    )
    lines = re.compile(r"(?<=\n)|(?<=\r)(?!\n)").split(source)
    expressions = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.expr)]
    assert len(expressions) > 10
    for node in expressions:
        assert source_segment(lines, node) == ast.get_source_segment(source, node), ast.dump(node)


def test_a_type_keyword_that_is_not_a_name_is_typed_as_unknown_not_a_crash(tmp_path: Path) -> None:
    # codat.io/accounting (APIs.guru) has a form field whose `type` is an object: generate --force crashed on it
    form = {"type": "object", "properties": {"note": {"type": {"string": True}}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Odd", "version": "1"},
        "paths": {
            "/notes": {
                "post": {
                    "operationId": "createNote",
                    "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": form}}},
                    "responses": {"204": {"description": "made"}},
                }
            }
        },
    }
    path = tmp_path / "odd.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = generate_files(path, api="odd", regenerate="test", generator_version="test", force=True)
    assert "note: Any" in result.files["odd_client/resources/notes.py"]
