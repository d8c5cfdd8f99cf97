"""Import modules, and optionally use one model once, and print how long it took.

``python -m benchmarks.workloads.importtime MODULE[,MODULE...] [KIND PAYLOAD MODULE CLASS]``: with the four
optional arguments, the clock stops only after PAYLOAD (a list response) was parsed into CLASS the way KIND parses
(see ``benchmarks.workloads.parse``): import plus the first use of a model, as a user's first call sees it.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

from benchmarks.workloads.parse import parser_for

__all__: list[str] = []

if __name__ == "__main__":
    started = time.perf_counter()
    for name in sys.argv[1].split(","):
        importlib.import_module(name)
    if len(sys.argv) == 6:
        kind, payload, module, model = sys.argv[2:]
        parser_for(kind, module, model)(Path(payload).read_bytes())
    print(json.dumps({"seconds": time.perf_counter() - started, "modules": len(sys.modules)}))
