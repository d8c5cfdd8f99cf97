"""curl commands that reproduce a recorded request, with secrets redacted."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping

from conformance.redact import Redactor

__all__ = ["curl_command"]

_SKIPPED = frozenset({"content-length", "user-agent", "accept-encoding", "connection", "x-schemathesis-testcaseid"})


def curl_command(
    method: str,
    url: str,
    headers: Mapping[str, str | Iterable[str]],
    body: bytes | None,
    redactor: Redactor,
) -> str:
    """``curl -X METHOD 'url' -H 'Name: value' --data-raw 'body'``; secrets become ``[REDACTED]``."""
    parts = ["curl", "-X", method.upper(), shlex.quote(redactor.text(url))]
    for name in sorted(headers, key=str.lower):
        if name.lower() in _SKIPPED:
            continue
        values = headers[name]
        for value in [values] if isinstance(values, str) else values:
            parts += ["-H", shlex.quote(f"{name}: {redactor.header(name, value)}")]
    if body:
        text = body.decode("utf-8", "replace")
        if len(text) > 4000:
            text = text[:4000] + "…"
        parts += ["--data-raw", shlex.quote(redactor.text(text))]
    return " ".join(parts)
