"""Figures, comparisons and their statistics: medians of repetitions and the ratio ours ÷ peer."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Better", "Comparison", "Figure", "Status", "advantage", "median", "percentile"]

Status = Literal["ok", "timeout", "failed", "not measured"]
Better = Literal["lower", "higher"]


def median(samples: list[float]) -> float | None:
    """The median, or ``None`` for no samples."""
    return statistics.median(samples) if samples else None


def percentile(samples: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile (``fraction`` in 0..1) of ``samples``."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Figure:
    """One tool's repetitions of one measurement.

    ``status`` is ``ok`` when every repetition produced a number; otherwise it says why not, and
    ``note`` carries the one-line reason shown in the report.
    """

    samples: tuple[float, ...] = ()
    status: Status = "ok"
    note: str = ""

    @property
    def value(self) -> float | None:
        return median(list(self.samples)) if self.status == "ok" else None

    @staticmethod
    def missing(status: Status, note: str) -> Figure:
        return Figure((), status, note)


@dataclass(frozen=True)
class Comparison:
    """One row of the results: our figure, the peer's, and which direction is better."""

    group: str
    case: str
    metric: str
    unit: str
    better: Better
    ours: Figure
    peer_name: str = ""
    peer: Figure = field(default_factory=lambda: Figure.missing("not measured", "no peer for this measurement"))
    reproduce: str = ""

    @property
    def ratio(self) -> float | None:
        """ours ÷ peer (medians), or ``None`` when either side has no number."""
        ours, peer = self.ours.value, self.peer.value
        if ours is None or peer is None or peer == 0:
            return None
        return ours / peer

    @property
    def key(self) -> str:
        return f"{self.group}/{self.case}/{self.metric}"


def advantage(comparison: Comparison) -> tuple[str, float] | None:
    """Who is ahead and by how much (≥ 1), or ``None`` when there is no ratio to read."""
    ratio = comparison.ratio
    if ratio is None or ratio <= 0:
        return None
    ours_ahead = ratio < 1 if comparison.better == "lower" else ratio > 1
    factor = 1 / ratio if ratio < 1 else ratio
    return ("ours" if ours_ahead or factor == 1 else "peer"), factor
