"""Import modules and print how long it took: ``python -m benchmarks.workloads.importtime MODULE[,MODULE...]``."""

from __future__ import annotations

import importlib
import json
import sys
import time

__all__: list[str] = []

if __name__ == "__main__":
    started = time.perf_counter()
    for name in sys.argv[1].split(","):
        importlib.import_module(name)
    print(json.dumps({"seconds": time.perf_counter() - started, "modules": len(sys.modules)}))
