"""Named run settings: a quick one for ``specforge check`` and ``pytest conformance/``, and the full one."""

from __future__ import annotations

from conformance.engine import ALL_PHASES, ConformOptions

__all__ = ["FULL", "QUICK"]

# Every phase but coverage: coverage sends thousands of boundary cases per API (about 90 s for facturare alone),
# which belongs in `specforge conform`, not in the main job or the default test run.
QUICK = ConformOptions(max_examples=3, max_steps=4, phases=("examples", "fuzzing", "stateful"))

FULL = ConformOptions(max_examples=10, max_steps=10, phases=ALL_PHASES)
