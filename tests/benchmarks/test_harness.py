"""The benchmark harness: statistics, alternation, reports and measured processes (never timings)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from openapi_schema_validator import OAS30Validator

from benchmarks.cli import main as bench_main
from benchmarks.harness import Failed, Settings, alternate, slug
from benchmarks.proc import run_measured
from benchmarks.report import QualityCheck, format_value, load_json, render_json, render_markdown
from benchmarks.stats import Comparison, Figure, advantage, median, percentile
from benchmarks.synth import Synthesizer

MACHINE = {"date": "2024-01-01 00:00 UTC", "cpu": "Test CPU", "cores": "2"}
SETTINGS = {"repeat": 3, "conform_repeat": 1}


def test_median_and_percentile_of_synthetic_samples() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert median([]) is None
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 0.50) == 50.0
    assert percentile(samples, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([], 0.5) is None


def test_ratio_is_ours_over_peer_and_advantage_follows_direction() -> None:
    faster = Comparison("g", "c", "wall", "s", "lower", Figure((1.0, 2.0, 3.0)), "peer", Figure((8.0, 8.0, 4.0)))
    assert faster.ratio == pytest.approx(0.25)
    assert advantage(faster) == ("ours", pytest.approx(4.0))
    throughput = Comparison("g", "c", "rps", "req/s", "higher", Figure((100.0,)), "peer", Figure((400.0,)))
    assert throughput.ratio == pytest.approx(0.25)
    assert advantage(throughput) == ("peer", pytest.approx(4.0))
    missing = Comparison("g", "c", "wall", "s", "lower", Figure.missing("timeout", "timed out"), "peer", Figure((1.0,)))
    assert missing.ratio is None
    assert advantage(missing) is None


def test_alternate_rotates_order_and_stops_a_failing_tool() -> None:
    calls: list[str] = []

    def steady(name: str, value: float) -> dict[str, float]:
        calls.append(name)
        return {"x": value}

    def broken() -> dict[str, float]:
        calls.append("broken")
        raise Failed("timeout", "timed out after 5s")

    figures = alternate(
        {
            "a": lambda: steady("a", 1.0),
            "b": lambda: steady("b", 2.0),
            "broken": broken,
            "absent": Failed("not measured", "not installed"),
        },
        ("x",),
        repeat=3,
    )
    assert calls == ["a", "b", "broken", "b", "a", "a", "b"]  # rounds start at a, then b, then broken (skipped)
    assert figures["a"]["x"] == Figure((1.0, 1.0, 1.0))
    assert figures["b"]["x"].value == 2.0
    assert figures["broken"]["x"].status == "timeout"
    assert figures["absent"]["x"] == Figure.missing("not measured", "not installed")


def test_markdown_shows_figures_ratios_and_reasons() -> None:
    comparisons = [
        Comparison(
            "generation",
            "petstore (3 ops)",
            "wall time",
            "s",
            "lower",
            Figure((0.5, 0.4, 0.6)),
            "openapi-python-client",
            Figure((2.0, 1.5, 2.5)),
            "python -m benchmarks --only generation:petstore",
        ),
        Comparison(
            "generation",
            "stripe (468 ops)",
            "wall time",
            "s",
            "lower",
            Figure((20.0,)),
            "openapi-python-client",
            Figure.missing("timeout", "timed out after 300s | killed"),
        ),
        Comparison("conformance", "econt", "wall time", "s", "lower", Figure.missing("not measured", "absent")),
    ]
    quality = [QualityCheck("petstore", "specforge", "yes", "passes")]
    text = render_markdown(comparisons, quality, MACHINE, SETTINGS)
    assert "| cpu | Test CPU |" in text
    assert "500.0 ms (400.0 ms–600.0 ms)" in text
    assert "0.25 (**ours** 4.0× better)" in text
    assert "timeout [1]" in text and "1. timed out after 300s \\| killed" in text
    assert "not measured [2]" in text and "2. absent" in text
    assert "| petstore | specforge | yes | passes |  |" in text
    assert text.index("## Generation") < text.index("## Conformance")
    data = json.loads(render_json(comparisons, quality, MACHINE, SETTINGS))
    first = data["comparisons"][0]
    assert first["ours"]["samples"] == [0.5, 0.4, 0.6] and first["ours"]["median"] == 0.5
    assert first["ratio"] == pytest.approx(0.25)
    assert data["comparisons"][1]["peer"]["status"] == "timeout"
    assert data["comparisons"][2]["peer"] is None
    again, checks, settings = load_json(render_json(comparisons, quality, MACHINE, SETTINGS))
    assert again[:2] == comparisons[:2] and checks == quality and settings == SETTINGS
    assert again[2].peer.status == "not measured" and again[2].ours == comparisons[2].ours


def test_format_value_units() -> None:
    assert format_value(0.0123, "s") == "12.3 ms"
    assert format_value(12.345, "s") == "12.35 s"
    assert format_value(1234.4, "req/s") == "1,234 req/s"
    assert format_value(12.34, "cases/s") == "12.3 cases/s"
    assert format_value(5.24, "MiB") == "5.2 MiB"
    assert format_value(123.4, "MiB") == "123 MiB"
    assert format_value(250.0, "µs") == "250.0 µs"


def test_selection_and_slug() -> None:
    settings = Settings(repeat=1, timeout=1, quick=True, work=Path("."), only=("generation:stripe*", "mock:*"))
    assert settings.selected("generation", "stripe-spec3-2023-09-12")
    assert settings.selected("mock", "petstore-expanded")
    assert not settings.selected("generation", "oai-petstore")
    assert Settings(repeat=1, timeout=1, quick=True, work=Path(".")).selected("client", "parse")
    assert slug("stripe-spec3-2023-09-12") == "stripe_spec3_2023_09_12"
    assert slug("3d.api") == "s_3d_api"


def test_run_measured_reports_exit_memory_and_timeout() -> None:
    done = run_measured([sys.executable, "-c", "b = bytearray(64 * 2**20); print('{\"n\": 1}')"], timeout=60)
    assert done.ok and done.json() == {"n": 1}
    assert done.peak_rss >= 64 * 2**20
    failed = run_measured([sys.executable, "-c", "import sys; sys.exit('bad input')"], timeout=60)
    assert failed.returncode == 1 and failed.reason() == "exit 1: bad input"
    stuck = run_measured([sys.executable, "-c", "import time; time.sleep(60)"], timeout=0.5)
    assert stuck.timed_out and stuck.reason().startswith("timed out")


def test_synthesized_instances_match_their_schema() -> None:
    document = {
        "openapi": "3.0.3",
        "components": {
            "schemas": {
                "Line": {
                    "type": "object",
                    "required": ["qty"],
                    "properties": {"qty": {"type": "integer", "minimum": 1}},
                },
                "Invoice": {
                    "type": "object",
                    "required": ["id", "lines"],
                    "properties": {
                        "id": {"type": "string", "minLength": 12},
                        "issued": {"type": "string", "format": "date"},
                        "status": {"type": "string", "enum": ["draft", "paid"]},
                        "customer": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Line"}]},
                        "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
                        "total": {"type": "number", "nullable": True},
                    },
                },
            }
        },
    }
    synthesizer = Synthesizer(document)
    schema = synthesizer.schema("Invoice")
    instance = synthesizer.instance(schema)
    assert set(instance) == {"id", "issued", "status", "customer", "lines", "total"}
    resolved = {
        **schema,
        "properties": {
            **schema["properties"],
            "lines": {"type": "array", "items": document["components"]["schemas"]["Line"]},
            "customer": {"type": "string"},
        },
    }
    OAS30Validator(resolved).validate(instance)


@pytest.mark.slow
def test_quick_smoke_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = bench_main(
        ["--quick", "--only", "generation:oai-petstore", "--out", str(out), "--work", str(tmp_path / "work")]
    )
    assert code == 0
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    rows = [c for c in data["comparisons"] if c["case"].startswith("oai-petstore")]
    assert {c["peer_name"] for c in rows} == {"openapi-python-client", "datamodel-code-generator"}
    assert {c["metric"] for c in rows} == {"wall time", "peak RSS"}
    for row in rows:
        for side in (row["ours"], row["peer"]):
            assert (side["status"] == "ok") == (side["median"] is not None)
            assert side["status"] == "ok" or side["note"]
        if row["ratio"] is not None:
            assert row["ratio"] > 0
    peers = {c["peer_name"]: c for c in rows if c["metric"] == "wall time"}
    assert peers["datamodel-code-generator"]["peer"]["status"] == "ok"
    assert len(peers["datamodel-code-generator"]["peer"]["samples"]) == 2
    markdown = (out / "RESULTS.md").read_text(encoding="utf-8")
    assert "## Generation" in markdown and "oai-petstore (3 ops)" in markdown


def test_the_parse_workload_reports_wall_and_cpu_time_of_the_same_loops(tmp_path: Path) -> None:
    """Parsing is one thread's work: its CPU time cannot exceed its wall time by more than the clocks' grain,
    and it is what stays put when other processes share the cores."""
    payload = tmp_path / "items.json"
    payload.write_text(json.dumps({"data": [{"id": n, "name": "x" * 50} for n in range(20_000)]}), encoding="utf-8")
    run = run_measured([sys.executable, "-m", "benchmarks.workloads.parse", "json", str(payload)], timeout=120)
    assert run.ok, run.reason()
    printed = run.json()
    assert printed["items"] == 20_000 and printed["bytes"] == payload.stat().st_size
    assert 0 < printed["cpu_seconds"] <= printed["seconds"] + 0.01
