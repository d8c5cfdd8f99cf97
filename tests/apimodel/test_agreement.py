"""The client, the mock and conformance read one model: they agree on every operation by construction.

Checked over every operation of our five specs and of the public corpus in ``../shared/corpus``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apimodel import Api, load_api
from apimodel.loader import load_spec
from apimodel.project import API_NAMES, ROOT
from conformance.auth import Credentials
from conformance.context import RunContext
from conformance.mock import create_app
from generator.client.build import build_client
from generator.client.naming import python_identifier
from tests.corpus import corpus_params, corpus_specs

CORPUS_SPECS = corpus_specs()
_LARGE = 200  # operations; bigger specs take long to generate models for, and run with the slow tests


def _targets() -> list[Any]:
    corpus: list[Any] = []
    for path in CORPUS_SPECS:
        large = len(load_api(path).operations) > _LARGE
        corpus.append(pytest.param(path, id=path.stem, marks=[pytest.mark.slow] if large else []))
    return [*API_NAMES, *corpus_params(corpus)]


class _Case:
    """Just what a schemathesis case carries that the run context reads."""

    def __init__(self, method: str, path: str) -> None:
        self.operation = type("Op", (), {"method": method, "path": path})()


def _client_methods(api: Api, path: Path) -> dict[tuple[str, str], tuple[str, Any]]:
    ir = build_client(load_spec(path), api=api.name, regenerate="x").ir
    found: dict[tuple[str, str], tuple[str, Any]] = {}
    for resource in ir.all_resources():
        for method in resource.operations:
            found.setdefault((method.http_method, method.path), (resource.dotted, method))  # the primary form
    return found


@pytest.mark.parametrize("target", _targets())
def test_client_mock_and_conformance_see_the_same_operations(target: Any) -> None:
    api = load_api(target)
    path = Path(api.label) if Path(api.label).is_absolute() else ROOT / api.label
    methods = _client_methods(api, path if path.exists() else Path(target))
    served = create_app([target] if target in API_NAMES else [f"{api.name}={target}"]).state.mock.servers[api.name].api
    run = RunContext(api, Credentials())
    paged = 0
    for op in api.operations:
        # the client: grouped under the model's resource, paging exactly when the model pages a JSON list
        dotted, method = methods[(op.method, op.path)]
        assert dotted.split(".") == [python_identifier(p, fallback="resource") for p in op.resource.split(".")], op.key
        json_list = method.response_kind == "json"
        expected = op.pagination.style if op.pagination is not None and json_list else None
        assert (method.paging.style if method.paging else None) == expected, op.key
        if method.paging is not None:
            assert method.paging.settings == op.pagination.settings(), op.key  # type: ignore[union-attr]
            paged += 1
        # the mock: serves the same operation, resource and pagination
        mocked = served.model.operation(op.method, op.path)
        assert mocked == op, op.key
        assert served.model.resource(op.resource) == api.resource(op.resource), op.key
        # conformance: its checks look the operation up in the same model
        assert run.operation(_Case(op.method, op.path)) is op, op.key
    assert paged == sum(1 for m in methods.values() if m[1].paging is not None)
