"""Specs too deep to read, and specs ``validate`` rejects: one line naming the place, from both ``validate`` and
``generate``; ``generate --force`` says what it did with each problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apimodel.diagnostics import SpecError
from apimodel.loader import MAX_DEPTH, _deep_json_pointer, load_spec, resolve_pointer
from generator.validation import validate_path
from specforge.cli import main


def _base() -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Tiny", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": ok}}}},
        "components": {"schemas": {"A": {"type": "object", "properties": {"n": {"type": "integer"}}}}},
    }


def _nested_json(levels: int) -> str:
    """Schema A nested ``levels`` times (two JSON levels each), written as text: too deep for ``json.dumps``."""
    inner = '{"type": "object", "properties": {"a": ' * levels + '{"type": "string"}' + "}}" * levels
    text = json.dumps(_base())
    return text.replace('"A": {"type": "object", "properties": {"n": {"type": "integer"}}}', f'"A": {inner}')


def _write(tmp_path: Path, name: str, data: dict[str, Any] | str) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["validate", "generate"])
def test_a_3000_level_schema_is_one_line_naming_the_pointer(tmp_path: Path, command: str) -> None:
    path = _write(tmp_path, "deep.json", _nested_json(3000))
    args = (
        [command, str(path)] if command == "validate" else [command, "--spec", str(path), "--out", str(tmp_path / "o")]
    )
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and not isinstance(result.exception, RecursionError)
    lines = [line for line in result.output.splitlines() if line.startswith("error[")]
    assert len(lines) == 1 and lines[0].startswith("error[too-deep] ")
    pointer = lines[0].split("#", 1)[1].split(": ", 1)[0]
    assert pointer.startswith("/components/schemas/A/properties/a/properties/a")
    assert pointer.count("/") == MAX_DEPTH + 1  # the first value deeper than the limit
    assert not (tmp_path / "o").exists()


def test_the_text_scanner_and_the_parsed_walk_agree_on_the_place(tmp_path: Path) -> None:
    text = _nested_json(MAX_DEPTH)  # deep enough for the limit, shallow enough for the parser
    with pytest.raises(SpecError) as raised:
        load_spec(_write(tmp_path, "deep.json", text))
    assert raised.value.diagnostics[0].pointer == _deep_json_pointer(text)
    data = json.loads(text)
    resolve_pointer(data, raised.value.diagnostics[0].pointer)  # it exists


def test_a_deep_yaml_file_is_one_line_too(tmp_path: Path) -> None:
    lines = ["openapi: 3.0.3", "info: {title: t, version: '1'}", "paths: {}", "components:", "  schemas:", "    A:"]
    lines += [" " * (6 + 2 * i) + "a:" for i in range(1200)]
    result = CliRunner().invoke(main, ["validate", str(_write(tmp_path, "deep.yaml", "\n".join(lines) + "\n"))])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("error[too-deep] ")


def test_a_schema_under_the_limit_generates(tmp_path: Path) -> None:
    path = _write(tmp_path, "nested.json", _nested_json(MAX_DEPTH // 2 - 10))
    result = CliRunner().invoke(main, ["generate", "--spec", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "too-deep" not in result.output


def _dangling() -> dict[str, Any]:
    data = _base()
    data["components"]["schemas"]["A"] = {"$ref": "#/components/schemas/Missing"}
    return data


def _cycle() -> dict[str, Any]:
    data = _base()
    data["components"]["schemas"]["A"] = {"$ref": "#/components/schemas/B"}
    data["components"]["schemas"]["B"] = {"$ref": "#/components/schemas/A"}
    return data


def _undeclared() -> dict[str, Any]:
    data = _base()
    data["paths"] = {"/x/{id}": data["paths"]["/x"]}
    return data


def _no_info() -> dict[str, Any]:
    data = _base()
    del data["info"]
    return data


CASES = [
    (_dangling, "unresolved-ref", "/components/schemas/A", "the type fell back to Any"),
    (_cycle, "ref-cycle", "/components/schemas/A", "the types on the cycle fell back to Any"),
    (_undeclared, "undeclared-path-parameter", "/paths/~1x~1{id}/get", "the parameter was added as a required str"),
    (_no_info, "openapi-schema", "", "the client is titled after the API name, version 0"),
]


@pytest.mark.parametrize(("make", "code", "pointer", "done"), CASES)
def test_generate_refuses_what_validate_rejects_unless_forced(
    tmp_path: Path, make: Any, code: str, pointer: str, done: str
) -> None:
    path = _write(tmp_path, "spec.json", make())
    _, found = validate_path(path)
    assert [(d.code, d.pointer) for d in found if d.severity == "error"] == [(code, pointer)]
    out = tmp_path / "out"
    refused = CliRunner().invoke(main, ["generate", "--spec", str(path), "--out", str(out)])
    assert refused.exit_code == 1
    where = f"spec.json#{pointer}" if pointer else "spec.json"
    assert f"error[{code}] {where}: {found[0].message}; {found[0].hint}\n" in refused.output  # as validate says it
    assert "error[spec-invalid]" in refused.output and "--force" in refused.output
    assert not out.exists()
    forced = CliRunner().invoke(main, ["generate", "--spec", str(path), "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    line = next(line for line in forced.output.splitlines() if line.startswith(f"error[{code}]"))
    assert line.endswith(f"generated anyway (--force): {done}")
    assert (out / "spec_client" / "_client.py").is_file()


def test_forced_fallbacks_are_what_they_say(tmp_path: Path) -> None:
    runner = CliRunner()
    for name, make in (("cycle", _cycle), ("undeclared", _undeclared)):
        path = _write(tmp_path, f"{name}.json", make())
        result = runner.invoke(main, ["generate", "--spec", str(path), "--out", str(tmp_path / name), "--force"])
        assert result.exit_code == 0, result.output
    types = (tmp_path / "cycle" / "cycle_client" / "types" / "__init__.py").read_text(encoding="utf-8")
    # the cycle's first member fell back to Any, and B, which is only A, is Any too
    assert "B = Any\n" in types and "class A" not in types and "class B" not in types
    resource = (tmp_path / "undeclared" / "undeclared_client" / "resources" / "x.py").read_text(encoding="utf-8")
    assert "        id: str,\n        *," in resource


BROKEN_YAML = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /x:
    get:
      operationId: getX
      parameters:
        - {name: q, in: query, schema: }
        - {name: r, in: querys, schema: {type: string}}
      responses:
        200:
        400: {descriptio: x}
"""


