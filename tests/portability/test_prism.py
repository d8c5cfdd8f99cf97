"""Prism (``prism mock``) serves each spec; one representative call per resource gets a success answer with no
validation complaint (no ``sl-violations`` header). Prism binds 127.0.0.1 and is stopped after each spec."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml

from apimodel import Operation, load_api
from apimodel.project import API_NAMES, SPECS_DIR
from tests.portability.tools import npm_bin

pytestmark = pytest.mark.slow
_PREFERRED = ("retrieve", "list")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _value(parameter: Any) -> Any:
    raw = parameter.raw if hasattr(parameter, "raw") else parameter
    schema = raw.get("schema") or {}
    for candidate in (raw.get("example"), schema.get("example"), schema.get("default"), *(schema.get("enum") or [])):
        if candidate is not None:
            return candidate
    return 1 if schema.get("type") == "integer" else "1"


def _accept(op: Operation) -> str | None:
    """The first media type of the operation's first success response (``None`` for an empty one)."""
    for status, response in sorted(op.responses.items()):
        if str(status).startswith("2"):
            return next(iter(response.get("content") or {}), None)
    return None


def _representative(operations: list[Operation]) -> Operation:
    json_answers = [op for op in operations if "json" in (_accept(op) or "")] or operations
    for action in _PREFERRED:
        for op in json_answers:
            if op.method == "GET" and op.action == action:
                return op
    return next((op for op in json_answers if op.method == "GET"), json_answers[0])


def _request(op: Operation, schemes: dict[str, Any]) -> dict[str, Any]:
    path, query, headers = op.path, {}, {"Accept": _accept(op) or "*/*"}
    for parameter in op.params:
        raw = parameter.raw
        if raw.get("in") == "path":
            path = path.replace("{" + str(raw["name"]) + "}", str(_value(raw)))
        elif raw.get("required") and raw.get("in") == "query":
            query[str(raw["name"])] = _value(raw)
        elif raw.get("required") and raw.get("in") == "header":
            headers[str(raw["name"])] = str(_value(raw))
    for name in next(iter(op.security or ({},))):
        scheme = schemes.get(name) or {}
        if scheme.get("type") == "apiKey" and scheme.get("in") == "query":
            query[scheme["name"]] = "demo-key"
        elif scheme.get("type") == "apiKey":
            headers[scheme["name"]] = "demo-key"
        elif scheme.get("scheme") == "basic":
            headers["Authorization"] = "Basic " + base64.b64encode(b"demo-key:").decode()
        else:
            headers["Authorization"] = "Bearer demo-token"
    body = None
    for media_type, media in ((op.body or {}).get("content") or {}).items():
        examples = [e.get("value") for e in (media.get("examples") or {}).values() if isinstance(e, dict)]
        example = media["example"] if "example" in media else next(iter(examples), None)
        if "json" in media_type and example is not None:
            body, headers["Content-Type"] = json.dumps(example), media_type
            break
    return {"method": op.method, "url": path, "params": query, "headers": headers, "content": body}


@pytest.mark.parametrize("api", API_NAMES)
def test_prism_answers_one_call_per_resource_without_complaint(api: str, tmp_path: Path) -> None:
    model = load_api(api)
    model_data = yaml.safe_load((SPECS_DIR / f"{api}.yaml").read_text(encoding="utf-8"))
    schemes = model_data["components"].get("securitySchemes", {})
    port = _free_port()
    log = (tmp_path / "prism.log").open("w")
    command = [str(npm_bin("prism")), "mock", str(SPECS_DIR / f"{api}.yaml"), "-h", "127.0.0.1", "-p", str(port)]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    complaints: list[str] = []
    try:
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    client.get("/__not_a_path__")
                    break
                except httpx2.TransportError:
                    assert server.poll() is None, (tmp_path / "prism.log").read_text()[-2000:]
                    time.sleep(0.5)
            else:
                pytest.fail("prism did not start within 90 s")
            by_resource: dict[str, list[Operation]] = {}
            for op in model.operations:
                by_resource.setdefault(op.resource, []).append(op)
            for resource, operations in sorted(by_resource.items()):
                op = _representative(operations)
                security = op.security if op.security is not None else (model_data.get("security") or ())
                request = _request(_with_security(op, security), schemes)
                response = client.request(**request)
                violations = response.headers.get("sl-violations")
                if response.status_code >= 400 or violations:
                    complaints.append(f"{resource}: {op.method} {op.path} -> {response.status_code} {violations or ''}")
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    assert complaints == []
    assert len(by_resource) >= 1


def _with_security(op: Operation, security: Any) -> Operation:
    from dataclasses import replace

    return replace(op, security=tuple(security))
