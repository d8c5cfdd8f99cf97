"""benchmarks/uploads.py: an operation counts as uploading only when the mock got the file and parts that match."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from benchmarks.uploads import try_uploads, uploads_section
from generator.client.pipeline import generate_files
from generator.client.write import write_tree
from tests.generator.test_uploads import SPEC


def _run(spec: dict[str, Any], tmp_path: Path, name: str) -> list[Any]:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = generate_files(path, api=name, regenerate="test", generator_version="test", force=True)
    write_tree(tmp_path / "out", result.files)
    return try_uploads(path, name, result.ir, tmp_path / "out", f"{name}_client")


def test_a_file_and_typed_fields_upload_and_the_mock_answers(tmp_path: Path) -> None:
    [upload] = _run(SPEC, tmp_path, "upfiles")
    assert upload.uploaded and upload.operation == "POST /files" and upload.statuses == (201, 201), upload


def test_a_body_that_names_no_parts_does_not_count(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    body = spec["paths"]["/files"]["post"]["requestBody"]["content"]["multipart/form-data"]
    body["schema"] = {"type": "string", "format": "binary"}  # codat.io's and noosh.com's: no part has a name
    [upload] = _run(spec, tmp_path, "upbare")
    assert not upload.uploaded and "no typed parts" in upload.problem, upload


def test_a_file_part_the_mock_refuses_does_not_count(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    schema = spec["paths"]["/files"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    schema["properties"]["note"] = {"type": "string", "minLength": 5, "maxLength": 2}  # no value can pass
    schema["required"] = [*schema["required"], "note"]
    [upload] = _run(spec, tmp_path, "uprefused")
    assert not upload.uploaded and "the parts break the spec: note" in upload.problem, upload


def test_the_report_section_is_replaced_in_place(tmp_path: Path) -> None:
    start, end = "<!-- uploads: written by python -m benchmarks.uploads --report -->", "<!-- /uploads -->"
    text = f"# table\n\n{start}\nold\n{end}\n\nafter\n"
    assert uploads_section(text) == f"{start}\nold\n{end}" and uploads_section("# table\n") == ""
