"""Settings of a run and the alternation of ours and the peers over several repetitions."""

from __future__ import annotations

import fnmatch
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from benchmarks.stats import Figure, Status

__all__ = ["Failed", "Measure", "Settings", "alternate", "progress", "slug"]


@dataclass(frozen=True)
class Settings:
    """How much to measure: repetitions, per-run time limit, the smoke-run switch and the case filter."""

    repeat: int
    timeout: float
    quick: bool
    work: Path
    only: tuple[str, ...] = ()
    conform_repeat: int = 1

    def selected(self, group: str, case: str) -> bool:
        """Whether ``group:case`` matches ``--only`` (every case when no filter was given)."""
        key = f"{group}:{case}"
        return not self.only or any(fnmatch.fnmatchcase(key, pattern) for pattern in self.only)


class Failed(Exception):
    """A measurement that produced no number: ``status`` is ``timeout``, ``failed`` or ``not measured``."""

    def __init__(self, status: Status, note: str) -> None:
        super().__init__(note)
        self.status: Status = status
        self.note = note


Measure = Callable[[], dict[str, float]]


def alternate(
    measures: Mapping[str, Measure | Failed], metrics: tuple[str, ...], repeat: int
) -> dict[str, dict[str, Figure]]:
    """Run each tool's measure ``repeat`` times, interleaved and rotating who goes first.

    A tool that fails or times out once is not run again (its figure says why), so one stuck peer
    costs one time limit, not ``repeat`` of them. Returns tool → metric → figure.
    """
    samples: dict[str, dict[str, list[float]]] = {name: {metric: [] for metric in metrics} for name in measures}
    failures: dict[str, Failed] = {name: m for name, m in measures.items() if isinstance(m, Failed)}
    names = list(measures)
    for round_ in range(repeat):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            measure = measures[name]
            if name in failures or isinstance(measure, Failed):
                continue
            try:
                values = measure()
            except Failed as stopped:
                failures[name] = stopped
                continue
            for metric in metrics:
                samples[name][metric].append(values[metric])
    result: dict[str, dict[str, Figure]] = {}
    for name in names:
        if name in failures:
            failure = failures[name]
            result[name] = {metric: Figure.missing(failure.status, failure.note) for metric in metrics}
        else:
            result[name] = {metric: Figure(tuple(samples[name][metric])) for metric in metrics}
    return result


def slug(text: str) -> str:
    """A file name or case id as a lower-case identifier: ``stripe-spec3-2023-09-12`` → ``stripe_spec3_2023_09_12``."""
    cleaned = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    return cleaned if cleaned and not cleaned[0].isdigit() else f"s_{cleaned}"


def progress(group: str, case: str) -> None:
    """One line on stderr per case, so a long run shows where it is."""
    print(f"bench: {group}: {case}", file=sys.stderr, flush=True)
