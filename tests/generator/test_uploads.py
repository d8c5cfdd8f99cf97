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


# discourse's /uploads.json (APIs.guru) declares its file part as `{}`: any content, sent as a file or as text
ANY_PART: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Anyparts", "version": "1"},
    "paths": {
        "/uploads": {
            "post": {
                "operationId": "createUpload",
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Upload"}},
                        "multipart/form-data": {"schema": {"$ref": "#/components/schemas/Upload"}},
                    }
                },
                "responses": {
                    "201": {
                        "description": "stored",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Stored"}}},
                    },
                    "400": {"description": "refused", "content": {"application/json": {"schema": {"type": "object"}}}},
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Upload": {
                "type": "object",
                "additionalProperties": False,
                "required": ["type", "tags"],
                "properties": {
                    "file": {},
                    "type": {"type": "string", "enum": ["avatar", "composer"]},
                    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "meta": {"type": "object", "properties": {"width": {"type": "integer"}}, "required": ["width"]},
                },
            },
            "Stored": {"type": "object", "properties": {"id": {"type": "integer", "readOnly": True}}},
        }
    },
}


@pytest.fixture
def any_part_client(generate_client: GenerateClient, tmp_path: Path) -> Any:
    path = tmp_path / "anyparts.yaml"
    path.write_text(yaml.safe_dump(ANY_PART), encoding="utf-8")
    seen: list[tuple[httpx2.Request, int]] = []
    inner = SyncASGITransport(create_app([f"anyparts={path}"]))

    def handle(request: httpx2.Request) -> httpx2.Response:
        response = inner.handle_request(request)
        seen.append((request, response.status_code))
        return response

    module = generate_client(ANY_PART, "anyparts")
    client = module.Client(
        base_url="http://mock/anyparts", http_client=httpx2.Client(transport=httpx2.MockTransport(handle))
    )
    client.seen, client.mock = seen, inner
    return client


def test_a_part_declared_as_any_value_takes_a_file_or_text_and_the_form_with_a_file_goes_as_multipart(
    any_part_client: Any,
) -> None:
    annotation = str(inspect.signature(any_part_client.uploads.create).parameters["file"].annotation)
    assert "FileInput" in annotation and "str" in annotation, annotation
    for file in (b"%PDF-1.7 two", ("scan.pdf", b"%PDF-1.7 two", "application/pdf"), "plain words"):
        made = any_part_client.uploads.create(type="composer", tags=["a", "b"], meta={"width": 3}, file=file)
        request, status = any_part_client.seen[-1]
        # a URL-encoded form cannot carry a file: the multipart body is chosen though listed second
        assert request.headers["content-type"].startswith("multipart/form-data; boundary="), request.headers
        assert status == 201 and isinstance(made.id, int)
    assert b"plain words" in request.content


def test_the_mock_reads_an_array_part_sent_as_json_or_one_item_a_part_and_an_object_part_as_json(
    any_part_client: Any,
) -> None:
    any_part_client.uploads.create(type="avatar", tags=["x"], meta={"width": 1}, file=b"1")  # tags: one JSON part
    assert any_part_client.seen[-1][1] == 201
    with pytest.raises(Exception) as refused:  # an object part that is not its JSON document breaks the schema
        any_part_client.uploads.create(type="avatar", tags=["x"], meta="wide", file=b"1")
    assert getattr(refused.value, "status_code", None) == 400

    def send(parts: list[tuple[str, str]]) -> int:
        body = "".join(f'--b0\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n' for n, v in parts)
        request = httpx2.Request(
            "POST",
            "http://mock/anyparts/uploads",
            content=(body + "--b0--\r\n").encode(),
            headers={"content-type": "multipart/form-data; boundary=b0"},
        )
        return int(any_part_client.mock.handle_request(request).status_code)

    assert send([("type", "avatar"), ("tags", "one"), ("tags", "two"), ("meta", '{"width": 2}')]) == 201
    assert send([("type", "avatar"), ("tags", "one")]) == 201  # one item, one part
    assert send([("type", "avatar"), ("tags", "[]")]) == 400  # minItems 1, read as the JSON array it is
