"""Finding the place in a spec that a response, header or schema failure is about."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apimodel.diagnostics import join_pointer
from apimodel.loader import resolve_pointer

__all__ = ["follow_ref", "response_key", "response_pointer", "schema_pointer"]


def follow_ref(spec: dict[str, Any], pointer: str) -> str:
    """The pointer itself, or where a ``$ref`` found there leads (repeatedly)."""
    for _ in range(16):
        try:
            node = resolve_pointer(spec, pointer)
        except KeyError:
            return pointer
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#")):
            return pointer
        pointer = ref[1:]
    return pointer


def response_key(responses: dict[str, Any], status: int) -> str | None:
    """The key of ``responses`` that covers ``status`` (exact, ``4XX`` style, then ``default``)."""
    for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
        if key in responses:
            return key
    return None


def response_pointer(spec: dict[str, Any], path: str, method: str, status: int | None) -> str:
    """Pointer to the response object for ``status`` (through a ``$ref``), or to the ``responses`` map."""
    base = join_pointer("paths", path, method.lower(), "responses")
    try:
        responses = resolve_pointer(spec, base)
    except KeyError:
        return join_pointer("paths", path, method.lower())
    key = response_key(responses, status) if status is not None and isinstance(responses, dict) else None
    if key is None:
        return base
    return follow_ref(spec, f"{base}/{key}")


def _media_key(content: dict[str, Any], content_type: str | None) -> str | None:
    if not content:
        return None
    wanted = (content_type or "").split(";")[0].strip().lower()
    for key in content:
        if key.lower() == wanted:
            return str(key)
    for key in content:
        if (key.endswith("/*") and wanted.startswith(key[:-1])) or key == "*/*":
            return str(key)
    return str(next(iter(content)))


def _refs_below(spec: dict[str, Any], pointer: str) -> list[str]:
    """Where each ``$ref`` below ``pointer`` leads, breadth first."""
    found: list[str] = []
    queue: list[tuple[str, Any]] = [(pointer, resolve_pointer(spec, pointer))]
    while queue:
        where, node = queue.pop(0)
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                found.append(follow_ref(spec, ref[1:]))
                continue
            queue.extend((f"{where}{join_pointer(str(k))}", v) for k, v in node.items() if isinstance(v, dict | list))
        elif isinstance(node, list):
            queue.extend((f"{where}/{i}", v) for i, v in enumerate(node))
    return found


def _step(spec: dict[str, Any], pointer: str, text: str) -> str | None:
    """The pointer one schema-path token below ``pointer`` (through a ``$ref`` where it must), or None."""
    for base in (pointer, follow_ref(spec, pointer)):
        candidate = f"{base}{join_pointer(text)}"
        try:
            resolve_pointer(spec, candidate)
        except KeyError:
            continue
        return candidate
    return None


def _bundled(spec: dict[str, Any], pointer: str, rest: list[str]) -> str:
    """The schema a bundled name stands for (schemathesis bundles referenced schemas as ``x-bundled/schemaN``): the
    one at ``pointer`` or the first a ``$ref`` below it leads to, whose schema the rest of the path goes through
    (a verifier's ``properties/source/oneOf``, not the first reference of the object, its ``algoSettings``)."""
    path = [t for t in rest[: rest.index("x-bundled")] if t != "$ref"] if "x-bundled" in rest else rest
    candidates = [follow_ref(spec, pointer), *_refs_below(spec, pointer)]
    for candidate in candidates:
        at: str | None = candidate
        for text in path:
            at = _step(spec, at, text) if at is not None else None
        if at is not None:
            return candidate
    return candidates[1] if len(candidates) > 1 else pointer


def schema_pointer(
    spec: dict[str, Any], response: str, content_type: str | None, schema_path: Iterable[str | int]
) -> str:
    """Pointer to the schema node a validation error names, following ``$ref`` into components."""
    try:
        content = resolve_pointer(spec, response).get("content") or {}
    except (KeyError, AttributeError):
        return response
    media = _media_key(content, content_type)
    if media is None:
        return response
    pointer = follow_ref(spec, f"{response}{join_pointer('content', media, 'schema')}")
    tokens = [str(t) for t in schema_path]
    index = 0
    while index < len(tokens):
        text = tokens[index]
        index += 1
        if text == "$ref":
            continue
        if text == "x-bundled" and index < len(tokens):
            # schemathesis bundles referenced schemas; the bundled name stands for the ref found below here.
            index += 1
            try:
                pointer = _bundled(spec, pointer, tokens[index:])
            except KeyError:
                break
            continue
        candidate = f"{pointer}{join_pointer(text)}"
        try:
            resolve_pointer(spec, candidate)
        except KeyError:
            pointer = follow_ref(spec, pointer)
            candidate = f"{pointer}{join_pointer(text)}"
            try:
                resolve_pointer(spec, candidate)
            except KeyError:
                break
        pointer = candidate
        if text not in ("required", "enum", "type", "format", "additionalProperties"):
            pointer = follow_ref(spec, pointer)
    return pointer
