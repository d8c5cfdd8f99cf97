"""Data schemathesis calls valid that the spec's own pattern refuses is not drift.

A pattern's Unicode classes are Unicode's. schemathesis 4.32 generates strings for them from a table of its own
(``schemathesis/core/jsonschema/patterns.py``), and there ``\\p{Z}`` is ``[ \\t\\n\\r\\f\\v]``. In Unicode, ``Z`` (the
separators: Zs, Zl, Zp) holds none of ``\\t\\n\\r\\f\\v``; those are ``Cc``, control characters (Unicode's
UnicodeData.txt: ``000A;<control>;Cc``). So schemathesis sent tag keys such as ``"ab\\ncd"`` as valid data for
``^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$`` on APIs.guru's ``amazonaws.com/ssm``, the mock refused them (its validator,
the Rust ``regex`` crate, reads ``\\p{Z}`` as Unicode does), and conform reported three false
``positive-data-rejected`` drifts. Conform now checks such a case's body against the spec with the mock's validator,
and where the data is not valid it notes the case as not judged instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.engine import ConformOptions
from conformance.mock import MockConfig
from conformance.suite import run_against_mock


def _spec(tmp_path: Path) -> Path:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "tags", "version": "1"},
        "paths": {
            "/tags": {
                "post": {
                    "operationId": "createTag",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["key"],
                                    "properties": {"key": {"type": "string", "pattern": "^[x\\p{Z}]+$"}},
                                    "additionalProperties": False,
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "made",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": {"key": {"type": "string"}}}
                                }
                            },
                        },
                        "480": {"description": "refused (AWS gives each fault a status of its own, from 480 up)"},
                    },
                }
            }
        },
    }
    path = tmp_path / "tags.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", [1, 2])
def test_a_pattern_read_the_python_way_is_not_reported_as_the_api_rejecting_valid_data(
    tmp_path: Path, seed: int
) -> None:
    options = ConformOptions(max_examples=60, seed=seed, phases=("coverage", "fuzzing"))
    result = run_against_mock([str(_spec(tmp_path))], options, mock_config=MockConfig(self_check=True))[0]
    assert result.errors == () and result.mock_violations == (), (result.errors, result.mock_violations)
    assert [(d.kind, d.operation, d.api_did) for d in result.drifts] == [], result.drifts
    notes = [n for n in result.notes if "positive_data_acceptance not judged" in n]
    assert notes and "key" in notes[0] and "pattern" in notes[0], result.notes
