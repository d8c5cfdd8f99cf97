"""YAML as PyYAML's safe loader reads it, in a quarter of the time on a Stripe-sized spec.

PyYAML's C loader parses and composes nodes in C, then builds the Python values in Python, one method call per
node through its generic constructor, and resolves each plain scalar's type with a regular-expression scan.
Specs are mostly plain strings, mappings and lists: this builds those directly, remembers the type of each
plain scalar it has resolved, and hands every other node (numbers, booleans, dates, binary, sets, merge keys,
tagged values) to PyYAML's own constructor, so the result is the same value for every document. A document
that this cannot build the simple way (an alias that refers to its own ancestor, an unhashable key) is built
by PyYAML entirely, errors included.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["collector_paused", "load_yaml"]

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML may be built without libyaml
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_REMEMBERED = 50_000  # plain scalars whose resolved tag is kept, per process


class _Unusual(Exception):
    """The document needs PyYAML's full constructor."""


class _Loader(_Base):  # type: ignore[misc]
    _tags: ClassVar[dict[str, str]] = {}

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:  # a plain scalar's type depends on its text alone here
            tag = self._tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._tags) < _REMEMBERED:
                    self._tags[value] = tag
            return tag
        return str(super().resolve(kind, value, implicit))


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a spec is read or built into long-lived objects.

    Such work allocates hundreds of thousands of containers and frees almost none, so each collection it triggers
    walks them all for nothing: on Stripe's spec that was half of the parse and a fifth of the mock's start. It
    makes no reference cycles (a test holds it to that), so nothing piles up meanwhile.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def load_yaml(text: str) -> Any:
    """``yaml.load(text, Loader=CSafeLoader)``, faster; raises what it raises."""
    with collector_paused():
        return _load(text)


def _load(text: str) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _Builder(loader).build(node)
        except _Unusual:
            return loader.construct_document(node)
    finally:
        loader.dispose()


class _Builder:
    """Builds one document's values; a class rather than a recursive closure, which would be a reference cycle
    holding every node until the cyclic collector ran."""

    def __init__(self, loader: Any) -> None:
        self.construct = loader.construct_object
        self.built: dict[int, tuple[Node, Any]] = {}  # by node: an alias gives the same object, as PyYAML's does
        self.open: set[int] = set()

    def build(self, node: Node) -> Any:
        kind = node.__class__
        if kind is ScalarNode:
            return node.value if node.tag == _STR else self.construct(node, deep=True)
        key = id(node)
        found = self.built.get(key)
        if found is not None:
            return found[1]
        if key in self.open:
            raise _Unusual  # an alias inside its own anchor
        self.open.add(key)
        value: Any
        if kind is MappingNode and node.tag == _MAP:
            value = {}
            build = self.build
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise _Unusual
                name = build(key_node)
                try:
                    value[name] = build(value_node)
                except TypeError:  # an unhashable key: PyYAML says where
                    raise _Unusual from None
        elif kind is SequenceNode and node.tag == _SEQ:
            value = [self.build(item) for item in node.value]
        else:
            raise _Unusual  # a set, an ordered map, pairs or a custom tag
        self.open.discard(key)
        self.built[key] = (node, value)  # the node is kept alive, so its id is not reused
        return value
