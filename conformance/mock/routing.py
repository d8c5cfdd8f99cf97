"""A route table compiled once: a trie of path segments, literal segments tried before templated ones.

Matching a path costs one dictionary lookup per segment plus the few templated siblings at each
level, so it does not grow with the number of operations in the spec.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = ["Match", "RouteTable"]

T = TypeVar("T")
_PARAM = re.compile(r"\{([^{}]+)\}")


@dataclass
class _Node(Generic[T]):
    literal: dict[str, _Node[T]] = field(default_factory=dict)
    templated: list[tuple[re.Pattern[str], tuple[str, ...], int, _Node[T]]] = field(default_factory=list)
    methods: dict[str, T] = field(default_factory=dict)
    # operations sharing a method and path, told apart by a parameter's value (APIs.guru's AWS specs write them
    # as "/#X-Amz-Target=Service.Action" or "/#Action=Name": the fragment names the header or query value)
    variants: dict[str, list[tuple[tuple[str, str], T]]] = field(default_factory=dict)
    allowed: tuple[str, ...] | None = None  # the methods, sorted: worked out at the first match


@dataclass(slots=True)
class Match(Generic[T]):
    """The outcome of a lookup: the operation (or ``None``), path parameters, methods of the path."""

    target: T | None
    params: dict[str, str]
    allowed: tuple[str, ...]
    variants: tuple[tuple[tuple[str, str], T], ...] = ()

    def pick(self, headers: Mapping[str, str], query: Mapping[str, str]) -> T | None:
        """The operation whose header or query value the request carries, among those sharing its method and path
        (the first one when none is named, so its own parameter validation says what is missing). ``headers`` are
        keyed in lower case. The mock answers as this operation and its self-check checks the answer against it."""
        for (name, value), target in self.variants:
            if headers.get(name.lower()) == value or query.get(name) == value:
                return target
        return self.target

    def unknown(self, headers: Mapping[str, str], query: Mapping[str, str]) -> tuple[str, str] | None:
        """The header or query parameter that should name one of the operations sharing this method and path, and
        the value it carries when that names none of them (``X-Amz-Target: AmazonSSM.Nope``); else ``None``."""
        names = {name for (name, _), _ in self.variants}
        for name in sorted(names):
            value = headers.get(name.lower()) if name.lower() in headers else query.get(name)
            if value is not None and not any(n == name and v == value for (n, v), _ in self.variants):
                return name, value
        return None

    def variant_values(self, name: str) -> list[str]:
        return [v for (n, v), _ in self.variants if n == name]


class RouteTable(Generic[T]):
    """Maps (method, path) to a target; knows which methods a matched path allows (for 405)."""

    def __init__(self) -> None:
        self._root: _Node[T] = _Node()

    def add(self, method: str, template: str, target: T) -> None:
        template, _, fragment = template.partition("#")
        node = self._root
        for segment in _segments(template):
            if "{" not in segment:
                node = node.literal.setdefault(segment, _Node())
                continue
            names = tuple(_PARAM.findall(segment))
            pieces = _PARAM.split(segment)
            regex = "".join(re.escape(p) if i % 2 == 0 else "([^/]+?)" for i, p in enumerate(pieces))
            literal_chars = sum(len(p) for i, p in enumerate(pieces) if i % 2 == 0)
            for pattern, existing_names, _, child in node.templated:
                if pattern.pattern == f"^{regex}$" and existing_names == names:
                    node = child
                    break
            else:
                child = _Node()
                node.templated.append((re.compile(f"^{regex}$"), names, literal_chars, child))
                node.templated.sort(key=lambda entry: -entry[2])
                node = child
        node.methods.setdefault(method.upper(), target)
        node.allowed = None
        name, sep, value = fragment.partition("=")
        if sep:
            node.variants.setdefault(method.upper(), []).append(((name, value), target))

    def match(self, method: str, path: str) -> Match[T] | None:
        """``None`` when no path matches; a match with ``target=None`` when only the method is wrong."""
        found = self._walk(self._root, _segments(path), 0, {})
        if found is None:
            return None
        node, params = found
        method = method.upper()
        target = node.methods.get(method)
        if target is None and method == "HEAD":
            target = node.methods.get("GET")
        allowed = node.allowed
        if allowed is None:
            allowed = node.allowed = tuple(sorted(node.methods))
        variants = node.variants.get(method)
        return Match(target, params, allowed, tuple(variants) if variants else ())

    def _walk(
        self, node: _Node[T], segments: list[str], index: int, params: dict[str, str]
    ) -> tuple[_Node[T], dict[str, str]] | None:
        if index == len(segments):
            return (node, params) if node.methods else None
        segment = segments[index]
        child = node.literal.get(segment)
        if child is not None:
            found = self._walk(child, segments, index + 1, params)
            if found is not None:
                return found
        for pattern, names, _, templated_child in node.templated:
            match = pattern.match(segment)
            if match is None or any(not value for value in match.groups()):
                continue
            found = self._walk(
                templated_child, segments, index + 1, {**params, **dict(zip(names, match.groups(), strict=True))}
            )
            if found is not None:
                return found
        return None


def _segments(path: str) -> list[str]:
    # A trailing slash is a segment of its own ("") so that "/v3/info/" and "/v3/info" stay distinct.
    return path.split("/")[1:] if path.startswith("/") else path.split("/")
