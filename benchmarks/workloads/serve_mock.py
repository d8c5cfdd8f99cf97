"""Our mock on a loopback port, for when ``specforge mock`` is not there yet: ``... serve_mock SPEC PORT``."""

from __future__ import annotations

import sys

import uvicorn

from conformance.mock import create_app

__all__: list[str] = []

if __name__ == "__main__":
    uvicorn.run(
        create_app([sys.argv[1]]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False
    )
