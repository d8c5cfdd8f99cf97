"""``python -m benchmarks.realworld --spec NAME``: one spec of the collection by name, the way issue 13's leftovers
(otoroshi, ElastiCache) are reproduced; a name that is not there is one line naming it and the names like it."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import corpus, realworld
from benchmarks.corpus import CorpusError, Entry

ENTRIES = [Entry(Path(f"/c/{n}.json"), n, 3, "3.0") for n in ("amazonaws.com/elasticache", "maif.local/otoroshi")]


def test_named_specs_come_in_the_order_asked_and_an_unknown_one_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "entries", lambda: ENTRIES)
    assert corpus.named([]) == []
    assert corpus.named(["maif.local/otoroshi", "amazonaws.com/elasticache"]) == ENTRIES[::-1]
    with pytest.raises(CorpusError, match=r"no spec named 'amazonaws.com/elasticach' .*like it: amazonaws.com/elasti"):
        corpus.named(["amazonaws.com/elasticach"])


def test_the_realworld_command_runs_a_named_spec_alone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(corpus, "entries", lambda: ENTRIES)
    checked: list[str] = []
    monkeypatch.setattr(realworld, "check_spec", lambda e, **_: checked.append(e.name) or realworld.Row(e.name, 3))
    assert realworld.main(["--count", "0", "--spec", "maif.local/otoroshi", "--no-conform"]) == 0
    assert checked == ["maif.local/otoroshi"] and "maif.local/otoroshi | 3" in capsys.readouterr().out
    assert realworld.main(["--count", "0", "--spec", "nope"]) == 2
    assert "error: no spec named 'nope'" in capsys.readouterr().err