def test_every_validator_finding_points_at_a_place_that_exists_and_says_what_to_change(tmp_path: Path) -> None:
    document, found = validate_path(_write(tmp_path, "broken.yaml", BROKEN_YAML))
    assert document is not None
    by_pointer = {d.pointer: d for d in found}
    assert set(by_pointer) == {
        "/paths/~1x/get/parameters/0/schema",
        "/paths/~1x/get/parameters/1/in",
        "/paths/~1x/get/responses/200",
        "/paths/~1x/get/responses/400",
    }
    for diagnostic in found:
        resolve_pointer(document.data, diagnostic.pointer)
        assert "is not valid under any of the given schemas" not in diagnostic.message
    assert by_pointer["/paths/~1x/get/parameters/0/schema"].hint == "give it a value or remove the key"
    assert (
        "'querys' is not one of ['cookie', 'header', 'path', 'query']"
        in by_pointer["/paths/~1x/get/parameters/1/in"].message
    )
    assert (
        by_pointer["/paths/~1x/get/responses/400"].format().endswith("'description' is missing; add 'description' here")
    )


def test_an_example_behind_a_ref_is_named_where_it_is_written(tmp_path: Path) -> None:
    data = _base()
    media = data["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]
    media["examples"] = {"one": {"$ref": "#/components/examples/Bad"}}
    data["components"]["examples"] = {"Bad": {"value": {"n": "not a number"}}}
    _, found = validate_path(_write(tmp_path, "ex.json", data))
    assert [(d.code, d.pointer) for d in found] == [("example-invalid", "/components/examples/Bad/value")]


def test_a_pattern_no_engine_reads_leaves_the_example_unchecked_not_a_crash(tmp_path: Path) -> None:
    data = _base()
    data["components"]["schemas"]["A"] = {"type": "string", "pattern": "^[a-z+$", "example": "abc"}
    path = _write(tmp_path, "pattern.json", data)
    _, found = validate_path(path)
    assert ("example-unchecked", "warning", "/components/schemas/A/example") in [
        (d.code, d.severity, d.pointer) for d in found
    ]
    assert ("openapi-schema", "error", "/components/schemas/A/pattern") in [
        (d.code, d.severity, d.pointer) for d in found
    ]

    args = ["generate", "--spec", str(path), "--out", str(tmp_path / "o"), "--force"]  # the pattern is an error
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


def test_an_example_is_checked_against_a_unicode_property_pattern(tmp_path: Path) -> None:
    """``\\p{L}`` is a letter in JSON Schema's patterns (ECMA-262 with Unicode). Python's ``re`` cannot read it,
    so examples under such a pattern went unchecked; they are checked by the engine the mock validates with."""
    data = _base()
    data["components"]["schemas"]["A"] = {"type": "string", "pattern": "^[\\p{L}]+$", "example": "caf\u00e9"}
    data["components"]["schemas"]["B"] = {"type": "string", "pattern": "^[\\p{L}]+$", "example": "tab\there"}
    path = _write(tmp_path, "pattern.json", data)
    _, found = validate_path(path)
    where = {(d.code, d.pointer) for d in found if d.pointer.startswith("/components/schemas/")}
    assert ("example-invalid", "/components/schemas/B/example") in where, found
    assert not {w for w in where if w[1].startswith("/components/schemas/A")} - {
        ("unused-component", "/components/schemas/A")
    }, found
