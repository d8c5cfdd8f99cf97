"""GitHub's REST description (npm ``@octokit/openapi``, over 1,000 operations): generate, import, type-check, and
conform in-process against its own mock with the mock's self-check on.

The whole of it takes longer than CI may spend, so by default a seeded slice of whole paths and the components
they reach (:func:`benchmarks.corpus.github_entry`) runs: ``SPECFORGE_GITHUB_OPERATIONS`` (60) sizes it, ``all``
runs the whole description, and ``SPECFORGE_REALWORLD_SEED`` (1) picks it.
``python -m benchmarks.realworld --count 0 --github 60`` prints the same as a table.
"""

from __future__ import annotations

import os

import pytest

from benchmarks.corpus import CorpusError, Entry, github_entry
from benchmarks.realworld import check_spec

SIZE = os.environ.get("SPECFORGE_GITHUB_OPERATIONS", "60")
SEED = int(os.environ.get("SPECFORGE_REALWORLD_SEED", "1"))


def _entry() -> Entry:
    try:
        return github_entry(None if SIZE == "all" else int(SIZE), SEED)
    except CorpusError as exc:
        if os.environ.get("CI"):  # .ci/run fetches it first (python3 -m benchmarks.corpus): in CI, a failure
            pytest.fail(f"GitHub's description could not be fetched: {exc}", pytrace=False)
        pytest.skip(f"{exc}")


@pytest.mark.slow
def test_githubs_description_generates_imports_type_checks_and_its_mock_obeys_it() -> None:
    entry = _entry()
    assert entry.operations >= min(int(SIZE), 1000) if SIZE != "all" else entry.operations > 1000
    row = check_spec(entry, seed=SEED)
    assert row.generated and row.imports, row.problems
    assert row.mypy_errors == 0, row.problems
    # pyright (basic) too, where .ci/portability-tools installed it: in CI it must have run
    assert row.pyright_errors == 0 if os.environ.get("CI") else row.pyright_errors in (None, 0), row.problems
    assert row.mock_violations == 0, row.problems
    assert row.server_errors == 0, row.problems
    assert row.conform in ("clean", "drift"), row.problems  # drift is the mock refusing fuzzed input, not a crash
    assert not any("crashed" in p for p in row.problems), row.problems
