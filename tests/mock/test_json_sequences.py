"""Sequential JSON (NDJSON, JSON Lines, json-seq) in the mock: bodies read one document a line, answers written one
document a line, and the self-check reading them the same way. Found on otoroshi (APIs.guru), whose bulk endpoints
take ``application/ndjson``; the mock read such a body as one JSON document and answered sequences as one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from conformance.jsonseq import SequenceError, decode_sequence, encode_sequence, sequence_errors
from conformance.mock import MockConfig, SyncASGITransport, create_app, validate_response
from tests.conformance.test_json_sequences import SPEC

RECORDS = [{"id": 1, "kind": "created"}, {"id": 2, "kind": "deleted"}]


def _spec(tmp_path: Path) -> Path:
    """The conform test's spec (an NDJSON stream, an NDJSON bulk body) and two more sequential answers."""

    def answer(media: str, **extra: Any) -> dict[str, Any]:
        content = {"schema": {"$ref": "#/components/schemas/Event"}, **extra}
        return {"200": {"description": "ok", "content": {media: content}}}

    paths = {
        **SPEC["paths"],
        "/records": {"get": {"operationId": "recordSeq", "responses": answer("application/json-seq")}},
        # an example showing the whole stream as an array (Zuora's json-seq does): one record a line
        "/history": {"get": {"operationId": "history", "responses": answer("application/jsonl", example=RECORDS)}},
    }
    path = tmp_path / "seq.json"
    path.write_text(json.dumps({**SPEC, "paths": paths}), encoding="utf-8")
    return path


def _serve(tmp_path: Path) -> tuple[httpx2.Client, Any]:
    app = create_app([_spec(tmp_path)], config=MockConfig(self_check=True))
    return httpx2.Client(transport=SyncASGITransport(app), base_url="http://mock/seq"), app


def _valid_event(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("id"), int) and value.get("kind") in ("created", "deleted")


def test_the_mock_answers_ndjson_and_json_seq_one_valid_document_a_line(tmp_path: Path) -> None:
    client, app = _serve(tmp_path)
    with client:
        ndjson, seq = client.get("/events"), client.get("/records")
        history = client.get("/history", headers={"Prefer": "code=200"})  # the declared answer: its example
    assert ndjson.status_code == 200 and ndjson.headers["content-type"] == "application/x-ndjson"
    assert ndjson.content.endswith(b"\n")
    lines = [json.loads(line) for line in ndjson.content.splitlines() if line]
    assert lines and all(_valid_event(line) for line in lines), ndjson.content
    # RFC 7464: a record separator before each document, a line feed after it
    assert seq.headers["content-type"] == "application/json-seq" and seq.content.startswith(b"\x1e"), seq.content
    assert all(_valid_event(d) for d in decode_sequence(seq.content, "application/json-seq")), seq.content
    assert history.content.splitlines() == [json.dumps(r, separators=(",", ":")).encode() for r in RECORDS]
    assert app.state.mock.violations() == {"seq": []}


def test_the_mock_reads_an_ndjson_body_line_by_line_and_names_the_line_that_breaks_the_schema(tmp_path: Path) -> None:
    client, app = _serve(tmp_path)
    headers = {"content-type": "application/ndjson"}
    with client:
        good = client.post("/events/_bulk", content=encode_sequence(RECORDS, "application/ndjson"), headers=headers)
        bad = client.post("/events/_bulk", content=b'{"id": 1, "kind": "created"}\n{"id": "x"}\n', headers=headers)
        broken = client.post("/events/_bulk", content=b'{"id": 1, "kind": "created"}\n{"id": \n', headers=headers)
    assert good.status_code == 200, good.text
    assert bad.status_code == 400 and "line 2" in bad.text, bad.text
    assert broken.status_code == 400 and "line 2 is not one JSON document" in broken.text, broken.text
    assert app.state.mock.violations() == {"seq": []}


def test_the_self_check_reads_each_line_of_a_sequential_response(tmp_path: Path) -> None:
    client, app = _serve(tmp_path)
    client.close()
    served = app.state.mock.servers["seq"].api

    def problems(body: bytes) -> list[str]:
        return [str(p) for p in validate_response(served, "GET", "/events", 200, "application/x-ndjson", body)]

    assert problems(b'{"id":1,"kind":"created"}\n{"id":2,"kind":"deleted"}\n') == []
    wrong = problems(b'{"id":1,"kind":"created"}\n{"id":2,"kind":"archived"}\n')
    assert len(wrong) == 1 and "line 2" in wrong[0] and "archived" in wrong[0], wrong
    assert any("line 2 is not one JSON document" in p for p in problems(b'{"id":1,"kind":"created"}\nnot json\n'))


def test_a_sequence_decodes_as_it_was_encoded_and_bad_input_names_its_line() -> None:
    for media in ("application/x-ndjson", "application/json-seq", "application/jsonl; charset=utf-8"):
        documents = [*RECORDS, [1, "two"], None]
        assert decode_sequence(encode_sequence(documents, media), media) == documents
    assert decode_sequence(b"\n\n", "application/x-ndjson") == []
    with pytest.raises(SequenceError, match="line 3 is not one JSON document"):
        decode_sequence(b"1\n\n{\n", "application/x-ndjson")
    with pytest.raises(SequenceError, match="record separator"):
        decode_sequence(b'{"id": 1}\n', "application/json-seq")


def test_a_sequence_conforms_when_each_line_follows_the_schema_or_all_lines_follow_it_as_an_array() -> None:
    def errors(schema: Any, value: Any) -> list[str]:
        valid = isinstance(value, list) if schema["type"] == "array" else _valid_event(value)
        return [] if valid else ["no"]

    assert sequence_errors({"schema": {"type": "object"}}, RECORDS, errors) == []
    assert sequence_errors({"schema": {"type": "object"}}, [RECORDS[0], 3], errors) == [(2, "no")]
    # OpenAPI 3.2's reading: ``schema`` is the whole stream as an array, ``itemSchema`` each line
    assert sequence_errors({"schema": {"type": "array"}}, RECORDS, errors) == []
    assert sequence_errors({"schema": {"type": "array"}, "itemSchema": {"type": "object"}}, [3], errors) == [(1, "no")]
