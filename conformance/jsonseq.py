"""Sequential JSON bodies: NDJSON and JSON Lines (one JSON document a line) and RFC 7464 JSON text sequences
(``application/json-seq``: each document after an ASCII record separator, ended by a line feed).

OpenAPI 3.0 and 3.1 say nothing about these media types; the specs that use them (otoroshi's bulk endpoints send
``application/ndjson`` with a ``DataExporterConfig`` object as schema) mean that each line is one document of the
schema. OpenAPI 3.2's media type registry reads ``schema`` as the whole stream seen as an array and names each item's
schema ``itemSchema``. :func:`sequence_errors` accepts a body that is valid under either reading, so neither is
reported as drift; the mock writes one document of ``itemSchema`` or ``schema`` a line, valid under both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

__all__ = [
    "SEQUENCE_MEDIA_TYPES",
    "SequenceError",
    "decode_sequence",
    "encode_sequence",
    "is_json_sequence",
    "line_schema",
    "sequence_errors",
]

# the names in use: NDJSON (x-ndjson, and ndjson as otoroshi writes it), JSON Lines, and RFC 7464's json-seq
SEQUENCE_MEDIA_TYPES = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonl",
        "application/jsonlines",
        "application/x-jsonlines",
        "application/json-seq",
    }
)
E = TypeVar("E")
_RS = b"\x1e"  # RFC 7464's record separator


class SequenceError(ValueError):
    """A body that is no sequence of JSON documents; the message names the line (or record) and what is wrong."""


def _base(media_type: str) -> str:
    return media_type.split(";")[0].strip().lower()


_KNOWN: dict[str, bool] = {}  # media type as written -> whether it is a sequence (asked several times a request)


def is_json_sequence(media_type: str) -> bool:
    """``application/x-ndjson``, ``application/jsonl``, ``application/json-seq`` (parameters ignored) and the like;
    the ``+json-seq`` suffix of RFC 8091 too."""
    known = _KNOWN.get(media_type)
    if known is None:
        base = _base(media_type)
        known = base in SEQUENCE_MEDIA_TYPES or base.endswith("+json-seq")
        if len(_KNOWN) < 512:  # a client's own media types are not kept without end
            _KNOWN[media_type] = known
    return known


def _is_record_sequence(media_type: str) -> bool:
    return _base(media_type).endswith("json-seq")


def encode_sequence(documents: Iterable[Any], media_type: str) -> bytes:
    """Each document as compact JSON on a line of its own (after a record separator for ``json-seq``)."""
    prefix = _RS if _is_record_sequence(media_type) else b""
    lines = (json.dumps(d, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8") for d in documents)
    return b"".join(prefix + line + b"\n" for line in lines)


def decode_sequence(raw: bytes, media_type: str) -> list[Any]:
    """The documents of a sequential JSON body, in order; blank lines (a trailing line feed) are no documents.
    Raises :class:`SequenceError` naming the first line or record that is not one JSON document."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SequenceError("the body is not UTF-8") from None
    record = _is_record_sequence(media_type)
    what = "record" if record else "line"
    parts = text.split(_RS.decode()) if record else text.split("\n")
    if record and parts and parts[0].strip():
        raise SequenceError("the body does not start with a record separator (0x1E)")
    documents = []
    for number, part in enumerate(parts[1:] if record else parts, start=1):
        if not part.strip():
            continue
        try:
            documents.append(json.loads(part))
        except (ValueError, RecursionError):
            raise SequenceError(f"{what} {number} is not one JSON document") from None
    return documents


def line_schema(content: Mapping[str, Any]) -> Any:
    """The schema one document of a media type object follows: its ``itemSchema`` (OpenAPI 3.2), else its
    ``schema``; ``None`` when it names neither."""
    return content.get("itemSchema", content.get("schema"))


def sequence_errors(
    content: Mapping[str, Any], documents: list[Any], errors: Callable[[Any, Any], list[E]]
) -> list[tuple[int, E]]:
    """Where ``documents`` break the media type object ``content``: ``(line, error)`` pairs, lines counted from 1,
    empty when they conform. ``errors(schema, value)`` validates one value.

    Each document must follow the line's schema (``itemSchema``, or ``schema`` as 3.0 and 3.1 specs mean it);
    without an ``itemSchema``, the documents taken together as an array may follow ``schema`` instead (3.2's
    reading), and the body then conforms too."""
    schema = line_schema(content)
    if schema is None:
        return []
    found = [(number, message) for number, d in enumerate(documents, start=1) for message in errors(schema, d)]
    if found and "itemSchema" not in content and not errors(schema, documents):
        return []
    return found
