"""The client generator: spec → IR (names decided) → rendered files → ``generated/<api>/``."""

from __future__ import annotations

__all__: list[str] = []
