"""Names inferred for a spec without our hints: format suffixes are no words, actions take the operationId."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.client.pipeline import Generated, generate_files
from tests.packaging.readme import block


def _op(operation_id: str) -> dict[str, Any]:
    return {"operationId": operation_id, "responses": {"204": {"description": "done"}}}


def _item(operation_id: str) -> dict[str, Any]:
    answer = {"type": "object", "properties": {"id": {"type": "integer"}}}
    content = {"application/json": {"schema": answer}}
    return {"operationId": operation_id, "responses": {"200": {"description": "ok", "content": content}}}


ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Forum", "version": "1"},
    "paths": {
        "/posts.json": {"get": _item("listPosts"), "post": _item("createTopicPostPM")},
        "/posts/{id}.json": {
            "parameters": ID,
            "get": _item("getPost"),
            "put": _item("updatePost"),
            "delete": _op("deletePost"),
        },
        "/posts/{id}/locked.json": {"parameters": ID, "put": _op("lockPost")},
        "/uploads/abort-multipart.json": {"post": _op("abortMultipart")},
        "/things/_bulk": {"patch": _op("patchBulkThings"), "put": _op("putThings")},
    },
}


def method_names(tmp_path: Path, document: dict[str, Any] = SPEC, api: str = "forum") -> dict[tuple[str, str], str]:
    """``resource.method`` of each operation, by (HTTP method, path), as the client generated from ``document``."""
    spec = tmp_path / f"{api}.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    result = generate_files(spec, api=api, regenerate="test", generator_version="test")
    return {
        (op.http_method, op.path): f"{r.dotted}.{op.name}" for r in result.ir.all_resources() for op in r.operations
    }


def test_format_suffixes_name_no_resource_and_item_paths_are_crud(tmp_path: Path) -> None:
    methods = method_names(tmp_path)
    assert methods[("GET", "/posts.json")] == "posts.list"
    assert methods[("POST", "/posts.json")] == "posts.create"
    assert methods[("GET", "/posts/{id}.json")] == "posts.retrieve"
    assert methods[("PUT", "/posts/{id}.json")] == "posts.update"
    assert methods[("DELETE", "/posts/{id}.json")] == "posts.delete"


def test_an_inferred_action_takes_its_meaningful_operation_id(tmp_path: Path) -> None:
    methods = method_names(tmp_path)
    assert methods[("PUT", "/posts/{id}/locked.json")] == "posts.lock"  # lockPost, not replace_locked_json
    assert methods[("POST", "/uploads/abort-multipart.json")] == "uploads.abort_multipart"
    # patchBulkThings only repeats the method and the path: the verb's word is used instead of the HTTP verb
    assert methods[("PATCH", "/things/_bulk")] == "things.update_bulk"
    assert methods[("PUT", "/things/_bulk")] == "things.replace_bulk"


def _generate(tmp_path: Path, names: str) -> Generated:
    spec = tmp_path / "forum.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False), encoding="utf-8")
    (tmp_path / "forum.names.yaml").write_text(names, encoding="utf-8")
    return generate_files(spec, api="forum", regenerate="test", generator_version="test")


def test_the_names_file_beside_the_spec_renames_methods_resources_and_models(tmp_path: Path) -> None:
    names = (
        "operations:\n"
        "  lockPost: {method: lock_forever}\n"
        "  'POST /uploads/abort-multipart.json': {resource: multipart_uploads, method: abort}\n"
        "  getPost: {resource: articles}\n"
        "models:\n"
        "  GetPostResponse: Post\n"
    )
    result = _generate(tmp_path, names)
    methods = {(op.http_method, op.path): (r.dotted, op.name) for r in result.ir.all_resources() for op in r.operations}
    assert methods[("PUT", "/posts/{id}/locked.json")] == ("posts", "lock_forever")
    assert methods[("POST", "/uploads/abort-multipart.json")] == ("multipart_uploads", "abort")
    assert methods[("GET", "/posts/{id}.json")] == ("articles", "retrieve")  # the role stays: a retrieve
    (retrieve,) = [op for r in result.ir.all_resources() for op in r.operations if op.operation_id == "getPost"]
    assert retrieve.return_annotation == "types.Post"
    models = result.files["forum_client/types/__init__.py"]
    assert "class Post(BaseModel)" in models and '"Post",' in models and "GetPostResponse" not in models
    assert not [d for d in result.diagnostics if d.code == "names-file"]


def test_a_names_file_entry_that_is_wrong_is_named_and_ignored(tmp_path: Path) -> None:
    names = (
        "operations:\n  lockPost: {method: Lock-It}\n  noSuchOperation: {method: whatever}\nmodels:\n  Missing: Found\n"
    )
    result = _generate(tmp_path, names)
    # the file is named as the spec is (its display path), with the pointer of the entry
    found = sorted(d.format().replace(f"{tmp_path}/", "") for d in result.diagnostics if d.code == "names-file")
    assert found == [
        "error[names-file] forum.names.yaml#/operations/lockPost/method: 'Lock-It' is no method name; "
        "a snake_case identifier; the entry is ignored",
        "warning[names-file] forum.names.yaml#/models/Missing: no generated model is named 'Missing'; "
        "the entry is ignored",
        "warning[names-file] forum.names.yaml#/operations/noSuchOperation: no operation has the operationId or "
        "method and path 'noSuchOperation'; the entry is ignored",
    ]
    methods = {op.operation_id: op.name for r in result.ir.all_resources() for op in r.operations}
    assert methods["lockPost"] == "lock"  # the inferred name stays


def test_a_names_file_that_is_not_yaml_is_one_diagnostic(tmp_path: Path) -> None:
    result = _generate(tmp_path, "operations: [unclosed\n")
    (problem,) = [d for d in result.diagnostics if d.code == "names-file"]
    assert problem.severity == "error" and problem.message.startswith("cannot be read:")


def test_the_readme_names_file_does_what_the_readme_says(tmp_path: Path) -> None:
    result = _generate(tmp_path, block("Use it in your project", "yaml"))
    methods = {op.operation_id: f"{r.dotted}.{op.name}" for r in result.ir.all_resources() for op in r.operations}
    assert methods["lockPost"] == "posts.lock_forever"
    assert methods["abortMultipart"] == "multipart_uploads.abort"
    assert "class Post(BaseModel)" in result.files["forum_client/types/__init__.py"]
    assert not [d for d in result.diagnostics if d.code == "names-file"]
