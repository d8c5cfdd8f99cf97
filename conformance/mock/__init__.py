"""The stateful mock server, driven by the specs and their ``x-`` extensions.

``create_app()`` returns an ASGI application serving each API under ``/<api>``; drive it in-process
with ``SyncASGITransport`` (sync ``httpx2`` clients) or ``httpx2.ASGITransport`` (async), or serve
it with ``specforge mock``.
"""

from __future__ import annotations

from conformance.mock.app import MockState, create_app, demo_credentials, load_api
from conformance.mock.config import MockConfig, MockConfigError
from conformance.mock.transport import SyncASGITransport
from conformance.mock.validation import ResponseProblem, validate_response

__all__ = [
    "MockConfig",
    "MockConfigError",
    "MockState",
    "ResponseProblem",
    "SyncASGITransport",
    "create_app",
    "demo_credentials",
    "load_api",
    "validate_response",
]
