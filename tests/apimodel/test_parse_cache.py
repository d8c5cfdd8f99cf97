"""Large YAML specs are parsed once per content: the mock and the generator start in a fraction of the time on a
Stripe-sized spec, and a cache that is damaged, unwritable or switched off never changes what is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from apimodel import loader
from apimodel.loader import CACHE_ABOVE, load_spec


def _big_spec(path: Path, extra: str = "") -> Path:
    schemas = "".join(
        f"    Model{i}:\n      type: object\n      description: {'padding ' * 20}\n"
        f"      properties:\n        id: {{type: integer}}\n        name: {{type: string}}\n"
        for i in range(1200)
    )
    text = (
        "openapi: 3.0.3\ninfo: {title: Big, version: '1'}\npaths:\n  /things:\n    get:\n      responses:\n"
        f"        200: {{description: ok}}\n{extra}components:\n  schemas:\n{schemas}"
    )
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > CACHE_ABOVE
    return path


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("parsed the YAML again")

    monkeypatch.setattr(loader, "load_yaml", refuse)


def test_a_large_spec_is_read_back_from_the_cache_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECFORGE_CACHE_DIR", str(tmp_path / "cache"))
    spec = _big_spec(tmp_path / "big.yaml")
    first = load_spec(spec).data
    assert first["paths"]["/things"]["get"]["responses"][200] == {"description": "ok"}  # YAML's int key kept
    assert len(list((tmp_path / "cache").iterdir())) == 1
    _no_yaml(monkeypatch)
    assert load_spec(spec).data == first
    spec.write_text(spec.read_text(encoding="utf-8").replace("title: Big", "title: Bigger"), encoding="utf-8")
    with pytest.raises(AssertionError, match="parsed the YAML again"):
        load_spec(spec)  # other content, another entry


def test_a_damaged_entry_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECFORGE_CACHE_DIR", str(tmp_path / "cache"))
    spec = _big_spec(tmp_path / "big.yaml")
    first = load_spec(spec).data
    (entry,) = (tmp_path / "cache").iterdir()
    entry.write_bytes(entry.read_bytes()[:100])
    assert load_spec(spec).data == first
    assert load_spec(spec).data == first  # and the entry was written whole again


def test_no_cache_when_switched_off_unwritable_or_unmarshallable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _big_spec(tmp_path / "big.yaml")
    expected = yaml.safe_load(spec.read_text(encoding="utf-8"))
    monkeypatch.setenv("SPECFORGE_CACHE_DIR", "off")
    assert loader.cache_dir() is None and load_spec(spec).data == expected
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("SPECFORGE_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    assert load_spec(spec).data == expected
    dated = _big_spec(tmp_path / "dated.yaml", extra="x-released: 2024-05-01\n")
    monkeypatch.setenv("SPECFORGE_CACHE_DIR", str(tmp_path / "cache"))
    assert str(load_spec(dated).data["x-released"]) == "2024-05-01"  # a date marshal cannot keep: not cached
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_small_specs_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECFORGE_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "small.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: S, version: '1'}\npaths: {}\n", encoding="utf-8")
    assert load_spec(spec).data["info"]["title"] == "S"
    assert not (tmp_path / "cache").exists()
