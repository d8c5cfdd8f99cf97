"""``apimodel.yamlfast.load_yaml``: the value PyYAML's safe loader gives, for every kind of YAML, built faster.

The reference is PyYAML itself (``yaml.load`` with ``CSafeLoader``): each document here is read by both, and the
values, or the errors, must be the same. The fast path must also really be taken for plain documents, or the
comparison would prove nothing.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
import yaml

from apimodel import yamlfast
from apimodel.yamlfast import load_yaml

ROOT = Path(__file__).resolve().parents[2]
_Reference: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DOCUMENTS = {
    "plain": "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n",
    "yaml 1.1 scalars": "e: [yes, no, on, off, y, n, ~, null, Null, true, 'yes', \"no\"]\n",
    "numbers": "i: [0x1F, 0o17, 0777, 1_000, -12, +3, 1:30, 190:20:30]\nf: [1.5, .5, 1e3, 6.8523015e+5, .inf, -.Inf]\n",
    "not a number": "n: .nan\n",
    "dates": "d: 2024-01-10\nt: 2001-12-14t21:59:43.10-05:00\ns: '2024-01-10'\n",
    "binary": "b: !!binary aGVsbG8=\n",
    "anchors": "a: &x {k: [1, 2]}\nb: *x\nc: &s shared\nd: *s\n",
    "merge keys": "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\nl:\n  <<: [*b, {z: 4}]\n",
    "set": "s: !!set {a, b}\n",
    "ordered map": "o: !!omap [{a: 1}, {b: 2}]\n",
    "pairs": "p: !!pairs [{a: 1}, {a: 2}]\n",
    "non-string keys": "200: ok\n3.5: f\ntrue: t\nnull: n\n2024-01-10: d\n",
    "explicit tags": "a: !!str 12\nb: !!int '7'\nc: !!float '2'\nd: !!null ''\n",
    "block scalars": "a: |\n  line one\n  line two\nb: >-\n  folded\n  text\n",
    "empty values": "a:\nb: []\nc: {}\nd: ''\n",
    "unicode": 'name: "caf\\u00e9 \\U0001F600"\nplain: Łódź\n',
    "duplicate keys": "a: 1\na: 2\n",
    "recursive alias": "a: &r [1, *r]\n",
    "unhashable key": "? [1, 2]\n: v\n",
    "mapping key": "? {a: 1}\n: v\n",
    "empty": "",
    "comment only": "# nothing\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "syntax error": "a: [1, 2\nb: 3\n",
    "tab indentation": "a:\n\t- 1\n",
    "unknown tag": "a: !custom 1\n",
    "undefined alias": "a: *nowhere\n",
}


def _outcome(read: Any, text: str) -> tuple[Any, ...]:
    try:
        return ("value", read(text))
    except yaml.YAMLError as exc:
        return ("error", type(exc).__name__, str(exc))


def _reference(text: str) -> Any:
    return yaml.load(text, Loader=_Reference)


def _same(one: Any, other: Any) -> bool:
    """The same value, types and key order included: ``repr`` also shows NaN (never == itself) and a list that
    holds itself, which ``==`` cannot compare."""
    return repr(one) == repr(other)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_kind_of_yaml_reads_as_pyyaml_reads_it(name: str) -> None:
    text = DOCUMENTS[name]
    ours, theirs = _outcome(load_yaml, text), _outcome(_reference, text)
    assert ours[0] == theirs[0]
    if ours[0] == "error":
        assert ours == theirs
    else:
        assert _same(ours[1], theirs[1]), (ours[1], theirs[1])
        assert type(ours[1]) is type(theirs[1])


def test_an_alias_is_the_same_object_as_its_anchor_as_in_pyyaml() -> None:
    ours, theirs = load_yaml(DOCUMENTS["anchors"]), _reference(DOCUMENTS["anchors"])
    assert (ours["a"] is ours["b"]) and (theirs["a"] is theirs["b"])


def test_plain_documents_are_built_without_pyyamls_constructor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Strings, mappings and lists are built directly; only the two numbers go through PyYAML's constructor."""
    calls: list[str] = []
    original = yaml.constructor.BaseConstructor.construct_object

    def counted(self: Any, node: Any, deep: bool = False) -> Any:
        calls.append(node.tag)
        return original(self, node, deep)

    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_object", counted)
    text = "paths:\n  /a:\n    get:\n      tags: [x, y]\n      responses: {'200': {description: ok}}\n"
    text += "n: 5\nm: 6\n"
    assert load_yaml(text) == _reference(text)
    calls.clear()
    load_yaml(text)
    assert calls == ["tag:yaml.org,2002:int", "tag:yaml.org,2002:int"]


def _yaml_files() -> list[Path]:
    found = sorted((ROOT / "specs").glob("*.yaml"))
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.is_dir():
        found += sorted(corpus.rglob("*.yaml"))
    return found


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: p.name)
def test_real_specs_read_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _same(load_yaml(text), _reference(text))


def test_the_scalar_memo_is_bounded() -> None:
    text = "\n".join(f"k{i}: v{i}" for i in range(yamlfast._REMEMBERED + 10))
    assert len(load_yaml(text)) == yamlfast._REMEMBERED + 10
    assert len(yamlfast._Loader._tags) <= yamlfast._REMEMBERED


def test_the_collector_is_paused_while_reading_and_left_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    original = yamlfast._Loader.resolve

    def noting(self: Any, kind: Any, value: Any, implicit: Any) -> str:
        seen.append(gc.isenabled())
        return original(self, kind, value, implicit)

    monkeypatch.setattr(yamlfast._Loader, "resolve", noting)
    assert gc.isenabled()
    load_yaml("a: [b, c]\n")
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(yaml.YAMLError):
            load_yaml("a: [b\n")
        assert not gc.isenabled()  # a caller's choice is kept, an error or not
    finally:
        gc.enable()
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: [b\n")
    assert gc.isenabled()


def test_reading_leaves_no_cyclic_garbage_behind() -> None:
    """With the collector paused, garbage in reference cycles would pile up: reading makes none (a recursive
    closure did, holding every node of the document until a collection)."""
    text = "\n".join(f"k{i}: {{a: [x, y, {i}], b: &n{i} {{c: d}}, e: *n{i}}}" for i in range(2000))
    gc.collect()
    gc.disable()
    try:
        assert len(load_yaml(text)) == 2000
        assert gc.collect() == 0
    finally:
        gc.enable()
