"""Each of our five specs conformed over loopback against ``specforge mock --workers 2 --state FILE``, a team's
shared mock: what one worker wrote, the other reads, and no answer drifts from the spec.

Conformance opens a new connection per request often enough that both workers serve each run. Run whole
(``specforge conform API --url ... --allow-writes``, coverage phase included), this found three faults the
in-memory mock never showed: a worker whose first write took no counter stamped it with a stale version (others
never saw it), a payment of 9.2e250 broke every commit that carried its running total (500s), and a computed
field held to the value sent (``write_persisted``). Here the coverage phase is left out, to keep the run near a
minute; ``tests/mock/test_state.py`` and ``tests/mock/test_workflow_drift.py`` pin each fault on its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from apimodel import load_api
from apimodel.project import API_NAMES
from conformance.auth import credentials_from_env
from conformance.engine import ConformOptions, Target, run_spec
from tests.served import mock_process

OPTIONS = ConformOptions(max_examples=10, seed=0, phases=("examples", "fuzzing", "stateful"))


@pytest.mark.slow
def test_our_specs_find_no_drift_in_a_mock_of_two_workers_sharing_a_state_file(tmp_path: Path) -> None:
    names = sorted(API_NAMES)
    specs = [arg for name in names for arg in ("--spec", name)]
    state = str(tmp_path / "shared.sqlite")
    with mock_process(*specs, "--workers", "2", "--state", state) as served:
        assert served.banner[-1] == f"state: {state} (2 workers)"
        for name in names:
            api = load_api(name)
            credentials = credentials_from_env(api, served.tenants[name][0])
            result = run_spec(api, Target(served.urls[name]), credentials=credentials, options=OPTIONS)
            assert result.unchecked is None, (name, result.unchecked)
            assert result.drifts == () and result.errors == (), (name, [str(d)[:300] for d in result.drifts])
            # every operation answered with a success at least once, as in process (facturare: 121 of 126)
            assert result.operations_reached >= 0.95 * len(api.operations), (name, result.operations_reached)
    assert served.process.returncode == 0
