"""``specforge check`` ends with a conformance table: API, operations reached, test cases, failures by kind, time."""

from __future__ import annotations

import pytest

from specforge.commands.conform import conformance_table


@pytest.mark.slow
def test_table_row_per_api_and_no_drift_on_the_faithful_mock() -> None:
    text, drift = conformance_table(("econt",))
    header, rule, row = text.splitlines()[:3]
    words = ["api", "operations", "reached", "(2xx)", "test", "cases", "failures", "by", "kind", "time"]
    assert header.split() == words
    assert set(rule) <= {"-", " "}
    cells = row.split()
    assert cells[0] == "econt" and cells[1] == "8/8" and int(cells[2]) > 8 and cells[3] == "none"
    assert not drift


def test_unknown_api_is_one_line_and_counts_as_failure() -> None:
    text, failed = conformance_table(("no-such-api.yaml",))
    assert failed and text.startswith("conformance: ") and "\n" not in text
