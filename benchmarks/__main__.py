"""``python -m benchmarks``: run the benchmarks and write ``benchmarks/RESULTS.md`` and ``results.json``."""

from __future__ import annotations

import sys

from benchmarks.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
