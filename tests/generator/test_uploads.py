"""Multipart uploads: typed fields next to files (bytes, a file object or a (name, content, type) tuple), the body and
its boundary encoded by the client, the parts read back by the mock of the same spec."""

from __future__ import annotations

import inspect
import io
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml

from conformance.mock import SyncASGITransport, create_app
from tests.generator.conftest import GenerateClient

FILE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        "purpose": {"type": "string", "enum": ["invoice", "receipt"]},
        "note": {"type": "string"},
        "file": {"type": "string", "format": "binary", "writeOnly": True},
    },
}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Files", "version": "1"},
    "paths": {
        "/files": {
            "post": {
                "operationId": "uploadFile",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["purpose", "file"],
                                "properties": {k: v for k, v in FILE["properties"].items() if k != "id"},
                            }
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "stored",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/File"}}},
                    },
                    "400": {"description": "refused", "content": {"application/json": {"schema": {"type": "object"}}}},
                },
            }
        }
    },
    "components": {"schemas": {"File": FILE}},
}


@pytest.fixture
def files_client(generate_client: GenerateClient, tmp_path: Path) -> Any:
    path = tmp_path / "files.yaml"
    path.write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    seen: list[httpx2.Request] = []
    inner = SyncASGITransport(create_app([f"files={path}"]))

    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return inner.handle_request(request)

    module = generate_client(SPEC, "files")
    client = module.Client(
        base_url="http://mock/files", http_client=httpx2.Client(transport=httpx2.MockTransport(handle))
    )
    client.seen = seen
    return client


@pytest.mark.parametrize(
    "file",
    [b"%PDF-1.7 one", io.BytesIO(b"%PDF-1.7 one"), ("scan.pdf", b"%PDF-1.7 one", "application/pdf")],
    ids=["bytes", "file object", "tuple"],
)
def test_a_file_and_typed_fields_upload_as_multipart(files_client: Any, file: Any) -> None:
    made = files_client.files.create(purpose="invoice", note="March", file=file)
    assert made.purpose == "invoice" and made.note == "March" and isinstance(made.id, int)
    request = files_client.seen[-1]
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    body = request.content
    assert body.count(b"--" + boundary) == 4 and body.endswith(b"--" + boundary + b"--\r\n")  # 3 parts and the end
    assert b'name="file"; filename=' in body and b"%PDF-1.7 one" in body
    assert b'name="purpose"\r\n\r\ninvoice\r\n' in body


def test_the_file_is_typed_and_a_missing_required_part_is_refused_by_the_mock(files_client: Any) -> None:
    parameters = inspect.signature(files_client.files.create).parameters
    assert "FileInput" in str(parameters["file"].annotation)
    with pytest.raises(Exception) as refused:  # the spec requires the file part; None leaves it out
        files_client.files.create(purpose="receipt", file=None)
    assert getattr(refused.value, "status_code", None) == 400
    assert b'name="file"' not in files_client.seen[-1].content
